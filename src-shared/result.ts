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
  /**
   * Set when the baseline could not be built at all (its weights cannot be rounded to lots
   * within the caps): then shares is empty, totalCost/savingPct are 0 and must not be shown.
   */
  problem: z.string().optional(),
});

export const SolverInfoSchema = z.object({
  /**
   * 'convex': the Lagrange-multiplier method (convex costs, no state cost, no table);
   * 'engine': the exact DP engine (min-plus convolution over convex runs);
   * 'dp': the old general DP (results saved by earlier versions; no longer produced).
   */
  method: z.enum(['convex', 'engine', 'dp']),
  /** Number of grid points M = shares / lotSize. */
  gridSize: z.number().int().nonnegative(),
  periods: z.number().int().positive(),
  millis: num,
  /** True when an optimality certificate was checked (convex method). */
  certified: z.boolean(),
  /** Why this method was chosen, in words. */
  reason: z.string(),
  /** How the engine worked: convex runs per period and the work done (engine only). */
  work: z
    .object({
      /** Convex runs per period: fewest, most, and in all. */
      runsMin: z.number().int().nonnegative(),
      runsMax: z.number().int().nonnegative(),
      runsTotal: z.number().int().nonnegative(),
      /** Periods merged in O(M) (convex row, one run). */
      mergedPeriods: z.number().int().nonnegative(),
      /** Cost evaluations C(i−1, j) + c(s − j) done in all. */
      evaluations: z.number().nonnegative(),
      /** Bytes of the argmin table kept, and whether rows were checkpointed. */
      tableBytes: z.number().nonnegative(),
      checkpointed: z.boolean(),
      /** Share of the reachable (period, total) states kept by the cost bounds (1 = none cut). */
      keptStates: z.number().nonnegative().optional(),
      /** One line for the user: "monotone minima over 1,170 convex runs, …". */
      summary: z.string(),
    })
    .optional(),
  /** The rule that picked among equally cheap schedules, in words. */
  tieBreak: z.string().optional(),
});

/** C(N, s): the optimal cost of trading s shares instead of the whole order (sampled). */
export const CostCurveSchema = z.object({
  shares: z.array(z.number().int().nonnegative()),
  cost: z.array(num),
  /** cost in basis points of s × referencePrice; null without a reference price. */
  costBps: z.array(num).nullable(),
  /** True when every lot count 0..M is present; false when sampled. */
  complete: z.boolean(),
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
  /** Present when asked for (solve option `curve`). */
  costCurve: CostCurveSchema.optional(),
});

export type ScheduleRow = z.infer<typeof ScheduleRowSchema>;
export type BaselineResult = z.infer<typeof BaselineResultSchema>;
export type SolverInfo = z.infer<typeof SolverInfoSchema>;
export type SolveResult = z.infer<typeof SolveResultSchema>;
export type CostCurve = z.infer<typeof CostCurveSchema>;
