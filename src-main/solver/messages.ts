/**
 * Messages between the solver host (main process / server) and the solver worker process.
 * The host parses what the worker sends from `unknown` (a worker is another process).
 */
import { z } from 'zod';
import { ERROR_CODES } from '@shared/contract';
import type { Plan } from '@shared/plan';

export type HostToWorker = {
  type: 'solve';
  /** Job id, echoed in every reply. */
  job: number;
  plan: Plan;
  /** Also compute the cost-by-size curve (the worker picks how many sizes to sample). */
  curve?: boolean;
  memoryBudgetBytes?: number;
};

export const WorkerToHostSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('progress'), job: z.number(), fraction: z.number().min(0).max(1) }),
  // The result is parsed against SolveResultSchema by the host.
  z.object({ type: z.literal('result'), job: z.number(), result: z.unknown() }),
  z.object({
    type: z.literal('error'),
    job: z.number(),
    code: z.enum(ERROR_CODES),
    message: z.string(),
  }),
]);
export type WorkerToHost = z.infer<typeof WorkerToHostSchema>;
