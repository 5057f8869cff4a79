/**
 * The solver worker's channel (platform/workerChannel.ts): its jobs (a solve, an efficient
 * frontier, a solved plan's cost-by-size curve), its progress and its results, defined once for the host and the worker. The
 * envelope (job id, heartbeat, time limit, ready/heartbeat/result/error) is the channel's.
 */
import { z } from 'zod';
import type { Plan } from '@shared/plan';
import { CostCurveSchema, FrontierSchema, SolveResultSchema } from '@shared/result';
import type { CostCurve, Frontier } from '@shared/result';
import {
  isColumns,
  SolveResultColumnsSchema,
  toColumns,
  type SolveResultColumns,
} from '@shared/resultColumns';
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

/**
 * What a job of each kind answers with. A solve's result crosses in columns (typed arrays:
 * structured clone copies their bytes), never as 100,000 row objects.
 */
export type SolverResult = SolveResultColumns | Frontier | CostCurve;

/**
 * A solve's result as the host accepts it: in columns, the fields beside the columns as
 * `SolveResultSchema` checks them and every column checked in one loop (its length, whole
 * shares, finite numbers: a NaN where a number is due is refused), so that a malformed result
 * is still refused naming the field (`schedule.cost: has 5 entries, not 6`). Anything else is
 * read as the row-wise result, whose own schema names what is wrong with it.
 */
export const WorkerSolveResultSchema = z.unknown().transform((raw, ctx): SolveResultColumns => {
  const r = isColumns(raw)
    ? SolveResultColumnsSchema.safeParse(raw)
    : SolveResultSchema.transform(toColumns).safeParse(raw);
  if (r.success) return r.data;
  for (const issue of r.error.issues)
    ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path, input: raw });
  return z.NEVER;
});

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
        : WorkerSolveResultSchema,
  failed: 'the solver failed',
});

/** Host → worker, as sent (with the job id, heartbeat and time limit). */
export type HostToWorker = JobMessage<SolverJob>;
export type SolveJobMessage = JobMessage<SolveJob>;
export type FrontierJobMessage = JobMessage<FrontierJob>;
export type CurveJobMessage = JobMessage<CurveJob>;
/** Worker → host, as sent. */
export type WorkerToHost = WorkerMessage<SolverProgress, SolverResult>;
