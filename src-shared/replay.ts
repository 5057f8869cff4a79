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
import type { BookSide, Ladder } from './book';
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
    let left = x;
    let cost = 0;
    let skip = missing;
    for (const [offset, size] of ladder) {
      if (left <= 0) break;
      const gone = Math.min(skip, size);
      skip -= gone;
      const take = Math.min(left, size - gone);
      if (take <= 0) continue;
      cost += take * offset;
      left -= take;
    }
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
