/**
 * The solver worker's channel (platform/workerChannel.ts): its jobs (a solve, an efficient
 * frontier, a solved plan's cost-by-size curve), its progress and its results, defined once for the host and the worker. The
 * envelope (job id, heartbeat, time limit, ready/heartbeat/result/error) is the channel's.
 */
import { z } from 'zod';
import type { Plan } from '@shared/plan';
import {
  CostCurveSchema,
  FrontierSchema,
  SolveResultSchema,
  type CostCurve,
  type Frontier,
  type SolveResult,
} from '@shared/result';
import { defineChannel, type JobMessage, type WorkerMessage } from '../platform/workerChannel';

/** Solve one plan. */
export interface SolveJob {
  type: 'solve';
  plan: Plan;
  /** Also compute the cost-by-size curve (the worker picks how many sizes to sample). */
  curve?: boolean;
  memoryBudgetBytes?: number;
}

/** The efficient frontier of one plan: `points` exact solves over the risk aversion λ. */
export interface FrontierJob {
  type: 'frontier';
  plan: Plan;
  points: number;
  memoryBudgetBytes?: number;
}

/**
 * The cost-by-size curve of one plan, on its own: the window asks for it after the solve's
 * result (the schedule) has arrived, so the curve is never on the way to the table.
 */
export interface CurveJob {
  type: 'curve';
  plan: Plan;
  memoryBudgetBytes?: number;
}

export type SolverJob = SolveJob | FrontierJob | CurveJob;

/** What a job of each kind answers with. */
export type SolverResult = SolveResult | Frontier | CostCurve;

/** The kinds of job a worker runs (the `type` of a job message). */
export type JobKind = SolverJob['type'];

export const SolverProgressSchema = z.object({ fraction: z.number().min(0).max(1) });
export type SolverProgress = z.infer<typeof SolverProgressSchema>;

export const solverChannel = defineChannel<SolverJob, SolverProgress, SolverResult>({
  name: 'solver',
  jobTypes: ['solve', 'frontier', 'curve'],
  progress: SolverProgressSchema,
  result: (job) =>
    job.type === 'frontier'
      ? FrontierSchema
      : job.type === 'curve'
        ? CostCurveSchema
        : SolveResultSchema,
  failed: 'the solver failed',
});

/** Host → worker, as sent (with the job id, heartbeat and time limit). */
export type HostToWorker = JobMessage<SolverJob>;
export type SolveJobMessage = JobMessage<SolveJob>;
export type FrontierJobMessage = JobMessage<FrontierJob>;
export type CurveJobMessage = JobMessage<CurveJob>;
/** Worker → host, as sent. */
export type WorkerToHost = WorkerMessage<SolverProgress, SolverResult>;
