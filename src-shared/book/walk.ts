/**
 * Walking a ladder: its depth, the cost of taking the cheapest shares (optionally after
 * skipping shares earlier orders took off the top) and the book-walk curve g(x) = c(x)/x.
 */
import type { Ladder } from './types';

export function ladderDepth(ladder: Ladder): number {
  let total = 0;
  for (const [, size] of ladder) total += size;
  return total;
}

/**
 * Walk `shares` through the ladder, cheapest level first, after skipping `skip` shares off the
 * top (liquidity earlier orders took): the cost of the shares the ladder holds and the shares
 * left over beyond its depth.
 */
export function walkLadder(
  ladder: Ladder,
  shares: number,
  skip = 0,
): { cost: number; left: number } {
  let left = shares;
  let cost = 0;
  let gone = skip;
  for (const [offset, size] of ladder) {
    if (left <= 0) break;
    const skipped = Math.min(gone, size);
    gone -= skipped;
    const take = Math.min(left, size - skipped);
    if (take <= 0) continue;
    cost += take * offset;
    left -= take;
  }
  return { cost, left };
}

/** c(x): the sum of the offsets of the cheapest x shares; Infinity beyond the ladder's depth. */
export function walkCost(ladder: Ladder, shares: number): number {
  const { cost, left } = walkLadder(ladder, shares);
  return left > 0 ? Infinity : cost;
}

/**
 * The book-walk curve: points (x, g(x) = c(x)/x) at the end of each non-empty level, i.e.
 * the average impact per share of sweeping the book up to and including that level.
 */
export function walkCurve(ladder: Ladder): [number, number][] {
  const points: [number, number][] = [];
  let x = 0;
  let cost = 0;
  for (const [offset, size] of ladder) {
    if (!(size > 0)) continue;
    x += size;
    cost += size * offset;
    points.push([x, cost / x]);
  }
  return points;
}
