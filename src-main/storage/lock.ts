/**
 * One owner per database: the lock every Order Planner process takes before it looks at,
 * moves aside or opens the database, so that a second instance (a second browser-mode server,
 * the desktop app while a server runs) never reads a write-ahead log another process is
 * writing, judges it damaged and moves a live database aside.
 *
 * The lock is a small SQLite file beside the database (`<database>.lock`), opened with
 * `PRAGMA locking_mode = EXCLUSIVE` and written once: SQLite then holds an exclusive POSIX
 * (Windows: LockFileEx) lock on it until the connection closes, and the operating system drops
 * that lock when the process dies, however it dies (SIGKILL, a crash, a power cut). No native
 * add-on and no stale-pid guessing. After taking the lock the holder writes an owner file
 * (`<database>.owner.json`: pid, kind, start time, URL) so that a refused second instance can
 * say who holds it; the file is only ever read as a hint, never trusted as the lock.
 */
import { closeSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { PlannerError } from '@shared/contract';
import { PRIVATE_FILE_MODE } from '../platform/paths';
import { sqliteCode } from './errors';

/** Who holds a database, as the owner file records it. */
export interface LockOwner {
  pid: number;
  /** "desktop app", "browser-mode server", … */
  kind: string;
  /** ISO time the holder started. */
  started: string;
  /** Where a browser-mode server can be reached (its URL without the token). */
  url?: string;
}

export interface DatabaseLock {
  readonly lockPath: string;
  readonly ownerPath: string;
  /** Record where this process can be reached (the server's URL, once it listens). */
  setUrl(url: string): void;
  /** Give the lock up (idempotent). The owner file goes first, then the lock. */
  release(): void;
}

/** The refusal of a second instance: PlannerError('storage') with the holder, if known. */
export class DatabaseInUse extends PlannerError {
  constructor(
    readonly databasePath: string,
    readonly owner: LockOwner | null,
  ) {
    super('storage', inUseMessage(databasePath, owner));
  }
}

export const lockPathOf = (databasePath: string) => `${databasePath}.lock`;
export const ownerPathOf = (databasePath: string) => `${databasePath}.owner.json`;

/** The kind named when a process does not say what it is (tests, tools). */
export const DEFAULT_KIND = 'Order Planner process';

/**
 * Take the lock of the database at `databasePath`, or throw PlannerError('storage') naming
 * the process that holds it. The lock is held until `release()` or the process ends.
 */
export function acquireDatabaseLock(
  databasePath: string,
  kind: string = DEFAULT_KIND,
): DatabaseLock {
  const lockPath = lockPathOf(databasePath);
  const ownerPath = ownerPathOf(databasePath);
  const lock = takeLock(lockPath, databasePath, ownerPath);
  const owner: LockOwner = { pid: process.pid, kind, started: new Date().toISOString() };
  writeOwner(ownerPath, owner);
  let released = false;
  return {
    lockPath,
    ownerPath,
    setUrl(url) {
      if (released) return;
      owner.url = url;
      writeOwner(ownerPath, owner);
    },
    release() {
      if (released) return;
      released = true;
      // While the lock is still held nobody else can have written the owner file: it is ours.
      rmSync(ownerPath, { force: true });
      lock.close();
    },
  };
}

function takeLock(lockPath: string, databasePath: string, ownerPath: string): Database.Database {
  let db: Database.Database;
  try {
    closeSync(openSync(lockPath, 'a', PRIVATE_FILE_MODE)); // private from the start
    db = new Database(lockPath, { timeout: 0 });
  } catch (e) {
    throw new PlannerError(
      'storage',
      `Could not create the lock file ${lockPath} for the database ${databasePath}: ${(e as Error).message}. Check that you may write to the data folder.`,
    );
  }
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    db.pragma('journal_mode = MEMORY');
    // The write takes the exclusive lock; in EXCLUSIVE mode SQLite keeps it after the commit.
    db.exec(
      'CREATE TABLE IF NOT EXISTS holder (pid INTEGER NOT NULL); DELETE FROM holder; ' +
        `INSERT INTO holder (pid) VALUES (${Math.trunc(process.pid)});`,
    );
    return db;
  } catch (e) {
    db.close();
    const code = sqliteCode(e) ?? '';
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
      throw new DatabaseInUse(databasePath, readOwner(ownerPath));
    }
    throw new PlannerError(
      'storage',
      `Could not lock the database ${databasePath} (lock file ${lockPath}): ${(e as Error).message}`,
    );
  }
}

/** The one line a refused instance shows. */
export function inUseMessage(databasePath: string, owner: LockOwner | null): string {
  const who = owner
    ? `another Order Planner (${owner.kind}, process ${owner.pid}, started ${owner.started}${owner.url ? `, at ${owner.url}` : ''})`
    : 'another Order Planner process';
  return (
    `The database ${databasePath} is in use by ${who}. Only one Order Planner may use a data ` +
    `folder at a time: use that one, or stop it first (or start this one with another data folder).`
  );
}

/** The owner file's contents, or null if it is missing or not what we write. */
export function readOwner(ownerPath: string): LockOwner | null {
  try {
    const o = JSON.parse(readFileSync(ownerPath, 'utf8')) as Partial<LockOwner>;
    if (typeof o.pid !== 'number' || typeof o.kind !== 'string' || typeof o.started !== 'string')
      return null;
    return {
      pid: o.pid,
      kind: o.kind,
      started: o.started,
      ...(typeof o.url === 'string' ? { url: o.url } : {}),
    };
  } catch {
    return null;
  }
}

/** Written through a temp file and renamed, so a reader never sees half of it. */
function writeOwner(ownerPath: string, owner: LockOwner): void {
  const tmp = `${ownerPath}.tmp`;
  try {
    writeFileSync(tmp, `${JSON.stringify(owner)}\n`, { mode: PRIVATE_FILE_MODE });
    renameSync(tmp, ownerPath);
  } catch {
    // Only a hint for a refused second instance: the lock itself is held either way.
  }
}
