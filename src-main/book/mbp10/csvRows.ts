/**
 * CSV bytes → records: the tokeniser of a Databento MBP-10 CSV file. Complete lines of a chunk
 * go through the line kernel (`lineKernel.ts`: one pass, the level prices and sizes, ts_event,
 * the trade and the venue parsed into columns of numbers), then into the book in file order;
 * the reader thread may have run the same kernel on the chunk already (`ahead`). A line the
 * kernel does not take in its plain form, and every line until the file's price format is
 * known, goes through the reference path here: record every field's start in a preallocated
 * Int32Array, then parse only the fields needed (ts_event, price and size of 10 levels per
 * side, action, trade size and price) straight from the bytes. Both give the same row to the
 * bit.
 *
 * Why hand-written: a file of hundreds of MB must import at hundreds of MB/s in bounded
 * memory; papaparse tokenises at ~87 MB/s alone (one string per field, one array per row).
 * Speed figures: docs/orderbook.md "Reading the file" (`npm run bench -- import`). Databento's
 * CSV needs no quoting; surrounding quotes on a field are tolerated, quoted commas are not
 * supported.
 *
 * Bad row: wrong number of fields, or an unparsable timestamp / price / size in a used field.
 * Counted, first 20 line numbers kept (header = line 1), skipped. Blank lines are ignored. A
 * line longer than 1 MB is a bad row (memory stays bounded).
 */
import { PlannerError } from '@shared/contract';
import type { BookState } from './bookState';
import { csvLayout, type CsvLayout } from './layout';
import { PriceParser, parseSize, textDecoder } from './numbers';
import type { InputFacts } from './record';
import { LEVELS, SNAP, notMbp10 } from './record';
import type { ChunkTokens } from './fileChunks';
import {
  BLANK,
  DEFER,
  LINE_INTS,
  LINES_PER_BATCH,
  NUMS,
  NS,
  SEC,
  TRADED,
  TRADE_PX,
  VENUE,
  kernelScratch,
  lineProgram,
  tokenizeLines,
  type KernelScratch,
} from './lineKernel';
import { TimestampParser } from './timestamps';

const MAX_BAD_LINES = 20;
const MAX_LINE_BYTES = 1 << 20;

export class CsvRows {
  // Layout (copied from the header's CsvLayout: the row loop reads them directly)
  private columns = 0;
  private tsCol = -1;
  private symbolCol = -1;
  private actionCol = -1;
  private sizeCol = -1;
  private priceCol = -1;
  private publisherCol = -1;
  private levelCols: Int32Array = new Int32Array(SNAP);
  private starts: Int32Array = new Int32Array(1);
  private headerDone = false;
  private sniffed = false;

  // Streaming state
  private carry: Uint8Array | null = null;
  private skippingLongLine = false;
  private lineNo = 0;
  private lastPublisher = NaN;
  private layout: CsvLayout | null = null;
  /** The fast path's program (null: the reference path only, before the header, or while
   *  the file's price format is not known yet) and its scratch and output columns. */
  private prog: Int32Array | null = null;
  private scratch: KernelScratch | null = null;
  private readonly lines = new Int32Array(LINES_PER_BATCH * LINE_INTS);
  private readonly nums = new Float64Array(LINES_PER_BATCH * NUMS);
  /** Called with the program once the fast path starts (the reader thread parses ahead). */
  onProgram: ((prog: Int32Array) => void) | null = null;

  readonly prices = new PriceParser();
  readonly times = new TimestampParser();

  /** `fast` false: every line on the reference path (the bench's "before", and the tests'
   *  oracle for the fast path). */
  constructor(
    private readonly facts: InputFacts,
    private readonly book: BookState,
    private readonly fast = true,
  ) {}

  /** Feed the next chunk of the file. `ahead`: the chunk's lines as the reader thread parsed
   *  them (asked once the fast path runs; null: none, this thread parses them). */
  push(bytes: Uint8Array, ahead?: () => ChunkTokens | null): void {
    // Every chunk as a plain Uint8Array (a Buffer is a subclass: another hidden class), so
    // the kernel only ever sees one kind of array: the lead-in's and a carried line's bytes
    // as Buffers beside the reader thread's shared slots made V8 throw its compiled kernel
    // out and compile it again, twice, at ~50 ms of CPU each.
    const chunk =
      Object.getPrototypeOf(bytes) === Uint8Array.prototype
        ? bytes
        : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
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
    const tokens = ahead && this.prog ? ahead() : null;
    if (tokens) {
      // The lines before the first one the reader thread parsed (the first line, when no
      // line was carried), then its lines, then whatever it left.
      if (from < tokens.from) this.scan(chunk, from, tokens.from);
      this.consume(chunk, tokens.n, tokens.lines, tokens.nums);
      from = Math.max(from, tokens.stop);
    }
    const end = this.scan(chunk, from, chunk.length);
    if (end < chunk.length) {
      if (chunk.length - end > MAX_LINE_BYTES) this.startSkippingLongLine();
      // A copy (a Buffer's slice is a view): the reader reuses the chunk's memory.
      else this.carry = Uint8Array.prototype.slice.call(chunk, end);
    }
  }

  /** End of input: the last line may lack a newline. Throws for a file without a header. */
  end(): void {
    if (this.carry) {
      const line = concat(this.carry, new Uint8Array([10]));
      this.carry = null;
      this.scan(line, 0, line.length);
    }
    if (!this.headerDone) throw new PlannerError('invalid_input', 'the file is empty');
  }

  private startSkippingLongLine(): void {
    this.carry = null;
    this.skippingLongLine = true;
    this.lineNo++;
    if (!this.headerDone)
      throw notMbp10('the first line is not a CSV header (no line break in 1 MB)');
    this.facts.rows++;
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
    if (!this.fast) return this.scanReference(buf, from, to);
    // Lines up to the last LF: the kernel's loops stop at an LF, so none runs past it.
    const lastNl = buf.lastIndexOf(10, to - 1);
    if (lastNl < from) return from;
    let i = from;
    while (i <= lastNl) {
      if (!this.prog) {
        if (this.prices.mode === 0) {
          // The price format is not known yet: the reference path, a line at a time.
          const end = buf.indexOf(10, i);
          this.scanReference(buf, i, end + 1);
          i = end + 1;
          continue;
        }
        this.startFastPath();
      }
      const sc = this.scratch!;
      const { lines, nums } = this;
      tokenizeLines(
        buf,
        i,
        lastNl + 1,
        this.prog!,
        sc.starts,
        sc.minute,
        sc.meta,
        lines,
        nums,
        LINES_PER_BATCH,
      );
      this.consume(buf, sc.meta[0], lines, nums);
      i = sc.meta[1];
    }
    return lastNl + 1;
  }

  /** The price format is known: the fast path's program (the reader thread gets it too). */
  private startFastPath(): void {
    const prog = lineProgram(this.layout!, this.prices.mode === 2);
    this.prog = prog;
    this.scratch = kernelScratch(this.columns);
    this.onProgram?.(prog);
  }

  /** `n` lines the kernel parsed (into `lines` / `nums`) from `buf`, into the book in order. */
  private consume(buf: Uint8Array, n: number, lines: Int32Array, nums: Float64Array): void {
    const facts = this.facts;
    const book = this.book;
    for (let k = 0; k < n; k++) {
      const L = k * LINE_INTS;
      const kind = lines[L];
      if (kind === BLANK) {
        this.lineNo++;
        continue;
      }
      if (kind === DEFER) {
        this.scanReference(buf, lines[L + 2], lines[L + 3] + 1);
        continue;
      }
      this.lineNo++;
      facts.rows++;
      const V = k * NUMS;
      if (!facts.symbol && this.symbolCol >= 0 && facts.rows < 1000) {
        facts.symbol = textDecoder
          .decode(buf.subarray(lines[L + 2], lines[L + 3]))
          .replace(/^"(.*)"$/, '$1')
          .trim();
      }
      if (this.publisherCol >= 0 && facts.publishers.size < 64) {
        const id = nums[V + VENUE];
        // The same venue as the last row's (nearly every row): already in the set.
        if (id !== this.lastPublisher && id === id) {
          facts.publishers.add(id);
          this.lastPublisher = id;
        }
      }
      const sec = nums[V + SEC];
      if (facts.baseSec !== facts.baseSec) facts.baseSec = sec;
      const act = lines[L + 1];
      // The levels are read where the kernel put them (nums[V, V + SNAP)), not copied.
      book.recordFrom(
        nums,
        V,
        (sec - facts.baseSec) * 1e9 + nums[V + NS],
        act === 84 ? nums[V + TRADED] : 0,
        act === 84 ? nums[V + TRADE_PX] : NaN,
        act === 82,
      );
    }
  }

  /** The reference path: record every field's start, then parse the fields it needs. */
  private scanReference(buf: Uint8Array, from: number, to: number): number {
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
    const layout = csvLayout(buf, from, nl);
    this.columns = layout.columns;
    this.tsCol = layout.tsCol;
    this.symbolCol = layout.symbolCol;
    this.actionCol = layout.actionCol;
    this.sizeCol = layout.sizeCol;
    this.priceCol = layout.priceCol;
    this.publisherCol = layout.publisherCol;
    this.levelCols = layout.levelCols;
    this.facts.hasActions = this.actionCol >= 0;
    this.layout = layout;
    this.starts = new Int32Array(this.columns + 1);
    this.headerDone = true;
  }

  private markBad(): void {
    const facts = this.facts;
    facts.bad++;
    if (facts.badLines.length < MAX_BAD_LINES) facts.badLines.push(this.lineNo);
  }

  private fieldEnd(f: number, lineEnd: number): number {
    return f + 1 < this.columns ? this.starts[f + 1] - 1 : lineEnd;
  }

  private dataRow(buf: Uint8Array, lineEnd: number, fields: number): void {
    const facts = this.facts;
    facts.rows++;
    if (fields !== this.columns) return this.markBad();
    const starts = this.starts;
    // Timestamp
    const tc = this.tsCol;
    const times = this.times;
    if (!times.parse(buf, starts[tc], this.fieldEnd(tc, lineEnd))) return this.markBad();
    // Levels
    const prices = this.prices;
    const row = this.book.row;
    const cols = this.levelCols;
    for (let j = 0; j < SNAP; j++) {
      const c = cols[j];
      const s = starts[c];
      const e = this.fieldEnd(c, lineEnd);
      const v = j % (2 * LEVELS) < LEVELS ? prices.parse(buf, s, e) : parseSize(buf, s, e);
      if (v !== v) return this.markBad();
      row[j] = v;
    }
    this.rowTail(buf, lineEnd);
  }

  /** A row whose timestamp and levels are parsed: its action, trade, symbol and venue, then
   *  the book. */
  private rowTail(buf: Uint8Array, lineEnd: number): void {
    const facts = this.facts;
    const starts = this.starts;
    const times = this.times;
    const prices = this.prices;
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
        if (pc >= 0) tradePx = prices.parse(buf, starts[pc], this.fieldEnd(pc, lineEnd));
      } else if (a === 82) clear = true;
    }
    if (!facts.symbol && this.symbolCol >= 0 && facts.rows < 1000) {
      const c = this.symbolCol;
      facts.symbol = textDecoder
        .decode(buf.subarray(starts[c], this.fieldEnd(c, lineEnd)))
        .replace(/^"(.*)"$/, '$1')
        .trim();
    }
    if (this.publisherCol >= 0 && facts.publishers.size < 64) {
      const c = this.publisherCol;
      const id = parseSize(buf, starts[c], this.fieldEnd(c, lineEnd));
      // The same venue as the last row's (nearly every row): already in the set.
      if (id !== this.lastPublisher && id === id && this.fieldEnd(c, lineEnd) > starts[c]) {
        facts.publishers.add(id);
        this.lastPublisher = id;
      }
    }
    if (facts.baseSec !== facts.baseSec) facts.baseSec = times.sec;
    this.book.record((times.sec - facts.baseSec) * 1e9 + times.ns, traded, tradePx, clear);
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

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
