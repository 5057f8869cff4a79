/**
 * The child side of a worker's channel to its host, however the process was started
 * (Electron utilityProcess: process.parentPort; child_process.fork: process.send). Shared by
 * the solver and the import workers. When the host goes away (the channel closed, a failed
 * send, or this process re-parented because the host died) the worker exits quietly with
 * code 0: nothing is left to report to, and a write to a dead channel must not end in an
 * EPIPE stack trace. serveJobs is the worker's loop of the one worker protocol
 * (workerChannel.ts): ready, then jobs answered with progress, heartbeats, result or error.
 */
import { toApiError } from '@shared/contract';
import {
  DEFAULT_HEARTBEAT_MS,
  type JobBase,
  type JobMessage,
  type WorkerChannel,
  type WorkerMessage,
} from './workerChannel';

/** What a worker sends and receives on (incoming messages are another process's: unknown). */
export interface ParentChannel<Out> {
  send(message: Out): void;
  onMessage(listener: (message: unknown) => void): void;
}

/** Electron's process.parentPort, as far as the workers use it. */
interface ParentPortLike {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
}

/** How often a worker checks that its parent is still there. */
const PARENT_CHECK_MS = 1000;

/** Leave quietly: the host is gone. */
export function quit(): never {
  process.exit(0);
}

/**
 * The channel to the host. Without one (started by hand) it says `withoutHost` on stderr and
 * exits 2.
 */
export function connectToParent<Out>(withoutHost: string): ParentChannel<Out> {
  const parentPort = (process as unknown as { parentPort?: ParentPortLike }).parentPort;
  if (parentPort) {
    return {
      send: (m) => {
        try {
          parentPort.postMessage(m);
        } catch {
          quit(); // the parent is gone
        }
      },
      onMessage: (l) => parentPort.on('message', (e) => l(e.data)),
    };
  }
  if (process.send) {
    const send = process.send.bind(process);
    // The host closed the channel or died: exit without an EPIPE / ERR_IPC_CHANNEL_CLOSED trace.
    process.on('disconnect', quit);
    return {
      send: (m) => {
        if (!process.connected) quit();
        send(m, undefined, undefined, (e) => {
          if (e) quit();
        });
      },
      onMessage: (l) => process.on('message', l),
    };
  }
  process.stderr.write(`${withoutHost} (no IPC channel)\n`);
  process.exit(2);
}

/** True once this process has been re-parented (its parent died). Synchronous: usable inside
 *  a synchronous job, where no event (disconnect, a failed send's callback) can arrive. */
export function parentGone(parent: number): boolean {
  return process.ppid !== parent;
}

/** Exit quietly once the parent process is gone (checked every second, not keeping the
 *  process alive). */
export function watchParent(parent = process.ppid): void {
  setInterval(() => {
    if (parentGone(parent)) quit();
  }, PARENT_CHECK_MS).unref();
}

/** What a job's handler gets besides the job. */
export interface JobContext<Progress> {
  /** Report progress (counts as a beat). */
  progress(progress: Progress): void;
  /**
   * Call often from inside a synchronous job (where the solver polls for cancel): sends a
   * heartbeat when one is due, and exits quietly once the parent is gone. An asynchronous job
   * beats by itself (a timer) between its awaits.
   */
  beat(): void;
  /** The job's time limit, as the host sent it (undefined: the worker's default). */
  timeLimitMs: number | undefined;
}

/** Runs one job: the result (or a promise of it); a throw is sent as the job's error. */
export type JobHandler<Job extends JobBase, Progress, Result> = (
  job: JobMessage<Job>,
  context: JobContext<Progress>,
) => Result | Promise<Result>;

/**
 * The worker's loop, the same for every worker: say ready, then answer each job message of
 * the channel (one at a time; a job message that arrives while one runs is ignored) with
 * progress, heartbeats and the result or the error, each naming the job. `port` is the
 * process's own channel (watched, so that the worker exits quietly when the host goes away)
 * unless a test passes one.
 */
export function serveJobs<Job extends JobBase, Progress extends object, Result>(
  channel: WorkerChannel<Job, Progress, Result>,
  handler: JobHandler<Job, Progress, Result>,
  port?: ParentChannel<WorkerMessage<Progress, Result>>,
): void {
  const parent = process.ppid;
  if (!port) {
    port = connectToParent(`the ${channel.name} worker must be started by its host`);
    watchParent(parent);
  }
  const out = port;
  const kinds: readonly string[] = channel.jobTypes;
  let busy = false;
  out.onMessage((raw) => {
    if (busy || !isJobMessage(raw, kinds)) return;
    const message = raw as JobMessage<Job>;
    const job = typeof message.job === 'number' ? message.job : undefined;
    const heartbeatMs = message.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
    let lastSent = Date.now(); // anything sent for this job counts as a beat
    const beat = () => {
      const now = Date.now();
      if (now - lastSent < heartbeatMs) return;
      if (parentGone(parent)) quit();
      lastSent = now;
      out.send({ type: 'heartbeat', job });
    };
    const context: JobContext<Progress> = {
      progress: (progress) => {
        lastSent = Date.now();
        out.send({ ...progress, type: 'progress', job });
      },
      beat,
      timeLimitMs: message.timeLimitMs,
    };
    busy = true;
    // Between the awaits of an asynchronous job; a synchronous one beats through context.beat.
    const timer = setInterval(beat, heartbeatMs);
    timer.unref();
    const done = (reply: WorkerMessage<Progress, Result>) => {
      clearInterval(timer);
      busy = false;
      out.send(reply);
    };
    const fail = (e: unknown) => done({ type: 'error', job, ...toApiError(e, channel.failed) });
    let outcome: Result | Promise<Result>;
    try {
      outcome = handler(message, context);
    } catch (e) {
      fail(e);
      return;
    }
    if (outcome instanceof Promise)
      outcome.then((result) => done({ type: 'result', job, result }), fail);
    else done({ type: 'result', job, result: outcome });
  });
  out.send({ type: 'ready' });
}

function isJobMessage(m: unknown, kinds: readonly string[]): boolean {
  if (typeof m !== 'object' || m === null) return false;
  const type = (m as { type?: unknown }).type;
  return typeof type === 'string' && kinds.includes(type);
}
