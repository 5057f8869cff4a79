/**
 * The fast path of the CSV tokeniser: complete lines of a chunk → columns of numbers (the 40
 * level prices and sizes, ts_event, the trade, the venue) in preallocated typed arrays, one
 * pass over the bytes, no object per row. The parsing thread runs it on the chunks it reads
 * itself; the reader thread runs the very same functions on the chunks it reads ahead
 * (`fileChunks.ts`), so both cores parse and the book is still fed in file order.
 *
 * It takes only the plain form of a row: every level price `digits[.digits]` (at most 15
 * digits), empty or the int64-max sentinel, every level size plain digits or empty, exactly
 * the header's number of fields, a line ending LF or CRLF, a timestamp ISO-8601 or integer
 * nanoseconds without quotes, a trade size and price in the same plain form. Any other line is
 * marked DEFER and the reference path (`csvRows.ts`) reads it, so a line means the same on
 * either path, to the last bit: the arithmetic below is the reference parsers' (`numbers.ts`,
 * `timestamps.ts`), digit for digit.
 *
 * Self-contained on purpose: these functions use nothing but their arguments and each other,
 * so `kernelSource()` can hand their text to the reader thread (no file of its own to bundle).
 * No inner functions, no imports, no constants from outside.
 */
import type { CsvLayout } from './layout';
import { LEVELS, SNAP } from './record';

/** Line kinds in `lines[4k]`. */
export const ROW = 0;
export const BLANK = 1;
export const DEFER = 2;
/** Int32 per line in `lines`: kind, action (84 T, 82 R, 0 other), symbol start, symbol end
 *  (DEFER: the line's start and the index of its LF). */
export const LINE_INTS = 4;
/** Float64 per line in `nums`: SNAP level values, then sec, ns, traded, trade price, venue. */
export const NUMS = SNAP + 5;
export const SEC = SNAP;
export const NS = SNAP + 1;
export const TRADED = SNAP + 2;
export const TRADE_PX = SNAP + 3;
export const VENUE = SNAP + 4;

/** Lines the kernel parses into its columns at a time (the book then takes them). */
export const LINES_PER_BATCH = 4096;

/** Program header slots (then ops, then their arguments). */
const HEAD = 16;

/**
 * The header as a program for `tokenizeLines`: runs of fields to skip, marked fields (whose
 * start and end are read after the walk), level prices and sizes into their row slots.
 */
export function lineProgram(layout: CsvLayout, fixed: boolean): Int32Array {
  const n = layout.columns;
  const kind = new Uint8Array(n);
  const slot = new Int32Array(n);
  for (let j = 0; j < SNAP; j++) {
    const c = layout.levelCols[j];
    kind[c] = j % (2 * LEVELS) < LEVELS ? 2 : 3;
    slot[c] = j;
  }
  const marked = [layout.tsCol, layout.symbolCol, layout.actionCol, layout.sizeCol];
  marked.push(layout.priceCol, layout.publisherCol);
  for (const c of marked) if (c >= 0) kind[c] = 1;
  const ops: number[] = [];
  const args: number[] = [];
  for (let c = 0; c < n; c++) {
    if (kind[c] === 0 && ops.at(-1) === 0) args[args.length - 1]++;
    else {
      ops.push(kind[c]);
      args.push(kind[c] === 0 ? 1 : kind[c] === 1 ? c : slot[c]);
    }
  }
  const prog = new Int32Array(HEAD + 2 * ops.length);
  prog.set([ops.length, fixed ? 1 : 0, n, layout.tsCol, layout.actionCol, layout.sizeCol]);
  prog.set([layout.priceCol, layout.publisherCol, layout.symbolCol], 6);
  prog.set(ops, HEAD);
  prog.set(args, HEAD + ops.length);
  return prog;
}

/** Per-thread scratch of the kernel: field starts and the timestamp's minute cache. */
export interface KernelScratch {
  /** The fields' starts (columns + 1), then the length each op's run had on the last line. */
  starts: Int32Array;
  /** The timestamp's minute cache (`minuteCache`). */
  minute: Float64Array;
  /** [0]: lines written, [1]: the index after the last line read. */
  meta: Int32Array;
}

export function kernelScratch(columns: number, fullMinutes = 64): KernelScratch {
  const minute = minuteCache(fullMinutes);
  return { starts: new Int32Array(2 * columns + 2), minute, meta: new Int32Array(2) };
}

/**
 * The timestamp's minute cache: [0] the cached minute's seconds (NaN: none), [1..16] its first
 * 16 bytes, [17] rows still to read their minute in full (`fullMinutes`) even when cached. A
 * new minute comes once in thousands of rows: the optimiser, which compiles the kernel after a
 * few hundred, would not have seen that path run and would throw the compiled kernel out at
 * the data's second minute to compile it again (~50 ms of CPU a thread). Read in full on the
 * first rows, it has.
 */
export function minuteCache(fullMinutes: number): Float64Array {
  const minute = new Float64Array(18);
  minute[0] = NaN;
  minute[17] = fullMinutes;
  return minute;
}

/** The kernel's text, for the reader thread (the functions below, declared by name). */
export function kernelSource(): string {
  return [tokenizeLines, tokenizeLine, plainPrice, isoSeconds, isoMinute, minuteCache]
    .map((f) => f.toString())
    .join('\n');
}

/**
 * Lines of buf[from, to) (to − 1 is an LF) into `lines` / `nums`, at most `cap` lines; the
 * count and the index after the last line read go to meta[0], meta[1].
 */
export function tokenizeLines(
  buf: Uint8Array,
  from: number,
  to: number,
  prog: Int32Array,
  starts: Int32Array,
  minute: Float64Array,
  meta: Int32Array,
  lines: Int32Array,
  nums: Float64Array,
  cap: number,
): void {
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let i = from;
  let n = 0;
  meta[0] = 0;
  meta[1] = from;
  while (i < to && n < cap) {
    i = tokenizeLine(buf, i, to, dv, prog, starts, minute, lines, nums, n);
    n++;
    // Written as it goes: a store after the loop would be code the optimiser never saw run
    // (the loop is compiled while the first batch runs) and would throw it out every batch.
    meta[0] = n;
    meta[1] = i;
  }
}

/**
 * Line `n` of the batch, from byte i (to − 1 is an LF), into lines[4n…] / nums[45n…]; returns
 * the index after it. A function of its own, called once a line: it is optimised as a whole
 * after a few hundred lines instead of being run cold and then compiled twice (once entered
 * mid-loop, on-stack replacement, and once more as a whole) as a loop over the whole chunk was.
 */
export function tokenizeLine(
  buf: Uint8Array,
  i: number,
  to: number,
  dv: DataView,
  prog: Int32Array,
  starts: Int32Array,
  minute: Float64Array,
  lines: Int32Array,
  nums: Float64Array,
  n: number,
): number {
  const nOps = prog[0];
  const fixed = prog[1] === 1;
  const columns = prog[2];
  const tsCol = prog[3];
  const actionCol = prog[4];
  const sizeCol = prog[5];
  const priceCol = prog[6];
  const pubCol = prog[7];
  const symCol = prog[8];
  const opsAt = 16;
  const argsAt = 16 + nOps;
  // starts: the fields' starts, then each op's length on the last line.
  const runsAt = columns + 1;
  const L = n * 4;
  const V = n * 45;
  let c = buf[i];
  if (c === 10 || (c === 13 && buf[i + 1] === 10)) {
    lines[L] = 1;
    return i + (c === 10 ? 1 : 2);
  }
  const lineStart = i;
  let lineEnd = -1;
  let nl = -1;
  for (let k = 0; k < nOps; k++) {
    const s = i;
    const op = prog[opsAt + k];
    const arg = prog[argsAt + k];
    if (op <= 1) {
      // Fields to pass: their commas, up to the LF. A run that was long on the last line
      // (a timestamp) is passed four bytes at a time while none of them is a comma or an
      // LF (the exact has-zero-byte test on the bytes XOR ',' and XOR LF).
      let fields = op === 0 ? arg : 1;
      const long = starts[runsAt + k] >= 12;
      for (;;) {
        if (long) {
          while (i + 4 <= to) {
            const x = dv.getInt32(i, true);
            const a = x ^ 0x2c2c2c2c;
            const b = x ^ 0x0a0a0a0a;
            if ((((a - 0x01010101) & ~a) | ((b - 0x01010101) & ~b)) & 0x80808080) break;
            i += 4;
          }
        }
        c = buf[i];
        while (c > 44 || (c !== 44 && c !== 10)) c = buf[++i];
        if (c === 10 || --fields === 0) break;
        i++;
      }
      starts[runsAt + k] = i - s;
      if (fields > 1) break;
      if (op === 1) {
        starts[arg] = s;
        starts[arg + 1] = i + 1;
      }
    } else if (op === 2) {
      c = buf[i];
      let v: number;
      if (c === 44 || c === 10 || c === 13) v = -Infinity;
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
          if (dot || i - s !== 19 || plainPrice(buf, s, i, fixed) !== -Infinity) break;
          v = -Infinity;
        } else if (fixed) {
          if (dot) break;
          v = mant / 1e9;
        } else {
          // Dividing by the same power of ten the reference divides by (10 ** scale is a
          // call; the common scales are literals).
          v =
            scale === 0
              ? mant
              : scale === 2
                ? mant / 100
                : scale === 1
                  ? mant / 10
                  : scale === 3
                    ? mant / 1000
                    : scale === 4
                      ? mant / 10000
                      : mant / 10 ** scale;
          if (v >= 9.2e9) v = -Infinity;
        }
      }
      nums[V + arg] = v;
    } else {
      let v = 0;
      let d = buf[i] - 48;
      while (d >= 0 && d <= 9) {
        v = v * 10 + d;
        d = buf[++i] - 48;
      }
      c = d + 48;
      nums[V + arg] = v;
    }
    if (k < nOps - 1) {
      if (c !== 44) break;
      i++;
    } else if (c === 10) {
      // A field passed over keeps a CR before the LF out of the line, as the reference does.
      lineEnd = op <= 1 && buf[i - 1] === 13 && i > s ? i - 1 : i;
      nl = i;
    } else if (c === 13 && op > 1 && buf[i + 1] === 10) {
      lineEnd = i;
      nl = i + 1;
    }
  }
  let ok = nl >= 0;
  // ts_event: integer nanoseconds or ISO-8601 (the reference's rules; quotes: DEFER).
  if (ok) {
    const s = starts[tsCol];
    const e = tsCol + 1 < columns ? starts[tsCol + 1] - 1 : lineEnd;
    const len = e - s;
    if (buf[s] === 34 || len < 1) ok = false;
    else if (len >= 10 && len <= 20 && buf[s + 4] !== 45) {
      let sec = 0;
      let ns = 0;
      const split = e - 9;
      for (let p = s; p < e; p++) {
        const d = buf[p] - 48;
        if (d < 0 || d > 9) {
          ok = false;
          break;
        }
        if (p < split) sec = sec * 10 + d;
        else ns = ns * 10 + d;
      }
      nums[V + 40] = sec;
      nums[V + 41] = ns;
    } else if (len < 19) ok = false;
    else {
      const sec = isoSeconds(buf, s, minute);
      // The fraction and the offset.
      let p = s + 19;
      let ns = 0;
      if (sec < 0) ok = false;
      else if (p < e && buf[p] === 46) {
        p++;
        let k = 0;
        while (p < e && buf[p] >= 48 && buf[p] <= 57) {
          if (k < 9) {
            ns = ns * 10 + (buf[p] - 48);
            k++;
          }
          p++;
        }
        if (k === 0) ok = false;
        for (; k < 9; k++) ns *= 10;
      }
      let offsetSec = 0;
      if (ok && p < e) {
        const o = buf[p];
        if (o === 90 && p + 1 === e) p++;
        else if (o === 43 || o === 45) {
          const h1 = buf[p + 1] - 48;
          const h2 = buf[p + 2] - 48;
          let m1 = 0;
          let m2 = 0;
          if (p + 3 === e) m1 = 0;
          else if (buf[p + 3] === 58 && p + 6 === e) {
            m1 = buf[p + 4] - 48;
            m2 = buf[p + 5] - 48;
          } else if (p + 5 === e) {
            m1 = buf[p + 3] - 48;
            m2 = buf[p + 4] - 48;
          } else ok = false;
          const oh = h1 * 10 + h2;
          const om = m1 * 10 + m2;
          if (!(h1 >= 0 && h1 <= 9 && h2 >= 0 && h2 <= 9 && m1 >= 0 && m1 <= 9)) ok = false;
          if (!(m2 >= 0 && m2 <= 9) || oh > 23 || om > 59) ok = false;
          offsetSec = (o === 43 ? 1 : -1) * (oh * 3600 + om * 60);
          p = e;
        } else ok = false;
      }
      if (p !== e) ok = false;
      nums[V + 40] = sec - offsetSec;
      nums[V + 41] = ns;
    }
  }
  // The trade (action T: size and price), a clear (R), the venue.
  let act = 0;
  if (ok && actionCol >= 0) {
    const s = starts[actionCol];
    const e = actionCol + 1 < columns ? starts[actionCol + 1] - 1 : lineEnd;
    if (e === s + 1) act = buf[s] === 84 ? 84 : buf[s] === 82 ? 82 : 0;
  }
  let traded = 0;
  let tradePx = NaN;
  if (ok && act === 84) {
    if (sizeCol >= 0) {
      const s = starts[sizeCol];
      const e = sizeCol + 1 < columns ? starts[sizeCol + 1] - 1 : lineEnd;
      for (let p = s; p < e; p++) {
        const d = buf[p] - 48;
        if (d < 0 || d > 9) {
          ok = false;
          break;
        }
        traded = traded * 10 + d;
      }
    }
    if (priceCol >= 0) {
      const s = starts[priceCol];
      const e = priceCol + 1 < columns ? starts[priceCol + 1] - 1 : lineEnd;
      tradePx = plainPrice(buf, s, e, fixed);
      if (tradePx !== tradePx) ok = false;
    }
  }
  let venue = NaN;
  if (ok && pubCol >= 0) {
    const s = starts[pubCol];
    const e = pubCol + 1 < columns ? starts[pubCol + 1] - 1 : lineEnd;
    if (e > s) {
      venue = 0;
      for (let p = s; p < e; p++) {
        const d = buf[p] - 48;
        if (d < 0 || d > 9) {
          ok = false;
          break;
        }
        venue = venue * 10 + d;
      }
    }
  }
  if (!ok) {
    // Not the plain form: the reference path reads this line.
    const end = buf.indexOf(10, lineStart);
    lines[L] = 2;
    lines[L + 2] = lineStart;
    lines[L + 3] = end;
    return end + 1;
  }
  nums[V + 42] = traded;
  nums[V + 43] = tradePx;
  nums[V + 44] = venue;
  lines[L] = 0;
  lines[L + 1] = act;
  if (symCol >= 0) {
    lines[L + 2] = starts[symCol];
    lines[L + 3] = symCol + 1 < columns ? starts[symCol + 1] - 1 : lineEnd;
  }
  return nl + 1;
}

/**
 * A price field in the plain form, as the reference's PriceParser reads it once the file's
 * format is known: empty or the int64-max sentinel → -Infinity (an empty level),
 * `digits[.digits]` of at most 15 digits → its value (÷ 1e9 when fixed-point); NaN for
 * anything else (the caller leaves the line to the reference path).
 */
export function plainPrice(buf: Uint8Array, s: number, e: number, fixed: boolean): number {
  if (s >= e) return -Infinity;
  if (buf[s] === 34) return NaN;
  if (e - s === 19) {
    const max = '9223372036854775807';
    let same = true;
    for (let k = 0; same && k < 19; k++) same = buf[s + k] === max.charCodeAt(k);
    if (same) return -Infinity;
  }
  let mant = 0;
  let nd = 0;
  let scale = 0;
  let dot = false;
  for (let p = s; p < e; p++) {
    const c = buf[p];
    if (c >= 48 && c <= 57) {
      mant = mant * 10 + (c - 48);
      nd++;
      if (dot) scale++;
    } else if (c === 46 && !dot) dot = true;
    else return NaN;
  }
  if (nd === 0 || nd > 15) return NaN;
  const v = scale ? mant / 10 ** scale : mant;
  if (fixed) return dot ? NaN : v / 1e9;
  return v >= 9.2e9 ? -Infinity : v;
}

/**
 * `YYYY-MM-DD[T ]HH:MM:SS` at s → seconds since the epoch as written (−1: not valid). The
 * first 16 bytes and their seconds are cached in `minute` (rows of one minute skip them; see
 * `minuteCache`).
 */
export function isoSeconds(buf: Uint8Array, s: number, minute: Float64Array): number {
  const s1 = buf[s + 17] - 48;
  const s2 = buf[s + 18] - 48;
  if (buf[s + 16] !== 58 || !(s1 >= 0 && s1 <= 9 && s2 >= 0 && s2 <= 9)) return -1;
  const se = s1 * 10 + s2;
  if (se > 60) return -1;
  let same = minute[0] === minute[0];
  for (let k = 0; same && k < 16; k++) same = buf[s + k] === minute[k + 1];
  let sec = minute[0];
  if (!same || minute[17] > 0) {
    sec = isoMinute(buf, s, minute);
    if (minute[17] > 0) minute[17]--;
  }
  return sec === sec ? sec + se : -1;
}

/**
 * `YYYY-MM-DD[T ]HH:MM` at s → its seconds since the epoch (NaN: not valid), cached in
 * `minute`. Apart from `isoSeconds` (once a minute of data): the optimiser compiles the row's
 * path without this one, which it would otherwise see run only after compiling it.
 */
export function isoMinute(buf: Uint8Array, s: number, minute: Float64Array): number {
  if (buf[s + 4] !== 45 || buf[s + 7] !== 45 || (buf[s + 10] !== 84 && buf[s + 10] !== 32))
    return NaN;
  if (buf[s + 13] !== 58) return NaN;
  let y = 0;
  for (let p = s; p < s + 4; p++) {
    const d = buf[p] - 48;
    if (d < 0 || d > 9) return NaN;
    y = y * 10 + d;
  }
  const v = [buf[s + 5], buf[s + 6], buf[s + 8], buf[s + 9]];
  v.push(buf[s + 11], buf[s + 12], buf[s + 14], buf[s + 15]);
  for (let k = 0; k < 8; k++) {
    v[k] -= 48;
    if (!(v[k] >= 0 && v[k] <= 9)) return NaN;
  }
  const mo = v[0] * 10 + v[1];
  const d = v[2] * 10 + v[3];
  const h = v[4] * 10 + v[5];
  const mi = v[6] * 10 + v[7];
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59) return NaN;
  // Days since 1970-01-01 of the proleptic Gregorian date (H. Hinnant's days_from_civil).
  const yy = y - (mo <= 2 ? 1 : 0);
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  const sec = (era * 146097 + doe - 719468) * 86400 + h * 3600 + mi * 60;
  for (let k = 0; k < 16; k++) minute[k + 1] = buf[s + k];
  minute[0] = sec;
  return sec;
}
