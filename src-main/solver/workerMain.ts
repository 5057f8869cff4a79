/**
 * The worker side of the protocol, independent of how the process was started
 * (Electron utilityProcess: process.parentPort; child_process.fork: process.send). Jobs are
 * solves and frontiers (see messages.ts); both report progress and errors the same way.
 *
 * - Heartbeat: the solve is synchronous, so the beat comes from inside it (the solver polls
 *   shouldCancel and reports progress); at least every `heartbeatMs` while a job runs, so the
 *   host can tell a working worker from a stopped or stuck one.
 * - When the parent goes away (IPC channel closed, a failed send, or this process re-parented:
 *   the server died) the worker exits quietly, code 0: nothing is left to report to, and a
 *   write to the dead channel must not end in an EPIPE stack trace.
 */
import { toApiError } from '@shared/contract';
import { DEFAULT_TIME_LIMIT_MS, type SolveOptions } from '@shared/solver';
import type { Plan } from '@shared/plan';
import type { Frontier, SolveResult } from '@shared/result';
import type { HostToWorker, WorkerToHost } from './messages';
import { connectToParent, parentGone, quit, watchParent } from '../platform/workerPort';

export type SolveFn = (plan: Plan, options: SolveOptions) => SolveResult;

/** What the worker passes to computeFrontier (the options it uses of the solver's). */
export interface FrontierRunOptions {
  points?: number;
  onProgress?: (fraction: number) => void;
  shouldCancel?: () => boolean;
  memoryBudgetBytes?: number;
  timeLimitMs?: number;
}
export type FrontierFn = (plan: Plan, options: FrontierRunOptions) => Frontier;

/** The computations a worker runs, one per job kind. */
export interface WorkerHandlers {
  solve: SolveFn;
  frontier: FrontierFn;
}

/**
 * Sizes sampled on the cost-by-size curve when the host asks for it: about a thousand points
 * draw a smooth line in the window and keep the message small whatever the grid size.
 */
export const CURVE_SAMPLES = 1001;

/** Progress is sent at most every this many ms (and on every whole percent at most once). */
const PROGRESS_INTERVAL_MS = 50;
/** A heartbeat at least this often while a job runs, unless the job says otherwise. */
export const DEFAULT_HEARTBEAT_MS = 1000;

export interface Port {
  send(message: WorkerToHost): void;
  onMessage(listener: (message: HostToWorker) => void): void;
}

/** The process's own channel to the host. */
function currentPort(): Port {
  const channel = connectToParent<WorkerToHost>(
    'the solver worker must be started by the solver host',
  );
  return { send: channel.send, onMessage: (l) => channel.onMessage((m) => l(m as HostToWorker)) };
}

/**
 * Answer the host's jobs on `port` (by default the process's own channel, watched so that the
 * worker exits quietly when the host goes away).
 */
export function runWorker(handlers: WorkerHandlers, port?: Port): void {
  const parent = process.ppid;
  if (!port) {
    port = currentPort();
    watchParent(parent);
  }
  const channel = port;
  channel.onMessage((message) => {
    if (message?.type !== 'solve' && message?.type !== 'frontier') return;
    const { job } = message;
    const heartbeatMs = message.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
    const timeLimitMs = message.timeLimitMs ?? DEFAULT_TIME_LIMIT_MS;
    let lastSent = Date.now(); // anything sent for this job counts as a beat
    let lastProgress = 0;
    let lastFraction = -1;
    const beat = () => {
      const now = Date.now();
      if (now - lastSent < heartbeatMs) return;
      if (parentGone(parent)) quit();
      lastSent = now;
      channel.send({ type: 'heartbeat', job });
    };
    const onProgress = (fraction: number) => {
      beat();
      const now = Date.now();
      const f = Math.min(1, Math.max(0, fraction));
      if (
        now - lastProgress < PROGRESS_INTERVAL_MS ||
        Math.floor(f * 100) === Math.floor(lastFraction * 100)
      )
        return;
      lastProgress = lastSent = now;
      lastFraction = f;
      channel.send({ type: 'progress', job, fraction: f });
    };
    // Cancelling kills this process; the poll is where the heartbeat comes from.
    const shouldCancel = () => {
      beat();
      return false;
    };
    try {
      const result =
        message.type === 'frontier'
          ? handlers.frontier(message.plan, {
              points: message.points,
              onProgress,
              shouldCancel,
              memoryBudgetBytes: message.memoryBudgetBytes,
              timeLimitMs,
            })
          : handlers.solve(message.plan, {
              onProgress,
              shouldCancel,
              memoryBudgetBytes: message.memoryBudgetBytes,
              curve: message.curve ? CURVE_SAMPLES : undefined,
              timeLimitMs,
            });
      channel.send({ type: 'result', job, result });
    } catch (e) {
      channel.send({ type: 'error', job, ...toApiError(e, 'the solver failed') });
    }
  });
  channel.send({ type: 'ready' });
}
