/**
 * How a solve is stopped from outside: the caller's shouldCancel (throws 'cancelled') and a
 * time limit (throws TimeLimitExceeded, code 'time_limit'). Both end the whole solve: the
 * places that catch an error to try something else (the band, the state bounds) let them
 * through, and the places that reword a 'too_large' leave this one as it is.
 */
import { PlannerError } from '../contract';

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
  const deadline = now() + limit;
  const inner = options.shouldCancel;
  return {
    ...options,
    timeLimitMs: undefined,
    shouldCancel: () => {
      if (now() > deadline) throw new TimeLimitExceeded(limit);
      return inner?.() ?? false;
    },
  };
}

function fmtSeconds(ms: number): string {
  return ms >= 1000 ? `${Number((ms / 1000).toPrecision(3))} s` : `${Math.round(ms)} ms`;
}

function now(): number {
  return globalThis.performance ? globalThis.performance.now() : Date.now();
}
