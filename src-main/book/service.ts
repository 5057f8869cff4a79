/**
 * Order-book dataset service (docs/orderbook.md). The shell's services object delegates the book
 * operations of the contract (importBook, cancelImport, listBooks, getBook, deleteBook,
 * bookPlan) to this object. One import runs at a time (a second gets 'busy'); it streams
 * the file in the main process between event-loop turns, so cancel is seen promptly.
 */
import { createHash, randomUUID } from 'node:crypto';
import {
  PlannerError,
  type BookDetail,
  type BookSummary,
  type OpOutput,
  type OpParsed,
  type ProgressEvent,
} from '@shared/contract';
import { buildBookPlan, fitLadders, median, type BookPlanSource, type SideFit } from '@shared/book';
import type { Plan, Session } from '@shared/plan';
import type { SolveResult } from '@shared/result';
import { validatePlans, type ValidationDay } from '@shared/validation';
import { replaySchedule } from '@shared/replay';
import type { StoredBook } from '../storage/books';
import type { StorageClient } from '../storage/protocol';
import { importMbp10File, type ParsedBook } from './mbp10';
import { averagePlanDays, calibrationDayOf, planSourceOfDays, type PlanDay } from './planSource';

/** The storage operations the book service uses (the storage thread in the app). */
export type BookStorage = Pick<
  StorageClient,
  'listBooks' | 'getBook' | 'deleteBook' | 'saveBookOnce'
>;

export interface BookServiceDeps {
  storage: BookStorage;
  /** Emit progress of a running import to every window / SSE client. */
  emitProgress: (event: ProgressEvent) => void;
  /** Resolve a `file` reference (an opaque id from stageFile) to a path. */
  resolveFile: (ref: string) => string;
  /** Clock for importedAt (tests pin it). */
  now?: () => Date;
  /** Reads and samples a file; default in this process. The app passes one that runs in a
   *  separate process, so a 2 GB file never blocks the main process. */
  importFile?: typeof importMbp10File;
}

export interface BookService {
  /** Import a file at `path` (already resolved), shown to the user as `fileName`. */
  importBook(
    input: OpParsed<'importBook'> & { path: string; fileName: string },
  ): Promise<OpOutput<'importBook'>>;
  cancelImport(input: OpParsed<'cancelImport'>): OpOutput<'cancelImport'>;
  listBooks(input: OpParsed<'listBooks'>): Promise<OpOutput<'listBooks'>>;
  getBook(input: OpParsed<'getBook'>): Promise<OpOutput<'getBook'>>;
  deleteBook(input: OpParsed<'deleteBook'>): Promise<OpOutput<'deleteBook'>>;
  bookPlan(input: OpParsed<'bookPlan'>): Promise<OpOutput<'bookPlan'>>;
  averageBooks(input: OpParsed<'averageBooks'>): Promise<OpOutput<'averageBooks'>>;
  replayBook(input: OpParsed<'replayBook'>): Promise<OpOutput<'replayBook'>>;
  /** The validation over stored single days; `solve` runs each fold's plan (the app: the
   *  solver process, so main only builds plans and walks books). */
  validateBooks(
    input: OpParsed<'validateBooks'>,
    solve: (plan: Plan) => Promise<SolveResult>,
  ): Promise<OpOutput<'validateBooks'>>;
}

export const DEFAULT_SESSION: Session = {
  start: '09:30',
  end: '16:00',
  timeZone: 'America/New_York',
};

/** Progress is emitted at most this often (plus at start and end). */
const PROGRESS_INTERVAL_MS = 100;

export function createBookService(deps: BookServiceDeps): BookService {
  const store = deps.storage;
  const now = deps.now ?? (() => new Date());
  const importFile = deps.importFile ?? importMbp10File;
  let running: AbortController | null = null;

  async function storage<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      if (e instanceof PlannerError) throw e;
      throw new PlannerError('storage', `could not ${what}: ${(e as Error).message}`);
    }
  }

  /**
   * The days an average was made of, each with its own data, for the calibration; nothing
   * when one of them has been deleted since (the average is then calibrated as one day).
   */
  async function averagedDays(ids: string[]): Promise<Pick<BookPlanSource, 'days'>> {
    const days: NonNullable<BookPlanSource['days']> = [];
    for (const id of ids) {
      let day: StoredDay;
      try {
        day = await store.getBook(id);
      } catch (e) {
        if (e instanceof PlannerError && e.code === 'not_found') return {};
        throw e;
      }
      days.push(calibrationDay(day));
    }
    return { days };
  }

  /** Stored datasets by id, in that order (each one read in turn). */
  async function readDays(ids: string[]): Promise<StoredDay[]> {
    const days: StoredDay[] = [];
    for (const id of ids) days.push(await storage('read the dataset', () => store.getBook(id)));
    return days;
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
        const parsed = await importFile(input.path, {
          periodMinutes: input.periodMinutes,
          session,
          date: input.date,
          sampling: input.sampling,
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
          sampling: parsed.stats.sampling,
        };
        const summary = summaryOf(parsed, {
          id: randomUUID(),
          fileName: input.fileName,
          sha256: parsed.sha256,
          importedAt: now().toISOString(),
        });
        // The same file imported before with the same sampling is that dataset, not a copy.
        return await storage('save the dataset', () =>
          store.saveBookOnce(key, summary, {
            series: parsed.series,
            ladders: parsed.ladders,
            // With start sampling the replay books are the ladders: store them once.
            ...(parsed.stats.sampling === 'start' ? {} : { replayLadders: parsed.replayLadders }),
          }),
        );
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

    listBooks: () => storage('list the datasets', () => store.listBooks()),

    async getBook({ id }) {
      const book = await storage('read the dataset', () => store.getBook(id));
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

    async deleteBook({ id }) {
      await storage('delete the dataset', () => store.deleteBook(id));
      return { id };
    },

    async bookPlan(input) {
      const book = await storage('read the dataset', () => store.getBook(input.id));
      const s = book.summary;
      return buildBookPlan(
        {
          symbol: s.symbol,
          date: s.stats.days
            ? `${s.stats.days[0].date}…${s.stats.days[s.stats.days.length - 1].date}`
            : s.date,
          fileName: s.fileName,
          periods: s.periods,
          periodMinutes: s.periodMinutes,
          session: { start: s.sessionStart, end: s.sessionEnd, timeZone: s.timeZone },
          series: book.data.series,
          ladders: book.data.ladders,
          stats: s.stats,
          // The calibration estimates over days from each day's own data (the books in effect
          // at the period starts, its mids and spreads): one day as it is; an average from the
          // days it was made of, while all of them are still stored.
          ...(s.stats.days
            ? await averagedDays(s.stats.days.map((d) => d.id))
            : { days: [calibrationDay(book)] }),
        },
        input,
      );
    },

    async averageBooks({ ids }) {
      const unique = [...new Set(ids)];
      if (unique.length < 2) {
        throw new PlannerError('invalid_input', 'ids: needs at least two different days');
      }
      const stored = await readDays(unique);
      const first = stored[0].summary;
      const avg = averageStored(stored);
      const days = avg.stats.days!;
      const sha256 = createHash('sha256')
        .update(
          stored
            .map((b) => b.summary.sha256)
            .sort()
            .join('\n'),
        )
        .digest('hex');
      const key = {
        sha256,
        periodMinutes: first.periodMinutes,
        sessionStart: first.sessionStart,
        sessionEnd: first.sessionEnd,
        timeZone: first.timeZone,
        date: days[days.length - 1].date,
        sampling: avg.stats.sampling,
      };
      {
        const sum = (f: (b: (typeof stored)[number]['summary']) => number) =>
          stored.reduce((a, b) => a + f(b.summary), 0);
        const covered = avg.series.filter((p) => p.mid !== null || (p.coverage ?? 0) > 0);
        const summary: BookSummary = {
          id: randomUUID(),
          symbol: first.symbol,
          date: key.date,
          fileName: `Average of ${days.length} days (${days[0].date} to ${key.date})`,
          sha256,
          rows: sum((b) => b.rows),
          usableRows: sum((b) => b.usableRows),
          skippedRows: sum((b) => b.skippedRows),
          badRowLines: [],
          oneSidedRows: sum((b) => b.oneSidedRows),
          crossedRows: sum((b) => b.crossedRows),
          periods: first.periods,
          periodMinutes: first.periodMinutes,
          sessionStart: first.sessionStart,
          sessionEnd: first.sessionEnd,
          timeZone: first.timeZone,
          emptyPeriods: avg.series.flatMap((p, i) => ((p.coverage ?? 0) > 0 ? [] : [i + 1])),
          medianSpread: median(covered.flatMap((p) => (p.spread === null ? [] : [p.spread]))),
          medianBidDepth: median(covered.map((p) => p.bidDepth)),
          medianAskDepth: median(covered.map((p) => p.askDepth)),
          importedAt: now().toISOString(),
          stats: avg.stats,
        };
        return storage('save the averaged dataset', () =>
          store.saveBookOnce(key, summary, { series: avg.series, ladders: avg.ladders }),
        );
      }
    },

    async validateBooks(input, solve) {
      const unique = [...new Set(input.ids)];
      if (unique.length !== input.ids.length) {
        throw new PlannerError('invalid_input', 'ids: a day is listed twice');
      }
      const stored = await readDays(unique);
      const days: ValidationDay<StoredDay>[] = stored.map((b) => {
        const s = b.summary;
        if (s.stats.days) {
          throw new PlannerError(
            'invalid_input',
            `ids: ${s.fileName} is an average of days; validate single days`,
          );
        }
        return {
          symbol: s.symbol,
          date: s.date,
          name: s.fileName,
          replay: {
            ladders: (b.data.replayLadders ?? b.data.ladders)[input.side],
            mids: b.data.series.map((p) => p.mid),
            arrival: s.stats.arrival?.mid ?? null,
            periodSeconds: s.periodMinutes * 60,
          },
          data: b,
        };
      });
      return validatePlans(
        days,
        (train) =>
          buildBookPlan(storedSource(train.map((d) => d.data)), {
            shares: input.shares,
            side: input.side,
            lotSize: input.lotSize,
            fit: input.model === 'power',
            model: input.model,
          }),
        { mode: input.mode, recoveryHalfLifeSeconds: input.recoveryHalfLifeSeconds, solve },
      );
    },

    async replayBook({ id, side, schedules }) {
      const book = await storage('read the dataset', () => store.getBook(id));
      const s = book.summary;
      if (s.stats.days) {
        throw new PlannerError(
          'invalid_input',
          `id: ${s.fileName} is an average of days; replay against one real day`,
        );
      }
      const ladders = (book.data.replayLadders ?? book.data.ladders)[side];
      for (const sch of schedules) {
        if (sch.shares.length !== s.periods) {
          throw new PlannerError(
            'invalid_input',
            `schedules: "${sch.label}" has ${sch.shares.length} periods, the day ${s.date} has ${s.periods} (${s.periodMinutes}-minute periods ${s.sessionStart}–${s.sessionEnd}): import the day with the plan's periods`,
          );
        }
      }
      const day = {
        ladders,
        mids: book.data.series.map((p) => p.mid),
        arrival: s.stats.arrival?.mid ?? null,
      };
      return {
        id: s.id,
        symbol: s.symbol,
        date: s.date,
        fileName: s.fileName,
        side,
        periods: s.periods,
        arrivalMid: day.arrival,
        rows: schedules.map((sch) => replaySchedule(sch.label, sch.shares, day, side)),
      };
    },
  };
}

/** A stored day as the plan builder needs it. */
type StoredDay = StoredBook;

/** A stored single day as a plan is made of it. */
function planDay(b: StoredDay): PlanDay {
  const s = b.summary;
  return {
    id: s.id,
    fileName: s.fileName,
    symbol: s.symbol,
    date: s.date,
    periods: s.periods,
    periodMinutes: s.periodMinutes,
    session: { start: s.sessionStart, end: s.sessionEnd, timeZone: s.timeZone },
    series: b.data.series,
    ladders: b.data.ladders,
    replayLadders: b.data.replayLadders,
    stats: s.stats,
  };
}

/** One stored day as the calibration reads it. */
function calibrationDay(b: StoredDay): NonNullable<BookPlanSource['days']>[number] {
  return calibrationDayOf(planDay(b));
}

/** Several stored days of one symbol, checked to match and averaged. */
function averageStored(days: StoredDay[]): ReturnType<typeof averagePlanDays> {
  return averagePlanDays(days.map(planDay));
}

/** The plan source of stored single days: one as it is, several averaged (as book-plan). */
function storedSource(days: StoredDay[]): BookPlanSource {
  return planSourceOfDays(days.map(planDay));
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
    stats: parsed.stats,
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
    series: parsed.series,
    ladders: parsed.ladders,
    stats: parsed.stats,
  };
}
