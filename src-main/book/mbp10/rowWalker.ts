/**
 * The fast path of the CSV tokeniser: one pass over a line's bytes that finds its fields and
 * parses the 40 level prices and sizes on the way, touching each byte once (the reference path
 * in `csvRows.ts` first records every comma, then parses the fields it needs: two passes).
 *
 * It takes only the plain form of a row: every level price `digits[.digits]` (at most 15
 * digits), empty or the int64-max sentinel, every level size plain digits or empty, exactly
 * the header's number of fields, a line ending LF or CRLF. Anything else (quotes, signs,
 * exponents, junk, a wrong field count, a decimal price in a fixed-point file) makes it give
 * up on the line (`walk` returns -1) and the reference path reads that line instead, so a row
 * means the same on either path, to the last bit: the arithmetic below is the reference
 * parser's (`numbers.ts`), digit for digit. It runs once the file's price format is known,
 * so it never decides the format itself.
 *
 * Bounds: `walk` reads only up to the line's LF and the caller guarantees an LF ends the
 * buffer's scanned region, so every loop stops at it without a length check.
 */
import type { CsvLayout } from './layout';
import { EMPTY_MARK, LEVELS, SNAP } from './record';

const SKIP = 0;
const PRICE = 1;
const SIZE = 2;

const POW10 = Array.from({ length: 16 }, (_, k) => 10 ** k);
const SENTINEL = new TextEncoder().encode('9223372036854775807');

export class RowWalker {
  /** Start of each field of the last line walked (as the reference path records them). */
  readonly starts: Int32Array;
  /** End of the last line's content (before CR LF / LF). */
  lineEnd = 0;
  private readonly kinds: Uint8Array;
  private readonly slotOf: Int32Array;
  private readonly columns: number;

  constructor(layout: CsvLayout) {
    const n = layout.columns;
    this.columns = n;
    this.starts = new Int32Array(n + 1);
    this.kinds = new Uint8Array(n);
    this.slotOf = new Int32Array(n);
    for (let j = 0; j < SNAP; j++) {
      const c = layout.levelCols[j];
      this.kinds[c] = j % (2 * LEVELS) < LEVELS ? PRICE : SIZE;
      this.slotOf[c] = j;
    }
  }

  /**
   * Walk the line starting at `i` (not blank): fill `starts` and `row`'s 40 level slots, set
   * `lineEnd`, and return the index of the line's LF; -1 when the line is not in the plain
   * form (nothing else has changed then: the caller re-reads it on the reference path).
   * `fixed`: the file's prices are 1e-9 fixed-point integers.
   */
  walk(buf: Uint8Array, i: number, row: Float64Array, fixed: boolean): number {
    const starts = this.starts;
    const kinds = this.kinds;
    const last = this.columns - 1;
    let c: number;
    for (let f = 0; f <= last; f++) {
      const s = i;
      starts[f] = s;
      const kind = kinds[f];
      if (kind === SKIP) {
        // Digits, letters, '.', '-', ':' are all above ','; one test skips them.
        for (;;) {
          c = buf[i];
          if (c > 44) i++;
          else if (c === 44 || c === 10) break;
          else i++;
        }
      } else if (kind === PRICE) {
        c = buf[i];
        let v: number;
        if (c === 44 || c === 10 || c === 13) v = EMPTY_MARK;
        else {
          let mant = 0;
          let nd = 0;
          let scale = 0;
          let dot = false;
          for (;;) {
            const d = c - 48;
            if (d >= 0 && d <= 9) {
              mant = mant * 10 + d;
              nd++;
              if (dot) scale++;
            } else if (c === 46 && !dot) dot = true;
            else break;
            c = buf[++i];
          }
          if (nd === 0 || nd > 15) {
            if (dot || i - s !== 19 || !isSentinel(buf, s)) return -1;
            v = EMPTY_MARK;
          } else if (fixed) {
            if (dot) return -1;
            v = mant / 1e9;
          } else {
            v = scale ? mant / POW10[scale] : mant;
            if (v >= 9.2e9) v = EMPTY_MARK;
          }
        }
        row[this.slotOf[f]] = v;
      } else {
        c = buf[i];
        let v = 0;
        for (;;) {
          const d = c - 48;
          if (d < 0 || d > 9) break;
          v = v * 10 + d;
          c = buf[++i];
        }
        row[this.slotOf[f]] = v;
      }
      if (f < last) {
        if (c !== 44) return -1;
        i++;
      } else if (c === 10) {
        this.lineEnd = kind === SKIP && i > s && buf[i - 1] === 13 ? i - 1 : i;
        return i;
      } else if (c === 13 && kind !== SKIP && buf[i + 1] === 10) {
        this.lineEnd = i;
        return i + 1;
      } else return -1;
    }
    return -1;
  }
}

function isSentinel(buf: Uint8Array, s: number): boolean {
  for (let k = 0; k < 19; k++) if (buf[s + k] !== SENTINEL[k]) return false;
  return true;
}
