/**
 * Book state → periods: the session's period grid and what each period accumulates from the
 * books in effect and the trades the book state hands it.
 *
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
 * - Coverage of a period: the fraction of it with a continuous book in effect. The largest gap
 *   is the longest stretch of the session without one (the pre-open, after a clear or a
 *   one-sided row, after the data ends). The longest stale stretch is the longest time one
 *   book stayed in effect: information on the book's age, not a gap.
 * - Volume: continuous trades per period, and the effective spread (volume-weighted
 *   2·|trade price − mid| against the book in effect just before each trade).
 * - Session date: the `date` option, else the local date (session zone) of the first row
 *   with a valid timestamp, moved to the next day when that row is at/after the session end
 *   (e.g. a UTC-day file starting 20:00 New York the evening before).
 */
import { PlannerError } from '@shared/contract';
import { clockMinutes } from '@shared/plan';
import {
  localToUtcMs,
  nextDate,
  sessionPeriods,
  utcToLocal,
  type Ladder,
  type Sampling,
} from '@shared/book';
import { LevelAccumulator } from './levelAccumulator';
import { ASK_PX, ASK_SZ, BID_PX, BID_SZ, EMPTY_MARK, LEVELS, SNAP } from './record';
import type { SampleOptions } from './types';

export class PeriodSampler {
  readonly sampling: Sampling;
  /** Whether setup has run (at the first record). */
  ready = false;
  date = '';
  n = 0;
  /** Times in ns relative to the time origin: period 0's start, the period, the session's end
   *  and the session date's local midnight. */
  s0 = 0;
  periodNs = 0;
  sessionEndNs = 0;
  dayStartNs = 0;

  /** Latest book event per slot (slot j: s_{j-1} < t ≤ s_j): its ts, whether it was a usable
   *  row (1) or an ending event (2: one-sided, crossed, clear), and the row. */
  private slotTs = new Float64Array(0);
  private slotKind = new Uint8Array(0);
  private slots = new Float64Array(0);
  /** The slot whose row is still the book state's book in effect, not copied yet (−1: none). */
  private lazySlot = -1;
  private lazyBook: Float64Array = new Float64Array(SNAP);

  // Trades (action T) per period
  volume = new Float64Array(0);
  tradeCount = new Float64Array(0);
  /** Σ 2·|trade price − mid before it|·size and Σ size of those trades, per period. */
  effW = new Float64Array(0);
  effVol = new Float64Array(0);

  // Time integration of the books in effect
  coverage = new Float64Array(0);
  spreadW = new Float64Array(0);
  private accPeriod = -1;
  private readonly askAcc = new LevelAccumulator();
  private readonly bidAcc = new LevelAccumulator();
  avgBuy: Ladder[] = [];
  avgSell: Ladder[] = [];
  /** End of the last stretch a book was in effect and the longest gap. */
  private coveredUntil = 0;
  gapFrom = 0;
  gapTo = 0;
  /** The longest time one book stayed in effect inside continuous trading. */
  staleFrom = 0;
  staleTo = 0;

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

  /** The grid, from the time origin and the first record's time. */
  setup(baseSec: number, firstRel: number): void {
    const { session, periodMinutes } = this.opts;
    const startMin = clockMinutes(session.start);
    const endMin = clockMinutes(session.end);
    let date = this.opts.date;
    if (!date) {
      const utcMs = baseSec * 1000 + firstRel / 1e6;
      const local = utcToLocal(utcMs, session.timeZone);
      date = local.minutes >= endMin ? nextDate(local.date) : local.date;
    }
    this.date = date;
    const startMs = localToUtcMs(date, startMin, session.timeZone);
    const endMs = localToUtcMs(date, endMin, session.timeZone);
    this.s0 = (startMs / 1000 - baseSec) * 1e9;
    this.dayStartNs = (localToUtcMs(date, 0, session.timeZone) / 1000 - baseSec) * 1e9;
    this.sessionEndNs = (endMs / 1000 - baseSec) * 1e9;
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
    this.ready = true;
  }

  /** A book event at t (kind 1: the usable row `book`, the book state's book in effect, 2:
   *  an ending event) into its slot. The row is copied into the slot only when that book is
   *  about to change (`bookChanging`) and no later row of the slot would replace it. */
  slot(t: number, kind: 1 | 2, book: Float64Array): void {
    const j = this.slotOf(t);
    if (j < 0) return;
    if (t >= this.slotTs[j]) {
      this.slotTs[j] = t;
      this.slotKind[j] = kind;
      if (kind === 1) {
        if (this.lazySlot >= 0 && this.lazySlot !== j) this.copySlot();
        this.lazySlot = j;
        this.lazyBook = book;
      }
    }
  }

  /** The book state's book in effect is about to become the usable row at t: the slot that
   *  still points at it gets its copy now, unless that row will replace it anyway. */
  bookChanging(t: number): void {
    const j = this.lazySlot;
    if (j < 0) return;
    if (this.slotOf(t) === j && t >= this.slotTs[j]) return;
    this.copySlot();
  }

  /** Slot j holds the events with s_{j-1} < t ≤ s_j (−1: after the last period). */
  private slotOf(t: number): number {
    if (!(t > this.s0)) return 0;
    const j = Math.ceil((t - this.s0) / this.periodNs);
    return j >= this.n ? -1 : j;
  }

  private copySlot(): void {
    this.slots.set(this.lazyBook, this.lazySlot * SNAP);
    this.lazySlot = -1;
  }

  /** A continuous trade at t inside the session; `mid` is the book's before it (NaN: none
   *  for the effective spread). */
  trade(t: number, size: number, px: number, mid: number): void {
    const i = Math.floor((t - this.s0) / this.periodNs);
    this.volume[i] += size;
    this.tradeCount[i]++;
    if (mid === mid) {
      this.effW[i] += 2 * Math.abs(px - mid) * size;
      this.effVol[i] += size;
    }
  }

  /** `book` was in effect over [lo, hi), inside continuous trading and the session. */
  cover(lo: number, hi: number, book: Float64Array): void {
    this.noteGap(lo);
    if (hi > this.coveredUntil) this.coveredUntil = hi;
    if (hi - lo > this.staleTo - this.staleFrom) {
      this.staleFrom = lo;
      this.staleTo = hi;
    }
    this.integrate(lo, hi, book);
  }

  /** A book starts at t: the stretch since the last one ended had none. */
  noteGap(t: number): void {
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
              if (key >= 0) this.askAcc.addLevel(k, key, asz * w);
            }
            const bpx = book[BID_PX + k];
            const bsz = book[BID_SZ + k];
            if (bpx !== EMPTY_MARK && bsz > 0) {
              const key = Math.round((mid - bpx) * 1e9);
              if (key >= 0) this.bidAcc.addLevel(k, key, bsz * w);
            }
          }
        }
      }
      if (b <= pe) break;
    }
  }

  /** The period being averaged is complete: its ladders. */
  flushAverage(): void {
    const i = this.accPeriod;
    if (i < 0 || this.sampling !== 'average') return;
    this.avgBuy[i] = this.askAcc.drain();
    this.avgSell[i] = this.bidAcc.drain();
  }

  /**
   * The book each period's child order meets (sampling `start`, and the replay books): the
   * moment it is sent (NaN: the period ends before continuous trading) and the snapshot in
   * effect then (null: none). `cont` is the continuous start and the book in effect at it.
   */
  startBooks(
    cont: { start: number; bookOn: boolean; book: Float64Array },
    dataEndTs: number,
  ): { moments: number[]; snaps: (Float64Array | null)[] } {
    if (this.lazySlot >= 0) this.copySlot();
    const P = this.periodNs;
    const snaps: (Float64Array | null)[] = [];
    const moments: number[] = [];
    let current = -1;
    for (let i = 0; i < this.n; i++) {
      if (this.slotTs[i] > -Infinity) current = i;
      const start = this.s0 + i * P;
      let snap: Float64Array | null = null;
      let moment = start;
      if (start + P <= cont.start) moment = NaN;
      else if (start < cont.start) {
        moment = cont.start;
        if (cont.bookOn && moment < dataEndTs) snap = cont.book;
      } else if (current >= 0 && this.slotKind[current] === 1 && start < dataEndTs) {
        snap = this.slots.subarray(current * SNAP, (current + 1) * SNAP);
      }
      moments.push(moment);
      snaps.push(snap);
    }
    return { moments, snaps };
  }
}
