/**
 * Order-book dataset storage: the only SQL that touches the books table. Functions take the
 * db first; statements are prepared once per connection with named parameters. JSON columns
 * are parsed with zod when read back, so a damaged row is a clear 'storage' error naming the
 * dataset, and it damages only itself: the list still shows it (from its columns, so it can
 * be deleted) and every other dataset stays usable. Every exported function maps SQLite
 * errors to PlannerError('storage') (see errors.ts).
 */
import { z } from 'zod';
import { PlannerError, type BookSummary } from '@shared/contract';
import { BookPeriodSchema, BookStatsSchema, type BookStats, type Ladder } from '@shared/book';
import type { Db } from './db';
import { storageCall } from './errors';

const num = z.number().refine(Number.isFinite, 'must be a finite number');
const ladder = z.array(z.tuple([num, num]));

/** Counts and medians kept as JSON (the rest of BookSummary are columns). */
const SummaryJsonSchema = z.object({
  usableRows: z.number().int(),
  skippedRows: z.number().int(),
  badRowLines: z.array(z.number().int()),
  oneSidedRows: z.number().int(),
  crossedRows: z.number().int(),
  emptyPeriods: z.array(z.number().int()),
  medianSpread: num.nullable(),
  medianBidDepth: num.nullable(),
  medianAskDepth: num.nullable(),
  /** Absent in datasets imported before the statistics (filled in by legacyStats). */
  stats: BookStatsSchema.optional(),
});

const DataJsonSchema = z.object({
  series: z.array(BookPeriodSchema),
  ladders: z.object({ buy: z.array(ladder), sell: z.array(ladder) }),
  /** The book in effect at each period start (replay); absent: the ladders are those. */
  replayLadders: z.object({ buy: z.array(ladder), sell: z.array(ladder) }).optional(),
});

export type BookData = z.infer<typeof DataJsonSchema>;

export interface StoredBook {
  summary: BookSummary;
  data: BookData & { ladders: { buy: Ladder[]; sell: Ladder[] } };
}

interface BookRow {
  id: string;
  symbol: string;
  date: string;
  file_name: string;
  sha256: string;
  rows: number;
  periods: number;
  period_minutes: number;
  session_start: string;
  session_end: string;
  time_zone: string;
  imported_at: string;
  sampling: string;
  summary: string;
}

type FullRow = BookRow & { data: string };

const LIST_COLUMNS =
  'id, symbol, date, file_name, sha256, rows, periods, period_minutes, session_start, session_end, time_zone, imported_at, sampling, summary';

/** What makes two datasets the same: the file's bytes, how it was sampled and its session. */
export interface BookKey {
  sha256: string;
  periodMinutes: number;
  sessionStart: string;
  sessionEnd: string;
  timeZone: string;
  date: string;
  sampling: string;
}

function prepare(db: Db) {
  return {
    list: db.prepare<[], BookRow>(`SELECT ${LIST_COLUMNS} FROM books ORDER BY imported_at DESC`),
    get: db.prepare<{ id: string }, FullRow>('SELECT * FROM books WHERE id = :id'),
    find: db.prepare<BookKey, BookRow>(
      `SELECT ${LIST_COLUMNS} FROM books
       WHERE sha256 = :sha256 AND period_minutes = :periodMinutes AND session_start = :sessionStart
         AND session_end = :sessionEnd AND time_zone = :timeZone AND date = :date
         AND sampling = :sampling
       LIMIT 1`,
    ),
    insert: db.prepare(
      `INSERT INTO books (id, symbol, date, file_name, sha256, rows, periods, period_minutes,
                          session_start, session_end, time_zone, imported_at, sampling, summary, data)
       VALUES (:id, :symbol, :date, :fileName, :sha256, :rows, :periods, :periodMinutes,
               :sessionStart, :sessionEnd, :timeZone, :importedAt, :sampling, :summary, :data)`,
    ),
    remove: db.prepare<{ id: string }>('DELETE FROM books WHERE id = :id'),
  };
}

const cache = new WeakMap<Db, ReturnType<typeof prepare>>();
function statements(db: Db): ReturnType<typeof prepare> {
  let s = cache.get(db);
  if (!s) {
    s = prepare(db);
    cache.set(db, s);
  }
  return s;
}

function parseJson<T>(schema: z.ZodType<T>, text: string, what: string, row: BookRow): T {
  let raw: unknown;
  let why: string | null = null;
  try {
    raw = JSON.parse(text);
  } catch {
    why = 'not JSON';
  }
  if (why === null) {
    const r = schema.safeParse(raw);
    if (r.success) return r.data;
    const i = r.error.issues[0];
    why = `${i.path.join('.')}: ${i.message}`;
  }
  throw new PlannerError(
    'storage',
    `The stored ${what} of dataset ${row.id} (${row.symbol} ${row.date}, ${row.file_name}) is damaged (${why}) and cannot be opened: delete it and import the file again.`,
  );
}

/** Statistics of a dataset imported before they existed: what its columns still tell. */
function legacyStats(row: BookRow, emptyPeriods: number[]): BookStats {
  return {
    sampling: row.sampling === 'average' ? 'average' : 'start',
    coveredPeriods: row.periods - emptyPeriods.length,
    partialPeriods: 0,
    largestGap: null,
    dataStart: null,
    dataEnd: null,
    volume: null,
    trades: null,
    sigma: null,
    arrival: null,
    maxLevels: 10,
  };
}

function toSummary(row: BookRow): BookSummary {
  return summaryOf(row, parseJson(SummaryJsonSchema, row.summary, 'summary', row));
}

/**
 * For the list: a row whose summary JSON is damaged is still listed, from its columns (the
 * counts and medians it held are unknown: 0 and null), so the user sees it and can delete it;
 * opening it reports the damage.
 */
function listedSummary(row: BookRow): BookSummary {
  try {
    return toSummary(row);
  } catch (e) {
    if (!(e instanceof PlannerError)) throw e;
    return summaryOf(row, {
      usableRows: 0,
      skippedRows: 0,
      badRowLines: [],
      oneSidedRows: 0,
      crossedRows: 0,
      emptyPeriods: [],
      medianSpread: null,
      medianBidDepth: null,
      medianAskDepth: null,
    });
  }
}

function summaryOf(row: BookRow, json: z.infer<typeof SummaryJsonSchema>): BookSummary {
  const { stats, ...s } = json;
  return {
    id: row.id,
    symbol: row.symbol,
    date: row.date,
    fileName: row.file_name,
    sha256: row.sha256,
    rows: row.rows,
    periods: row.periods,
    periodMinutes: row.period_minutes,
    sessionStart: row.session_start,
    sessionEnd: row.session_end,
    timeZone: row.time_zone,
    importedAt: row.imported_at,
    ...s,
    stats: stats ?? legacyStats(row, s.emptyPeriods),
  };
}

export function insertBook(db: Db, summary: BookSummary, data: BookData): void {
  const json: z.infer<typeof SummaryJsonSchema> = {
    usableRows: summary.usableRows,
    skippedRows: summary.skippedRows,
    badRowLines: summary.badRowLines,
    oneSidedRows: summary.oneSidedRows,
    crossedRows: summary.crossedRows,
    emptyPeriods: summary.emptyPeriods,
    medianSpread: summary.medianSpread,
    medianBidDepth: summary.medianBidDepth,
    medianAskDepth: summary.medianAskDepth,
    stats: summary.stats,
  };
  const row = {
    id: summary.id,
    symbol: summary.symbol,
    date: summary.date,
    fileName: summary.fileName,
    sha256: summary.sha256,
    rows: summary.rows,
    periods: summary.periods,
    periodMinutes: summary.periodMinutes,
    sessionStart: summary.sessionStart,
    sessionEnd: summary.sessionEnd,
    timeZone: summary.timeZone,
    importedAt: summary.importedAt,
    sampling: summary.stats.sampling,
    summary: JSON.stringify(json),
    data: JSON.stringify({
      series: data.series,
      ladders: data.ladders,
      ...(data.replayLadders ? { replayLadders: data.replayLadders } : {}),
    }),
  };
  storageCall(db, 'save the order-book dataset', () => statements(db).insert.run(row));
}

export function listBooks(db: Db): BookSummary[] {
  return storageCall(db, 'list the order-book datasets', () =>
    statements(db).list.all().map(listedSummary),
  );
}

/** A dataset imported before from the same bytes with the same sampling, if any. One whose
 *  summary is damaged does not count: importing the file again stores a sound copy. */
export function findBook(db: Db, key: BookKey): BookSummary | null {
  return storageCall(db, 'look up the order-book datasets', () => {
    const row = statements(db).find.get(key);
    if (!row) return null;
    try {
      return toSummary(row);
    } catch (e) {
      if (e instanceof PlannerError) return null;
      throw e;
    }
  });
}

export function getBook(db: Db, id: string): StoredBook {
  return storageCall(db, 'open the order-book dataset', () => {
    const row = statements(db).get.get({ id });
    if (!row) throw new PlannerError('not_found', `no order-book dataset with id ${id}`);
    return { summary: toSummary(row), data: parseJson(DataJsonSchema, row.data, 'data', row) };
  });
}

/**
 * The dataset stored under `key` (see findBook), or `summary` after inserting it with `data`:
 * one transaction, so two imports of the same file cannot both store it.
 */
export function saveBookOnce(
  db: Db,
  key: BookKey,
  summary: BookSummary,
  data: BookData,
): BookSummary {
  return storageCall(db, 'save the order-book dataset', () =>
    db
      .transaction(() => {
        const existing = findBook(db, key);
        if (existing) return existing;
        insertBook(db, summary, data);
        return summary;
      })
      .immediate(),
  );
}

export function deleteBook(db: Db, id: string): void {
  storageCall(db, 'delete the order-book dataset', () => {
    const r = statements(db).remove.run({ id });
    if (r.changes === 0) throw new PlannerError('not_found', `no order-book dataset with id ${id}`);
  });
}
