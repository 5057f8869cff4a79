/**
 * Small, valid data for the state classes' tests: plans checked by the plan schema, results
 * from the real solver, and stored plans, summaries and datasets shaped as the backend
 * returns them.
 */
import type {
  BookDetail,
  BookSummary,
  PlanSummary,
  RevisionSummary,
  StoredPlan,
} from '@shared/contract';
import { PlanSchema, type Plan, type PlanInput } from '@shared/plan';
import { toColumns, type SolveResultColumns } from '@shared/resultColumns';
import { solvePlan } from '@shared/solver';
import type { ValidationFold, ValidationReport, ValidationSummary } from '@shared/validation';

/** A four-period power-law plan (it solves in a blink). */
export function plan(over: Partial<PlanInput> = {}): Plan {
  return PlanSchema.parse({
    name: 'Buy FROG',
    symbol: 'FROG',
    side: 'buy',
    shares: 1000,
    lotSize: 100,
    periods: 4,
    impact: { model: 'power', beta: 1e-4, exponent: 0.5 },
    ...over,
  });
}

/** The same plan with timing risk (σ per period and λ): it has an efficient frontier. */
export function riskPlan(over: Partial<PlanInput> = {}): Plan {
  return plan({ risk: { volatility: 0.05, aversion: 1e-6 }, ...over });
}

/** What the solver makes of the plan, in columns as the backend sends it to the window. */
export function solved(p: Plan): SolveResultColumns {
  return toColumns(solvePlan(p));
}

const AT = '2026-01-05T10:00:00.000Z';

export function stored(
  id: string,
  p: Plan,
  revision = 1,
  extra: Partial<StoredPlan> = {},
): StoredPlan {
  return {
    id,
    plan: p,
    revision,
    latestRevision: revision,
    createdAt: AT,
    updatedAt: AT,
    ...extra,
  };
}

export function summary(id: string, name: string, revision = 1): PlanSummary {
  return {
    id,
    name,
    symbol: 'FROG',
    side: 'buy',
    shares: 1000,
    createdAt: AT,
    updatedAt: AT,
    revision,
    totalCost: null,
  };
}

export function revisions(...numbers: number[]): RevisionSummary[] {
  return numbers.map((revision) => ({
    revision,
    savedAt: AT,
    name: 'Buy FROG',
    shares: 1000,
    totalCost: null,
  }));
}

/** An imported single day (or, with `days`, an average of days). */
export function day(
  id: string,
  symbol: string,
  date: string,
  over: Partial<BookSummary> & { days?: string[] } = {},
): BookSummary {
  const { days, ...rest } = over;
  return {
    id,
    symbol,
    date,
    fileName: `${symbol}-${date}.csv`,
    sha256: id.padEnd(64, '0'),
    rows: 100,
    usableRows: 100,
    skippedRows: 0,
    badRowLines: [],
    oneSidedRows: 0,
    crossedRows: 0,
    periods: 4,
    periodMinutes: 1,
    sessionStart: '09:30',
    sessionEnd: '09:34',
    timeZone: 'America/New_York',
    emptyPeriods: [],
    medianSpread: 0.01,
    medianBidDepth: 500,
    medianAskDepth: 500,
    importedAt: AT,
    stats: {
      sampling: 'average',
      coveredPeriods: 4,
      partialPeriods: 0,
      largestGap: null,
      dataStart: null,
      dataEnd: null,
      volume: 4000,
      trades: 40,
      sigma: null,
      arrival: null,
      maxLevels: 5,
      ...(days
        ? {
            days: days.map((d, i) => ({
              id: `${id}-${i}`,
              date: d,
              fileName: `${symbol}-${d}.csv`,
            })),
          }
        : {}),
    },
    ...rest,
  };
}

/** A day's detail with these traded volumes per period. */
export function detail(summary: BookSummary, volumes: number[]): BookDetail {
  const none = { pooled: null, perPeriod: volumes.map(() => null) };
  return {
    ...summary,
    series: volumes.map((volume, i) => ({
      start: `09:3${i}`,
      mid: 10,
      spread: 0.01,
      bidDepth: 500,
      askDepth: 500,
      volume,
    })),
    ladders: { buy: [], sell: [] },
    fit: { buy: none, sell: none },
  };
}

const noSaving = { bps: null, centsPerShare: null, dollars: null, planned: null };
const emptySummary = (days: number): ValidationSummary => ({
  days,
  schedules: [],
  savingVsTwap: noSaving,
  savingVsVwap: noSaving,
});
const fold = (date: string, symbol: string): ValidationFold => ({
  date,
  name: `${symbol} ${date}`,
  symbol,
  planDates: [],
  inSample: true,
  referencePrice: null,
  schedules: [],
  savingVsTwap: null,
  savingVsVwap: null,
});

/** A validation report over these dates (figures left empty: the state reads the frame). */
export function validationReport(
  symbol: string,
  dates: string[],
  order: { side: 'buy' | 'sell'; shares: number } = { side: 'buy', shares: 1000 },
): ValidationReport {
  return {
    symbol,
    mode: 'leave-one-out',
    side: order.side,
    shares: order.shares,
    recoveryHalfLifeSeconds: 0,
    confidence: 0.95,
    folds: dates.map((d) => ({ ...fold(d, symbol), inSample: false })),
    summary: emptySummary(dates.length),
    inSample: { folds: dates.map((d) => fold(d, symbol)), summary: emptySummary(dates.length) },
  };
}
