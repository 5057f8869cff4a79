/** Shares → whole lots, forgiving floating-point noise. */

/**
 * Floating-point noise floorLots forgives, relative to the shares: 64 units in the last place.
 * Shares are at most 1e13, so this is below 0.15 of a share: a real share is never forgiven.
 */
const LOT_NOISE = 64 * Number.EPSILON;

/**
 * Shares → whole lots, forgiving floating-point noise such as 0.29 × 100 = 28.999…996 (a
 * tolerance relative to the shares, not a fixed fraction of a lot: 1e−9 lot forgave a whole
 * share once a lot held more than 10^9 shares, and forgave nothing once the count of lots
 * passed ~10^7).
 */
export function floorLots(shares: number, lot: number): number {
  if (!(shares > 0)) return 0;
  let k = Math.floor(shares / lot);
  const slack = shares * LOT_NOISE;
  if ((k + 1) * lot - shares <= slack) k++;
  else if (k * lot - shares > slack) k--; // the quotient was rounded up to a whole number
  return Math.max(0, k);
}
