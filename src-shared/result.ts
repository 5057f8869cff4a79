/**
 * The result of solving a plan: the JSON the CLI prints, the IPC/HTTP `solve` returns and
 * storage keeps beside the plan. Parsed with zod wherever it is read back (storage, files).
 */
import { z } from 'zod';

const num = z.number().refine(Number.isFinite, 'must be a finite number');

export const ScheduleRowSchema = z.object({
  /** 1-based period number. */
  period: z.number().int().positive(),
  /** Clock time the period starts/ends ("09:30"), or null when the plan has no session. */
  start: z.string().nullable(),
  end: z.string().nullable(),
  shares: z.number().int().nonnegative(),
  /** g_i(x_i) in price units per share (0 when no shares trade). */
  impactPerShare: num,
  /** c_i(x_i) = g_i(x_i)·x_i plus any fixed fee, in price units (e.g. dollars). */
  cost: num,
  /** cost in basis points of shares × referencePrice; null without a reference price. */
  costBps: num.nullable(),
});

export const BaselineNameSchema = z.enum(['naive', 'aggressive', 'conservative', 'vwap']);
export type BaselineName = z.infer<typeof BaselineNameSchema>;

export const BaselineResultSchema = z.object({
  shares: z.array(z.number().int().nonnegative()),
  totalCost: num,
  totalCostBps: num.nullable(),
  /** (baseline − optimal) / baseline × 100; 0 when the baseline costs nothing. */
  savingPct: num,
  /** False when the baseline cannot be executed (e.g. it needs more than a table/book allows). */
  feasible: z.boolean(),
});

export const SolverInfoSchema = z.object({
  method: z.enum(['convex', 'dp']),
  /** Number of grid points M = shares / lotSize. */
  gridSize: z.number().int().nonnegative(),
  periods: z.number().int().positive(),
  millis: num,
  /** True when an optimality certificate was checked (convex method). */
  certified: z.boolean(),
  /** Why this method was chosen, in words. */
  reason: z.string(),
});

export const SolveResultSchema = z.object({
  schedule: z.array(ScheduleRowSchema),
  totalCost: num,
  totalCostBps: num.nullable(),
  baselines: z.object({
    naive: BaselineResultSchema,
    aggressive: BaselineResultSchema,
    conservative: BaselineResultSchema,
    vwap: BaselineResultSchema.optional(),
  }),
  solver: SolverInfoSchema,
});

export type ScheduleRow = z.infer<typeof ScheduleRowSchema>;
export type BaselineResult = z.infer<typeof BaselineResultSchema>;
export type SolverInfo = z.infer<typeof SolverInfoSchema>;
export type SolveResult = z.infer<typeof SolveResultSchema>;
