/**
 * The one protocol between a host and its worker processes (the solver, the order-book
 * import, any future worker), and the host's side of it. It owns the messages (a channel
 * definition names a worker's jobs, progress and result; the envelope around them is the
 * same for every worker), parsing what a worker sends at the boundary (its messages and its
 * result, with real schemas), and the life of a worker process: spawn, the job, progress,
 * heartbeat and silence limit, a hard time limit, cancel, crash detection, stop with a
 * deadline, and a restart policy (WorkerSlot). The worker's side of the protocol is
 * serveJobs in workerPort.ts.
 *
 * Messages (structured clone; the host's are trusted, the worker's are parsed from unknown):
 *
 *   host → worker   { type: <job kind>, job: id, heartbeatMs?, timeLimitMs?, ...the job }
 *   worker → host   { type: 'ready' }                                  once, when listening
 *                   { type: 'progress', job?, ...progress }            flat, per the definition
 *                   { type: 'heartbeat', job? }                        still working
 *                   { type: 'result', job?, result }                   parsed with the job's schema
 *                   { type: 'error', job?, code, message }             an ApiError
 *
 * A reply names its job; one without a job id is about the running job, one naming another
 * job is stale and dropped.
 */
import { z } from 'zod';
import { ERROR_CODES, PlannerError, type ErrorCode } from '@shared/contract';
import { formatIssues } from '@shared/plan';
import type { Spawner, WorkerHandle } from './spawner';

// ─── The definition ─────────────────────────────────────────────────────────────────────────

/** A job as its host builds it: an object whose `type` names the kind of job. */
export interface JobBase {
  type: string;
}

/** What the channel adds to a job on its way to the worker. */
export interface JobEnvelope {
  /** Job id, echoed in every reply. */
  job?: number;
  /** Send a heartbeat at least this often (ms) while the job runs. */
  heartbeatMs?: number;
  /** Stop the job after this many ms (the worker checks it; the host kills the worker a grace
   *  period later). */
  timeLimitMs?: number;
}

/** Host → worker: a job with the channel's fields beside it. */
export type JobMessage<Job extends JobBase> = Job & JobEnvelope;

/** Worker → host, as the worker sends it. */
export type WorkerMessage<Progress, Result> =
  | { type: 'ready' }
  | ({ type: 'progress'; job?: number } & Progress)
  | { type: 'heartbeat'; job?: number }
  | { type: 'result'; job?: number; result: Result }
  | { type: 'error'; job?: number; code: ErrorCode; message: string };

/** One worker's messages, defined once for its host and its worker. */
export interface ChannelDefinition<Job extends JobBase, Progress extends object, Result> {
  /** Names the process in messages: "the solver process …". */
  name: string;
  /** The job kinds the worker answers (the `type` of a job message). */
  jobTypes: readonly Job['type'][];
  /** Progress, sent flat beside `type` and `job`: a plain z.object (which drops those two). */
  progress: z.ZodType<Progress>;
  /** The result of a job: what the host accepts, by job (a solve and a frontier differ). */
  result: (job: Job) => z.ZodType<Result>;
  /** How the worker words an unexpected error ("the solver failed: …"). */
  failed: string;
}

export type WorkerChannel<Job extends JobBase, Progress extends object, Result> = ChannelDefinition<
  Job,
  Progress,
  Result
>;

export function defineChannel<Job extends JobBase, Progress extends object, Result>(
  definition: ChannelDefinition<Job, Progress, Result>,
): WorkerChannel<Job, Progress, Result> {
  return definition;
}

const jobId = z.number().int().optional();

/** The envelope of every worker message; progress is checked against the definition after. */
export const WorkerEnvelopeSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.looseObject({ type: z.literal('progress'), job: jobId }),
  z.object({ type: z.literal('heartbeat'), job: jobId }),
  z.object({ type: z.literal('result'), job: jobId, result: z.unknown() }),
  z.object({
    type: z.literal('error'),
    job: jobId,
    code: z.enum(ERROR_CODES),
    message: z.string(),
  }),
]);

function describeIssues(error: z.ZodError): string {
  return formatIssues(error).slice(0, 3).join('; ');
}

// ─── One worker process ─────────────────────────────────────────────────────────────────────

/** Why a job ended without its worker's answer. */
export type WorkerFailure =
  /** The process ended: `how` is "exited with code 3" or "was killed (SIGKILL)"; `started`:
   *  it had said ready. */
  | { kind: 'exited'; how: string; started: boolean }
  /** Nothing heard for `quietMs` while the job ran (stopped, stuck): it was killed. */
  | { kind: 'silent'; quietMs: number }
  /** Still running `limitMs` after the job's time limit plus grace: it was killed. */
  | { kind: 'time_limit'; limitMs: number };

export interface RunOptions<Progress> {
  onProgress?: (progress: Progress) => void;
  /** Sent with the job (the worker stops itself with `time_limit`); the host kills a worker
   *  still busy `timeLimitGraceMs` after it. */
  timeLimitMs?: number;
  /** What the worker is doing, for messages: `solving "Plan A"`, `reading day.csv`. */
  doing: string;
  /** Words a failure (undefined, or no function: failureMessage). */
  describe?: (failure: WorkerFailure) => string | undefined;
}

export interface WorkerOptions {
  /** The worker beats at least this often while it runs a job. Default 1000 ms. */
  heartbeatMs?: number;
  /** A worker silent this long while it runs a job is killed; the job rejects with
   *  'worker_crashed'. Default 10 s. */
  silenceLimitMs?: number;
  /** Past the job's time limit, how long the host waits before killing it. Default 5 s. */
  timeLimitGraceMs?: number;
}

export const DEFAULT_HEARTBEAT_MS = 1000;
/** Ten missed beats: far beyond a garbage-collection pause, short enough to notice a hang. */
export const DEFAULT_SILENCE_LIMIT_MS = 10_000;
export const DEFAULT_TIME_LIMIT_GRACE_MS = 5000;

/** "exited with code 3" / "was killed (SIGKILL)". */
export function exitHow(code: number | null, signal: string | null): string {
  return signal ? `was killed (${signal})` : `exited with code ${code}`;
}

function fmtSeconds(ms: number): string {
  return `${Number((ms / 1000).toPrecision(2))} s`;
}

/** The channel's wording of a failure, for a worker named `name`. */
export function failureMessage(name: string, doing: string, failure: WorkerFailure): string {
  const Name = `The ${name} process`;
  switch (failure.kind) {
    case 'exited':
      return failure.started
        ? `${Name} ${failure.how} while ${doing}.`
        : `${Name} could not start: it ${failure.how}.`;
    case 'silent':
      return `${Name} stopped responding while ${doing} (no sign of life for ${fmtSeconds(failure.quietMs)}); it was stopped.`;
    case 'time_limit':
      return `${Name} was still ${doing} ${fmtSeconds(failure.limitMs)} after its time limit; it was stopped.`;
  }
}

interface Running<Job extends JobBase, Progress extends object, Result> {
  id: number;
  job: Job;
  options: RunOptions<Progress>;
  resolve: (result: Result) => void;
  reject: (error: PlannerError) => void;
  watchdog: NodeJS.Timeout | null;
  limit: NodeJS.Timeout | null;
}

/** How a worker was lost: killed by its host or ended by itself. */
export interface WorkerLoss {
  /** It had said ready. */
  started: boolean;
  /** It was running a job (now rejected). */
  lostJob: boolean;
  /** "exited with code 1", "was killed (SIGKILL)", "was stopped by its host". */
  how: string;
}

export interface WorkerEvents {
  /** It said ready. */
  ready?: () => void;
  /** A job ended with the worker's answer; the worker can take the next one. */
  settled?: () => void;
  /** The worker is done for (killed by the host, or gone): once, after its job was rejected. */
  lost?: (loss: WorkerLoss) => void;
}

/**
 * One worker process speaking a channel, one job at a time. Every way a job can end settles
 * its promise exactly once: the result (parsed), the worker's error, a malformed message
 * (the worker is killed), cancel (killed), the silence limit (killed), the time limit
 * (killed), or the process ending. A worker the host has killed takes no more jobs.
 */
export class ChannelWorker<Job extends JobBase, Progress extends object, Result> {
  private readonly handle: WorkerHandle<JobMessage<Job>>;
  private running: Running<Job, Progress, Result> | null = null;
  private nextId = 1;
  private lastHeard = Date.now();
  private isReady = false;
  private hasExited = false;
  private isLost = false;
  /** Resolves once the process is gone. */
  readonly exited: Promise<void>;
  private readonly heartbeatMs: number;
  private readonly silenceLimitMs: number;
  private readonly graceMs: number;

  constructor(
    private readonly channel: WorkerChannel<Job, Progress, Result>,
    spawn: Spawner<JobMessage<Job>>,
    options: WorkerOptions = {},
    private readonly events: WorkerEvents = {},
  ) {
    this.heartbeatMs = options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
    this.silenceLimitMs = options.silenceLimitMs ?? DEFAULT_SILENCE_LIMIT_MS;
    this.graceMs = options.timeLimitGraceMs ?? DEFAULT_TIME_LIMIT_GRACE_MS;
    let markExited: () => void = () => {};
    this.exited = new Promise<void>((r) => (markExited = r));
    const gone = (code: number | null, signal: string | null, how?: string) => {
      this.hasExited = true;
      markExited();
      this.onExit(how ?? exitHow(code, signal));
    };
    try {
      this.handle = spawn();
    } catch (e) {
      // A spawn that throws is a process that never started.
      this.handle = deadHandle();
      const how = `could not be spawned (${e instanceof Error ? e.message : String(e)})`;
      queueMicrotask(() => gone(null, null, how));
      return;
    }
    this.handle.onMessage((raw) => this.onMessage(raw));
    this.handle.onExit((code, signal) => gone(code, signal));
  }

  get pid(): number | undefined {
    return this.hasExited ? undefined : this.handle.pid;
  }
  get ready(): boolean {
    return this.isReady;
  }
  /** Neither killed by its host nor gone. */
  get usable(): boolean {
    return !this.isLost && !this.hasExited;
  }
  get busy(): boolean {
    return this.running !== null;
  }
  /** Ready, usable and without a job. */
  get idle(): boolean {
    return this.isReady && this.usable && this.running === null;
  }

  /** Run one job on an idle worker. */
  run(job: Job, options: RunOptions<Progress>): Promise<Result> {
    if (!this.idle)
      return Promise.reject(
        new PlannerError('internal', `the ${this.channel.name} process is not ready for a job`),
      );
    return new Promise<Result>((resolve, reject) => {
      const running: Running<Job, Progress, Result> = {
        id: this.nextId++,
        job,
        options,
        resolve,
        reject,
        watchdog: null,
        limit: null,
      };
      this.running = running;
      this.lastHeard = Date.now();
      this.watch(running, this.silenceLimitMs);
      if (options.timeLimitMs !== undefined) {
        const limitMs = options.timeLimitMs;
        running.limit = setTimeout(() => {
          if (this.running === running)
            this.abandon(this.failure(running, { kind: 'time_limit', limitMs }, 'time_limit'));
        }, limitMs + this.graceMs);
        running.limit.unref();
      }
      const message: JobMessage<Job> = {
        ...job,
        job: running.id,
        heartbeatMs: this.heartbeatMs,
        ...(options.timeLimitMs !== undefined ? { timeLimitMs: options.timeLimitMs } : {}),
      };
      this.handle.postMessage(message);
    });
  }

  /** Abandon the running job with `error` and kill the process (SIGKILL). Returns whether a
   *  job was running. */
  cancel(error: PlannerError): boolean {
    const wasRunning = this.running !== null;
    this.abandon(error, 'was stopped by its host');
    return wasRunning;
  }

  /** End a worker the host is done with (no job is lost: call it once the job settled).
   *  Does nothing to a worker already killed or gone. */
  kill(signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): void {
    if (!this.usable) return;
    this.isLost = true; // no event: whoever ends a worker knows
    this.handle.kill(signal);
  }

  /** Stop for good: reject the running job with `error`, SIGTERM, SIGKILL after the deadline. */
  async stop(error: PlannerError, deadlineMs: number): Promise<void> {
    this.isLost = true; // no events: whoever stops a worker knows
    this.detach()?.reject(error);
    if (this.hasExited) return;
    this.handle.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'late'>((r) => {
      timer = setTimeout(() => r('late'), deadlineMs);
    });
    const outcome = await Promise.race([this.exited.then(() => 'exited' as const), deadline]);
    clearTimeout(timer);
    if (outcome === 'late') {
      this.handle.kill('SIGKILL');
      await this.exited;
    }
  }

  /** Check on the running job after `delay` ms; a worker silent for the limit is stalled. */
  private watch(running: Running<Job, Progress, Result>, delay: number): void {
    running.watchdog = setTimeout(() => {
      running.watchdog = null;
      if (this.running !== running || !this.usable) return;
      const quiet = Date.now() - this.lastHeard;
      if (quiet < this.silenceLimitMs) this.watch(running, this.silenceLimitMs - quiet);
      else
        this.abandon(this.failure(running, { kind: 'silent', quietMs: quiet }, 'worker_crashed'));
    }, delay);
    running.watchdog.unref();
  }

  private failure(
    running: Running<Job, Progress, Result>,
    failure: WorkerFailure,
    code: ErrorCode,
  ): PlannerError {
    const message =
      running.options.describe?.(failure) ??
      failureMessage(this.channel.name, running.options.doing, failure);
    return new PlannerError(code, message);
  }

  /** Detach the running job (and stop watching it); returns it. */
  private detach(): Running<Job, Progress, Result> | null {
    const running = this.running;
    this.running = null;
    if (running?.watchdog) clearTimeout(running.watchdog);
    if (running?.limit) clearTimeout(running.limit);
    return running;
  }

  /** The job (if any) ends with `error` and the worker with it: SIGKILL (which also ends a
   *  SIGSTOPped process). */
  private abandon(error: PlannerError, how = 'was stopped by its host'): void {
    const running = this.detach();
    if (!this.hasExited) this.handle.kill('SIGKILL');
    running?.reject(error);
    this.lose({ started: this.isReady, lostJob: running !== null, how });
  }

  private lose(loss: WorkerLoss): void {
    if (this.isLost) return;
    this.isLost = true;
    this.events.lost?.(loss);
  }

  /** A job ends with the worker's answer (the worker stays). */
  private settle(outcome: () => void): void {
    this.detach();
    outcome();
    this.events.settled?.();
  }

  private onMessage(raw: unknown): void {
    if (!this.usable) return;
    this.lastHeard = Date.now();
    const parsed = WorkerEnvelopeSchema.safeParse(raw);
    if (!parsed.success) return this.malformed(describeIssues(parsed.error));
    const message = parsed.data;
    if (message.type === 'ready') {
      if (this.isReady) return;
      this.isReady = true;
      this.events.ready?.();
      return;
    }
    const running = this.running;
    if (!running || (message.job !== undefined && message.job !== running.id)) return; // stale
    switch (message.type) {
      case 'heartbeat':
        return;
      case 'progress': {
        // A plain z.object: the envelope's type and job are stripped.
        const progress = this.channel.progress.safeParse(message);
        if (!progress.success) return this.malformed(describeIssues(progress.error));
        try {
          running.options.onProgress?.(progress.data);
        } catch (e) {
          // The listener failed: the job cannot go on without it.
          this.abandon(
            e instanceof PlannerError
              ? e
              : new PlannerError('internal', e instanceof Error ? e.message : String(e)),
          );
        }
        return;
      }
      case 'error':
        return this.settle(() => running.reject(new PlannerError(message.code, message.message)));
      case 'result': {
        const result = this.channel.result(running.job).safeParse(message.result);
        return this.settle(() =>
          result.success
            ? running.resolve(result.data)
            : running.reject(
                new PlannerError(
                  'internal',
                  `the ${this.channel.name} process returned a malformed result: ${describeIssues(result.error)}`,
                ),
              ),
        );
      }
    }
  }

  /** The worker broke the protocol: it cannot be trusted with the rest of the job. */
  private malformed(issues: string): void {
    const what = `the ${this.channel.name} process sent a malformed message: ${issues}`;
    this.abandon(new PlannerError('internal', what), `sent a malformed message (${issues})`);
  }

  private onExit(how: string): void {
    const running = this.detach();
    if (running) {
      running.reject(
        this.failure(running, { kind: 'exited', how, started: this.isReady }, 'worker_crashed'),
      );
    }
    this.lose({ started: this.isReady, lostJob: running !== null, how });
  }
}

/** The handle of a process that never started. */
function deadHandle<Out>(): WorkerHandle<Out> {
  return {
    pid: undefined,
    postMessage: () => {},
    onMessage: () => {},
    onExit: () => {},
    kill: () => {},
  };
}

// ─── Restart policy ─────────────────────────────────────────────────────────────────────────

export interface SlotOptions extends WorkerOptions {
  /** Start a new worker at once when the current one is lost (crash, silence, time limit,
   *  malformed message, cancel) while it runs a job, so the next job does not wait for
   *  start-up. Otherwise a worker is only started on demand (ensure()). A worker lost before
   *  it is ready is never restarted (a missing file or broken install must not respawn in a
   *  loop), and neither is one that dies while idle. */
  restartAfterLostJob: boolean;
  /** A worker became ready, finished a job or was lost: time to hand out work. */
  onChange?: () => void;
  /** A worker was lost before it was ready: `how` it ended ("exited with code 1"). */
  onStartFailure?: (how: string) => void;
}

/** The place of one worker of a channel, kept running per the restart policy. */
export class WorkerSlot<Job extends JobBase, Progress extends object, Result> {
  private worker: ChannelWorker<Job, Progress, Result> | null = null;
  private disposed = false;

  constructor(
    private readonly channel: WorkerChannel<Job, Progress, Result>,
    private readonly spawn: Spawner<JobMessage<Job>>,
    private readonly options: SlotOptions,
  ) {}

  /** The usable worker, if any. */
  get current(): ChannelWorker<Job, Progress, Result> | null {
    return this.worker?.usable ? this.worker : null;
  }

  /** The usable worker, started if there is none. */
  ensure(): ChannelWorker<Job, Progress, Result> {
    const current = this.current;
    if (current) return current;
    const worker: ChannelWorker<Job, Progress, Result> = new ChannelWorker(
      this.channel,
      this.spawn,
      this.options,
      {
        ready: () => this.options.onChange?.(),
        settled: () => this.options.onChange?.(),
        lost: (loss) => this.onLost(worker, loss),
      },
    );
    this.worker = worker;
    return worker;
  }

  /** Abandon the running job with `error` (the worker is killed and, per the policy, a fresh
   *  one started at once). Returns whether a job was running. */
  cancel(error: PlannerError): boolean {
    const worker = this.current;
    return worker?.busy ? worker.cancel(error) : false;
  }

  /** Stop for good: reject the running job with `error`, end the worker within the deadline. */
  async dispose(error: PlannerError, deadlineMs: number): Promise<void> {
    this.disposed = true;
    const worker = this.worker;
    this.worker = null;
    await worker?.stop(error, deadlineMs);
  }

  private onLost(worker: ChannelWorker<Job, Progress, Result>, loss: WorkerLoss): void {
    if (this.worker !== worker || this.disposed) return;
    this.worker = null;
    if (!loss.started) {
      this.options.onStartFailure?.(loss.how);
      return;
    }
    if (loss.lostJob && this.options.restartAfterLostJob) this.ensure();
    this.options.onChange?.();
  }
}
