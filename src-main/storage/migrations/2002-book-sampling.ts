import type Database from 'better-sqlite3';
import type { Migration } from './index';

/**
 * Order-book datasets remember how their periods were sampled ('average' or 'start').
 *
 * Datasets imported before were all sampled at the period start, so existing rows get
 * 'start'. The content index gains the column: the same file imported with the other
 * sampling is a different dataset.
 */
export const m2002BookSampling: Migration = {
  version: 2002,
  name: 'book-sampling',
  up(db: Database.Database) {
    db.exec(`
      ALTER TABLE books ADD COLUMN sampling TEXT NOT NULL DEFAULT 'start'
        CHECK (sampling IN ('start', 'average'));
      DROP INDEX books_by_content;
      CREATE INDEX books_by_content ON books (sha256, period_minutes, session_start, session_end, time_zone, date, sampling);
    `);
  },
};
