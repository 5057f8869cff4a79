import type Database from 'better-sqlite3';
import type { Migration } from './index';

/**
 * Plans and their revision history.
 *
 * `plans` holds the head (latest revision) of each plan with the columns the list and the
 * search need; `plan_revisions` holds every saved revision, the head included, so history
 * can be listed and any revision reopened. Revisions go when their plan is deleted.
 */
export const m1001Plans: Migration = {
  version: 1001,
  name: 'plans',
  up(db: Database.Database) {
    db.exec(`
      CREATE TABLE plans (
        id          TEXT PRIMARY KEY,
        name        TEXT NOT NULL,
        symbol      TEXT NOT NULL,
        side        TEXT NOT NULL CHECK (side IN ('buy', 'sell')),
        shares      INTEGER NOT NULL,
        created_at  TEXT NOT NULL,
        updated_at  TEXT NOT NULL,
        revision    INTEGER NOT NULL CHECK (revision >= 1),
        plan_json   TEXT NOT NULL,
        result_json TEXT,
        total_cost  REAL
      );
      -- The list is sorted by last change; searching walks the same index.
      CREATE INDEX plans_by_updated ON plans (updated_at DESC);

      CREATE TABLE plan_revisions (
        plan_id     TEXT NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
        revision    INTEGER NOT NULL CHECK (revision >= 1),
        saved_at    TEXT NOT NULL,
        name        TEXT NOT NULL,
        shares      INTEGER NOT NULL,
        plan_json   TEXT NOT NULL,
        result_json TEXT,
        total_cost  REAL,
        PRIMARY KEY (plan_id, revision)
      ) WITHOUT ROWID;
    `);
  },
};
