/**
 * Replay: walk a schedule through one day's real books. The child order of period t is sent
 * when the period starts (or when continuous trading starts inside it) and walks the book in
 * effect then (the import's replay ladders: offsets from that book's mid, cheapest first).
 * Never a book written after that moment: the import picks it by the no-look-ahead rule
 * (docs/orderbook.md), and this walk uses nothing but period t's book for period t and what
 * earlier child orders took. Pure; used by the service, the CLI and the validation
 * (validation.ts).
 *
 * Recovery (optional, docs/orderbook.md): by default each child order walks the recorded book
 * as if the liquidity earlier child orders took had come back by the next period (the
 * recorded books never saw our orders). With a half-life h > 0 the shares taken recover
 * exponentially: of q shares taken Δ seconds ago, q·2^(−Δ/h) are still missing, and a child
 * order skips that many shares off the top of the book it walks (it starts deeper).
 */
import type { ReplayRow } from './contract';
import type { BookSide, Ladder } from './book/types';
import { walkLadder } from './book/walk';
import { BASELINE_LABELS, type SolveResult } from './result';

export interface ReplayDay {
  /** The book in effect at each period start, for the side the order trades against. */
  ladders: Ladder[];
  /** Mid of that book (null where there is none). */
  mids: (number | null)[];
  /** The arrival mid (null: unknown, no shortfall). */
  arrival: number | null;
  /** Length of a period in seconds (needed only with a recovery half-life). */
  periodSeconds?: number;
}

export interface ReplayOptions {
  /**
   * Half-life in seconds of the liquidity a child order takes (0 or absent: it has fully
   * recovered by the next period, the recorded book as it is).
   */
  recoveryHalfLifeSeconds?: number;
}

/** The shares still missing from the top of the book after `seconds`, of `missing` now. */
export function recovered(missing: number, seconds: number, halfLifeSeconds: number): number {
  if (!(halfLifeSeconds > 0) || missing <= 0) return 0;
  return missing * Math.pow(2, -seconds / halfLifeSeconds);
}

/**
 * Walk `shares[t]` through `day.ladders[t]` for every period. Shares beyond the visible depth
 * are priced at the deepest visible level (a lower bound) and counted in `beyondBook`; shares
 * in a period without a book are counted in `noBook` and not priced. The shortfall adds the
 * mid's drift from the arrival price: + for a buy (paying more as the mid rises), − for a sell.
 */
export function replaySchedule(
  label: string,
  shares: readonly number[],
  day: ReplayDay,
  side: BookSide,
  options: ReplayOptions = {},
): ReplayRow {
  const halfLife = options.recoveryHalfLifeSeconds ?? 0;
  if (halfLife > 0 && !(day.periodSeconds !== undefined && day.periodSeconds > 0)) {
    throw new Error('replaySchedule: a recovery half-life needs the period length in seconds');
  }
  // Shares earlier child orders took that have not come back yet (0 without recovery).
  let missing = 0;
  const sign = side === 'buy' ? 1 : -1;
  let impactCost = 0;
  let drift = 0;
  let beyondBook = 0;
  let noBook = 0;
  let total = 0;
  const periods: ReplayRow['periods'] = [];
  for (let t = 0; t < shares.length; t++) {
    const x = shares[t];
    total += x;
    if (t > 0) missing = recovered(missing, day.periodSeconds ?? 0, halfLife);
    const ladder = day.ladders[t] ?? [];
    const mid = day.mids[t] ?? null;
    if (ladder.length === 0 || mid === null) {
      noBook += x;
      periods.push({ shares: x, cost: 0, mid: null });
      continue;
    }
    const walk = walkLadder(ladder, x, missing);
    let cost = walk.cost;
    const left = walk.left;
    if (left > 1e-9) {
      cost += left * ladder[ladder.length - 1][0];
      beyondBook += left;
    }
    if (halfLife > 0) missing += x;
    impactCost += cost;
    if (day.arrival !== null) drift += sign * x * (mid - day.arrival);
    periods.push({ shares: x, cost, mid });
  }
  return {
    label,
    shares: total,
    impactCost,
    shortfall: day.arrival === null ? null : impactCost + drift,
    beyondBook,
    noBook,
    periods,
  };
}

/** A schedule of a solve result to replay, with what the plan expected it to cost. */
export interface PlannedSchedule {
  label: string;
  shares: number[];
  /** The plan's temporary-impact cost of the schedule (price units × shares). */
  planned: number;
}

/** The optimum and every baseline that could be built, in the order the window lists them. */
export function plannedSchedules(result: SolveResult): PlannedSchedule[] {
  const out: PlannedSchedule[] = [
    { label: 'Optimal', shares: result.schedule.map((r) => r.shares), planned: result.totalCost },
  ];
  for (const key of ['naive', 'aggressive', 'conservative', 'vwap'] as const) {
    const b = result.baselines[key];
    if (!b || b.problem || b.shares.length === 0) continue;
    out.push({ label: BASELINE_LABELS[key], shares: b.shares, planned: b.totalCost });
  }
  return out;
}

/**
 * The symbol a plan is of: the one its data came from (plan.source, book plans), else the
 * symbol typed in the plan. (book/plan.ts's planSymbol is another thing: it cleans a raw symbol.)
 */
export function symbolOfPlan(plan: { symbol: string; source?: { symbol: string } }): string {
  return plan.source?.symbol ?? plan.symbol;
}

/**
 * The plan's symbol when a day of `daySymbol` is another symbol's (compared without case:
 * "frog" and "FROG" are one symbol), else null. A replay on another symbol's day is neither
 * in- nor out-of-sample: the plan's model says nothing about that stock.
 */
export function otherSymbol(
  plan: { symbol: string; source?: { symbol: string } },
  daySymbol: string,
): string | null {
  const own = symbolOfPlan(plan);
  return own.trim().toUpperCase() === daySymbol.trim().toUpperCase() ? null : own;
}

/** A POV (percent-of-volume) schedule, or why none could be built. */
export type PovSchedule =
  | {
      ok: true;
      shares: number[];
      /** The fraction of each period's volume traded: order ÷ expected volume. */
      rate: number;
      /** The expected volume over the plan's periods the rate was taken on. */
      expectedVolume: number;
      /**
       * Shares the last period sends beyond its own rate × volume: what a day quieter than
       * expected left over (0 when the day traded as expected or more).
       */
      lastPeriodRemainder: number;
    }
  | { ok: false; problem: string };

/**
 * POV baseline: trade a fixed fraction `rate` of each period's realised volume, with
 * rate = order ÷ expected volume over the plan's periods (the rate that completes the order
 * over the session on a day of average volume). The child order of period t is the lot-rounded
 * cumulative target min(order, rate·(V_1 + … + V_t)) less what was sent before (rounding the
 * running total, not each period, loses no shares); it stops once the order is done, and
 * whatever is left after the second-to-last period (a quieter day than expected) goes in the
 * last period. Realised volumes are those of the replayed day: the POV trader sees each
 * period's volume as it trades, which a schedule fixed in advance cannot.
 */
export function povSchedule(
  order: number,
  volumes: readonly (number | null | undefined)[],
  expectedVolume: number,
  lotSize = 1,
): PovSchedule {
  const n = volumes.length;
  if (n === 0) return { ok: false, problem: 'the day has no periods' };
  if (volumes.some((v) => v === null || v === undefined || !Number.isFinite(v))) {
    return {
      ok: false,
      problem: 'the day has no traded volume per period (its file has no trades)',
    };
  }
  if (!(expectedVolume > 0)) {
    return { ok: false, problem: 'the expected volume over the plan’s periods is 0' };
  }
  const rate = order / expectedVolume;
  const lot = lotSize > 0 ? lotSize : 1;
  const shares: number[] = [];
  let cumulativeVolume = 0;
  let sent = 0;
  for (let t = 0; t < n - 1; t++) {
    cumulativeVolume += volumes[t] as number;
    const target = Math.min(order, Math.round((rate * cumulativeVolume) / lot) * lot);
    const x = Math.max(0, target - sent);
    shares.push(x);
    sent += x;
  }
  const last = order - sent;
  shares.push(last);
  const ownShare = Math.round((rate * (volumes[n - 1] as number)) / lot) * lot;
  return {
    ok: true,
    shares,
    rate,
    expectedVolume,
    lastPeriodRemainder: Math.max(0, last - ownShare),
  };
}

/**
 * Transaction-cost analysis of one replayed schedule: its implementation shortfall against the
 * arrival mid in $ and in bps of the arrival value of the shares priced, split into the walk
 * (impact) cost and the mid's drift since arrival.
 */
export interface TcaRow {
  label: string;
  shares: number;
  /** Shares priced: sent into a period that had a book. */
  priced: number;
  /** Implementation shortfall, $ (price units × shares); null without an arrival mid. */
  shortfall: number | null;
  /** shortfall ÷ (arrival mid × shares priced) × 10,000; null without an arrival or shares. */
  shortfallBps: number | null;
  /** The walk cost (crossing the spread and walking the levels), $ and bps. */
  impact: number;
  impactBps: number | null;
  /** The mid's drift on the shares sent (side-signed: + costs), $ and bps. */
  drift: number | null;
  driftBps: number | null;
}

/** The TCA rows of a replay, in its order. */
export function tcaRows(rows: readonly ReplayRow[], arrival: number | null): TcaRow[] {
  return rows.map((r) => {
    const priced = r.shares - r.noBook;
    const value = arrival !== null && arrival > 0 && priced > 0 ? arrival * priced : null;
    const bps = (v: number | null) => (v === null || value === null ? null : (v / value) * 1e4);
    const drift = r.shortfall === null ? null : r.shortfall - r.impactCost;
    return {
      label: r.label,
      shares: r.shares,
      priced,
      shortfall: r.shortfall,
      shortfallBps: bps(r.shortfall),
      impact: r.impactCost,
      impactBps: bps(r.impactCost),
      drift,
      driftBps: bps(drift),
    };
  });
}

/** The POV baseline of a plan on a day: its schedule, label and where its rate came from. */
export type PovBaseline =
  | (Extract<PovSchedule, { ok: true }> & {
      label: string;
      /**
       * 'plan': the expected volume is the plan's volume profile over its periods; 'day': the
       * plan has none, so the replayed day's own volume is taken (hindsight: POV then
       * completes exactly at the close).
       */
      basis: 'plan' | 'day';
    })
  | { ok: false; problem: string };

/**
 * The POV baseline of a plan replayed on a day with these realised volumes per period: the
 * rate is the order over the plan's expected volume (Σ volumeProfile), else over the day's.
 */
export function povBaseline(
  plan: { shares: number; lotSize?: number; volumeProfile?: readonly number[] },
  dayVolumes: readonly (number | null | undefined)[],
): PovBaseline {
  const profile = plan.volumeProfile?.reduce((a, v) => a + v, 0) ?? 0;
  const basis = profile > 0 ? 'plan' : 'day';
  const expected =
    basis === 'plan' ? profile : dayVolumes.reduce<number>((a, v) => a + (v ?? 0), 0);
  const pov = povSchedule(plan.shares, dayVolumes, expected, plan.lotSize ?? 1);
  if (!pov.ok) return pov;
  return { ...pov, basis, label: `POV ${fmtRate(pov.rate)}` };
}

/** A participation rate as a percentage to three significant digits: "10.6%", "7.5%", "0.523%". */
function fmtRate(rate: number): string {
  return `${Number((rate * 100).toPrecision(3))}%`;
}
