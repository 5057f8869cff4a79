/**
 * Numbers of a CSV field, parsed straight from the bytes: prices (with the file's price
 * format), sizes and plain digits.
 *
 * Prices: decided per file from the first non-empty price seen: a decimal point or exponent →
 * decimal; an integer of magnitude ≥ 1e6 → fixed-point 1e-9 units (no equity trades at
 * $1,000,000 and no fixed-point price is below $0.001); any other integer → decimal. In a
 * fixed-point file a price with a decimal point is a bad row. An empty level is a blank price,
 * the int64-max sentinel 9223372036854775807 (or its 1e-9 decimal rendering ≥ 9.2e9), or size 0.
 * Surrounding quotes on a field are tolerated.
 */
import { EMPTY_MARK } from './record';

const SENTINEL = '9223372036854775807';
const SENTINEL_BYTES = new TextEncoder().encode(SENTINEL);
export const textDecoder = new TextDecoder();

/** The price fields of one file, in the file's price format (decided by the first price). */
export class PriceParser {
  /** 0: unknown yet, 1: decimal, 2: fixed-point 1e-9 units. */
  mode: 0 | 1 | 2 = 0;

  /** A price in price units; EMPTY_MARK for an empty level; NaN when unparsable. */
  parse(buf: Uint8Array, s: number, e: number): number {
    if (buf[s] === 34 && e - s >= 2 && buf[e - 1] === 34) {
      s++;
      e--;
    }
    if (s >= e) return EMPTY_MARK;
    if (e - s === 19 && matches(buf, s, SENTINEL_BYTES)) return EMPTY_MARK;
    const v = parseDecimal(buf, s, e);
    if (!(v >= 0)) return NaN;
    if (this.mode === 0) {
      this.mode = decimalSeen || Math.abs(v) < 1e6 ? 1 : 2;
    }
    if (this.mode === 2) {
      if (decimalSeen) return NaN;
      return v / 1e9;
    }
    if (v >= 9.2e9) return EMPTY_MARK;
    return v;
  }
}

/** Set by parseDecimal: whether the last number had a decimal point or exponent. */
let decimalSeen = false;

/** Parse [-]digits[.digits][e±digits]; NaN when invalid. */
function parseDecimal(buf: Uint8Array, s: number, e: number): number {
  let i = s;
  let neg = false;
  if (buf[i] === 45) {
    neg = true;
    i++;
  }
  let mant = 0;
  let nd = 0;
  let scale = 0;
  let dot = false;
  decimalSeen = false;
  for (; i < e; i++) {
    const c = buf[i];
    if (c >= 48 && c <= 57) {
      mant = mant * 10 + (c - 48);
      nd++;
      if (dot) scale++;
    } else if (c === 46 && !dot) {
      dot = true;
      decimalSeen = true;
    } else break;
  }
  if (nd === 0) return NaN;
  if (i < e) {
    // Exponent or junk: let the slow path decide.
    const c = buf[i];
    if (c !== 101 && c !== 69) return NaN;
    decimalSeen = true;
    const v = Number(textDecoder.decode(buf.subarray(s, e)));
    return Number.isFinite(v) ? v : NaN;
  }
  if (nd > 15) {
    const v = Number(textDecoder.decode(buf.subarray(s, e)));
    return Number.isFinite(v) ? v : NaN;
  }
  const v = scale ? mant / POW10[scale] : mant;
  return neg ? -v : v;
}

const POW10 = Array.from({ length: 24 }, (_, k) => 10 ** k);

/** A size: blank → 0 (empty level), else a non-negative number; NaN when invalid. */
export function parseSize(buf: Uint8Array, s: number, e: number): number {
  if (buf[s] === 34 && e - s >= 2 && buf[e - 1] === 34) {
    s++;
    e--;
  }
  if (s >= e) return 0;
  let v = 0;
  for (let i = s; i < e; i++) {
    const d = buf[i] - 48;
    if (d < 0 || d > 9) {
      const f = parseDecimal(buf, s, e);
      return f >= 0 ? f : NaN;
    }
    v = v * 10 + d;
  }
  return v;
}

/** n decimal digits at s as a number; -1 when one is not a digit. */
export function digits(buf: Uint8Array, s: number, n: number): number {
  let v = 0;
  for (let i = s; i < s + n; i++) {
    const d = buf[i] - 48;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

function matches(buf: Uint8Array, s: number, pattern: Uint8Array): boolean {
  for (let k = 0; k < pattern.length; k++) if (buf[s + k] !== pattern[k]) return false;
  return true;
}
