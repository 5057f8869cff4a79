/**
 * The worker side of the protocol, independent of how the process was started
 * (Electron utilityProcess: process.parentPort; child_process.fork: process.send). Jobs are
 * solves and frontiers (see messages.ts); both report progress and errors the same way.
 */
import { PlannerError } from '@shared/contract';
import type { SolveOptions } from '@shared/solver';
import type { Plan } from '@shared/plan';
import type { Frontier, SolveResult } from '@shared/result';
import type { HostToWorker, WorkerToHost } from './messages';

export type SolveFn = (plan: Plan, options: SolveOptions) => SolveResult;

/** What the worker passes to computeFrontier (the options it uses of the solver's). */
export interface FrontierRunOptions {
  points?: number;
  onProgress?: (fraction: number) => void;
  memoryBudgetBytes?: number;
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

interface Port {
  send(message: WorkerToHost): void;
  onMessage(listener: (message: HostToWorker) => void): void;
}

interface ParentPortLike {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
}

function currentPort(): Port {
  const parentPort = (process as unknown as { parentPort?: ParentPortLike }).parentPort;
  if (parentPort) {
    return {
      send: (m) => parentPort.postMessage(m),
      onMessage: (l) => parentPort.on('message', (e) => l(e.data as HostToWorker)),
    };
  }
  if (process.send) {
    const send = process.send.bind(process);
    return {
      send: (m) => void send(m),
      onMessage: (l) => process.on('message', (m) => l(m as HostToWorker)),
    };
  }
  throw new Error('the solver worker must be started by the solver host (no IPC channel)');
}

export function runWorker(handlers: WorkerHandlers, port: Port = currentPort()): void {
  port.onMessage((message) => {
    if (message?.type !== 'solve' && message?.type !== 'frontier') return;
    const { job } = message;
    let lastSent = 0;
    let lastFraction = -1;
    const onProgress = (fraction: number) => {
      const now = Date.now();
      const f = Math.min(1, Math.max(0, fraction));
      if (
        now - lastSent < PROGRESS_INTERVAL_MS ||
        Math.floor(f * 100) === Math.floor(lastFraction * 100)
      )
        return;
      lastSent = now;
      lastFraction = f;
      port.send({ type: 'progress', job, fraction: f });
    };
    try {
      const result =
        message.type === 'frontier'
          ? handlers.frontier(message.plan, {
              points: message.points,
              onProgress,
              memoryBudgetBytes: message.memoryBudgetBytes,
            })
          : handlers.solve(message.plan, {
              onProgress,
              memoryBudgetBytes: message.memoryBudgetBytes,
              curve: message.curve ? CURVE_SAMPLES : undefined,
            });
      port.send({ type: 'result', job, result });
    } catch (e) {
      if (e instanceof PlannerError)
        port.send({ type: 'error', job, code: e.code, message: e.message });
      else
        port.send({
          type: 'error',
          job,
          code: 'internal',
          message: `the solver failed: ${e instanceof Error ? e.message : String(e)}`,
        });
    }
  });
  port.send({ type: 'ready' });
}
