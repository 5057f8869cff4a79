/**
 * Order-book dataset storage: the only SQL that touches the books table. Functions take the
 * db first; statements are prepared once per connection with named parameters. JSON columns
 * are parsed with zod when read back, so a damaged row is a clear 'storage' error.
 */
import { z } from 'zod';
import { PlannerError, type BookSummary } from '@shared/contract';
import { BookPeriodSchema, BookStatsSchema, type BookStats, type Ladder } from '@shared/book';
import type { Db } from './db';

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

interface ContentKey {
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
    find: db.prepare<ContentKey, BookRow>(
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

function parseJson<T>(schema: z.ZodType<T>, text: string, what: string, id: string): T {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new PlannerError('storage', `the stored ${what} of dataset ${id} is damaged (not JSON)`);
  }
  const r = schema.safeParse(raw);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new PlannerError(
      'storage',
      `the stored ${what} of dataset ${id} is damaged (${i.path.join('.')}: ${i.message})`,
    );
  }
  return r.data;
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
  const { stats, ...s } = parseJson(SummaryJsonSchema, row.summary, 'summary', row.id);
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
  statements(db).insert.run({
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
  });
}

export function listBooks(db: Db): BookSummary[] {
  return statements(db).list.all().map(toSummary);
}

/** A dataset imported before from the same bytes with the same sampling, if any. */
export function findBook(db: Db, key: ContentKey): BookSummary | null {
  const row = statements(db).find.get(key);
  return row ? toSummary(row) : null;
}

export function getBook(db: Db, id: string): StoredBook {
  const row = statements(db).get.get({ id });
  if (!row) throw new PlannerError('not_found', `no order-book dataset with id ${id}`);
  return { summary: toSummary(row), data: parseJson(DataJsonSchema, row.data, 'data', id) };
}

export function deleteBook(db: Db, id: string): void {
  const r = statements(db).remove.run({ id });
  if (r.changes === 0) throw new PlannerError('not_found', `no order-book dataset with id ${id}`);
}
