/**
 * Opening the database: pragmas, the migration runner, refusing a database written by a newer
 * version, and moving a corrupt file aside (kept, never deleted) before starting fresh.
 */
import { existsSync, renameSync } from 'node:fs';
import Database from 'better-sqlite3';
import { PlannerError } from '@shared/contract';
import { migrations as allMigrations, type Migration } from './migrations';

export type Db = Database.Database;

export interface OpenedDatabase {
  db: Db;
  /** Things the user must be told (e.g. a corrupt file was moved aside). */
  notices: string[];
}

export interface OpenOptions {
  /** Defaults to the app's migrations; tests pass their own. */
  migrations?: readonly Migration[];
  /** For the corrupt-file name; tests pin it. */
  now?: () => Date;
}

/** Set on every connection. WAL: readers never block the writer and a killed process never
 *  leaves a half-written transaction. synchronous=FULL: a committed save also survives a
 *  power cut (saves are rare and small, so the extra fsync costs nothing noticeable). */
export function applyPragmas(db: Db): void {
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
}

export function latestVersion(migrations: readonly Migration[]): number {
  return migrations.length ? migrations[migrations.length - 1].version : 0;
}

/**
 * Apply pending migrations in one transaction and set PRAGMA user_version.
 * Throws PlannerError('storage') for a database from a newer version (it is left untouched).
 */
export function migrate(db: Db, migrations: readonly Migration[] = allMigrations): number {
  for (let i = 1; i < migrations.length; i++) {
    if (!(migrations[i].version > migrations[i - 1].version)) {
      throw new Error(
        `migrations out of order: ${migrations[i].version} (${migrations[i].name}) after ${migrations[i - 1].version}`,
      );
    }
  }
  const current = refuseNewer(db, migrations);
  const latest = latestVersion(migrations);
  const pending = migrations.filter((m) => m.version > current);
  if (pending.length === 0) return current;
  db.transaction(() => {
    for (const m of pending) m.up(db);
    // PRAGMA takes no bound parameters; the value is a checked integer.
    db.pragma(`user_version = ${Math.trunc(latest)}`);
  })();
  return latest;
}

/** The schema version, after refusing one newer than the migrations know. */
function refuseNewer(db: Db, migrations: readonly Migration[]): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = latestVersion(migrations);
  if (current > latest) {
    throw new PlannerError(
      'storage',
      `The database ${db.name} was written by a newer version of Order Planner (schema ${current}; ` +
        `this version knows up to ${latest}). Install the newer version, or move the file away ` +
        `to start with an empty database.`,
    );
  }
  return current;
}

/** SQLite error codes that mean "this file is not a usable database". */
const CORRUPT_CODES = new Set(['SQLITE_NOTADB', 'SQLITE_CORRUPT', 'SQLITE_CORRUPT_VTAB']);

function isCorruption(e: unknown): boolean {
  if (e instanceof CorruptDatabase) return true;
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && CORRUPT_CODES.has(code);
}

class CorruptDatabase extends Error {}

function openAndCheck(path: string, migrations: readonly Migration[]): Db {
  const db = new Database(path);
  try {
    // Before anything writes to the file (WAL changes the header): refuse a newer schema.
    refuseNewer(db, migrations);
    applyPragmas(db);
    if (path !== ':memory:') {
      const check = db.pragma('quick_check', { simple: true });
      if (check !== 'ok') throw new CorruptDatabase(`integrity check failed: ${String(check)}`);
    }
    migrate(db, migrations);
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}

/** `planner.db` → `planner.db.corrupt-2026-11-24T01-32-00-000Z` (WAL/SHM files follow). */
export function asideName(path: string, when: Date): string {
  return `${path}.corrupt-${when.toISOString().replace(/[:.]/g, '-')}`;
}

/**
 * Open (creating if needed) the database at `path` (or ':memory:').
 * A corrupt file is renamed aside with a timestamp and a fresh database is started; the
 * returned notices tell the user where the old file went. A newer-version database is refused.
 */
export function openDatabase(path: string, options: OpenOptions = {}): OpenedDatabase {
  const migrations = options.migrations ?? allMigrations;
  try {
    return { db: openAndCheck(path, migrations), notices: [] };
  } catch (e) {
    if (path === ':memory:' || !isCorruption(e)) throw wrapOpenError(path, e);
  }
  const aside = asideName(path, (options.now ?? (() => new Date()))());
  try {
    renameSync(path, aside);
    for (const suffix of ['-wal', '-shm']) {
      if (existsSync(path + suffix)) renameSync(path + suffix, aside + suffix);
    }
  } catch (e) {
    throw new PlannerError(
      'storage',
      `The database ${path} is damaged and could not be moved aside: ${(e as Error).message}`,
    );
  }
  const db = openAndCheck(path, migrations);
  return {
    db,
    notices: [
      `The plan database was damaged and could not be read. It was kept as ${aside} and a new, empty database was started.`,
    ],
  };
}

function wrapOpenError(path: string, e: unknown): Error {
  if (e instanceof PlannerError) return e;
  return new PlannerError(
    'storage',
    `Could not open the database ${path}: ${e instanceof Error ? e.message : String(e)}`,
  );
}
