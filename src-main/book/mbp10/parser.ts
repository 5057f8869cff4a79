/**
 * The parser: push bytes (CSV) or decoded records (DBN) in, get the sampled book out.
 * Synchronous; the file reader drives it. It wires the pipeline — a reader per format into
 * one book state, the period sampler, the result — and says why a file gave no book.
 */
import { PlannerError } from '@shared/contract';
import type { DbnMetadata } from '../dbn/metadata';
import type { Mbp10View } from '../dbn/mbp10Record';
import { BookState } from './bookState';
import { CsvRows } from './csvRows';
import { DbnRows } from './dbnRows';
import type { ChunkTokens } from './fileChunks';
import { InputFacts } from './record';
import { PeriodSampler } from './sampler';
import { bookResult } from './stats';
import type { ParsedBook, SampleOptions } from './types';

export class Mbp10Parser {
  private readonly facts = new InputFacts();
  private readonly sampler: PeriodSampler;
  private readonly book: BookState;
  private readonly csv: CsvRows;
  private readonly dbn: DbnRows;
  private isDbn = false;

  /** `csv: 'reference'` reads every CSV line on the reference path (the fast path's oracle
   *  in the tests, and "before" in the bench); the result is the same either way. */
  constructor(
    private readonly opts: SampleOptions,
    csv: 'fast' | 'reference' = 'fast',
  ) {
    this.sampler = new PeriodSampler(opts);
    this.book = new BookState(opts, this.facts, this.sampler);
    this.csv = new CsvRows(this.facts, this.book, csv === 'fast');
    this.dbn = new DbnRows(this.facts, this.book);
  }

  /** Feed the next chunk of a CSV file; `ahead`: its lines as a reader thread parsed them. */
  push(chunk: Uint8Array, ahead?: () => ChunkTokens | null): void {
    this.csv.push(chunk, ahead);
  }

  /** `share` gets the CSV fast path's program once it starts (to parse ahead on a thread). */
  onProgram(share: (prog: Int32Array) => void): void {
    this.csv.onProgram = share;
  }

  /** The input is DBN: called once, with the file's metadata, before any record. */
  beginDbn(metadata: DbnMetadata, file: string): void {
    this.isDbn = true;
    this.dbn.begin(metadata, file);
  }

  /** One DBN MBP-10 record, with the same values a CSV row of it gives, into the same seam. */
  pushDbnRecord(v: Mbp10View): void {
    this.dbn.push(v);
  }

  /** End of input: the last line may lack a newline. Returns the sampled book. */
  finish(): ParsedBook {
    if (!this.isDbn) this.csv.end();
    const { facts, book } = this;
    if (facts.rows === 0) throw new PlannerError('invalid_input', 'the file has no data rows');
    if (book.usable === 0) {
      const lines = facts.badLines.length
        ? ` (first at lines ${facts.badLines.slice(0, 5).join(', ')})`
        : '';
      throw new PlannerError(
        'invalid_input',
        `no usable book in the file: of ${facts.rows} rows, ${facts.bad} are malformed${lines}, ${book.oneSided} one-sided and ${book.crossed} crossed`,
      );
    }
    book.finish();
    return bookResult(this.opts, facts, book, this.sampler, this.formats());
  }

  private formats(): Pick<ParsedBook, 'priceFormat' | 'timestampFormat'> {
    // DBN: prices are 1e-9 fixed point and times integer ns.
    const price = this.isDbn ? 2 : this.csv.prices.mode;
    const ts = this.isDbn ? 2 : this.csv.times.mode;
    return {
      priceFormat: price === 2 ? 'fixed' : price === 1 ? 'decimal' : 'unknown',
      timestampFormat: ts === 2 ? 'nanoseconds' : ts === 1 ? 'iso' : 'unknown',
    };
  }
}
