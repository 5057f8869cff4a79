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
const MARK = 1;
const PRICE = 2;
const SIZE = 3;

const POW10 = Array.from({ length: 16 }, (_, k) => 10 ** k);
const SENTINEL = new TextEncoder().encode('9223372036854775807');

export class RowWalker {
  /** Start of the fields the row's tail reads (`marked`), as the reference path records
   *  them: starts[c] and starts[c + 1] - 1 (its end) for each marked column c. */
  readonly starts: Int32Array;
  /** End of the last line's content (before CR LF / LF). */
  lineEnd = 0;
  /** The line as a program: op and argument per step (a run of fields to skip, a marked
   *  field, a level price or size into its row slot). */
  private readonly ops: Uint8Array;
  private readonly args: Int32Array;

  /** `marked`: the columns whose start and end the caller reads after the walk. */
  constructor(layout: CsvLayout, marked: number[]) {
    const n = layout.columns;
    this.starts = new Int32Array(n + 1);
    const kind = new Uint8Array(n);
    const slot = new Int32Array(n);
    for (let j = 0; j < SNAP; j++) {
      const c = layout.levelCols[j];
      kind[c] = j % (2 * LEVELS) < LEVELS ? PRICE : SIZE;
      slot[c] = j;
    }
    for (const c of marked) if (c >= 0) kind[c] = MARK;
    const ops: number[] = [];
    const args: number[] = [];
    for (let c = 0; c < n; c++) {
      if (kind[c] === SKIP && ops.at(-1) === SKIP) args[args.length - 1]++;
      else {
        ops.push(kind[c]);
        args.push(kind[c] === SKIP ? 1 : kind[c] === MARK ? c : slot[c]);
      }
    }
    this.ops = Uint8Array.from(ops);
    this.args = Int32Array.from(args);
  }

  /**
   * Walk the line starting at `i` (not blank): fill `row`'s 40 level slots and the marked
   * fields' `starts`, set `lineEnd`, and return the index of the line's LF; -1 when the line
   * is not in the plain form (the caller then re-reads it on the reference path).
   * `fixed`: the file's prices are 1e-9 fixed-point integers.
   */
  walk(buf: Uint8Array, i: number, row: Float64Array, fixed: boolean): number {
    const ops = this.ops;
    const args = this.args;
    const last = ops.length - 1;
    let c: number;
    for (let k = 0; k <= last; k++) {
      const s = i;
      const op = ops[k];
      if (op === SKIP || op === MARK) {
        // Fields to pass: their commas, up to the LF. Digits, letters, '.', '-', ':' are all
        // above ','; one test passes them.
        let fields = op === SKIP ? args[k] : 1;
        for (;;) {
          c = buf[i];
          if (c > 44) i++;
          else if (c === 44) {
            if (--fields === 0) break;
            i++;
          } else if (c === 10) break;
          else i++;
        }
        if (fields > 1) return -1;
        if (op === MARK) {
          this.starts[args[k]] = s;
          this.starts[args[k] + 1] = i + 1;
        }
      } else if (op === PRICE) {
        c = buf[i];
        let v: number;
        if (c === 44 || c === 10 || c === 13) v = EMPTY_MARK;
        else {
          // [digits][.digits]: the reference parser's arithmetic, digit for digit.
          let mant = 0;
          let d = c - 48;
          while (d >= 0 && d <= 9) {
            mant = mant * 10 + d;
            d = buf[++i] - 48;
          }
          let nd = i - s;
          let scale = 0;
          const dot = d === -2;
          if (dot) {
            const f0 = ++i;
            d = buf[i] - 48;
            while (d >= 0 && d <= 9) {
              mant = mant * 10 + d;
              d = buf[++i] - 48;
            }
            scale = i - f0;
            nd += scale;
          }
          c = d + 48;
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
        row[args[k]] = v;
      } else {
        let v = 0;
        let d = buf[i] - 48;
        while (d >= 0 && d <= 9) {
          v = v * 10 + d;
          d = buf[++i] - 48;
        }
        c = d + 48;
        row[args[k]] = v;
      }
      if (k < last) {
        if (c !== 44) return -1;
        i++;
      } else if (c === 10) {
        // A field passed over keeps a CR before the LF out of the line, as the reference does.
        this.lineEnd = op <= MARK && buf[i - 1] === 13 && i > s ? i - 1 : i;
        return i;
      } else if (c === 13 && op > MARK && buf[i + 1] === 10) {
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
