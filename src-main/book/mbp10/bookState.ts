/**
 * Records → the book in effect: the one code path every record takes after decoding, CSV row
 * or DBN record alike (`record`). It classifies the record, keeps the book in effect over time,
 * decides when continuous trading starts, and hands stretches of book and trades to the
 * period sampler.
 *
 * - Usable row: best bid and best ask both present and bid < ask. One-sided rows and crossed
 *   or locked rows (bid ≥ ask) are counted and skipped.
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
 * - Volume: rows with action `T` (a trade; `size` its shares) inside [s_i, s_{i+1}) add to
 *   period i, whether or not the row's book is usable, except the auction prints (above): the
 *   per-period volume is continuous volume. `F` (fill) rows describe the resting
 *   side of a trade already counted as `T`, and A/C/M/R/N rows are book updates: neither is
 *   volume. No `action` column: no volume (null).
 * - Arrival price: the mid of the book in effect when continuous trading starts, else of the
 *   first usable row after that inside the session (never a statistic of the day).
 */
import type { PeriodSampler } from './sampler';
import type { InputFacts } from './record';
import { ASK_PX, ASK_SZ, BID_PX, BID_SZ, SNAP } from './record';
import type { SampleOptions } from './types';

/** How long after the open the opening print (and after the close the closing print) may come. */
const AUCTION_WINDOW_NS = 10e9;

/** An auction print: its time (NaN: none), volume, trades and price. */
export interface AuctionPrint {
  ts: number;
  volume: number;
  trades: number;
  price: number;
}

/** A book event before continuous trading was decided (kind 1: usable, 2: ending). */
interface EarlyEvent {
  t: number;
  kind: 1 | 2;
  book: Float64Array | null;
}

export class BookState {
  /** The record being handed over: 10 levels per side in $ (EMPTY_MARK: empty level). */
  readonly row = new Float64Array(SNAP);
  /** Where the record being taken reads its levels: src[off, off + SNAP). */
  private src: Float64Array = this.row;
  private off = 0;

  // Counters
  usable = 0;
  oneSided = 0;
  crossed = 0;
  clears = 0;
  /** Usable rows from the session date's local midnight to the session's end. */
  sessionDayRows = 0;
  earliestTs = Infinity;
  latestTs = -Infinity;
  /** Latest timestamp of any row with a valid timestamp: the data ends there. */
  dataEndTs = -Infinity;
  dataStartTs = Infinity;

  // Continuous trading (see the rules above): undecided until a trade in the first 10 s
  // after the open or a row past it; meanwhile the stretches of book are kept in `pending`.
  private contDecided = false;
  contStart = Infinity;
  contByPrint = false;
  private pending: { a: number; b: number; book: Float64Array }[] = [];
  /** Book events before the decision: those from the open on, and the latest one before it
   *  (the book in effect at the continuous start is picked from them exactly). */
  private early: EarlyEvent[] = [];
  private preOpen: EarlyEvent | null = null;
  private readonly preOpenBook = new Float64Array(SNAP);
  /** The book in effect at the continuous start (exact, as the slots are). */
  readonly contBook = new Float64Array(SNAP);
  private contBookTs = -Infinity;
  contBookOn = false;
  /** The first usable row after the continuous start (the arrival when no book is in effect then). */
  arrivalTs = Infinity;
  arrivalMid = NaN;
  readonly openAuction: AuctionPrint = { ts: NaN, volume: 0, trades: 0, price: NaN };
  readonly closeAuction: AuctionPrint = { ts: NaN, volume: 0, trades: 0, price: NaN };

  // The book in effect (clamped to file order: a row earlier than the latest one takes
  // effect at the latest time).
  private readonly book = new Float64Array(SNAP);
  private bookOn = false;
  private bookT = 0;
  private clockT = -Infinity;

  constructor(
    private readonly opts: SampleOptions,
    private readonly facts: InputFacts,
    private readonly sampler: PeriodSampler,
  ) {}

  /**
   * The seam where a record enters the book, whichever reader decoded it: `row` holds its 10
   * levels per side in $ (EMPTY_MARK for an empty level), t its ts_event in ns relative to
   * the time origin, `traded` / `tradePx` its trade (action T) and `clear` an action R.
   * Everything after is one code path.
   */
  record(t: number, traded: number, tradePx: number, clear: boolean): void {
    this.recordFrom(this.row, 0, t, traded, tradePx, clear);
  }

  /** `record` of a row whose levels are src[off, off + SNAP) (the CSV kernel's columns: read
   *  where they are, not copied into `row` first). */
  recordFrom(
    src: Float64Array,
    off: number,
    t: number,
    traded: number,
    tradePx: number,
    clear: boolean,
  ): void {
    this.src = src;
    this.off = off;
    const sampler = this.sampler;
    if (!sampler.ready) this.setup(t);
    if (t > this.dataEndTs) this.dataEndTs = t;
    if (t < this.dataStartTs) this.dataStartTs = t;
    // No opening print in the first 10 s: continuous trading started at the open.
    if (!this.contDecided && t >= sampler.s0 + AUCTION_WINDOW_NS)
      this.decideContinuous(sampler.s0, false);
    if (traded > 0) this.trade(t, traded, tradePx);
    if (clear) {
      this.clears++;
      return this.endBook(t);
    }
    const bb = src[off + BID_PX];
    const ba = src[off + ASK_PX];
    if (!(bb > 0 && src[off + BID_SZ] > 0 && ba > 0 && src[off + ASK_SZ] > 0)) {
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
    if (t >= sampler.dayStartNs && t < sampler.sessionEndNs) this.sessionDayRows++;
    this.takeEffect(t);
    this.noteEvent(t, 1);
  }

  /** The end of the input: the last book stays in effect until the data ends. */
  finish(): void {
    const sampler = this.sampler;
    if (!this.contDecided) this.decideContinuous(sampler.s0, false);
    if (this.bookOn) this.effect(this.bookT, Math.max(this.dataEndTs, this.bookT), this.book);
    sampler.noteGap(sampler.sessionEndNs);
    sampler.flushAverage();
  }

  /** The first record: the session grid, from its time. */
  private setup(t: number): void {
    this.sampler.setup(this.facts.baseSec, t);
    // Without trades no auction can be told apart: continuous trading from the open.
    if (!this.facts.hasActions) this.decideContinuous(this.sampler.s0, false);
  }

  /** A trade row: an auction print or continuous volume of its period. */
  private trade(t: number, size: number, px: number): void {
    if (!this.facts.hasActions) return;
    const sampler = this.sampler;
    const auctions = this.opts.auctions !== false;
    if (t >= sampler.s0 && t < sampler.sessionEndNs) {
      if (!this.contDecided) this.decideContinuous(auctions ? t : sampler.s0, auctions);
      if (this.contByPrint && t === this.contStart) {
        addPrint(this.openAuction, t, size, px);
        return;
      }
      // Effective spread against the mid of the book in effect before the trade.
      const mid =
        this.bookOn && px > 0 && t >= this.contStart
          ? (this.book[BID_PX] + this.book[ASK_PX]) / 2
          : NaN;
      sampler.trade(t, size, px, mid);
    } else if (
      auctions &&
      t >= sampler.sessionEndNs &&
      t < sampler.sessionEndNs + AUCTION_WINDOW_NS
    ) {
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

  /** Bookkeeping of a book event at t (kind 1: a usable row, already the book in effect,
   *  2: an ending event). */
  private noteEvent(t: number, kind: 1 | 2): void {
    const book = this.book;
    if (!this.contDecided) {
      if (t >= this.sampler.s0)
        this.early.push({ t, kind, book: kind === 1 ? book.slice() : null });
      else if (!this.preOpen || t >= this.preOpen.t) {
        // Only the latest pre-open event is kept: one buffer, not a copy per row.
        if (kind === 1) this.preOpenBook.set(book);
        this.preOpen = { t, kind, book: kind === 1 ? this.preOpenBook : null };
      }
    } else if (kind === 1 && t > this.contStart) {
      this.noteArrival(t, book);
    } else if (t <= this.contStart && t >= this.contBookTs) {
      this.contBookTs = t;
      this.contBookOn = kind === 1;
      if (kind === 1) this.contBook.set(book);
    }
    this.sampler.slot(t, kind, book);
  }

  /** A usable book at t after the continuous start: the arrival if none is in effect then. */
  private noteArrival(t: number, book: Float64Array): void {
    if (t > this.contStart && t < this.sampler.sessionEndNs && t < this.arrivalTs) {
      this.arrivalTs = t;
      this.arrivalMid = (book[BID_PX] + book[ASK_PX]) / 2;
    }
  }

  /** The usable row being taken becomes the book in effect at t (clamped to file order). */
  private takeEffect(t: number): void {
    const tc = t > this.clockT ? t : this.clockT;
    this.clockT = tc;
    const book = this.book;
    if (this.bookOn) this.effect(this.bookT, tc, book);
    // The sampler may still hold on to the book in effect (a slot copied lazily).
    this.sampler.bookChanging(t);
    const src = this.src;
    const off = this.off;
    for (let j = 0; j < SNAP; j++) book[j] = src[off + j];
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
    const sampler = this.sampler;
    if (!this.contDecided) {
      if (b > sampler.s0 && b > a) this.pending.push({ a, b, book: book.slice() });
      return;
    }
    const lo = Math.max(a, sampler.s0, this.contStart);
    const hi = Math.min(b, sampler.sessionEndNs);
    if (!(hi > lo)) return;
    sampler.cover(lo, hi, book);
  }
}

/** Add a trade to an auction print (the first trade sets its time and price). */
function addPrint(a: AuctionPrint, t: number, size: number, px: number): void {
  if (a.ts !== a.ts) {
    a.ts = t;
    a.price = px;
  }
  a.volume += size;
  a.trades++;
}
