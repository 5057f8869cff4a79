/**
 * DBN records → records: each decoded MBP-10 record written into the book's row with the same
 * values a CSV row of it gives (prices in $, EMPTY_MARK for an empty level, times in ns after
 * the time origin), then handed to the same `record` seam as a CSV row. A DBN file has no
 * header: prices are 1e-9 fixed point, times integer ns, and every record has an action.
 */
import type { BookState } from './bookState';
import { DbnError } from '../dbn/errors';
import { symbolsForInstrument, type DbnMetadata } from '../dbn/metadata';
import { splitNs, type Mbp10View } from '../dbn/mbp10Record';
import type { InputFacts } from './record';
import { ASK_PX, ASK_SZ, BID_PX, BID_SZ, EMPTY_MARK, LEVELS } from './record';

export class DbnRows {
  private metadata: DbnMetadata | null = null;
  private file = '';
  /** The instrument id of the last record (-1 before the first). */
  private instrument = -1;
  /** baseSec in ns split into u32 halves (record times relative to it without a bigint). */
  private baseHi = 0;
  private baseLo = 0;

  constructor(
    private readonly facts: InputFacts,
    private readonly book: BookState,
  ) {}

  /** Called once, with the file's metadata, before any record. */
  begin(metadata: DbnMetadata, file: string): void {
    this.file = file;
    this.facts.hasActions = true;
    this.metadata = metadata;
  }

  /** One DBN MBP-10 record into the book. */
  push(v: Mbp10View): void {
    const facts = this.facts;
    facts.rows++;
    const row = this.book.row;
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
    if (facts.baseSec !== facts.baseSec) {
      const sec = v.tsEvent() / 1_000_000_000n;
      facts.baseSec = Number(sec);
      const base = splitNs(sec * 1_000_000_000n);
      this.baseHi = base.hi;
      this.baseLo = base.lo;
    }
    if (v.instrumentId !== this.instrument) this.instrumentChange(v);
    if (facts.publishers.size < 64) facts.publishers.add(v.publisherId);
    this.book.record(v.tsEventSince(this.baseHi, this.baseLo), traded, tradePx, clear);
  }

  /**
   * A record of another instrument id than the last: the symbol comes from the first one; a
   * later id of another symbol (a download of several symbols) is refused, since mixing
   * their books would plan against neither. The same symbol under a new id (ids can change
   * from day to day) is fine.
   */
  private instrumentChange(v: Mbp10View): void {
    const facts = this.facts;
    const symbol = this.metadata ? dbnSymbol(this.metadata, v.instrumentId, v.tsEvent()) : '';
    if (this.instrument < 0) facts.symbol = symbol;
    else if (symbol !== facts.symbol) {
      const name = (s: string, id: number) => (s ? `${s} (instrument ${id})` : `instrument ${id}`);
      throw new DbnError(
        'record',
        this.file,
        `the file holds the books of more than one instrument (${name(facts.symbol, this.instrument)} and ${name(symbol, v.instrumentId)} at record ${facts.rows}); import one symbol per file`,
      );
    }
    this.instrument = v.instrumentId;
  }
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
