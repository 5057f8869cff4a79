/**
 * Doubles in their total order: the next one down, how many lie between two, the middle one
 * counted in doubles. The Lagrange method's bracket halves in these units (lagrange.ts), so
 * its search ends whatever the magnitudes of the marginal costs.
 */

const f64 = new Float64Array(1);
const u64 = new BigUint64Array(f64.buffer);
const SIGN_BIT = 1n << 63n;
const MASK_64 = (1n << 64n) - 1n;

/** The largest double below x (finite x). */
export function nextDown(x: number): number {
  if (x === 0) return -Number.MIN_VALUE;
  f64[0] = x;
  if (x > 0) u64[0] -= 1n;
  else u64[0] += 1n;
  return f64[0];
}

/**
 * Doubles in total order as unsigned 64-bit keys: the bits of x ≥ 0 with the sign bit set,
 * the complement of the bits of x < 0 (−0 and +0 are neighbours). Finite x.
 */
function orderKey(x: number): bigint {
  f64[0] = x;
  const u = u64[0];
  return u >= SIGN_BIT ? MASK_64 - u : u + SIGN_BIT;
}

function fromOrderKey(key: bigint): number {
  u64[0] = key >= SIGN_BIT ? key - SIGN_BIT : MASK_64 - key;
  return f64[0];
}

/** How many doubles lie between lo and hi (finite, lo ≤ hi), as a number. */
export function doublesBetween(lo: number, hi: number): number {
  return Number(orderKey(hi) - orderKey(lo));
}

/**
 * The middle double of [lo, hi] (finite) counted in doubles: strictly inside when at least
 * one double lies between them, else lo (the ends are adjacent).
 */
export function bisectDoubles(lo: number, hi: number): number {
  const a = orderKey(lo);
  const b = orderKey(hi);
  return fromOrderKey(a + (b - a) / 2n);
}
