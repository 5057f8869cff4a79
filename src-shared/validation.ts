/**
 * Validation (docs/orderbook.md, Validation): with several days of one symbol, plan on some
 * days and replay on a day left out. Leave-one-out plans from every other day for each day;
 * walk-forward plans from the days before each day (in date order, so the plan never sees
 * the future). Each fold solves the plan and replays the optimum and every baseline on the
 * held-out day (replay.ts); the report gives, per day and in aggregate, planned and realised
 * cost (bps, ¢/share, $), the realised saving against TWAP and VWAP with a 95% t-interval
 * over the held-out days, and the bias (realised / planned). The same figures with one plan
 * from all days replayed on each of them are the in-sample reference.
 *
 * Pure: the plan builder (days → plan) is passed in, so the book model, the fitted power law
 * and any other model built from days are validated the same way.
 */
import { medianOf } from './calibration/robust';
import { PlannerError } from './contract';
import type { Plan } from './plan';
import { replaySchedule, type ReplayDay, type ReplayOptions } from './replay';
import { solvePlan } from './solver';
import { BASELINE_LABELS, type SolveResult } from './result';

export const VALIDATION_MODES = ['leave-one-out', 'walk-forward'] as const;
export type ValidationMode = (typeof VALIDATION_MODES)[number];

/** One imported day: what the plan builder needs (`data`) and the books to replay on. */
export interface ValidationDay<T = unknown> {
  symbol: string;
  /** Session date YYYY-MM-DD. */
  date: string;
  /** File name or dataset name, for the report. */
  name: string;
  /** The book in effect at each period start, on the side the order trades against. */
  replay: ReplayDay;
  data: T;
}

export type PlanBuilder<T> = (days: ValidationDay<T>[]) => Plan;

export interface ValidationOptions extends ReplayOptions {
  mode: ValidationMode;
  /** The solver (default solvePlan, here); the app passes its solver process. */
  solve?: (plan: Plan) => SolveResult | Promise<SolveResult>;
}

export const SCHEDULE_KEYS = ['optimal', 'naive', 'aggressive', 'conservative', 'vwap'] as const;
export type ScheduleKey = (typeof SCHEDULE_KEYS)[number];
export const SCHEDULE_LABELS: Record<ScheduleKey, string> = {
  optimal: 'Optimal',
  ...BASELINE_LABELS,
};

/** A cost in the three units a trader reads: bps of the notional, ¢ per share, dollars. */
export interface CostFigures {
  /** Price units × shares (dollars for a price in dollars). */
  dollars: number;
  centsPerShare: number;
  /** Of shares × reference price; null without a reference price. */
  bps: number | null;
}

export interface ScheduleOutcome {
  key: ScheduleKey;
  label: string;
  planned: CostFigures;
  /** The replayed impact cost on the day (the book walk, comparable to planned). */
  realised: CostFigures;
  /** realised / planned ($); null when the plan expected no cost. */
  bias: number | null;
  /** Implementation shortfall against the day's arrival mid ($; null: no arrival mid). */
  shortfall: number | null;
  /** Shares beyond the visible book (priced at its deepest level: a lower bound). */
  beyondBook: number;
  /** Shares in periods without a book (not priced). */
  noBook: number;
}

/** One held-out day. */
export interface ValidationFold {
  date: string;
  name: string;
  symbol: string;
  /** The dates the plan was made from. */
  planDates: string[];
  /** True when the day is one of the plan's days (the in-sample reference only). */
  inSample: boolean;
  /** The price the bps are of: the day's arrival mid, else the plan's reference price. */
  referencePrice: number | null;
  schedules: ScheduleOutcome[];
  /** Realised cost of TWAP (VWAP) minus that of the optimum: > 0 means the plan saved. */
  savingVsTwap: CostFigures | null;
  savingVsVwap: CostFigures | null;
  /** Why this day has no figures (the plan could not be built or solved). */
  problem?: string;
}

/** A mean over days with its 95% t-interval (null bounds with one day). */
export interface Interval {
  mean: number;
  low: number | null;
  high: number | null;
  days: number;
}

export interface SavingSummary {
  bps: Interval | null;
  centsPerShare: Interval | null;
  dollars: Interval | null;
  /** The saving the plans promised on the same days (mean, $ and bps). */
  planned: { dollars: number; bps: number | null } | null;
}

export interface ScheduleSummary {
  key: ScheduleKey;
  label: string;
  days: number;
  /** Means over the days. */
  planned: CostFigures;
  realised: CostFigures;
  /** Median of the per-day realised / planned. */
  medianBias: number | null;
}

export interface ValidationSummary {
  days: number;
  schedules: ScheduleSummary[];
  savingVsTwap: SavingSummary;
  savingVsVwap: SavingSummary;
}

export interface ValidationReport {
  symbol: string;
  mode: ValidationMode;
  /** The order (from the plan on all days; null when that plan could not be built). */
  side: 'buy' | 'sell' | null;
  shares: number | null;
  recoveryHalfLifeSeconds: number;
  confidence: 0.95;
  /** Out of sample: each day replayed with a plan that never saw it. */
  folds: ValidationFold[];
  summary: ValidationSummary;
  /** In sample: one plan from all days, replayed on each of them (the optimistic reference). */
  inSample: { folds: ValidationFold[]; summary: ValidationSummary };
}

/**
 * Run the validation. Throws PlannerError('invalid_input') for fewer than two days, days of
 * different symbols, a date twice or days with different numbers of periods. A fold whose
 * plan cannot be built or solved keeps its `problem` and is left out of the aggregates.
 */
export async function validatePlans<T>(
  days: ValidationDay<T>[],
  build: PlanBuilder<T>,
  options: ValidationOptions,
): Promise<ValidationReport> {
  checkValidationDays(days);
  const sorted = [...days].sort((a, b) => a.date.localeCompare(b.date));
  const solve = options.solve ?? ((p: Plan) => solvePlan(p));
  const replayOptions: ReplayOptions = {
    recoveryHalfLifeSeconds: options.recoveryHalfLifeSeconds ?? 0,
  };
  const folds: ValidationFold[] = [];
  for (let i = 0; i < sorted.length; i++) {
    if (options.mode === 'walk-forward' && i === 0) continue;
    const train =
      options.mode === 'walk-forward' ? sorted.slice(0, i) : sorted.filter((_, j) => j !== i);
    folds.push(foldOf(sorted[i], train, await planOn(train, build, solve), replayOptions));
  }
  // The in-sample reference: one plan from all days, replayed on each.
  const all = await planOn(sorted, build, solve);
  const inSampleFolds = sorted.map((d) => foldOf(d, sorted, all, replayOptions));
  return {
    symbol: sorted[0].symbol,
    mode: options.mode,
    side: all.plan?.side ?? null,
    shares: all.plan?.shares ?? null,
    recoveryHalfLifeSeconds: replayOptions.recoveryHalfLifeSeconds ?? 0,
    confidence: 0.95,
    folds,
    summary: summarize(folds),
    inSample: { folds: inSampleFolds, summary: summarize(inSampleFolds) },
  };
}

/** The checks validatePlans makes before any fold, as a PlannerError naming the day. */
export function checkValidationDays(
  days: { symbol: string; date: string; name: string; replay: ReplayDay }[],
): void {
  if (days.length < 2) {
    throw new PlannerError(
      'invalid_input',
      `days: validation needs at least 2 days of one symbol (got ${days.length})`,
    );
  }
  const first = days[0];
  const seen = new Map<string, string>();
  for (const d of days) {
    if (d.symbol !== first.symbol) {
      throw new PlannerError(
        'invalid_input',
        `${d.name}: is ${d.symbol}, ${first.name} is ${first.symbol}: validate days of one symbol`,
      );
    }
    const other = seen.get(d.date);
    if (other !== undefined) {
      throw new PlannerError(
        'invalid_input',
        `${d.name}: the date ${d.date} is also ${other}: each day may appear once`,
      );
    }
    seen.set(d.date, d.name);
    if (d.replay.ladders.length !== first.replay.ladders.length) {
      throw new PlannerError(
        'invalid_input',
        `${d.name}: has ${d.replay.ladders.length} periods, ${first.name} has ${first.replay.ladders.length}: import the days with the same session and period length`,
      );
    }
  }
}

interface Planned {
  plan: Plan | null;
  result: SolveResult | null;
  problem?: string;
}

async function planOn<T>(
  train: ValidationDay<T>[],
  build: PlanBuilder<T>,
  solve: (plan: Plan) => SolveResult | Promise<SolveResult>,
): Promise<Planned> {
  try {
    const plan = build(train);
    return { plan, result: await solve(plan) };
  } catch (e) {
    if (e instanceof PlannerError && e.code !== 'internal') {
      return { plan: null, result: null, problem: e.message };
    }
    throw e;
  }
}

function foldOf(
  day: ValidationDay,
  train: ValidationDay[],
  planned: Planned,
  replayOptions: ReplayOptions,
): ValidationFold {
  const planDates = planned.plan?.source?.dates ?? train.map((d) => d.date);
  const base = {
    date: day.date,
    name: day.name,
    symbol: day.symbol,
    planDates,
    inSample: planDates.includes(day.date),
  };
  const { plan, result } = planned;
  if (!plan || !result) {
    return {
      ...base,
      referencePrice: null,
      schedules: [],
      savingVsTwap: null,
      savingVsVwap: null,
      problem: planned.problem ?? 'no plan',
    };
  }
  const ref = day.replay.arrival ?? plan.referencePrice ?? null;
  const figures = (cost: number): CostFigures => costFigures(cost, plan.shares, ref);
  const schedules: ScheduleOutcome[] = [];
  for (const key of SCHEDULE_KEYS) {
    let shares: number[];
    let plannedCost: number;
    if (key === 'optimal') {
      shares = result.schedule.map((r) => r.shares);
      plannedCost = result.totalCost;
    } else {
      const b = result.baselines[key];
      if (!b || b.problem || b.shares.length === 0) continue;
      shares = b.shares;
      plannedCost = b.totalCost;
    }
    const row = replaySchedule(SCHEDULE_LABELS[key], shares, day.replay, plan.side, replayOptions);
    schedules.push({
      key,
      label: SCHEDULE_LABELS[key],
      planned: figures(plannedCost),
      realised: figures(row.impactCost),
      bias: plannedCost > 0 ? row.impactCost / plannedCost : null,
      shortfall: row.shortfall,
      beyondBook: row.beyondBook,
      noBook: row.noBook,
    });
  }
  const opt = schedules.find((s) => s.key === 'optimal')!;
  const saving = (key: ScheduleKey) => {
    const b = schedules.find((s) => s.key === key);
    return b ? figures(b.realised.dollars - opt.realised.dollars) : null;
  };
  return {
    ...base,
    referencePrice: ref,
    schedules,
    savingVsTwap: saving('naive'),
    savingVsVwap: saving('vwap'),
  };
}

export function costFigures(
  dollars: number,
  shares: number,
  referencePrice: number | null,
): CostFigures {
  return {
    dollars,
    centsPerShare: shares > 0 ? (dollars / shares) * 100 : 0,
    bps:
      referencePrice !== null && referencePrice > 0 && shares > 0
        ? (dollars / (shares * referencePrice)) * 1e4
        : null,
  };
}

function meanOf(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/** Student's t quantile for a two-sided 95% interval (0.975) with `df` degrees of freedom. */
export function t975(df: number): number {
  const TABLE = [
    12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16,
    2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052,
    2.048, 2.045, 2.042,
  ];
  if (!(df >= 1)) return Number.NaN;
  if (df <= TABLE.length) return TABLE[Math.floor(df) - 1];
  // Cornish–Fisher expansion about the normal quantile (error < 0.001 past 30 df).
  const z = 1.959963985;
  const z3 = z ** 3;
  const z5 = z ** 5;
  const z7 = z ** 7;
  return (
    z +
    (z3 + z) / (4 * df) +
    (5 * z5 + 16 * z3 + 3 * z) / (96 * df ** 2) +
    (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * df ** 3)
  );
}

/** Mean and 95% t-interval of values (null bounds with fewer than 2). */
export function tInterval(values: number[]): Interval | null {
  const n = values.length;
  if (n === 0) return null;
  const mean = meanOf(values);
  if (n < 2) return { mean, low: null, high: null, days: n };
  const sd = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1));
  const half = (t975(n - 1) * sd) / Math.sqrt(n);
  return { mean, low: mean - half, high: mean + half, days: n };
}

function summarize(folds: ValidationFold[]): ValidationSummary {
  const ok = folds.filter((f) => f.schedules.length > 0);
  const schedules: ScheduleSummary[] = [];
  for (const key of SCHEDULE_KEYS) {
    const rows = ok.flatMap((f) => f.schedules.filter((s) => s.key === key));
    if (rows.length === 0) continue;
    const mean = (pick: (s: ScheduleOutcome) => CostFigures): CostFigures => {
      const bps = rows.map((r) => pick(r).bps);
      return {
        dollars: meanOf(rows.map((r) => pick(r).dollars)),
        centsPerShare: meanOf(rows.map((r) => pick(r).centsPerShare)),
        bps: bps.every((b) => b !== null) ? meanOf(bps as number[]) : null,
      };
    };
    schedules.push({
      key,
      label: SCHEDULE_LABELS[key],
      days: rows.length,
      planned: mean((s) => s.planned),
      realised: mean((s) => s.realised),
      medianBias: medianOf(rows.flatMap((r) => (r.bias === null ? [] : [r.bias]))),
    });
  }
  return {
    days: ok.length,
    schedules,
    savingVsTwap: savingSummary(ok, 'naive', (f) => f.savingVsTwap),
    savingVsVwap: savingSummary(ok, 'vwap', (f) => f.savingVsVwap),
  };
}

function savingSummary(
  folds: ValidationFold[],
  key: ScheduleKey,
  pick: (f: ValidationFold) => CostFigures | null,
): SavingSummary {
  const with_ = folds.filter((f) => pick(f) !== null);
  const values = with_.map((f) => pick(f)!);
  const bps = values.map((v) => v.bps);
  const planned = with_.map((f) => {
    const b = f.schedules.find((s) => s.key === key)!;
    const o = f.schedules.find((s) => s.key === 'optimal')!;
    return {
      dollars: b.planned.dollars - o.planned.dollars,
      bps: b.planned.bps === null || o.planned.bps === null ? null : b.planned.bps - o.planned.bps,
    };
  });
  const plannedBps = planned.map((p) => p.bps);
  return {
    bps: bps.every((b) => b !== null) ? tInterval(bps as number[]) : null,
    centsPerShare: tInterval(values.map((v) => v.centsPerShare)),
    dollars: tInterval(values.map((v) => v.dollars)),
    planned: planned.length
      ? {
          dollars: meanOf(planned.map((p) => p.dollars)),
          bps: plannedBps.every((b) => b !== null) ? meanOf(plannedBps as number[]) : null,
        }
      : null,
  };
}
