/**
 * Replay: walk a schedule through one day's real books. The child order of period t is sent
 * when the period starts (or when continuous trading starts inside it) and walks the book in
 * effect then (the import's replay ladders: offsets from that book's mid, cheapest first).
 * Never a book written after that moment: the import picks it by the no-look-ahead rule
 * (docs/orderbook.md), and this walk uses nothing but period t's book for period t.
 * Pure; used by the service and the CLI.
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
): ReplayRow {
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
    const ladder = day.ladders[t] ?? [];
    const mid = day.mids[t] ?? null;
    if (ladder.length === 0 || mid === null) {
      noBook += x;
      periods.push({ shares: x, cost: 0, mid: null });
      continue;
    }
    let left = x;
    let cost = 0;
    for (const [offset, size] of ladder) {
      if (left <= 0) break;
      const take = Math.min(left, size);
      cost += take * offset;
      left -= take;
    }
    if (left > 1e-9) {
      cost += left * ladder[ladder.length - 1][0];
      beyondBook += left;
    }
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
