/**
 * The limits that keep a solve finite. Before it starts: the DP engine's memory budget and
 * work limit, checked on its estimate (engineEstimate.ts), with the sizes formatted for the
 * refusal. While it runs: the caller's shouldCancel (throws 'cancelled') and a time limit
 * (throws TimeLimitExceeded, code 'time_limit'). Those two end the whole solve: the places
 * that catch an error to try something else (the band, the state bounds) let them through,
 * and the places that reword a 'too_large' leave this one as it is.
 */
import { PlannerError } from '../contract';
import { fmtInt } from '../impact';

/** The DP engine's memory budget (argmin table, rows and checkpoints), in bytes. */
export const DEFAULT_MEMORY_BUDGET = 1.5 * 1024 ** 3;
/**
 * Estimated cost evaluations beyond which a plan is refused before it starts: the estimate is
 * an upper bound on every path of the engine, and the slowest path measured here (timing risk
 * without the band, a fee at M = 10^7 lots: 10–80 ns per unit with 2 cores shared by other
 * work, memory-bound at large M) takes seconds at this limit (tens when the machine is busy,
 * which the time limit catches); `npm run bench -- solver` prints the longest accepted one.
 */
export const DEFAULT_MAX_EVALUATIONS = 5e8;

/**
 * The time limit of one solve or one frontier in the worker and the CLI. The work estimate
 * refuses what would take longer than seconds before it starts; this stops what the estimate
 * let through and still runs (a slow or overloaded machine).
 */
export const DEFAULT_TIME_LIMIT_MS = 30_000;

export class TimeLimitExceeded extends PlannerError {
  constructor(readonly limitMs: number) {
    super(
      'time_limit',
      `shares: stopped after ${fmtSeconds(limitMs)} (the time limit): this plan took longer than its work estimate allowed for; use a larger lotSize, fewer periods or tighter caps, or try again when the machine is less busy`,
    );
  }
}

/** A cancel or the time limit: the solve is over, nothing else is to be tried. */
export function stopsTheSolve(e: unknown): boolean {
  return e instanceof TimeLimitExceeded || (e instanceof PlannerError && e.code === 'cancelled');
}

/**
 * The options with timeLimitMs turned into a shouldCancel that throws once the time is up
 * (and timeLimitMs removed, so that nested solves keep the one deadline).
 */
export function withTimeLimit<T extends { shouldCancel?: () => boolean; timeLimitMs?: number }>(
  options: T,
): T {
  const limit = options.timeLimitMs;
  if (limit === undefined) return options;
  const deadline = monotonicMs() + limit;
  const inner = options.shouldCancel;
  return {
    ...options,
    timeLimitMs: undefined,
    shouldCancel: () => {
      if (monotonicMs() > deadline) throw new TimeLimitExceeded(limit);
      return inner?.() ?? false;
    },
  };
}

function fmtSeconds(ms: number): string {
  return ms >= 1000 ? `${Number((ms / 1000).toPrecision(3))} s` : `${Math.round(ms)} ms`;
}

/**
 * Milliseconds on a monotonic clock: process.hrtime in Node (reading `performance` there loads
 * perf_hooks, a dozen modules, on the first call: 2–3 ms of a CLI start), performance.now() in
 * a browser.
 */
export function monotonicMs(): number {
  const hrtime = (globalThis as { process?: { hrtime?: { bigint?: () => bigint } } }).process
    ?.hrtime;
  if (hrtime?.bigint) return Number(hrtime.bigint()) / 1e6;
  return globalThis.performance ? globalThis.performance.now() : Date.now();
}

export function fmtBytes(b: number, digits = 1): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let v = b;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${u === 0 ? Math.round(v) : v.toFixed(digits)} ${units[u]}`;
}

/** Two sizes formatted with enough digits that "needs X, more than Y" never reads X = Y. */
export function fmtBytesPair(need: number, have: number): [string, string] {
  for (let digits = 1; digits <= 6; digits++) {
    const a = fmtBytes(need, digits);
    const b = fmtBytes(have, digits);
    if (a !== b) return [a, b];
  }
  return [`${fmtInt(need)} bytes`, `${fmtInt(have)} bytes`];
}
