/**
 * SolverHost: runs solves and efficient frontiers in a separate worker process so that a long
 * or crashing job never blocks or kills the caller. One class for both process kinds; how the
 * process is started is a pluggable Spawner (Electron utilityProcess in the app,
 * child_process.fork elsewhere).
 *
 * - Jobs (solves and frontiers) queue FIFO for the main worker. While the main worker is busy,
 *   a small solve (isQuick: a DP table of at most QUICK_CELLS cells, no curve) skips the queue
 *   and runs on a second, spare worker started on demand: a long solve or frontier (up to
 *   its time limit) never holds up a small solve. Each worker runs one job at a time.
 * - Every job has a time limit (timeLimitMs, default 30 s) checked inside the solver: a job
 *   past it rejects with 'time_limit'.
 * - cancel(): the solver is synchronous, so the in-flight workers are killed, their calls
 *   reject with PlannerError('cancelled'), and a fresh main worker is started at once.
 * - A worker that dies mid-job rejects that call with 'worker_crashed' and is restarted.
 * - Heartbeat: while a job runs the worker sends a beat (or progress) at least every
 *   heartbeatMs; one silent for silenceLimitMs (stopped with SIGSTOP, swapped out, stuck in
 *   a loop that never polls) is killed and restarted, and its job rejects with
 *   'worker_crashed'.
 * - dispose(): kills the worker (SIGTERM, then SIGKILL after a deadline).
 */
import { PlannerError } from '@shared/contract';
import type { Plan } from '@shared/plan';
import { FrontierSchema, SolveResultSchema, type Frontier, type SolveResult } from '@shared/result';
import { formatIssues } from '@shared/plan';
import type { z } from 'zod';
import type { Spawner as SpawnerOf, WorkerHandle as WorkerHandleOf } from '../platform/spawner';
import { WorkerToHostSchema, type HostToWorker, type JobKind, type WorkerToHost } from './messages';

/** The solver worker's process, as the host sees it. */
export type WorkerHandle = WorkerHandleOf<HostToWorker>;
/** Starts a solver worker process. */
export type Spawner = SpawnerOf<HostToWorker>;

export interface SolverHostOptions {
  spawn: Spawner;
  /** Progress of the running job (solve or frontier), for every listener. */
  onProgress?: (fraction: number, kind: JobKind) => void;
  /** Passed to the solver (DP table limit). */
  memoryBudgetBytes?: number;
  /** How long dispose() waits after SIGTERM before SIGKILL. Default 2000 ms. */
  killDeadlineMs?: number;
  /** The worker beats at least this often while it runs a job. Default 1000 ms. */
  heartbeatMs?: number;
  /** A worker silent this long while it runs a job is killed and restarted. Default 10 s. */
  silenceLimitMs?: number;
  /** Start a worker right away so the first solve does not wait for process start-up. */
  eager?: boolean;
  /** Time limit of one job in the worker (ms). Default DEFAULT_TIME_LIMIT_MS (30 s). */
  timeLimitMs?: number;
  /** Which jobs may run on the spare worker while the main one is busy. Default isQuickJob. */
  isQuick?: (plan: Plan, request: JobRequest) => boolean;
}

/**
 * Solves whose DP table has at most this many (period, lot count) cells are small: with the
 * engine's work limit they take well under a second unless costs bend down, and at most the
 * work limit's few seconds then.
 */
export const QUICK_CELLS = 2_000_000;

/** A solve without the curve on at most QUICK_CELLS cells (periods × lot counts). O(1). */
export function isQuickJob(plan: Plan, request: JobRequest): boolean {
  if (request.kind !== 'solve' || request.curve) return false;
  return plan.periods * (plan.shares / plan.lotSize + 1) <= QUICK_CELLS;
}

/** What a solve asks for beyond the schedule. */
export interface SolveRequest {
  /** Also compute the cost-by-size curve C(N, s) (about a thousand sampled sizes). */
  curve?: boolean;
}

/** Default number of points on the efficient frontier (the contract's default). */
export const DEFAULT_FRONTIER_POINTS = 25;
export const DEFAULT_HEARTBEAT_MS = 1000;
/** Ten missed beats: far beyond a garbage-collection pause, short enough to notice a hang. */
export const DEFAULT_SILENCE_LIMIT_MS = 10_000;

/** What a job asks the worker for, by kind. */
export type JobRequest = { kind: 'solve'; curve: boolean } | { kind: 'frontier'; points: number };

interface Job {
  id: number;
  plan: Plan;
  request: JobRequest;
  /** Parses the worker's result for this kind of job. */
  schema: z.ZodType<unknown>;
  resolve: (result: unknown) => void;
  reject: (error: PlannerError) => void;
  onProgress?: (fraction: number) => void;
}

interface Worker {
  handle: WorkerHandle;
  ready: boolean;
  exited: boolean;
  exitPromise: Promise<void>;
  /** The job sent to this worker, if any. */
  job: Job | null;
  /** When the worker was last heard from (Date.now()). */
  lastHeard: number;
  /** Fires when the running job may have gone silent for too long. */
  watchdog: NodeJS.Timeout | null;
  /** MAIN (every job, FIFO) or SPARE (small solves while the main worker is busy). */
  lane: Lane;
}

type Lane = 0 | 1;
const MAIN: Lane = 0;
const SPARE: Lane = 1;

export class SolverHost {
  /** The main worker and the spare one, by lane. */
  private readonly workers: [Worker | null, Worker | null] = [null, null];
  private readonly queue: Job[] = [];
  private nextJob = 1;
  private disposed = false;
  private readonly killDeadlineMs: number;
  private readonly heartbeatMs: number;
  private readonly silenceLimitMs: number;

  constructor(private readonly options: SolverHostOptions) {
    this.killDeadlineMs = options.killDeadlineMs ?? 2000;
    this.heartbeatMs = options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
    this.silenceLimitMs = options.silenceLimitMs ?? DEFAULT_SILENCE_LIMIT_MS;
    if (options.eager) this.ensureWorker(MAIN);
  }

  /** Solve a plan in the worker. Rejects with PlannerError (cancelled, worker_crashed, or the
   *  solver's own infeasible / too_large / internal). */
  solve(
    plan: Plan,
    onProgress?: (fraction: number) => void,
    request: SolveRequest = {},
  ): Promise<SolveResult> {
    return this.enqueue(
      plan,
      { kind: 'solve', curve: request.curve === true },
      SolveResultSchema,
      onProgress,
    );
  }

  /**
   * The efficient frontier of a plan: `points` exact solves over the risk aversion λ, in the
   * worker, queued with the solves and cancelled by cancel() like them. Rejects as solve does.
   */
  frontier(
    plan: Plan,
    points: number = DEFAULT_FRONTIER_POINTS,
    onProgress?: (fraction: number) => void,
  ): Promise<Frontier> {
    return this.enqueue(plan, { kind: 'frontier', points }, FrontierSchema, onProgress);
  }

  private enqueue<T>(
    plan: Plan,
    request: JobRequest,
    schema: z.ZodType<T>,
    onProgress: ((fraction: number) => void) | undefined,
  ): Promise<T> {
    if (this.disposed)
      return Promise.reject(new PlannerError('internal', 'the solver has been shut down'));
    return new Promise<T>((resolve, reject) => {
      this.queue.push({
        id: this.nextJob++,
        plan,
        request,
        schema,
        resolve: resolve as (result: unknown) => void,
        reject,
        onProgress,
      });
      this.pump();
    });
  }

  /** True while a job (solve or frontier) runs or waits. */
  get busy(): boolean {
    return this.queue.length > 0 || this.workers.some((w) => w?.job != null);
  }

  /** Pid of the current main worker process (tests, diagnostics). */
  get workerPid(): number | undefined {
    const w = this.workers[MAIN];
    return w && !w.exited ? w.handle.pid : undefined;
  }

  /** Pid of the spare worker process, once one has been started (tests, diagnostics). */
  get spareWorkerPid(): number | undefined {
    const w = this.workers[SPARE];
    return w && !w.exited ? w.handle.pid : undefined;
  }

  /** Abandon the running job (solve or frontier) and every queued one. Returns whether there
   *  was anything. */
  cancel(): boolean {
    const queued = this.queue.splice(0);
    for (const job of queued) job.reject(cancelled(job));
    let anyRunning = false;
    for (const worker of this.workers) {
      const running = worker?.job ?? null;
      if (!worker || !running) continue;
      anyRunning = true;
      this.finishJob(worker);
      this.workers[worker.lane] = null;
      worker.handle.kill('SIGKILL');
      running.reject(cancelled(running));
    }
    // A fresh main worker right away, so the next job starts without waiting.
    if (anyRunning && !this.disposed) this.ensureWorker(MAIN);
    return queued.length > 0 || anyRunning;
  }

  /** Stop for good: reject whatever is pending and kill the worker within the deadline. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    for (const job of this.queue.splice(0))
      job.reject(new PlannerError('cancelled', 'the application is shutting down'));
    const workers = this.workers.splice(0, 2, null, null);
    await Promise.all(workers.map((w) => (w ? this.stop(w) : undefined)));
  }

  /** Reject the worker's job (shutting down) and end it: SIGTERM, SIGKILL after the deadline. */
  private async stop(worker: Worker): Promise<void> {
    const running = this.finishJob(worker);
    running?.reject(new PlannerError('cancelled', 'the application is shutting down'));
    if (worker.exited) return;
    worker.handle.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'late'>((r) => {
      timer = setTimeout(() => r('late'), this.killDeadlineMs);
    });
    const outcome = await Promise.race([
      worker.exitPromise.then(() => 'exited' as const),
      deadline,
    ]);
    clearTimeout(timer);
    if (outcome === 'late') {
      worker.handle.kill('SIGKILL');
      await worker.exitPromise;
    }
  }

  private ensureWorker(lane: Lane): Worker {
    const current = this.workers[lane];
    if (current && !current.exited) return current;
    const handle = this.options.spawn();
    let markExited: () => void = () => {};
    const worker: Worker = {
      handle,
      ready: false,
      exited: false,
      exitPromise: new Promise<void>((r) => (markExited = r)),
      job: null,
      lastHeard: Date.now(),
      watchdog: null,
      lane,
    };
    handle.onMessage((raw) => this.onMessage(worker, raw));
    handle.onExit((code, signal) => {
      worker.exited = true;
      markExited();
      this.onExit(worker, code, signal);
    });
    this.workers[lane] = worker;
    return worker;
  }

  /**
   * Send the next queued job to the main worker when it is ready and idle (starting it if
   * needed); while it is busy with a job, the first small job in the queue goes to the spare
   * worker (started on demand).
   */
  private pump(): void {
    if (this.disposed || this.queue.length === 0) return;
    const main = this.ensureWorker(MAIN);
    if (main.ready && !main.job) this.send(main, this.queue.shift()!);
    if (!main.job) return;
    const isQuick = this.options.isQuick ?? isQuickJob;
    const at = this.queue.findIndex((j) => isQuick(j.plan, j.request));
    if (at < 0) return;
    const spare = this.ensureWorker(SPARE);
    if (spare.ready && !spare.job) this.send(spare, this.queue.splice(at, 1)[0]);
  }

  private send(worker: Worker, job: Job): void {
    worker.job = job;
    const timeLimitMs = this.options.timeLimitMs;
    const memoryBudgetBytes = this.options.memoryBudgetBytes;
    const heartbeatMs = this.heartbeatMs;
    const message: HostToWorker =
      job.request.kind === 'frontier'
        ? {
            type: 'frontier',
            job: job.id,
            plan: job.plan,
            points: job.request.points,
            memoryBudgetBytes,
            heartbeatMs,
            timeLimitMs,
          }
        : {
            type: 'solve',
            job: job.id,
            plan: job.plan,
            curve: job.request.curve,
            memoryBudgetBytes,
            heartbeatMs,
            timeLimitMs,
          };
    worker.lastHeard = Date.now();
    this.watch(worker, this.silenceLimitMs);
    worker.handle.postMessage(message);
  }

  /** Check on the running job after `delay` ms; a worker silent for the limit is stalled. */
  private watch(worker: Worker, delay: number): void {
    worker.watchdog = setTimeout(() => {
      worker.watchdog = null;
      if (!worker.job || worker.exited || this.workers[worker.lane] !== worker) return;
      const quiet = Date.now() - worker.lastHeard;
      if (quiet < this.silenceLimitMs) this.watch(worker, this.silenceLimitMs - quiet);
      else this.stalled(worker, quiet);
    }, delay);
    worker.watchdog.unref();
  }

  /** The worker stopped answering mid-job: kill it, reject the job, carry on with a new one. */
  private stalled(worker: Worker, quietMs: number): void {
    const job = this.finishJob(worker);
    this.workers[worker.lane] = null;
    worker.handle.kill('SIGKILL'); // also ends a stopped (SIGSTOP) process
    if (job) {
      job.reject(
        new PlannerError(
          'worker_crashed',
          `The solver process stopped responding while ${doing(job)} "${job.plan.name}" ` +
            `(no sign of life for ${fmtSeconds(quietMs)}); it was stopped and has been restarted. ` +
            `If this keeps happening, check that the machine is not overloaded or suspended, or try a smaller plan.`,
        ),
      );
    }
    if (this.disposed) return;
    if (this.queue.length > 0) this.pump();
    else if (worker.lane === MAIN) this.ensureWorker(MAIN);
  }

  /** Detach the running job from the worker (and stop watching it); returns it. */
  private finishJob(worker: Worker): Job | null {
    const job = worker.job;
    worker.job = null;
    if (worker.watchdog) {
      clearTimeout(worker.watchdog);
      worker.watchdog = null;
    }
    return job;
  }

  private onMessage(worker: Worker, raw: unknown): void {
    const parsed = WorkerToHostSchema.safeParse(raw);
    if (!parsed.success) return; // not ours (or garbage): ignore rather than crash the host
    const message: WorkerToHost = parsed.data;
    worker.lastHeard = Date.now();
    if (message.type === 'ready') {
      worker.ready = true;
      this.pump();
      return;
    }
    const job = worker.job;
    if (!job || job.id !== message.job || this.workers[worker.lane] !== worker) return; // stale
    if (message.type === 'heartbeat') return;
    if (message.type === 'progress') {
      job.onProgress?.(message.fraction);
      this.options.onProgress?.(message.fraction, job.request.kind);
      return;
    }
    this.finishJob(worker);
    if (message.type === 'error') {
      job.reject(new PlannerError(message.code, message.message));
    } else {
      const result = job.schema.safeParse(message.result);
      if (result.success) job.resolve(result.data);
      else
        job.reject(
          new PlannerError(
            'internal',
            `the solver returned a malformed result: ${formatIssues(result.error).slice(0, 3).join('; ')}`,
          ),
        );
    }
    this.pump();
  }

  private onExit(worker: Worker, code: number | null, signal: string | null): void {
    const job = this.finishJob(worker);
    if (this.workers[worker.lane] === worker) this.workers[worker.lane] = null;
    if (job) {
      const how = signal ? `was killed (${signal})` : `exited with code ${code}`;
      job.reject(
        new PlannerError(
          'worker_crashed',
          `The solver process ${how} while ${doing(job)} "${job.plan.name}"; it has been restarted. ` +
            `If this keeps happening, try a smaller plan (fewer shares per lot or periods).`,
        ),
      );
    }
    if (this.disposed) return;
    if (!worker.ready) {
      // It never started (missing file, broken install): do not respawn in a loop.
      const how = signal ? `was killed (${signal})` : `exited with code ${code}`;
      for (const queued of this.queue.splice(0))
        queued.reject(
          new PlannerError('worker_crashed', `The solver process could not start: it ${how}.`),
        );
      return;
    }
    // Restart: for waiting work at once; otherwise keep a warm worker only if this one had
    // been working (a worker that dies while idle is not restarted in a loop).
    if (this.queue.length > 0) this.pump();
    else if (job && worker.lane === MAIN) this.ensureWorker(MAIN);
  }
}

function cancelled(job: Job): PlannerError {
  return new PlannerError(
    'cancelled',
    job.request.kind === 'frontier'
      ? 'The frontier computation was cancelled.'
      : 'The solve was cancelled.',
  );
}

function fmtSeconds(ms: number): string {
  return `${Number((ms / 1000).toPrecision(2))} s`;
}

/** What the worker was doing for a job, for messages: "solving", "computing the frontier of". */
function doing(job: Job): string {
  return job.request.kind === 'frontier' ? 'computing the efficient frontier of' : 'solving';
}
