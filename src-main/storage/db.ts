/**
 * Opening the database: the one-owner lock (lock.ts), pragmas, the migration runner, refusing
 * a database written by a newer version or made read-only, private file modes, and moving a
 * corrupt database (or one whose write-ahead log SQLite would silently drop) aside, kept and
 * never deleted, before starting fresh. Nothing is looked at or moved before the lock is held.
 */
import { closeSync, existsSync, openSync, renameSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { PlannerError } from '@shared/contract';
import { PRIVATE_FILE_MODE, tightenMode } from '../platform/paths';
import { toStorageError } from './errors';
import { migrations as allMigrations, type Migration } from './migrations';
import { acquireDatabaseLock, type DatabaseLock } from './lock';
import { walProblem } from './wal';

export type Db = Database.Database;

export interface OpenedDatabase {
  db: Db;
  /** Things the user must be told (e.g. a corrupt file was moved aside). */
  notices: string[];
  /** The database's lock (null in memory); `db.close()` releases it. */
  lock: DatabaseLock | null;
}

export interface OpenOptions {
  /** Defaults to the app's migrations; tests pass their own. */
  migrations?: readonly Migration[];
  /** For the corrupt-file name; tests pin it. */
  now?: () => Date;
  /** What this process is, for the message a refused second instance shows ("desktop app",
   *  "browser-mode server"). */
  kind?: string;
}

/**
 * How long a statement waits for another connection's lock before failing with SQLITE_BUSY.
 * better-sqlite3 is synchronous: while SQLite waits, the storage thread waits, and every
 * storage request (of every window, every HTTP request) waits behind it. So the wait is short and a locked database fails fast
 * with a clear 'storage' error ("the database is busy … try again"); the caller can retry.
 * Our own writes take milliseconds, so this only gives up on a lock held by someone else.
 */
export const BUSY_TIMEOUT_MS = 200;

/** Set on every connection. WAL: readers never block the writer and a killed process never
 *  leaves a half-written transaction. synchronous=FULL: a committed save also survives a
 *  power cut (saves are rare and small, so the extra fsync costs nothing noticeable). */
export function applyPragmas(db: Db): void {
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
}

export function latestVersion(migrations: readonly Migration[]): number {
  return migrations.length ? migrations[migrations.length - 1].version : 0;
}

/**
 * Apply pending migrations in one transaction and set PRAGMA user_version.
 * Throws PlannerError('storage') for a database from a newer version (it is left untouched).
 */
export function migrate(db: Db, migrations: readonly Migration[] = allMigrations): number {
  assertOrdered(migrations);
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

/** Versions form one strictly increasing sequence (a programming error otherwise). */
export function assertOrdered(migrations: readonly Migration[]): void {
  for (let i = 1; i < migrations.length; i++) {
    if (!(migrations[i].version > migrations[i - 1].version)) {
      throw new Error(
        `migrations out of order: ${migrations[i].version} (${migrations[i].name}) after ${migrations[i - 1].version}`,
      );
    }
  }
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
  const db = new Database(path, { timeout: BUSY_TIMEOUT_MS });
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

const COMPANIONS = ['-wal', '-shm'] as const;

/**
 * The database file, created if missing, and its -wal/-shm files made private (0600): the
 * plans are the user's business. SQLite creates the -wal and -shm files with the mode of the
 * database file, so creating that one 0600 covers all three; files of an older version,
 * created 0644, are tightened here.
 */
function makePrivate(path: string): void {
  refuseReadOnly(path);
  try {
    closeSync(openSync(path, 'a', PRIVATE_FILE_MODE));
  } catch (e) {
    throw new PlannerError(
      'storage',
      `Could not open the database ${path}: ${createReason(e)}. Check that the data folder exists and that you may write to it.`,
    );
  }
  for (const file of [path, ...COMPANIONS.map((suffix) => path + suffix)]) {
    tightenMode(file);
  }
}

/**
 * A database (or -wal/-shm file) its owner may not write, e.g. one the user made read-only
 * (0400) to keep it as it is, is refused with a message: never made writable again behind
 * the user's back. (Order Planner has no read-only mode: opening a WAL database writes.)
 */
function refuseReadOnly(path: string): void {
  if (process.platform === 'win32') return;
  for (const file of [path, ...COMPANIONS.map((suffix) => path + suffix)]) {
    let mode: number;
    try {
      mode = statSync(file).mode;
    } catch {
      continue; // missing: created private below
    }
    if ((mode & 0o200) === 0) {
      throw new PlannerError(
        'storage',
        `The database file ${file} is read-only (mode ${(mode & 0o777).toString(8).padStart(4, '0')}), so Order Planner cannot save to it and leaves it as it is. To use it, make it writable for yourself (chmod u+w); to keep it untouched, copy it somewhere else and start with another data folder.`,
      );
    }
  }
}

/** Why the database file could not be created or opened for writing, in words. */
function createReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return 'its folder does not exist';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EROFS':
      return 'the disk is read-only';
    case 'ENOSPC':
      return 'the disk is full';
    case 'EISDIR':
      return 'it is a folder, not a file';
    default:
      return `it cannot be written (${code ?? (e as Error).message})`;
  }
}

/**
 * Rename the database and whichever of its -wal/-shm files exist to timestamped names (a
 * free one: an earlier file moved aside is never overwritten); the names they now have.
 */
function moveAside(path: string, when: Date): string[] {
  let aside = asideName(path, when);
  const taken = (name: string) => ['', ...COMPANIONS].some((x) => existsSync(name + x));
  for (let n = 1; taken(aside); n++) {
    aside = `${asideName(path, when)}-${n}`;
  }
  const moved: string[] = [];
  try {
    for (const suffix of ['', ...COMPANIONS]) {
      if (!existsSync(path + suffix)) continue;
      renameSync(path + suffix, aside + suffix);
      moved.push(aside + suffix);
    }
  } catch (e) {
    throw new PlannerError(
      'storage',
      `The database ${path} cannot be read safely and could not be moved aside: ${(e as Error).message}`,
    );
  }
  return moved;
}

function keptAs(moved: string[]): string {
  if (moved.length === 1) return `It was kept as ${moved[0]}`;
  const names = `${moved.slice(0, -1).join(', ')} and ${moved[moved.length - 1]}`;
  return `It was kept, unchanged, as ${names} (keep these files together)`;
}

/**
 * Open (creating if needed) the database at `path` (or ':memory:').
 *
 * - The migrations must be in strictly increasing order (checked before the file is touched).
 * - A database SQLite would open while silently dropping saved work (an empty main file beside
 *   a non-empty write-ahead log, or a damaged log; see wal.ts) is not opened: it is moved
 *   aside with its -wal/-shm files and a fresh database is started.
 * - A corrupt file is moved aside (with its -wal/-shm files) the same way.
 * The returned notices tell the user where the old files went. A newer-version database is
 * refused, and so is a read-only one (left read-only). The file and its -wal/-shm files are
 * private to the user (group and other bits removed).
 *
 * Before any of this the database's lock is taken (lock.ts): while another process holds it,
 * openDatabase throws PlannerError('storage') naming that process and touches nothing. The
 * lock is held until `db.close()`.
 */
export function openDatabase(path: string, options: OpenOptions = {}): OpenedDatabase {
  const migrations = options.migrations ?? allMigrations;
  assertOrdered(migrations);
  if (path === ':memory:') return { db: open(path, migrations), notices: [], lock: null };
  // First the lock: a database another process has open is never checked or moved aside.
  const lock = acquireDatabaseLock(path, options.kind);
  try {
    const opened = openLocked(path, migrations, options.now ?? (() => new Date()));
    const close = opened.db.close.bind(opened.db);
    opened.db.close = () => {
      try {
        close();
      } finally {
        lock.release();
      }
      return opened.db;
    };
    return { ...opened, lock };
  } catch (e) {
    lock.release();
    throw e;
  }
}

function openLocked(
  path: string,
  migrations: readonly Migration[],
  now: () => Date,
): { db: Db; notices: string[] } {
  const notices: string[] = [];
  refuseReadOnly(path);
  const problem = walProblem(path);
  if (problem !== null) {
    const moved = moveAside(path, now());
    notices.push(
      `The plan database was not opened because ${problem}: SQLite would have silently dropped saved work. ${keptAs(moved)} and a new, empty database was started.`,
    );
  }

  makePrivate(path);
  try {
    return { db: openAndCheck(path, migrations), notices };
  } catch (e) {
    if (!isCorruption(e)) throw wrapOpenError(path, e);
  }
  const moved = moveAside(path, now());
  notices.push(
    `The plan database was damaged and could not be read. ${keptAs(moved)} and a new, empty database was started.`,
  );
  makePrivate(path);
  return { db: open(path, migrations), notices };
}

function open(path: string, migrations: readonly Migration[]): Db {
  try {
    return openAndCheck(path, migrations);
  } catch (e) {
    throw wrapOpenError(path, e);
  }
}

function wrapOpenError(path: string, e: unknown): Error {
  const mapped = toStorageError(e, `open the database ${path}`, path);
  if (mapped instanceof PlannerError) return mapped;
  return new PlannerError(
    'storage',
    `Could not open the database ${path}: ${e instanceof Error ? e.message : String(e)}`,
  );
}
