/**
 * Streaming Databento MBP-10 CSV parser and period sampler (docs/orderbook.md).
 *
 * Why hand-written: a file of hundreds of MB must import at ≥ 50 MB/s in bounded memory.
 * Measured here (2 shared cores, 100k-row Databento-layout file): papaparse streaming
 * tokenises at ~87 MB/s alone — one string per field, one array per row (80 fields × 1M
 * rows of garbage) — before any number or timestamp is parsed. This parser scans the raw
 * bytes of each chunk once, records field offsets in a preallocated Int32Array and parses
 * only the 41 fields it needs (ts_event, price and size of 10 levels per side) straight
 * from the bytes: ~165 MB/s for the whole import including SHA-256, peak RSS ~120 MB
 * (`npm run bench`). Databento's CSV needs no quoting; surrounding quotes on a field are
 * tolerated, quoted commas are not supported.
 *
 * Rules (documented decisions):
 * - Layout comes from the header names. Unknown / unnamed columns (a leading pandas index)
 *   are ignored. `ts_event` appearing twice: the FIRST occurrence is used (both carry the
 *   same value in Databento exports; the first is the one written by the exporter).
 * - Timestamps: ISO-8601 with `T` or space, optional fraction (up to 9 digits) and `Z` or
 *   ±HH:MM / ±HHMM offset (none = UTC); or integer nanoseconds since the epoch.
 *   Internally times are nanoseconds relative to the first row's whole second, so a double
 *   holds them exactly (±104 days).
 * - Prices: decided per file from the first non-empty price seen: a decimal point or
 *   exponent → decimal; an integer of magnitude ≥ 1e6 → fixed-point 1e-9 units (no equity
 *   trades at $1,000,000 and no fixed-point price is below $0.001); any other integer →
 *   decimal. In a fixed-point file a price with a decimal point is a bad row.
 * - Empty level: blank price, the int64-max sentinel 9223372036854775807 (or its 1e-9
 *   decimal rendering ≥ 9.2e9), or size 0.
 * - Bad row: wrong number of fields, or an unparsable timestamp / price / size in a used
 *   field. Counted, first 20 line numbers kept (header = line 1), skipped. Blank lines are
 *   ignored. A line longer than 1 MB is a bad row (memory stays bounded).
 * - Usable row: best bid and best ask both present and bid < ask. One-sided rows and
 *   crossed or locked rows (bid ≥ ask) are counted and skipped.
 * - Session date: the `date` option, else the local date (session zone) of the first row
 *   with a valid timestamp, moved to the next day when that row is at/after the session end
 *   (e.g. a UTC-day file starting 20:00 New York the evening before).
 * - A book in effect (docs/orderbook.md "When a book is in effect"): every usable row is a
 *   snapshot that takes effect at its ts_event and stays in effect until the next book event
 *   — the next usable row, or a row that leaves a side empty (one-sided), crossed or locked,
 *   or a clear (action R) — however long that is: MBP-10 writes a row only when the top ten
 *   levels change, so a quiet book persists. After an ending event there is no book until the
 *   next usable row, and there is none after the file's last row (any row with a valid
 *   timestamp). Malformed rows are skipped entirely. Rows out of ts_event order take effect at
 *   the latest time seen so far (the integration runs in file order; start sampling is exact).
 * - Continuous trading: the opening cross is the first trade (action T) in the first 10 s
 *   after the session start (Nasdaq runs it at the open and prints it as one trade, within a
 *   second); the trades at its ts_event are the opening auction volume, and continuous trading
 *   starts at that instant: the book before it is the pre-open book and is never priced. No
 *   trade in those 10 s (or no action column): continuous trading starts at the session start.
 *   The closing auction is the first trade in the 10 s from the session end, with the trades at
 *   its ts_event. Auction volume is reported apart and is not in any period's volume.
 *   With `auctions: false` (a clock window cut from inside a session) there is neither:
 *   continuous trading starts at the session start and every trade is continuous volume.
 * - Coverage of a period: the fraction of it with a continuous book in effect. The largest gap
 *   is the longest stretch of the session without one (the pre-open, after a clear or a
 *   one-sided row, after the data ends). The longest stale stretch is the longest time one
 *   book stayed in effect: information on the book's age, not a gap.
 * - Sampling `start` (the book of period i): the book in effect at the moment its child order
 *   is sent, m_i = max(s_i, continuous start) (none for a period that ends before continuous
 *   trading starts): the book event with the greatest ts_event ≤ m_i (last in file order on
 *   ties), if that event is a usable row and m_i is before the data's end; else none (cap 0).
 *   Never a row from after m_i. Tracked in O(1) per row with one slot per period gap, so out-of-
 *   order ts_event is fine. These are also the replay books, whatever the sampling, and their
 *   mids (`startMids`) are what σ is estimated from.
 * - Sampling `average` (default): the time-averaged book. Each snapshot in effect for a
 *   fraction w of the period adds its levels with size × w at their offset from that
 *   snapshot's mid; equal offsets (rounded to 1e-9) merge, nothing else does, so the ladder
 *   is exact and convex (no compression: a 10-level book over a day gives tens of offsets,
 *   a few hundred for a wide, jumpy spread). A period covered for part of its length has
 *   proportionally less depth; one never covered has none (cap 0). Its spread is the
 *   time-averaged spread.
 * - Volume: rows with action `T` (a trade; `size` its shares) inside [s_i, s_{i+1}) add to
 *   period i, whether or not the row's book is usable, except the auction prints (above): the
 *   per-period volume is continuous volume. `F` (fill) rows describe the resting
 *   side of a trade already counted as `T`, and A/C/M/R/N rows are book updates: neither is
 *   volume. No `action` column: no volume (null). The effective spread of a period is the
 *   volume-weighted 2·|trade price − mid| over its trades, against the book in effect just
 *   before each trade (what trades actually paid, beside the quoted spread).
 * - Arrival price: the mid of the book in effect when continuous trading starts, else of the
 *   first usable row after that inside the session (never a statistic of the day). σ: see midVolatility in @shared/book (from the mids at period starts).
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createZstdDecompress } from 'node:zlib';
import { PlannerError } from '@shared/contract';
import { clockMinutes, type Session } from '@shared/plan';
import {
  clockLabel,
  ladderDepth,
  localToUtcMs,
  median,
  midVolatility,
  nextDate,
  planSymbol,
  sessionPeriods,
  utcToLocal,
  type BookPeriod,
  type BookStats,
  type Ladder,
  type Sampling,
} from '@shared/book';
import { fileErrorReason } from '../platform/fileErrors';
import { DbnMbp10Decoder, dbnStreamError, isDbnStart, isZstdStart } from './dbn/decoder';
import { DbnError } from './dbn/errors';
import { symbolsForInstrument, type DbnMetadata } from './dbn/metadata';
import { splitNs, type Mbp10View } from './dbn/mbp10Record';

export const LEVELS = 10;
const MAX_BAD_LINES = 20;
const MAX_LINE_BYTES = 1 << 20;
const SENTINEL = '9223372036854775807';
/** Snapshot layout: bid px ×10, bid sz ×10, ask px ×10, ask sz ×10. */
const SNAP = 4 * LEVELS;
const BID_PX = 0;
const BID_SZ = LEVELS;
const ASK_PX = 2 * LEVELS;
const ASK_SZ = 3 * LEVELS;

export interface SampleOptions {
  periodMinutes: number;
  session: Session;
  /** Session date YYYY-MM-DD; default from the data. */
  date?: string;
  /** 'average' (default): the time-averaged book of each period; 'start': the book in
   *  effect at the period's start. */
  sampling?: Sampling;
  /**
   * Whether the session's open and close are the real ones, with their auction prints
   * (default true). False for a clock window cut from inside a longer session: there is no
   * opening or closing cross to tell apart, every trade in the session is continuous volume
   * and continuous trading starts at the session start.
   */
  auctions?: boolean;
}

export type PeriodPoint = BookPeriod;

export interface ParsedBook {
  symbol: string;
  date: string;
  rows: number;
  usableRows: number;
  /** Malformed rows (wrong field count, unparsable numbers or timestamps). */
  badRows: number;
  badRowLines: number[];
  oneSidedRows: number;
  crossedRows: number;
  periods: number;
  periodMinutes: number;
  session: Session;
  emptyPeriods: number[];
  series: PeriodPoint[];
  /** Rows with action R (the book cleared). */
  clearRows: number;
  /** The ladders plans use (per the sampling). */
  ladders: { buy: Ladder[]; sell: Ladder[] };
  /** The book in effect when each period starts (what a child order sent then walks). */
  replayLadders: { buy: Ladder[]; sell: Ladder[] };
  stats: BookStats;
  medianSpread: number | null;
  medianBidDepth: number | null;
  medianAskDepth: number | null;
  priceFormat: 'decimal' | 'fixed' | 'unknown';
  timestampFormat: 'iso' | 'nanoseconds' | 'unknown';
}

function notMbp10(why: string): PlannerError {
  return new PlannerError('invalid_input', `not a Databento MBP-10 CSV file: ${why}`);
}

/** Push bytes in, get the sampled book out. Synchronous; the file reader drives it. */
export class Mbp10Parser {
  // Layout
  private columns = 0;
  private tsCol = -1;
  private symbolCol = -1;
  private actionCol = -1;
  private sizeCol = -1;
  private priceCol = -1;
  private publisherCol = -1;
  /** Whether the input has an action per row (T: trade, R: clear); without it, no volume. */
  private hasActions = false;
  /** Column index of each snapshot slot (SNAP entries). */
  private levelCols = new Int32Array(SNAP);
  private starts = new Int32Array(1);
  private headerDone = false;
  private sniffed = false;

  // Streaming state
  private carry: Uint8Array | null = null;
  private skippingLongLine = false;
  private lineNo = 0;

  // Counters
  private rows = 0;
  private usable = 0;
  private bad = 0;
  private badLines: number[] = [];
  private oneSided = 0;
  private crossed = 0;
  private clears = 0;
  private symbol = '';
  /** publisher_id values seen (one venue's book when there is only one). */
  private readonly publishers = new Set<number>();
  private priceMode: 0 | 1 | 2 = 0; // unknown, decimal, fixed
  private tsMode: 0 | 1 | 2 = 0; // unknown, iso, ns

  // Time: ns relative to baseSec
  private baseSec = NaN;
  /** baseSec in ns split into u32 halves (DBN: record times relative to it without a bigint). */
  private baseHi = 0;
  private baseLo = 0;
  private dbnMetadata: DbnMetadata | null = null;
  private dbnFile = '';
  /** The instrument id of the last DBN record (-1 before the first). */
  private dbnInstrument = -1;
  private tsScratchSec = 0;
  private tsScratchNs = 0;

  // Sampling
  private readonly row = new Float64Array(SNAP);
  private sessionReady = false;
  private date = '';
  private n = 0;
  private s0 = 0; // relative ns of period 0 start
  private periodNs = 0;
  private sessionEndNs = 0;
  private dayStartNs = 0;
  /** Usable rows from the session date's local midnight to the session's end. */
  private sessionDayRows = 0;
  /** Latest book event per slot (slot j: s_{j-1} < t ≤ s_j): its ts, whether it was a usable
   *  row (1) or an ending event (2: one-sided, crossed, clear), and the row. */
  private slotTs = new Float64Array(0);
  private slotKind = new Uint8Array(0);
  private slots = new Float64Array(0);
  private earliestTs = Infinity;
  private latestTs = -Infinity;
  /** Latest timestamp of any row with a valid timestamp: the data ends there. */
  private dataEndTs = -Infinity;
  private dataStartTs = Infinity;
  private readonly sampling: Sampling;

  // Trades (action T) per period
  private volume = new Float64Array(0);
  private tradeCount = new Float64Array(0);
  /** Σ 2·|trade price − mid before it|·size and Σ size of those trades, per period. */
  private effW = new Float64Array(0);
  private effVol = new Float64Array(0);

  // Continuous trading (see the rules above): undecided until a trade in the first 10 s
  // after the open or a row past it; meanwhile the stretches of book are kept in `pending`.
  private contDecided = false;
  private contStart = Infinity;
  private contByPrint = false;
  private pending: { a: number; b: number; book: Float64Array }[] = [];
  /** Book events before the decision: those from the open on, and the latest one before it
   *  (the book in effect at the continuous start is picked from them exactly). */
  private early: { t: number; kind: 1 | 2; book: Float64Array | null }[] = [];
  private preOpen: { t: number; kind: 1 | 2; book: Float64Array | null } | null = null;
  /** The book in effect at the continuous start (exact, as the slots are). */
  private readonly contBook = new Float64Array(SNAP);
  private contBookTs = -Infinity;
  private contBookOn = false;
  /** The first usable row after the continuous start (the arrival when no book is in effect then). */
  private arrivalTs = Infinity;
  private arrivalMid = NaN;
  private readonly openAuction = { ts: NaN, volume: 0, trades: 0, price: NaN };
  private readonly closeAuction = { ts: NaN, volume: 0, trades: 0, price: NaN };

  // Time integration of the book in effect (clamped to file order: a row earlier than the
  // latest one takes effect at the latest time).
  private readonly book = new Float64Array(SNAP);
  private bookOn = false;
  private bookT = 0;
  private clockT = -Infinity;
  private coverage = new Float64Array(0);
  private spreadW = new Float64Array(0);
  private accPeriod = -1;
  private readonly askAcc = new LevelAccumulator();
  private readonly bidAcc = new LevelAccumulator();
  private avgBuy: Ladder[] = [];
  private avgSell: Ladder[] = [];
  /** End of the last stretch a book was in effect (session-relative ns) and the longest gap. */
  private coveredUntil = 0;
  private gapFrom = 0;
  private gapTo = 0;
  /** The longest time one book stayed in effect inside continuous trading. */
  private staleFrom = 0;
  private staleTo = 0;

  constructor(private readonly opts: SampleOptions) {
    this.sampling = opts.sampling ?? 'average';
    const seconds = opts.periodMinutes * 60;
    if (!Number.isInteger(Math.round(seconds * 1e6) / 1e6) || seconds < 1) {
      throw new PlannerError(
        'invalid_input',
        `periodMinutes: must be a whole number of seconds of at least 1 (got ${opts.periodMinutes} minutes)`,
      );
    }
    // A plan labels its N periods by splitting the session evenly: a shorter last period
    // would shift every label from the book it was sampled from.
    const sessionSeconds = (clockMinutes(opts.session.end) - clockMinutes(opts.session.start)) * 60;
    const periodSeconds = Math.round(seconds);
    if (sessionSeconds % periodSeconds !== 0) {
      throw new PlannerError(
        'invalid_input',
        `periodMinutes: ${opts.periodMinutes} minutes does not divide the ${sessionSeconds / 60}-minute session ${opts.session.start}–${opts.session.end} into equal periods`,
      );
    }
  }

  /** Feed the next chunk of the file. */
  push(chunk: Uint8Array): void {
    if (!this.sniffed && chunk.length > 0) {
      this.sniffed = true;
      sniff(chunk);
    }
    let from = 0;
    if (this.carry || this.skippingLongLine) {
      const nl = chunk.indexOf(10);
      if (nl < 0) {
        if (!this.skippingLongLine) {
          const joined = concat(this.carry!, chunk);
          if (joined.length > MAX_LINE_BYTES) this.startSkippingLongLine();
          else this.carry = joined;
        }
        return;
      }
      if (this.skippingLongLine) {
        this.skippingLongLine = false;
      } else {
        const line = concat(this.carry!, chunk.subarray(0, nl + 1));
        this.carry = null;
        this.scan(line, 0, line.length);
      }
      from = nl + 1;
    }
    const end = this.scan(chunk, from, chunk.length);
    if (end < chunk.length) {
      if (chunk.length - end > MAX_LINE_BYTES) this.startSkippingLongLine();
      else this.carry = chunk.slice(end);
    }
  }

  /** End of input: the last line may lack a newline. Returns the sampled book. */
  finish(): ParsedBook {
    if (this.carry) {
      const line = concat(this.carry, new Uint8Array([10]));
      this.carry = null;
      this.scan(line, 0, line.length);
    }
    if (!this.headerDone) throw new PlannerError('invalid_input', 'the file is empty');
    if (this.rows === 0) throw new PlannerError('invalid_input', 'the file has no data rows');
    if (this.usable === 0) {
      throw new PlannerError(
        'invalid_input',
        `no usable book in the file: of ${this.rows} rows, ${this.bad} are malformed${this.badLinesText()}, ${this.oneSided} one-sided and ${this.crossed} crossed`,
      );
    }
    return this.sample();
  }

  private badLinesText(): string {
    return this.badLines.length ? ` (first at lines ${this.badLines.slice(0, 5).join(', ')})` : '';
  }

  private startSkippingLongLine(): void {
    this.carry = null;
    this.skippingLongLine = true;
    this.lineNo++;
    if (!this.headerDone)
      throw notMbp10('the first line is not a CSV header (no line break in 1 MB)');
    this.rows++;
    this.markBad();
  }

  /** Process complete lines in buf[from, to); returns the index after the last newline. */
  private scan(buf: Uint8Array, from: number, to: number): number {
    if (!this.headerDone) {
      const nl = buf.indexOf(10, from);
      if (nl < 0 || nl >= to) return from;
      this.header(buf, from, nl);
      from = nl + 1;
    }
    const starts = this.starts;
    const cap = starts.length;
    let lineStart = from;
    let nf = 0;
    starts[0] = from;
    for (let i = from; i < to; i++) {
      const c = buf[i];
      // Digits, letters, '.', '-', ':' are all above ','; one test skips them.
      if (c > 44) continue;
      if (c === 44) {
        nf++;
        if (nf < cap) starts[nf] = i + 1;
      } else if (c === 10) {
        this.lineNo++;
        let end = i;
        if (end > lineStart && buf[end - 1] === 13) end--;
        if (end > lineStart) this.dataRow(buf, end, nf + 1);
        lineStart = i + 1;
        nf = 0;
        starts[0] = lineStart;
      }
    }
    return lineStart;
  }

  private header(buf: Uint8Array, from: number, nl: number): void {
    this.lineNo = 1;
    let text = decoder.decode(buf.subarray(from, nl));
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    const names = text
      .replace(/\r$/, '')
      .split(',')
      .map((s) => s.trim().replace(/^"(.*)"$/, '$1'));
    const first = new Map<string, number>();
    names.forEach((name, i) => {
      if (!first.has(name)) first.set(name, i);
    });
    const need = (name: string) => first.get(name) ?? -1;
    this.tsCol = need('ts_event');
    this.symbolCol = need('symbol');
    this.actionCol = need('action');
    this.sizeCol = need('size');
    this.priceCol = need('price');
    this.publisherCol = need('publisher_id');
    this.hasActions = this.actionCol >= 0;
    const missing: string[] = [];
    if (this.tsCol < 0) missing.push('ts_event');
    let levelsSeen = 0;
    for (let k = 0; k < LEVELS; k++) {
      const nn = String(k).padStart(2, '0');
      const cols = [`bid_px_${nn}`, `bid_sz_${nn}`, `ask_px_${nn}`, `ask_sz_${nn}`];
      const idx = cols.map(need);
      if (idx.some((c) => c >= 0)) levelsSeen++;
      idx.forEach((c, j) => {
        if (c < 0) missing.push(cols[j]);
        this.levelCols[j * LEVELS + k] = c;
      });
    }
    if (missing.length) {
      const list = missing.slice(0, 4).join(', ') + (missing.length > 4 ? ', …' : '');
      const why =
        levelsSeen === 0
          ? `the header has no bid_px_00/ask_px_00 level columns (missing ${list})`
          : levelsSeen < LEVELS
            ? `the header has ${levelsSeen} price level(s) per side, MBP-10 needs ${LEVELS} (missing ${list})`
            : `the header lacks ${list}`;
      throw notMbp10(why);
    }
    this.columns = names.length;
    this.starts = new Int32Array(this.columns + 1);
    this.headerDone = true;
  }

  private markBad(): void {
    this.bad++;
    if (this.badLines.length < MAX_BAD_LINES) this.badLines.push(this.lineNo);
  }

  private fieldEnd(f: number, lineEnd: number): number {
    return f + 1 < this.columns ? this.starts[f + 1] - 1 : lineEnd;
  }

  private dataRow(buf: Uint8Array, lineEnd: number, fields: number): void {
    this.rows++;
    if (fields !== this.columns) return this.markBad();
    const starts = this.starts;
    // Timestamp
    const tc = this.tsCol;
    if (!this.parseTs(buf, starts[tc], this.fieldEnd(tc, lineEnd))) return this.markBad();
    // Levels
    const row = this.row;
    const cols = this.levelCols;
    for (let j = 0; j < SNAP; j++) {
      const c = cols[j];
      const s = starts[c];
      const e = this.fieldEnd(c, lineEnd);
      const v = j % (2 * LEVELS) < LEVELS ? this.parsePrice(buf, s, e) : parseSize(buf, s, e);
      if (v !== v) return this.markBad();
      row[j] = v;
    }
    // A trade: action T, its size in `size`. A clear: action R.
    let traded = 0;
    let tradePx = NaN;
    let clear = false;
    const ac = this.actionCol;
    if (ac >= 0 && this.fieldEnd(ac, lineEnd) === starts[ac] + 1) {
      const a = buf[starts[ac]];
      if (a === 84) {
        const zc = this.sizeCol;
        traded = zc >= 0 ? parseSize(buf, starts[zc], this.fieldEnd(zc, lineEnd)) : 0;
        if (traded !== traded) return this.markBad();
        const pc = this.priceCol;
        if (pc >= 0) tradePx = this.parsePrice(buf, starts[pc], this.fieldEnd(pc, lineEnd));
      } else if (a === 82) clear = true;
    }
    if (!this.symbol && this.symbolCol >= 0 && this.rows < 1000) {
      const c = this.symbolCol;
      this.symbol = decoder
        .decode(buf.subarray(starts[c], this.fieldEnd(c, lineEnd)))
        .replace(/^"(.*)"$/, '$1')
        .trim();
    }
    if (this.publisherCol >= 0 && this.publishers.size < 64) {
      const c = this.publisherCol;
      const id = parseSize(buf, starts[c], this.fieldEnd(c, lineEnd));
      if (id === id && this.fieldEnd(c, lineEnd) > starts[c]) this.publishers.add(id);
    }
    if (this.baseSec !== this.baseSec) this.baseSec = this.tsScratchSec;
    this.record(
      (this.tsScratchSec - this.baseSec) * 1e9 + this.tsScratchNs,
      traded,
      tradePx,
      clear,
    );
  }

  /**
   * The seam where a record enters the book, whichever reader decoded it (CSV here, DBN in
   * pushDbnRecord): `row` holds its 10 levels per side in $ (EMPTY_MARK for an empty level),
   * t its ts_event in ns relative to baseSec, `traded` / `tradePx` its trade (action T) and
   * `clear` an action R. Everything after is one code path.
   */
  private record(t: number, traded: number, tradePx: number, clear: boolean): void {
    const row = this.row;
    if (!this.sessionReady) this.setupSession(t);
    if (t > this.dataEndTs) this.dataEndTs = t;
    if (t < this.dataStartTs) this.dataStartTs = t;
    // No opening print in the first 10 s: continuous trading started at the open.
    if (!this.contDecided && t >= this.s0 + AUCTION_WINDOW_NS)
      this.decideContinuous(this.s0, false);
    if (traded > 0) this.trade(t, traded, tradePx);
    if (clear) {
      this.clears++;
      return this.endBook(t);
    }
    const bb = row[BID_PX];
    const ba = row[ASK_PX];
    if (!(bb > 0 && row[BID_SZ] > 0 && ba > 0 && row[ASK_SZ] > 0)) {
      this.oneSided++;
      return this.endBook(t);
    }
    if (!(bb < ba)) {
      this.crossed++;
      return this.endBook(t);
    }
    this.usable++;
    if (t > this.latestTs) this.latestTs = t;
    if (t < this.earliestTs) this.earliestTs = t;
    // A book persists between updates, even from the evening before; but a session date
    // with no row at all (say --date a day after the data) has no book of its own.
    if (t >= this.dayStartNs && t < this.sessionEndNs) this.sessionDayRows++;
    this.takeEffect(t);
    this.noteEvent(t, 1);
  }

  /**
   * The input is DBN (no header): prices are 1e-9 fixed point, times integer ns, and every
   * record has an action. Called once, with the file's metadata, before any record.
   */
  beginDbn(metadata: DbnMetadata, file: string): void {
    this.dbnFile = file;
    this.headerDone = true;
    this.sniffed = true;
    this.hasActions = true;
    this.priceMode = 2;
    this.tsMode = 2;
    this.dbnMetadata = metadata;
  }

  /** One DBN MBP-10 record, with the same values a CSV row of it gives, into the same seam. */
  pushDbnRecord(v: Mbp10View): void {
    this.rows++;
    const row = this.row;
    for (let k = 0; k < LEVELS; k++) {
      row[BID_PX + k] = nanoPrice(v.bidPxNano(k));
      row[ASK_PX + k] = nanoPrice(v.askPxNano(k));
      row[BID_SZ + k] = v.bidSz(k);
      row[ASK_SZ + k] = v.askSz(k);
    }
    let traded = 0;
    let tradePx = NaN;
    let clear = false;
    const a = v.action;
    if (a === 84) {
      traded = v.size;
      tradePx = nanoPrice(v.priceNano());
    } else if (a === 82) clear = true;
    if (this.baseSec !== this.baseSec) {
      const sec = v.tsEvent() / 1_000_000_000n;
      this.baseSec = Number(sec);
      const base = splitNs(sec * 1_000_000_000n);
      this.baseHi = base.hi;
      this.baseLo = base.lo;
    }
    if (v.instrumentId !== this.dbnInstrument) this.dbnInstrumentChange(v);
    if (this.publishers.size < 64) this.publishers.add(v.publisherId);
    this.record(v.tsEventSince(this.baseHi, this.baseLo), traded, tradePx, clear);
  }

  /**
   * A record of another instrument id than the last: the symbol comes from the first one; a
   * later id of another symbol (a download of several symbols) is refused, since mixing
   * their books would plan against neither. The same symbol under a new id (ids can change
   * from day to day) is fine.
   */
  private dbnInstrumentChange(v: Mbp10View): void {
    const symbol = this.dbnMetadata ? dbnSymbol(this.dbnMetadata, v.instrumentId, v.tsEvent()) : '';
    if (this.dbnInstrument < 0) this.symbol = symbol;
    else if (symbol !== this.symbol) {
      const name = (s: string, id: number) => (s ? `${s} (instrument ${id})` : `instrument ${id}`);
      throw new DbnError(
        'record',
        this.dbnFile,
        `the file holds the books of more than one instrument (${name(this.symbol, this.dbnInstrument)} and ${name(symbol, v.instrumentId)} at record ${this.rows}); import one symbol per file`,
      );
    }
    this.dbnInstrument = v.instrumentId;
  }

  /** A trade row: an auction print or continuous volume of its period. */
  private trade(t: number, size: number, px: number): void {
    if (!this.hasActions) return;
    const auctions = this.opts.auctions !== false;
    if (t >= this.s0 && t < this.sessionEndNs) {
      if (!this.contDecided) this.decideContinuous(auctions ? t : this.s0, auctions);
      if (this.contByPrint && t === this.contStart) {
        addPrint(this.openAuction, t, size, px);
        return;
      }
      const i = Math.floor((t - this.s0) / this.periodNs);
      this.volume[i] += size;
      this.tradeCount[i]++;
      // Effective spread against the mid of the book in effect before the trade.
      if (this.bookOn && px > 0 && t >= this.contStart) {
        const mid = (this.book[BID_PX] + this.book[ASK_PX]) / 2;
        this.effW[i] += 2 * Math.abs(px - mid) * size;
        this.effVol[i] += size;
      }
    } else if (auctions && t >= this.sessionEndNs && t < this.sessionEndNs + AUCTION_WINDOW_NS) {
      const c = this.closeAuction;
      if (c.ts !== c.ts || t === c.ts) addPrint(c, t, size, px);
    }
  }

  /** Continuous trading starts at c (an opening print, or the open). */
  private decideContinuous(c: number, byPrint: boolean): void {
    this.contDecided = true;
    this.contStart = c;
    this.contByPrint = byPrint;
    let at = this.preOpen;
    const early = this.early;
    for (const e of early) if (e.t <= c && (!at || e.t >= at.t)) at = e;
    this.early = [];
    this.preOpen = null;
    this.contBookTs = at ? at.t : -Infinity;
    this.contBookOn = at?.kind === 1;
    if (at?.book) this.contBook.set(at.book);
    for (const e of early) if (e.book) this.noteArrival(e.t, e.book);
    const pending = this.pending;
    this.pending = [];
    for (const p of pending) this.effect(p.a, p.b, p.book);
  }

  /** Slot bookkeeping of a book event at t (kind 1: a usable row in `row`, 2: an ending event). */
  private noteEvent(t: number, kind: 1 | 2): void {
    if (!this.contDecided) {
      const e = { t, kind, book: kind === 1 ? this.row.slice() : null };
      if (t >= this.s0) this.early.push(e);
      else if (!this.preOpen || t >= this.preOpen.t) this.preOpen = e;
    } else if (kind === 1 && t > this.contStart) {
      this.noteArrival(t, this.row);
    } else if (t <= this.contStart && t >= this.contBookTs) {
      this.contBookTs = t;
      this.contBookOn = kind === 1;
      if (kind === 1) this.contBook.set(this.row);
    }
    // Slot j holds events with s_{j-1} < t ≤ s_j.
    let j = 0;
    if (t > this.s0) {
      j = Math.ceil((t - this.s0) / this.periodNs);
      if (j >= this.n) return;
    }
    if (t >= this.slotTs[j]) {
      this.slotTs[j] = t;
      this.slotKind[j] = kind;
      if (kind === 1) this.slots.set(this.row, j * SNAP);
    }
  }

  /** A usable book at t after the continuous start: the arrival if none is in effect then. */
  private noteArrival(t: number, book: Float64Array): void {
    if (t > this.contStart && t < this.sessionEndNs && t < this.arrivalTs) {
      this.arrivalTs = t;
      this.arrivalMid = (book[BID_PX] + book[ASK_PX]) / 2;
    }
  }

  /** The usable row in `row` becomes the book in effect at t (clamped to file order). */
  private takeEffect(t: number): void {
    const tc = t > this.clockT ? t : this.clockT;
    this.clockT = tc;
    if (this.bookOn) this.effect(this.bookT, tc, this.book);
    this.book.set(this.row);
    this.bookT = tc;
    this.bookOn = true;
  }

  /** A one-sided, crossed or cleared book at t: no book in effect from then on. */
  private endBook(t: number): void {
    const tc = t > this.clockT ? t : this.clockT;
    this.clockT = tc;
    if (this.bookOn) this.effect(this.bookT, tc, this.book);
    this.bookOn = false;
    this.noteEvent(t, 2);
  }

  /** `book` was in effect over [a, b): add what falls inside continuous trading. */
  private effect(a: number, b: number, book: Float64Array): void {
    if (!this.contDecided) {
      if (b > this.s0 && b > a) this.pending.push({ a, b, book: book.slice() });
      return;
    }
    const lo = Math.max(a, this.s0, this.contStart);
    const hi = Math.min(b, this.sessionEndNs);
    if (!(hi > lo)) return;
    this.noteGap(lo);
    if (hi > this.coveredUntil) this.coveredUntil = hi;
    if (hi - lo > this.staleTo - this.staleFrom) {
      this.staleFrom = lo;
      this.staleTo = hi;
    }
    this.integrate(lo, hi, book);
  }

  /** A book starts at t: the stretch since the last one ended had none. */
  private noteGap(t: number): void {
    const from = Math.max(this.coveredUntil, this.s0);
    const to = Math.min(t, this.sessionEndNs);
    if (to - from > this.gapTo - this.gapFrom) {
      this.gapFrom = from;
      this.gapTo = to;
    }
  }

  /** Add `book`, in effect over [a, b) inside the session, to the periods it overlaps. */
  private integrate(a: number, b: number, book: Float64Array): void {
    const P = this.periodNs;
    const bb = book[BID_PX];
    const ba = book[ASK_PX];
    const mid = (bb + ba) / 2;
    const average = this.sampling === 'average';
    for (let i = Math.floor((a - this.s0) / P); i < this.n; i++) {
      const ps = this.s0 + i * P;
      const pe = ps + P;
      const seg = Math.min(b, pe) - Math.max(a, ps);
      if (seg > 0) {
        const w = seg / P;
        if (i !== this.accPeriod) {
          this.flushAverage();
          this.accPeriod = i;
        }
        this.coverage[i] += w;
        this.spreadW[i] += w * (ba - bb);
        if (average) {
          for (let k = 0; k < LEVELS; k++) {
            const apx = book[ASK_PX + k];
            const asz = book[ASK_SZ + k];
            if (apx !== EMPTY_MARK && asz > 0) {
              const key = Math.round((apx - mid) * 1e9);
              if (key >= 0) this.askAcc.add(key, asz * w);
            }
            const bpx = book[BID_PX + k];
            const bsz = book[BID_SZ + k];
            if (bpx !== EMPTY_MARK && bsz > 0) {
              const key = Math.round((mid - bpx) * 1e9);
              if (key >= 0) this.bidAcc.add(key, bsz * w);
            }
          }
        }
      }
      if (b <= pe) break;
    }
  }

  private flushAverage(): void {
    const i = this.accPeriod;
    if (i < 0 || this.sampling !== 'average') return;
    this.avgBuy[i] = this.askAcc.drain();
    this.avgSell[i] = this.bidAcc.drain();
  }

  private setupSession(firstUsableRel: number): void {
    const { session, periodMinutes } = this.opts;
    const startMin = clockMinutes(session.start);
    const endMin = clockMinutes(session.end);
    let date = this.opts.date;
    if (!date) {
      const utcMs = this.baseSec * 1000 + firstUsableRel / 1e6;
      const local = utcToLocal(utcMs, session.timeZone);
      date = local.minutes >= endMin ? nextDate(local.date) : local.date;
    }
    this.date = date;
    const startMs = localToUtcMs(date, startMin, session.timeZone);
    const endMs = localToUtcMs(date, endMin, session.timeZone);
    this.s0 = (startMs / 1000 - this.baseSec) * 1e9;
    this.dayStartNs = (localToUtcMs(date, 0, session.timeZone) / 1000 - this.baseSec) * 1e9;
    this.sessionEndNs = (endMs / 1000 - this.baseSec) * 1e9;
    this.periodNs = Math.round(periodMinutes * 60) * 1e9;
    this.n = sessionPeriods(session, periodMinutes);
    this.slotTs = new Float64Array(this.n).fill(-Infinity);
    this.slotKind = new Uint8Array(this.n);
    this.slots = new Float64Array(this.n * SNAP);
    this.volume = new Float64Array(this.n);
    this.tradeCount = new Float64Array(this.n);
    this.effW = new Float64Array(this.n);
    this.effVol = new Float64Array(this.n);
    this.coverage = new Float64Array(this.n);
    this.spreadW = new Float64Array(this.n);
    this.avgBuy = Array.from({ length: this.n }, () => []);
    this.avgSell = Array.from({ length: this.n }, () => []);
    this.coveredUntil = this.s0;
    this.sessionReady = true;
    // Without trades no auction can be told apart: continuous trading from the open.
    if (!this.hasActions) this.decideContinuous(this.s0, false);
  }

  /** A relative time as an ISO-8601 UTC instant (to the second). */
  private isoOf(rel: number): string {
    return new Date(Math.floor(this.baseSec * 1000 + rel / 1e6)).toISOString().slice(0, 19) + 'Z';
  }

  private sample(): ParsedBook {
    const n = this.n;
    const P = this.periodNs;
    if (!this.contDecided) this.decideContinuous(this.s0, false);
    // The last book stays in effect until the data ends.
    if (this.bookOn) this.effect(this.bookT, Math.max(this.dataEndTs, this.bookT), this.book);
    this.noteGap(this.sessionEndNs);
    this.flushAverage();
    const replayBuy: Ladder[] = [];
    const replaySell: Ladder[] = [];
    const startSnaps: (Float64Array | null)[] = [];
    /** The moment each period's child order is sent (NaN: before continuous trading). */
    const moments: number[] = [];
    let current = -1;
    for (let i = 0; i < n; i++) {
      if (this.slotTs[i] > -Infinity) current = i;
      const start = this.s0 + i * P;
      let snap: Float64Array | null = null;
      let moment = start;
      if (start + P <= this.contStart) moment = NaN;
      else if (start < this.contStart) {
        moment = this.contStart;
        if (this.contBookOn && moment < this.dataEndTs) snap = this.contBook;
      } else if (current >= 0 && this.slotKind[current] === 1 && start < this.dataEndTs) {
        snap = this.slots.subarray(current * SNAP, (current + 1) * SNAP);
      }
      moments.push(moment);
      startSnaps.push(snap);
      replayBuy.push(snap ? ladderOf(snap, ASK_PX, ASK_SZ, 1) : []);
      replaySell.push(snap ? ladderOf(snap, BID_PX, BID_SZ, -1) : []);
    }
    const average = this.sampling === 'average';
    const buy = average ? this.avgBuy : replayBuy;
    const sell = average ? this.avgSell : replaySell;
    const startSec = clockMinutes(this.opts.session.start) * 60;
    // Instants are labelled by the second they fall in (09:30:00.7 is 09:30:00).
    const label = (rel: number) => clockLabel(Math.floor(startSec + (rel - this.s0) / 1e9));
    const withTrades = this.hasActions;
    const series: PeriodPoint[] = [];
    const emptyPeriods: number[] = [];
    let partial = 0;
    let maxLevels = 0;
    let volume = 0;
    let trades = 0;
    for (let i = 0; i < n; i++) {
      const snap = startSnaps[i];
      const cover = Math.min(1, round9(this.coverage[i]));
      const has = average ? cover > 0 : snap !== null;
      if (!has) emptyPeriods.push(i + 1);
      else if (cover < 1 - 1e-9) partial++;
      maxLevels = Math.max(maxLevels, buy[i].length, sell[i].length);
      volume += this.volume[i];
      trades += this.tradeCount[i];
      let spread: number | null = null;
      if (average) spread = cover > 0 ? round9(this.spreadW[i] / this.coverage[i]) : null;
      else if (snap) spread = round9(snap[ASK_PX] - snap[BID_PX]);
      series.push({
        start: clockLabel(startSec + (i * P) / 1e9),
        mid: snap ? round9((snap[BID_PX] + snap[ASK_PX]) / 2) : null,
        spread,
        bidDepth: round9(ladderDepth(sell[i])),
        askDepth: round9(ladderDepth(buy[i])),
        coverage: cover,
        volume: withTrades ? this.volume[i] : null,
        trades: withTrades ? this.tradeCount[i] : null,
        effectiveSpread: this.effVol[i] > 0 ? round9(this.effW[i] / this.effVol[i]) : null,
        quotedSpread: cover > 0 ? round9(this.spreadW[i] / this.coverage[i]) : null,
      });
    }
    const first = startSnaps.findIndex((snap) => snap !== null);
    const minutes = (from: number, to: number) => Math.round(((to - from) / 60e9) * 1e6) / 1e6;
    const auction = (a: { ts: number; volume: number; trades: number; price: number }) =>
      a.ts === a.ts
        ? {
            at: label(a.ts),
            volume: a.volume,
            trades: a.trades,
            price: a.price > 0 ? round9(a.price) : null,
          }
        : null;
    if (emptyPeriods.length === n || this.sessionDayRows === 0) {
      throw new PlannerError(
        'invalid_input',
        `no usable book in any period of the session ${this.date} ${this.opts.session.start}–${this.opts.session.end} ${this.opts.session.timeZone}: the file's usable rows run from ${this.isoOf(this.earliestTs)} to ${this.isoOf(this.latestTs)}`,
      );
    }
    const gapMinutes = (this.gapTo - this.gapFrom) / 60e9;
    const stats: BookStats = {
      sampling: this.sampling,
      coveredPeriods: n - emptyPeriods.length,
      partialPeriods: partial,
      largestGap:
        gapMinutes >= 1 / 60
          ? {
              from: label(this.gapFrom),
              to: label(this.gapTo),
              minutes: Math.round(gapMinutes * 1e6) / 1e6,
            }
          : null,
      dataStart: this.isoOf(this.dataStartTs),
      dataEnd: this.isoOf(this.dataEndTs),
      volume: withTrades ? volume : null,
      trades: withTrades ? trades : null,
      sigma: midVolatility(
        series.map((p) => p.mid),
        this.opts.periodMinutes,
      ),
      arrival:
        this.contBookOn && this.contStart < this.dataEndTs
          ? {
              mid: round9((this.contBook[BID_PX] + this.contBook[ASK_PX]) / 2),
              at: label(this.contStart),
            }
          : Number.isFinite(this.arrivalTs)
            ? { mid: round9(this.arrivalMid), at: label(this.arrivalTs) }
            : null,
      maxLevels,
      continuous: {
        start: label(this.contStart),
        rule: this.contByPrint ? 'opening print' : 'session start',
        spread:
          first >= 0 && moments[first] === this.contStart
            ? round9(startSnaps[first]![ASK_PX] - startSnaps[first]![BID_PX])
            : null,
      },
      openingAuction: withTrades ? auction(this.openAuction) : null,
      closingAuction: withTrades ? auction(this.closeAuction) : null,
      longestStale:
        this.staleTo - this.staleFrom >= 1e9
          ? {
              from: label(this.staleFrom),
              to: label(this.staleTo),
              minutes: minutes(this.staleFrom, this.staleTo),
            }
          : null,
      publishers: [...this.publishers].sort((a, b) => a - b),
      startMids: series.map((p) => p.mid),
    };
    const covered = series.filter((p) => p.mid !== null || (p.coverage ?? 0) > 0);
    return {
      symbol: this.symbol,
      date: this.date,
      rows: this.rows,
      usableRows: this.usable,
      badRows: this.bad,
      badRowLines: this.badLines,
      oneSidedRows: this.oneSided,
      crossedRows: this.crossed,
      periods: n,
      periodMinutes: this.opts.periodMinutes,
      session: this.opts.session,
      emptyPeriods,
      series,
      clearRows: this.clears,
      ladders: { buy, sell },
      replayLadders: { buy: replayBuy, sell: replaySell },
      stats,
      medianSpread: median(covered.flatMap((p) => (p.spread === null ? [] : [p.spread]))),
      medianBidDepth: median(covered.map((p) => p.bidDepth)),
      medianAskDepth: median(covered.map((p) => p.askDepth)),
      priceFormat: this.priceMode === 2 ? 'fixed' : this.priceMode === 1 ? 'decimal' : 'unknown',
      timestampFormat: this.tsMode === 2 ? 'nanoseconds' : this.tsMode === 1 ? 'iso' : 'unknown',
    };
  }

  /** Parse a timestamp field into tsScratchSec / tsScratchNs; false when unparsable. */
  private parseTs(buf: Uint8Array, s: number, e: number): boolean {
    if (buf[s] === 34 && e - s >= 2 && buf[e - 1] === 34) {
      s++;
      e--;
    }
    if (e - s < 1) return false;
    // Integer nanoseconds: all digits.
    if (e - s >= 10 && e - s <= 20 && !(buf[s + 4] === 45)) {
      let sec = 0;
      let ns = 0;
      const split = e - 9;
      for (let i = s; i < e; i++) {
        const d = buf[i] - 48;
        if (d < 0 || d > 9) return false;
        if (i < split) sec = sec * 10 + d;
        else ns = ns * 10 + d;
      }
      this.tsScratchSec = sec;
      this.tsScratchNs = ns;
      if (this.tsMode === 0) this.tsMode = 2;
      return true;
    }
    return this.parseIso(buf, s, e);
  }

  private parseIso(buf: Uint8Array, s: number, e: number): boolean {
    // YYYY-MM-DD[T ]HH:MM:SS
    if (e - s < 19) return false;
    const y = digits(buf, s, 4);
    const mo = digits(buf, s + 5, 2);
    const d = digits(buf, s + 8, 2);
    const h = digits(buf, s + 11, 2);
    const mi = digits(buf, s + 14, 2);
    const se = digits(buf, s + 17, 2);
    if (
      buf[s + 4] !== 45 ||
      buf[s + 7] !== 45 ||
      (buf[s + 10] !== 84 && buf[s + 10] !== 32) ||
      buf[s + 13] !== 58 ||
      buf[s + 16] !== 58 ||
      y < 0 ||
      mo < 1 ||
      mo > 12 ||
      d < 1 ||
      d > 31 ||
      h < 0 ||
      h > 23 ||
      mi < 0 ||
      mi > 59 ||
      se < 0 ||
      se > 60
    )
      return false;
    let i = s + 19;
    let ns = 0;
    if (i < e && buf[i] === 46) {
      i++;
      let k = 0;
      while (i < e && buf[i] >= 48 && buf[i] <= 57) {
        if (k < 9) {
          ns = ns * 10 + (buf[i] - 48);
          k++;
        }
        i++;
      }
      if (k === 0) return false;
      for (; k < 9; k++) ns *= 10;
    }
    let offsetSec = 0;
    if (i < e) {
      const c = buf[i];
      if (c === 90 && i + 1 === e) {
        i++;
      } else if (c === 43 || c === 45) {
        const oh = digits(buf, i + 1, 2);
        // ±HH, ±HH:MM or ±HHMM
        let om: number;
        if (i + 3 === e) om = 0;
        else if (buf[i + 3] === 58 && i + 6 === e) om = digits(buf, i + 4, 2);
        else if (i + 5 === e) om = digits(buf, i + 3, 2);
        else return false;
        if (oh < 0 || om < 0 || oh > 23 || om > 59) return false;
        offsetSec = (c === 43 ? 1 : -1) * (oh * 3600 + om * 60);
        i = e;
      } else return false;
    }
    if (i !== e) return false;
    this.tsScratchSec = daysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se - offsetSec;
    this.tsScratchNs = ns;
    if (this.tsMode === 0) this.tsMode = 1;
    return true;
  }

  /** A price in price units; EMPTY_MARK for an empty level; NaN when unparsable. */
  private parsePrice(buf: Uint8Array, s: number, e: number): number {
    if (buf[s] === 34 && e - s >= 2 && buf[e - 1] === 34) {
      s++;
      e--;
    }
    if (s >= e) return EMPTY_MARK;
    if (e - s === 19 && matches(buf, s, SENTINEL_BYTES)) return EMPTY_MARK;
    const v = parseDecimal(buf, s, e);
    if (!(v >= 0)) return NaN;
    if (this.priceMode === 0) {
      this.priceMode = decimalSeen || Math.abs(v) < 1e6 ? 1 : 2;
    }
    if (this.priceMode === 2) {
      if (decimalSeen) return NaN;
      return v / 1e9;
    }
    if (v >= 9.2e9) return EMPTY_MARK;
    return v;
  }
}

/** Refuse compressed or binary text input up front with a message that says what it is
 *  (importMbp10File sends DBN and zstd files to the DBN reader before this sees them). */
function sniff(chunk: Uint8Array): void {
  const at = (i: number, v: number) => chunk[i] === v;
  if (at(0, 0x1f) && at(1, 0x8b))
    throw notMbp10('the file is gzip-compressed; decompress it first');
  if (at(0, 0x28) && at(1, 0xb5) && at(2, 0x2f) && at(3, 0xfd))
    throw notMbp10('the file is zstd-compressed; decompress it first (zstd -d)');
  if (at(0, 0x50) && at(1, 0x4b))
    throw notMbp10('the file is a zip archive; extract the CSV first');
  if (at(0, 0x44) && at(1, 0x42) && at(2, 0x4e))
    throw notMbp10('this is a binary DBN file, not CSV text: import the file itself (read as DBN)');
  const head = chunk.subarray(0, 4096);
  if (head.includes(0)) throw notMbp10('the file is binary, not CSV text');
}

/** A DBN price in 1e-9 units as $ (the same double a CSV's decimal gives); EMPTY_MARK for
 *  UNDEF_PRICE (NaN here). */
function nanoPrice(nano: number): number {
  return nano === nano ? nano / 1e9 : EMPTY_MARK;
}

/**
 * The symbol of a DBN record: the raw symbol the metadata's mappings give its instrument on
 * the record's (UTC) date, else on any date, else the file's one requested symbol.
 */
function dbnSymbol(m: DbnMetadata, instrumentId: number, tsEvent: bigint): string {
  const day = new Date(Number(tsEvent / 1_000_000n)).toISOString().slice(0, 10);
  const date = Number(day.replace(/-/g, ''));
  const requested = m.symbols.filter((s) => s !== 'ALL_SYMBOLS');
  return (
    symbolsForInstrument(m, instrumentId, date)[0] ??
    symbolsForInstrument(m, instrumentId)[0] ??
    (requested.length === 1 ? requested[0] : '')
  );
}

/** Marks an empty level's price in the row scratch (fails every `> 0` test). */
const EMPTY_MARK = -Infinity;
const decoder = new TextDecoder();
const SENTINEL_BYTES = new TextEncoder().encode(SENTINEL);

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
    const v = Number(decoder.decode(buf.subarray(s, e)));
    return Number.isFinite(v) ? v : NaN;
  }
  if (nd > 15) {
    const v = Number(decoder.decode(buf.subarray(s, e)));
    return Number.isFinite(v) ? v : NaN;
  }
  const v = scale ? mant / POW10[scale] : mant;
  return neg ? -v : v;
}

const POW10 = Array.from({ length: 24 }, (_, k) => 10 ** k);

/** A size: blank → 0 (empty level), else a non-negative number; NaN when invalid. */
function parseSize(buf: Uint8Array, s: number, e: number): number {
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

function digits(buf: Uint8Array, s: number, n: number): number {
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

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/** How long after the open the opening print (and after the close the closing print) may come. */
const AUCTION_WINDOW_NS = 10e9;

/** Add a trade to an auction print (the first trade sets its time and price). */
function addPrint(
  a: { ts: number; volume: number; trades: number; price: number },
  t: number,
  size: number,
  px: number,
): void {
  if (a.ts !== a.ts) {
    a.ts = t;
    a.price = px;
  }
  a.volume += size;
  a.trades++;
}

function round9(v: number): number {
  return Math.round(v * 1e9) / 1e9;
}

/** One side's ladder of a snapshot, cheapest first (sign +1: asks above the mid, −1: bids
 *  below it); empty levels and levels through the mid dropped. */
function ladderOf(snap: Float64Array, pxAt: number, szAt: number, sign: 1 | -1): Ladder {
  const mid = (snap[BID_PX] + snap[ASK_PX]) / 2;
  const out: Ladder = [];
  for (let k = 0; k < LEVELS; k++) {
    const px = snap[pxAt + k];
    const sz = snap[szAt + k];
    if (px === EMPTY_MARK || !(sz > 0)) continue;
    const off = round9(sign * (px - mid));
    if (off >= 0) out.push([off, sz]);
  }
  out.sort((a, b) => a[0] - b[0]);
  return out;
}

/**
 * Sums sizes per price offset for one period (open addressing, no allocation per level);
 * drain() returns the merged ladder, cheapest first, and resets. Keys are offsets in whole
 * 1e-9 price units (Math.round(offset × 1e9), as round9 rounds), so equal offsets merge
 * exactly and nothing else does.
 */
export class LevelAccumulator {
  private keys: Float64Array;
  private vals: Float64Array;
  private used: Int32Array;
  private count = 0;
  private mask: number;

  constructor(capacity = 1024) {
    this.keys = new Float64Array(capacity).fill(NaN);
    this.vals = new Float64Array(capacity);
    this.used = new Int32Array(capacity);
    this.mask = capacity - 1;
  }

  add(key: number, size: number): void {
    const mask = this.mask;
    let h = Math.imul(key | 0, 0x9e3779b1) >>> 0;
    h = (h ^ (h >>> 15)) & mask;
    const keys = this.keys;
    for (;;) {
      const k = keys[h];
      if (k === key) {
        this.vals[h] += size;
        return;
      }
      if (k !== k) break;
      h = (h + 1) & mask;
    }
    keys[h] = key;
    this.vals[h] = size;
    this.used[this.count++] = h;
    if (this.count * 2 > mask) this.grow();
  }

  drain(): Ladder {
    const out: Ladder = [];
    for (let i = 0; i < this.count; i++) {
      const h = this.used[i];
      out.push([this.keys[h] / 1e9, Number(this.vals[h].toPrecision(12))]);
      this.keys[h] = NaN;
    }
    this.count = 0;
    out.sort((a, b) => a[0] - b[0]);
    return out;
  }

  private grow(): void {
    const entries: [number, number][] = [];
    for (let i = 0; i < this.count; i++) {
      const h = this.used[i];
      entries.push([this.keys[h], this.vals[h]]);
    }
    const capacity = (this.mask + 1) * 2;
    this.keys = new Float64Array(capacity).fill(NaN);
    this.vals = new Float64Array(capacity);
    this.used = new Int32Array(capacity);
    this.mask = capacity - 1;
    this.count = 0;
    for (const [k, v] of entries) this.add(k, v);
  }
}

export interface ReadProgress {
  bytes: number;
  totalBytes: number;
}

export interface ImportFileResult extends ParsedBook {
  sha256: string;
  bytes: number;
  symbol: string;
}

/**
 * Stream a file through the parser (bounded memory: one chunk + one carried line, or one
 * chunk + one record for DBN), hashing it on the way. The format is told by content: a file
 * that starts with "DBN", or a zstd frame (`.dbn.zst`), or is named `.dbn` / `.dbn.zst`, is
 * read by the DBN decoder; anything else as CSV. Both feed the same parser, so the report,
 * statistics and books are one code path. Progress is reported per chunk of the file; the
 * signal is checked between chunks. A DBN problem is an invalid_input naming the file.
 */
export async function importMbp10File(
  path: string,
  options: SampleOptions & {
    fileName?: string;
    signal?: AbortSignal;
    onProgress?: (p: ReadProgress) => void;
  },
): Promise<ImportFileResult> {
  let totalBytes: number;
  const head = Buffer.alloc(4);
  try {
    const st = await stat(path);
    if (!st.isFile()) throw new PlannerError('invalid_input', `${path}: not a file`);
    totalBytes = st.size;
    const handle = await open(path, 'r');
    try {
      await handle.read(head, 0, 4, 0);
    } finally {
      await handle.close();
    }
  } catch (e) {
    if (e instanceof PlannerError) throw e;
    throw new PlannerError('invalid_input', `${path}: ${fileErrorReason(e, 'MBP-10 file')}`);
  }
  const parser = new Mbp10Parser(options);
  const hash = createHash('sha256');
  const name = (options.fileName ?? path).replace(/^.*[\\/]/, '');
  const dbn = isDbnStart(head) || isZstdStart(head) || /\.dbn(\.zst)?$/i.test(name);
  let bytes = 0;
  const take = (chunk: Buffer) => {
    if (options.signal?.aborted) throw new PlannerError('cancelled', 'the import was cancelled');
    hash.update(chunk);
    bytes += chunk.length;
    options.onProgress?.({ bytes, totalBytes });
  };
  if (dbn) {
    await readDbn(path, name, isZstdStart(head), parser, take);
  } else {
    const stream = createReadStream(path, { highWaterMark: 1 << 20 });
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        take(chunk);
        parser.push(chunk);
      }
    } catch (e) {
      if (e instanceof PlannerError) throw e;
      throw new PlannerError('invalid_input', `${path}: ${fileErrorReason(e, 'MBP-10 file')}`);
    } finally {
      stream.destroy();
    }
  }
  if (options.signal?.aborted) throw new PlannerError('cancelled', 'the import was cancelled');
  const book = parser.finish();
  const stem = name.split(/[._-]/)[0];
  return {
    ...book,
    symbol: planSymbol(book.symbol || stem),
    sha256: hash.digest('hex'),
    bytes,
  };
}

/**
 * A DBN file through the decoder into `parser`: plain files read into one reused buffer,
 * `.dbn.zst` through Node's zstd decompressor. `take` sees every byte of the file as stored
 * (hash, progress, cancel). Problems become invalid_input errors with the DbnError's message;
 * a zstd file that is not DBN inside is refused as a compressed file.
 */
async function readDbn(
  path: string,
  file: string,
  zstd: boolean,
  parser: Mbp10Parser,
  take: (chunk: Buffer) => void,
): Promise<void> {
  const decoder = new DbnMbp10Decoder(
    file,
    (v) => parser.pushDbnRecord(v),
    (m) => parser.beginDbn(m, file),
  );
  try {
    if (zstd) {
      await pipeline(
        createReadStream(path, { highWaterMark: 1 << 20 }),
        new Transform({
          transform(chunk: Buffer, _enc, done) {
            try {
              take(chunk);
              done(null, chunk);
            } catch (e) {
              done(e as Error);
            }
          },
        }),
        createZstdDecompress({ chunkSize: 1 << 20 }),
        async (source: AsyncIterable<Buffer>) => {
          for await (const chunk of source) decoder.push(chunk);
        },
      );
    } else {
      const handle = await open(path, 'r');
      try {
        const buffer = Buffer.allocUnsafe(1 << 20);
        for (;;) {
          const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
          if (bytesRead === 0) break;
          const chunk = bytesRead === buffer.length ? buffer : buffer.subarray(0, bytesRead);
          take(chunk);
          decoder.push(chunk);
        }
      } finally {
        await handle.close();
      }
    }
    decoder.end();
  } catch (e) {
    if (e instanceof PlannerError) throw e;
    const err = e instanceof DbnError ? e : dbnStreamError(e, file);
    if (zstd && err.problem === 'not_dbn')
      throw notMbp10(
        'the file is zstd-compressed and not DBN inside; decompress it first (zstd -d)',
      );
    throw new PlannerError('invalid_input', err.userMessage);
  }
}
