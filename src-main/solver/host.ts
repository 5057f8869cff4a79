/**
 * SolverHost: runs solves and efficient frontiers in a separate worker process so that a long
 * or crashing job never blocks or kills the caller. The process, its messages, heartbeat,
 * crash detection and restart are the worker channel's (platform/workerChannel.ts: one
 * WorkerSlot per lane); this file owns the queue, the lanes and the solver's wording. How the
 * process is started is a pluggable Spawner (Electron utilityProcess in the app,
 * child_process.fork elsewhere).
 *
 * - Jobs (solves, frontiers and cost-by-size curves) queue FIFO for the main worker. While the main worker is busy,
 *   a small solve (isQuick: a DP table of at most QUICK_CELLS cells, no curve) skips the queue
 *   and runs on a second, spare worker started on demand: a long solve or frontier (up to
 *   its time limit) never holds up a small solve. Each worker runs one job at a time.
 * - Every job has a time limit (timeLimitMs, default 30 s) checked inside the solver: a job
 *   past it rejects with 'time_limit'.
 * - curve(): a solved plan's cost-by-size curve as a job of its own, asked for after the
 *   solve's result (the schedule) has arrived. The curve belongs to the latest solve: a new
 *   solve or curve discards a curve still queued or running (rejected with 'cancelled', its
 *   worker stopped), and cancel() stops it with everything else.
 * - cancel(): the solver is synchronous, so the in-flight workers are killed, their calls
 *   reject with PlannerError('cancelled'), and a fresh main worker is started at once.
 * - A worker that dies mid-job rejects that call with 'worker_crashed' and is restarted.
 * - Heartbeat: while a job runs the worker sends a beat (or progress) at least every
 *   heartbeatMs; one silent for silenceLimitMs (stopped with SIGSTOP, swapped out, stuck in
 *   a loop that never polls) is killed and restarted, and its job rejects with
 *   'worker_crashed'. A worker still busy 5 s past the time limit (timeLimitGraceMs) is killed
 *   and its job rejects with 'time_limit'.
 * - dispose(): kills the worker (SIGTERM, then SIGKILL after a deadline).
 */
import { PlannerError } from '@shared/contract';
import type { Plan } from '@shared/plan';
import type { CostCurve, Frontier } from '@shared/result';
import type { SolveResultColumns } from '@shared/resultColumns';
import { DEFAULT_TIME_LIMIT_MS } from '@shared/solver';
import type { Spawner as SpawnerOf, WorkerHandle as WorkerHandleOf } from '../platform/spawner';
import {
  WorkerSlot,
  type ChannelWorker,
  type WorkerFailure,
  type WorkerOptions,
} from '../platform/workerChannel';
import {
  solverChannel,
  type HostToWorker,
  type JobKind,
  type SolverJob,
  type SolverProgress,
  type SolverResult,
} from './messages';

export { DEFAULT_HEARTBEAT_MS, DEFAULT_SILENCE_LIMIT_MS } from '../platform/workerChannel';

/** The solver worker's process, as the host sees it. */
export type WorkerHandle = WorkerHandleOf<HostToWorker>;
/** Starts a solver worker process. */
export type Spawner = SpawnerOf<HostToWorker>;

export interface SolverHostOptions extends WorkerOptions {
  spawn: Spawner;
  /** Progress of the running job (solve or frontier), for every listener. */
  onProgress?: (fraction: number, kind: JobKind) => void;
  /** Passed to the solver (DP table limit). */
  memoryBudgetBytes?: number;
  /** How long dispose() waits after SIGTERM before SIGKILL. Default 2000 ms. */
  killDeadlineMs?: number;
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

/** What a job asks the worker for, by kind. */
export type JobRequest =
  { kind: 'solve'; curve: boolean } | { kind: 'frontier'; points: number } | { kind: 'curve' };

interface Job {
  plan: Plan;
  request: JobRequest;
  resolve: (result: SolverResult) => void;
  reject: (error: PlannerError) => void;
  onProgress?: (fraction: number) => void;
}

type Worker = ChannelWorker<SolverJob, SolverProgress, SolverResult>;
type Slot = WorkerSlot<SolverJob, SolverProgress, SolverResult>;

type Lane = 0 | 1;
/** Every job, FIFO. */
const MAIN: Lane = 0;
/** Small solves while the main worker is busy. */
const SPARE: Lane = 1;

export class SolverHost {
  /** The main worker's slot and the spare one's, by lane. */
  private readonly slots: [Slot, Slot];
  /** The job each lane runs or last ran (for cancel's wording). */
  private readonly running: [Job | null, Job | null] = [null, null];
  private readonly queue: Job[] = [];
  private disposed = false;
  private readonly killDeadlineMs: number;

  constructor(private readonly options: SolverHostOptions) {
    this.killDeadlineMs = options.killDeadlineMs ?? 2000;
    const slot = (lane: Lane): Slot =>
      new WorkerSlot(solverChannel, options.spawn, {
        ...options,
        // The main worker is replaced at once after a lost job; the spare is started on demand.
        restartAfterLostJob: lane === MAIN,
        onChange: () => this.pump(),
        onStartFailure: (how) => {
          // It never started (missing file, broken install): reject what waits, no respawn.
          for (const queued of this.queue.splice(0))
            queued.reject(
              new PlannerError('worker_crashed', `The solver process could not start: it ${how}.`),
            );
        },
      });
    this.slots = [slot(MAIN), slot(SPARE)];
    if (options.eager) this.slots[MAIN].ensure();
  }

  /** Solve a plan in the worker: the result in columns (typed arrays, as they crossed from the
   *  worker). Rejects with PlannerError (cancelled, worker_crashed, time_limit, or the
   *  solver's own infeasible / too_large / internal). */
  solve(
    plan: Plan,
    onProgress?: (fraction: number) => void,
    request: SolveRequest = {},
  ): Promise<SolveResultColumns> {
    this.discardCurves();
    return this.enqueue(plan, { kind: 'solve', curve: request.curve === true }, onProgress);
  }

  /**
   * The cost-by-size curve of a plan (about a thousand sampled sizes), computed in the worker
   * after the schedule: exactly the curve a solve asking for it returns. A newer solve or curve
   * discards it (rejects with 'cancelled'); cancel() stops it. Rejects as solve does.
   */
  curve(plan: Plan, onProgress?: (fraction: number) => void): Promise<CostCurve> {
    this.discardCurves();
    return this.enqueue(plan, { kind: 'curve' }, onProgress);
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
    return this.enqueue(plan, { kind: 'frontier', points }, onProgress);
  }

  /** Reject the curves still queued and stop the one running: a newer solve supersedes them. */
  private discardCurves(): void {
    for (let at = this.queue.length - 1; at >= 0; at--) {
      const job = this.queue[at];
      if (job.request.kind !== 'curve') continue;
      this.queue.splice(at, 1);
      job.reject(superseded());
    }
    for (const lane of [MAIN, SPARE]) {
      const job = this.running[lane];
      if (job?.request.kind === 'curve') this.slots[lane].cancel(superseded());
    }
  }

  /** The result type follows the request: the channel parses it with the kind's schema. */
  private enqueue<T extends SolverResult>(
    plan: Plan,
    request: JobRequest,
    onProgress: ((fraction: number) => void) | undefined,
  ): Promise<T> {
    if (this.disposed)
      return Promise.reject(new PlannerError('internal', 'the solver has been shut down'));
    return new Promise<T>((resolve, reject) => {
      this.queue.push({
        plan,
        request,
        resolve: resolve as (result: SolverResult) => void,
        reject,
        onProgress,
      });
      this.pump();
    });
  }

  /** True while a job (solve or frontier) runs or waits. */
  get busy(): boolean {
    return this.queue.length > 0 || this.slots.some((s) => s.current?.busy);
  }

  /** Pid of the current main worker process (tests, diagnostics). */
  get workerPid(): number | undefined {
    return this.slots[MAIN].current?.pid;
  }

  /** Pid of the spare worker process, once one has been started (tests, diagnostics). */
  get spareWorkerPid(): number | undefined {
    return this.slots[SPARE].current?.pid;
  }

  /** Abandon the running job (solve or frontier) and every queued one: the workers running
   *  one are killed (a fresh main one starts at once). Returns whether there was anything. */
  cancel(): boolean {
    const queued = this.queue.splice(0);
    for (const job of queued) job.reject(cancelled(job));
    let anyRunning = false;
    for (const lane of [MAIN, SPARE]) {
      const job = this.running[lane];
      if (job && this.slots[lane].cancel(cancelled(job))) anyRunning = true;
    }
    return queued.length > 0 || anyRunning;
  }

  /** Stop for good: reject whatever is pending and kill the workers within the deadline. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    const shuttingDown = () => new PlannerError('cancelled', 'the application is shutting down');
    for (const job of this.queue.splice(0)) job.reject(shuttingDown());
    await Promise.all(this.slots.map((s) => s.dispose(shuttingDown(), this.killDeadlineMs)));
  }

  /**
   * Send the next queued job to the main worker when it is ready and idle (starting it if
   * needed); while it is busy with a job, the first small job in the queue goes to the spare
   * worker (started on demand).
   */
  private pump(): void {
    if (this.disposed || this.queue.length === 0) return;
    const main = this.slots[MAIN].ensure();
    if (main.idle) this.start(MAIN, main, this.queue.shift()!);
    if (!main.busy) return;
    const isQuick = this.options.isQuick ?? isQuickJob;
    const at = this.queue.findIndex((j) => isQuick(j.plan, j.request));
    if (at < 0) return;
    const spare = this.slots[SPARE].ensure();
    if (spare.idle) this.start(SPARE, spare, this.queue.splice(at, 1)[0]);
  }

  private start(lane: Lane, worker: Worker, job: Job): void {
    this.running[lane] = job;
    const { plan, request } = job;
    const memoryBudgetBytes = this.options.memoryBudgetBytes;
    const message: SolverJob =
      request.kind === 'frontier'
        ? { type: 'frontier', plan, points: request.points, memoryBudgetBytes }
        : request.kind === 'curve'
          ? { type: 'curve', plan, memoryBudgetBytes }
          : { type: 'solve', plan, curve: request.curve, memoryBudgetBytes };
    worker
      .run(message, {
        timeLimitMs: this.options.timeLimitMs ?? DEFAULT_TIME_LIMIT_MS,
        doing: `${doing(job)} "${plan.name}"`,
        describe: (failure) => describeFailure(job, failure),
        onProgress: ({ fraction }) => {
          job.onProgress?.(fraction);
          this.options.onProgress?.(fraction, request.kind);
        },
      })
      .then(job.resolve, job.reject);
  }
}

function cancelled(job: Job): PlannerError {
  return new PlannerError(
    'cancelled',
    job.request.kind === 'frontier'
      ? 'The frontier computation was cancelled.'
      : job.request.kind === 'curve'
        ? 'The cost-by-size curve was cancelled.'
        : 'The solve was cancelled.',
  );
}

function superseded(): PlannerError {
  return new PlannerError(
    'cancelled',
    'The cost-by-size curve was discarded: a newer solve replaced it.',
  );
}

function fmtSeconds(ms: number): string {
  return `${Number((ms / 1000).toPrecision(2))} s`;
}

/** What the worker was doing for a job, for messages: "solving", "computing the frontier of". */
function doing(job: Job): string {
  return job.request.kind === 'frontier'
    ? 'computing the efficient frontier of'
    : job.request.kind === 'curve'
      ? 'computing the cost-by-size curve of'
      : 'solving';
}

/** The solver's wording of a lost job: what happened, that the worker was replaced, what to
 *  try. */
function describeFailure(job: Job, failure: WorkerFailure): string {
  const what = `${doing(job)} "${job.plan.name}"`;
  switch (failure.kind) {
    case 'exited':
      return (
        `The solver process ${failure.how} while ${what}; it has been restarted. ` +
        `If this keeps happening, try a smaller plan (fewer shares per lot or periods).`
      );
    case 'silent':
      return (
        `The solver process stopped responding while ${what} ` +
        `(no sign of life for ${fmtSeconds(failure.quietMs)}); it was stopped and has been restarted. ` +
        `If this keeps happening, check that the machine is not overloaded or suspended, or try a smaller plan.`
      );
    case 'time_limit':
      return (
        `The solver process was still ${what} well past the time limit of ` +
        `${fmtSeconds(failure.limitMs)}; it was stopped and has been restarted. ` +
        `Try a larger lotSize or fewer periods.`
      );
  }
}
