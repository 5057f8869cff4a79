import type Database from 'better-sqlite3';
import type { Migration } from './index';

/**
 * Imported order-book datasets (docs/orderbook.md, "Storage").
 *
 * One row per import: the columns the list shows and the duplicate check needs, `summary`
 * (the import's counts and medians as JSON) and `data` (per-period series and the ladders of
 * both sides as JSON, about 200 kB for a 390-period day), so plans reuse a dataset without
 * re-reading its file.
 */
export const m2001Books: Migration = {
  version: 2001,
  name: 'books',
  up(db: Database.Database) {
    db.exec(`
      CREATE TABLE books (
        id             TEXT PRIMARY KEY,
        symbol         TEXT NOT NULL,
        date           TEXT NOT NULL,
        file_name      TEXT NOT NULL,
        sha256         TEXT NOT NULL,
        rows           INTEGER NOT NULL,
        periods        INTEGER NOT NULL CHECK (periods >= 1),
        period_minutes REAL NOT NULL CHECK (period_minutes > 0),
        session_start  TEXT NOT NULL,
        session_end    TEXT NOT NULL,
        time_zone      TEXT NOT NULL,
        imported_at    TEXT NOT NULL,
        summary        TEXT NOT NULL,
        data           TEXT NOT NULL
      );
      CREATE INDEX books_by_imported ON books (imported_at DESC);
      -- Re-importing the same file with the same sampling finds the stored dataset.
      CREATE INDEX books_by_content ON books (sha256, period_minutes, session_start, session_end, time_zone, date);
    `);
  },
};
