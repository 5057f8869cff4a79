/**
 * Timing helpers of the results panel: what waits for a painted frame, and what waits for the
 * user to stop typing. docs/window.md ("The table first") gives the figures behind them.
 */

/**
 * Periods above which the plan's warnings wait for a pause in typing and a long volume
 * profile's preview waits for the form's first frame (the schedule table windows its rows
 * above the same size).
 */
export const LONG = 2000;

/**
 * Periods above which a result's charts wait for the frame that shows its table: chart.js
 * measures its text and its canvas in the same task, which forces the style and layout of
 * everything the result just added (hundreds of rows at 390 periods), so the table would wait
 * for the charts. A few dozen rows cost nothing, and such a result draws in one frame.
 */
export const CHARTS_AFTER_TABLE = 100;

/** How long the form must stay unchanged before a long plan's warnings are recomputed. */
export const TYPING_PAUSE_MS = 150;

/**
 * Run `fn` once the next frame has been painted: a timer set from the animation frame's
 * callback runs after that frame's paint.
 */
export function afterPaint(fn: () => void): void {
  requestAnimationFrame(() => setTimeout(fn));
}

/**
 * Run `fn` after the work that waits for the next painted frame (`afterPaint`): once that frame
 * has been painted and the callbacks `afterPaint` queued for it have run. The results panel's
 * `table-visible` mark and its charts come first; the form's own deferred work (a long volume
 * profile's preview, a long plan's cap check) follows them.
 */
export function afterTable(fn: () => void): void {
  // Where there are no frames (a test's plain JavaScript), after the current task.
  const frame = globalThis.requestAnimationFrame ?? ((f: () => void) => setTimeout(f));
  frame(() => setTimeout(() => setTimeout(fn)));
}
