/**
 * Timing helpers of the results panel: what waits for a painted frame, and what waits for the
 * user to stop typing. docs/window.md ("The table first") gives the figures behind them.
 */

/**
 * Periods above which a result's charts wait for the frame that shows its table, and the
 * plan's warnings wait for a pause in typing (the schedule table windows its rows above the
 * same size).
 */
export const LONG = 2000;

/** How long the form must stay unchanged before a long plan's warnings are recomputed. */
export const TYPING_PAUSE_MS = 150;

/**
 * Run `fn` once the next frame has been painted: a timer set from the animation frame's
 * callback runs after that frame's paint.
 */
export function afterPaint(fn: () => void): void {
  requestAnimationFrame(() => setTimeout(fn));
}
