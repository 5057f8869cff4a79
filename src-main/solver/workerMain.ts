/**
 * The solver worker's jobs on the worker loop of the channel (platform/workerPort.ts
 * serveJobs): a solve, an efficient frontier or a cost-by-size curve, run synchronously, with progress at most every
 * 50 ms and once per whole percent.
 *
 * - Heartbeat: the solve is synchronous, so the beat comes from inside it (the solver polls
 *   shouldCancel and reports progress, both of which call the context's beat), so the host can
 *   tell a working worker from a stopped or stuck one.
 * - Cancelling means the host kills this process; the poll only beats.
 */
import { DEFAULT_TIME_LIMIT_MS, type SolveOptions } from '@shared/solver';
import type { Plan } from '@shared/plan';
import type { CostCurve, Frontier, SolveResult } from '@shared/result';
import { isColumns, toColumns, type SolveResultColumns } from '@shared/resultColumns';
import { solverChannel, type WorkerToHost } from './messages';
import { serveJobs, type ParentChannel } from '../platform/workerPort';

/** A solve: in columns (solvePlanColumns), or row-wise (turned into columns here). */
export type SolveFn = (plan: Plan, options: SolveOptions) => SolveResult | SolveResultColumns;

/** What the worker passes to computeFrontier (the options it uses of the solver's). */
export interface FrontierRunOptions {
  points?: number;
  onProgress?: (fraction: number) => void;
  shouldCancel?: () => boolean;
  memoryBudgetBytes?: number;
  timeLimitMs?: number;
}
export type FrontierFn = (plan: Plan, options: FrontierRunOptions) => Frontier;
/** The cost-by-size curve alone (options.curve: the sizes to sample). */
export type CurveFn = (plan: Plan, options: SolveOptions) => CostCurve;

/** The computations a worker runs, one per job kind. */
export interface WorkerHandlers {
  solve: SolveFn;
  frontier: FrontierFn;
  curve: CurveFn;
}

/**
 * Sizes sampled on the cost-by-size curve when the host asks for it: about a thousand points
 * draw a smooth line in the window and keep the message small whatever the grid size.
 */
export const CURVE_SAMPLES = 1001;

/** Progress is sent at most every this many ms (and on every whole percent at most once). */
const PROGRESS_INTERVAL_MS = 50;

/** The worker's channel to its host (a test passes an in-process one). */
export type Port = ParentChannel<WorkerToHost>;

/**
 * Answer the host's jobs on `port` (by default the process's own channel, watched so that the
 * worker exits quietly when the host goes away).
 */
export function runWorker(handlers: WorkerHandlers, port?: Port): void {
  serveJobs(
    solverChannel,
    (message, context) => {
      const timeLimitMs = context.timeLimitMs ?? DEFAULT_TIME_LIMIT_MS;
      let lastProgress = 0;
      let lastFraction = -1;
      const onProgress = (fraction: number) => {
        context.beat();
        const now = Date.now();
        const f = Math.min(1, Math.max(0, fraction));
        if (
          now - lastProgress < PROGRESS_INTERVAL_MS ||
          Math.floor(f * 100) === Math.floor(lastFraction * 100)
        )
          return;
        lastProgress = now;
        lastFraction = f;
        context.progress({ fraction: f });
      };
      // Cancelling kills this process; the poll is where the heartbeat comes from.
      const shouldCancel = () => {
        context.beat();
        return false;
      };
      switch (message.type) {
        case 'frontier':
          return handlers.frontier(message.plan, {
            points: message.points,
            onProgress,
            shouldCancel,
            memoryBudgetBytes: message.memoryBudgetBytes,
            timeLimitMs,
          });
        case 'curve':
          return handlers.curve(message.plan, {
            onProgress,
            shouldCancel,
            memoryBudgetBytes: message.memoryBudgetBytes,
            curve: CURVE_SAMPLES,
            timeLimitMs,
          });
        case 'solve':
          return inColumns(
            handlers.solve(message.plan, {
              onProgress,
              shouldCancel,
              memoryBudgetBytes: message.memoryBudgetBytes,
              curve: message.curve ? CURVE_SAMPLES : undefined,
              timeLimitMs,
            }),
          );
      }
    },
    port,
  );
}

/**
 * A solve's result in columns before it leaves the worker: a few typed arrays cross the
 * process boundary (and are checked there) in milliseconds, where 100,000 row objects took
 * most of a second. The worker's solver makes the columns itself (solvePlanColumns); a
 * row-wise result is turned into them here, and one that is neither (a broken solver) goes as
 * it is, for the host's check to name what is wrong.
 */
function inColumns(result: SolveResult | SolveResultColumns): SolveResultColumns | SolveResult {
  if (isColumns(result)) return result;
  return Array.isArray((result as { schedule?: unknown } | null)?.schedule)
    ? toColumns(result)
    : result;
}
