/**
 * Order-book dataset service (issue 5). The shell's services object delegates the book
 * operations of the contract (importBook, cancelImport, listBooks, getBook, deleteBook,
 * bookPlan) to this object. One import runs at a time (a second gets 'busy'); it streams
 * the file in the main process between event-loop turns, so cancel is seen promptly.
 */
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import {
  PlannerError,
  type BookDetail,
  type BookSummary,
  type OpOutput,
  type OpParsed,
  type ProgressEvent,
} from '@shared/contract';
import { buildBookPlan, fitLadders, type BookPlanSource, type SideFit } from '@shared/book';
import type { Session } from '@shared/plan';
import * as store from '../storage/books';
import { importMbp10File, type ParsedBook } from './mbp10';

export interface BookServiceDeps {
  db: Database.Database;
  /** Emit progress of a running import to every window / SSE client. */
  emitProgress: (event: ProgressEvent) => void;
  /** Resolve a `file` reference (Electron: a path; browser mode: an upload id) to a path. */
  resolveFile: (ref: string) => string;
  /** Clock for importedAt (tests pin it). */
  now?: () => Date;
}

export interface BookService {
  /** Import a file at `path` (already resolved), shown to the user as `fileName`. */
  importBook(
    input: OpParsed<'importBook'> & { path: string; fileName: string },
  ): Promise<OpOutput<'importBook'>>;
  cancelImport(input: OpParsed<'cancelImport'>): OpOutput<'cancelImport'>;
  listBooks(input: OpParsed<'listBooks'>): OpOutput<'listBooks'>;
  getBook(input: OpParsed<'getBook'>): OpOutput<'getBook'>;
  deleteBook(input: OpParsed<'deleteBook'>): OpOutput<'deleteBook'>;
  bookPlan(input: OpParsed<'bookPlan'>): OpOutput<'bookPlan'>;
}

export const DEFAULT_SESSION: Session = {
  start: '09:30',
  end: '16:00',
  timeZone: 'America/New_York',
};

/** Progress is emitted at most this often (plus at start and end). */
const PROGRESS_INTERVAL_MS = 100;

export function createBookService(deps: BookServiceDeps): BookService {
  const { db } = deps;
  const now = deps.now ?? (() => new Date());
  let running: AbortController | null = null;

  function storage<T>(what: string, fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      if (e instanceof PlannerError) throw e;
      throw new PlannerError('storage', `could not ${what}: ${(e as Error).message}`);
    }
  }

  return {
    async importBook(input) {
      if (running) {
        throw new PlannerError(
          'busy',
          'another order-book import is running: wait for it to finish or cancel it',
        );
      }
      const controller = new AbortController();
      running = controller;
      const session = input.session ?? DEFAULT_SESSION;
      const emit = (fraction: number, message: string) =>
        deps.emitProgress({ op: 'importBook', fraction, message });
      let lastEmit = 0;
      try {
        emit(0, `Reading ${input.fileName}`);
        const parsed = await importMbp10File(input.path, {
          periodMinutes: input.periodMinutes,
          session,
          date: input.date,
          fileName: input.fileName,
          signal: controller.signal,
          onProgress: ({ bytes, totalBytes }) => {
            const t = Date.now();
            if (t - lastEmit < PROGRESS_INTERVAL_MS) return;
            lastEmit = t;
            const mb = (bytes / 1e6).toFixed(0);
            const total = (totalBytes / 1e6).toFixed(0);
            emit(totalBytes > 0 ? Math.min(1, bytes / totalBytes) : 0, `Read ${mb} of ${total} MB`);
          },
        });
        emit(1, `Imported ${input.fileName}`);
        const key = {
          sha256: parsed.sha256,
          periodMinutes: parsed.periodMinutes,
          sessionStart: session.start,
          sessionEnd: session.end,
          timeZone: session.timeZone,
          date: parsed.date,
        };
        return storage('save the dataset', () => {
          const existing = store.findBook(db, key);
          if (existing) return existing;
          const summary = summaryOf(parsed, {
            id: randomUUID(),
            fileName: input.fileName,
            sha256: parsed.sha256,
            importedAt: now().toISOString(),
          });
          store.insertBook(db, summary, { series: parsed.series, ladders: parsed.ladders });
          return summary;
        });
      } catch (e) {
        if (e instanceof PlannerError && e.code === 'cancelled') {
          emit(0, 'Import cancelled');
          return { cancelled: true as const };
        }
        throw e;
      } finally {
        running = null;
      }
    },

    cancelImport() {
      if (!running) return { cancelled: false };
      running.abort();
      return { cancelled: true };
    },

    listBooks: () => storage('list the datasets', () => store.listBooks(db)),

    getBook({ id }) {
      const book = storage('read the dataset', () => store.getBook(db, id));
      const strip = (f: SideFit) => ({ pooled: f.pooled, perPeriod: f.perPeriod });
      const detail: BookDetail = {
        ...book.summary,
        series: book.data.series,
        ladders: book.data.ladders,
        fit: {
          buy: strip(fitLadders(book.data.ladders.buy)),
          sell: strip(fitLadders(book.data.ladders.sell)),
        },
      };
      return detail;
    },

    deleteBook({ id }) {
      storage('delete the dataset', () => store.deleteBook(db, id));
      return { id };
    },

    bookPlan(input) {
      const book = storage('read the dataset', () => store.getBook(db, input.id));
      const s = book.summary;
      return buildBookPlan(
        {
          symbol: s.symbol,
          date: s.date,
          fileName: s.fileName,
          periods: s.periods,
          periodMinutes: s.periodMinutes,
          session: { start: s.sessionStart, end: s.sessionEnd, timeZone: s.timeZone },
          mids: book.data.series.map((p) => p.mid),
          ladders: book.data.ladders,
        },
        input,
      );
    },
  };
}

/** The contract's summary of a parsed file. skippedRows counts malformed rows only;
 *  one-sided and crossed rows are reported separately. */
export function summaryOf(
  parsed: ParsedBook,
  meta: { id: string; fileName: string; sha256: string; importedAt: string },
): BookSummary {
  return {
    id: meta.id,
    symbol: parsed.symbol,
    date: parsed.date,
    fileName: meta.fileName,
    sha256: meta.sha256,
    rows: parsed.rows,
    usableRows: parsed.usableRows,
    skippedRows: parsed.badRows,
    badRowLines: parsed.badRowLines,
    oneSidedRows: parsed.oneSidedRows,
    crossedRows: parsed.crossedRows,
    periods: parsed.periods,
    periodMinutes: parsed.periodMinutes,
    sessionStart: parsed.session.start,
    sessionEnd: parsed.session.end,
    timeZone: parsed.session.timeZone,
    emptyPeriods: parsed.emptyPeriods,
    medianSpread: parsed.medianSpread,
    medianBidDepth: parsed.medianBidDepth,
    medianAskDepth: parsed.medianAskDepth,
    importedAt: meta.importedAt,
  };
}

/** What a plan needs from a freshly parsed file (the CLI plans without the database). */
export function planSourceOf(parsed: ParsedBook, fileName: string): BookPlanSource {
  return {
    symbol: parsed.symbol,
    date: parsed.date,
    fileName,
    periods: parsed.periods,
    periodMinutes: parsed.periodMinutes,
    session: parsed.session,
    mids: parsed.series.map((p) => p.mid),
    ladders: parsed.ladders,
  };
}
