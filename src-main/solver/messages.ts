/**
 * Messages between the solver host (main process / server) and the solver worker process.
 * The host parses what the worker sends from `unknown` (a worker is another process).
 */
import { z } from 'zod';
import { ERROR_CODES } from '@shared/contract';
import type { Plan } from '@shared/plan';

/** Solve one plan. */
export interface SolveJobMessage {
  type: 'solve';
  /** Job id, echoed in every reply. */
  job: number;
  plan: Plan;
  /** Also compute the cost-by-size curve (the worker picks how many sizes to sample). */
  curve?: boolean;
  memoryBudgetBytes?: number;
  /** Send a heartbeat at least this often (ms) while the job runs (default 1000). */
  heartbeatMs?: number;
  /** Stop the job with 'time_limit' after this many ms (default DEFAULT_TIME_LIMIT_MS). */
  timeLimitMs?: number;
}

/** The efficient frontier of one plan: `points` exact solves over the risk aversion λ. */
export interface FrontierJobMessage {
  type: 'frontier';
  job: number;
  plan: Plan;
  points: number;
  memoryBudgetBytes?: number;
  heartbeatMs?: number;
  timeLimitMs?: number;
}

export type HostToWorker = SolveJobMessage | FrontierJobMessage;

/** The kinds of job a worker runs (the `type` of a host-to-worker message). */
export type JobKind = HostToWorker['type'];

export const WorkerToHostSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('progress'), job: z.number(), fraction: z.number().min(0).max(1) }),
  // Still working (sent from inside the solve, so a stopped or stuck worker falls silent).
  z.object({ type: z.literal('heartbeat'), job: z.number() }),
  // The result is parsed by the host against the job's schema (SolveResult or Frontier).
  z.object({ type: z.literal('result'), job: z.number(), result: z.unknown() }),
  z.object({
    type: z.literal('error'),
    job: z.number(),
    code: z.enum(ERROR_CODES),
    message: z.string(),
  }),
]);
export type WorkerToHost = z.infer<typeof WorkerToHostSchema>;
