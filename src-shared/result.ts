/**
 * The result of solving a plan: the JSON the CLI prints, the IPC/HTTP `solve` returns and
 * storage keeps beside the plan. Parsed with zod wherever it is read back (storage, files).
 */
import { z } from 'zod';
import { lazySchema, memo } from './lazySchema';

const num = memo(() => z.number().refine(Number.isFinite, 'must be a finite number'));

/**
 * A warning on a plan or its result (src-shared/warnings.ts computes them). Defined here, with
 * no imports, so that the result's schema does not pull in the session and book modules.
 */
export const WARNING_CODES = [
  'participation',
  'fat-finger',
  'order-vs-volume',
  'permanent-dominates',
  'partial-data',
  'stale-data',
  'not-calibrated',
] as const;
const warningCode = memo(() => z.enum(WARNING_CODES));
export const WarningCodeSchema = lazySchema(warningCode);
export type WarningCode = z.infer<typeof WarningCodeSchema>;

const warning = memo(() =>
  z.object({
    code: warningCode(),
    /** One or two sentences in a trader's words, with the numbers and what to change. */
    message: z.string(),
  }),
);
export const WarningSchema = lazySchema(warning);
export type Warning = z.infer<typeof WarningSchema>;

const scheduleRow = memo(() =>
  z.object({
    /** 1-based period number. */
    period: z.number().int().positive(),
    /** Clock time the period starts/ends ("09:30"), or null when the plan has no session. */
    start: z.string().nullable(),
    end: z.string().nullable(),
    shares: z.number().int().nonnegative(),
    /** g_i(x_i) in price units per share (0 when no shares trade). */
    impactPerShare: num(),
    /** c_i(x_i) = g_i(x_i)·x_i plus any fixed fee, in price units (e.g. dollars). */
    cost: num(),
    /** cost in basis points of shares × referencePrice; null without a reference price. */
    costBps: num().nullable(),
    /** Shares still to trade after this period (h_i). */
    remaining: z.number().int().nonnegative().optional(),
    /** σ_i²·h_i²: this period's share of the timing-risk variance (price units²). */
    riskVariance: num().optional(),
    /** Expected market volume and this order's share of it; null without a volume profile. */
    expectedVolume: num().nullable().optional(),
    participation: num().nullable().optional(),
  }),
);
export const ScheduleRowSchema = lazySchema(scheduleRow);

/**
 * Pre-trade figures of a schedule (the optimum or a baseline). Expected cost E = temporary
 * impact + permanent impact + fees; timing risk Var = Σ_{i<N} σ_i²·h_i² (h_i shares left after
 * period i), reported as its standard deviation; objective = E + λ·Var.
 */
const scheduleMetrics = memo(() =>
  z.object({
    temporaryCost: num(),
    permanentCost: num(),
    fees: num(),
    expectedCost: num(),
    timingRiskSd: num(),
    objective: num(),
    /** E + 1.645·SD: a 95% upper bound assuming normally distributed price moves. */
    upper95: num(),
    expectedCostBps: num().nullable(),
    timingRiskSdBps: num().nullable(),
    upper95Bps: num().nullable(),
    /** Expected cost per share in cents (price units × 100). */
    centsPerShare: num(),
    /** referencePrice ± E/S (buy: above, sell: below); null without a reference price. */
    averagePrice: num().nullable(),
    /** First and last period (1-based) with a child order; duration in periods, inclusive. */
    firstPeriod: z.number().int().positive().nullable(),
    lastPeriod: z.number().int().positive().nullable(),
    durationPeriods: z.number().int().nonnegative(),
    /** Order over the volume of the periods traded … */
    participation: num().nullable(),
    /** … and over the whole day's volume; null without a volume profile. */
    shareOfDayVolume: num().nullable(),
  }),
);
export const ScheduleMetricsSchema = lazySchema(scheduleMetrics);
export type ScheduleMetrics = z.infer<typeof ScheduleMetricsSchema>;

const baselineName = memo(() => z.enum(['naive', 'aggressive', 'conservative', 'vwap']));
export const BaselineNameSchema = lazySchema(baselineName);
export type BaselineName = z.infer<typeof BaselineNameSchema>;

/**
 * How the window, the CLI and exports name the baselines. The keys stay as the plan files and
 * results have always spelled them (`aggressive` is front-loaded, `conservative` back-loaded).
 */
export const BASELINE_LABELS: Record<BaselineName, string> = {
  naive: 'Naive (TWAP)',
  aggressive: 'Front-loaded',
  conservative: 'Back-loaded',
  vwap: 'VWAP',
};

const baselineResult = memo(() =>
  z.object({
    shares: z.array(z.number().int().nonnegative()),
    totalCost: num(),
    totalCostBps: num().nullable(),
    /** (baseline − optimal) / baseline × 100; 0 when the baseline costs nothing. */
    savingPct: num(),
    /** False when the baseline cannot be executed (e.g. it needs more than a table/book allows). */
    feasible: z.boolean(),
    /** Pre-trade figures (absent in results saved by earlier versions or when not built). */
    metrics: scheduleMetrics().optional(),
    /**
     * Set when the baseline could not be built at all (its weights cannot be rounded to lots
     * within the caps): then shares is empty, totalCost/savingPct are 0 and must not be shown.
     */
    problem: z.string().optional(),
  }),
);
export const BaselineResultSchema = lazySchema(baselineResult);

const solverInfo = memo(() =>
  z.object({
    /**
     * 'convex': the Lagrange-multiplier method (convex costs, no state cost, no table);
     * 'engine': the exact DP engine (min-plus convolution over convex runs);
     * 'dp': the old general DP (results saved by earlier versions; no longer produced).
     */
    method: z.enum(['convex', 'engine', 'dp']),
    /** Number of grid points M = shares / lotSize. */
    gridSize: z.number().int().nonnegative(),
    periods: z.number().int().positive(),
    millis: num(),
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
        /** The work estimate checked against the limit before the solve (at least `evaluations`). */
        estimatedEvaluations: z.number().nonnegative().optional(),
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
  }),
);
export const SolverInfoSchema = lazySchema(solverInfo);

/** C(N, s): the optimal cost of trading s shares instead of the whole order (sampled). */
const costCurve = memo(() =>
  z.object({
    shares: z.array(z.number().int().nonnegative()),
    cost: z.array(num()),
    /** cost in basis points of s × referencePrice; null without a reference price. */
    costBps: z.array(num()).nullable(),
    /** True when every lot count 0..M is present; false when sampled. */
    complete: z.boolean(),
  }),
);
export const CostCurveSchema = lazySchema(costCurve);

const solveResult = memo(() =>
  z.object({
    schedule: z.array(scheduleRow()),
    totalCost: num(),
    totalCostBps: num().nullable(),
    baselines: z.object({
      naive: baselineResult(),
      aggressive: baselineResult(),
      conservative: baselineResult(),
      vwap: baselineResult().optional(),
    }),
    solver: solverInfo(),
    /** Present when asked for (solve option `curve`). */
    costCurve: costCurve().optional(),
    /** Pre-trade figures of the optimum (absent in results saved by earlier versions). */
    metrics: scheduleMetrics().optional(),
    /** The risk aversion λ solved for (0: risk-neutral). */
    aversion: num().optional(),
    /**
     * The plan's own scale of λ: expected cost / timing-risk variance of the naive (TWAP)
     * baseline, i.e. the λ at which its risk penalty equals its cost. Urgency presets and the
     * frontier are multiples of it. Null when the plan has no timing risk (σ = 0).
     */
    riskScale: num().nullable().optional(),
    /**
     * What a desk should know before trading this plan (src-shared/warnings.ts): always present
     * in new results, empty when nothing is wrong; results saved before it read as [].
     */
    warnings: z.array(warning()).default([]),
  }),
);
export const SolveResultSchema = lazySchema(solveResult);

/** One point of the efficient frontier: the exact optimum for one risk aversion λ. */
const frontierPoint = memo(() =>
  z.object({
    aversion: num(),
    expectedCost: num(),
    timingRiskSd: num(),
    objective: num(),
    shares: z.array(z.number().int().nonnegative()),
  }),
);
export const FrontierPointSchema = lazySchema(frontierPoint);
const frontier = memo(() =>
  z.object({
    points: z.array(frontierPoint()),
    /** λ at which the risk penalty of the risk-neutral optimum equals its expected cost. */
    scale: num(),
    /** The baselines' (expected cost, timing risk SD), for the chart's labelled points. */
    baselines: z.array(z.object({ name: z.string(), expectedCost: num(), timingRiskSd: num() })),
  }),
);
export const FrontierSchema = lazySchema(frontier);
export type FrontierPoint = z.infer<typeof FrontierPointSchema>;
export type Frontier = z.infer<typeof FrontierSchema>;

export type ScheduleRow = z.infer<typeof ScheduleRowSchema>;
export type BaselineResult = z.infer<typeof BaselineResultSchema>;
export type SolverInfo = z.infer<typeof SolverInfoSchema>;
export type SolveResult = z.infer<typeof SolveResultSchema>;
export type CostCurve = z.infer<typeof CostCurveSchema>;
