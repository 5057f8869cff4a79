/**
 * SQLite failures in words a user can act on. Every storage entry point (plans.ts, books.ts,
 * openDatabase) runs through `storageCall`, so a busy, full, read-only or damaged database
 * reaches the user as PlannerError('storage') with what to do next, not as 'internal'.
 * Errors that do not come from SQLite (bugs) are passed on unchanged.
 */
import { PlannerError } from '@shared/contract';

/** The SQLite result code of an error (`SQLITE_IOERR_WRITE`, …), or null if not SQLite's. */
export function sqliteCode(e: unknown): string | null {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : null;
}

/** `SQLITE_IOERR_WRITE` → `SQLITE_IOERR`: the extended codes share their primary's advice. */
function primaryCode(code: string): string {
  const second = code.indexOf('_', 'SQLITE_'.length);
  return second === -1 ? code : code.slice(0, second);
}

/**
 * Why the database failed and what to do, after "Could not <what>: ". `file` is the
 * database's path, named where the user has to go and look at it.
 */
function reason(code: string, file: string, message: string): string {
  if (code === 'SQLITE_READONLY_DBMOVED') {
    return `the database file ${file} was moved or deleted while Order Planner was running. Restart Order Planner.`;
  }
  switch (primaryCode(code)) {
    case 'SQLITE_BUSY':
    case 'SQLITE_LOCKED':
      return 'the database is busy (another Order Planner may be using it). Try again in a moment.';
    case 'SQLITE_FULL':
      return 'the disk is full. Free some space, then try again.';
    case 'SQLITE_IOERR':
      return `the disk reported an error reading or writing the database ${file} (${code}). Check the disk or the drive it is on, then try again.`;
    case 'SQLITE_READONLY':
      return `the database ${file} is read-only. Check that you may write to it and to its folder, then restart Order Planner.`;
    case 'SQLITE_CANTOPEN':
      return `the database file ${file} cannot be opened. Check that its folder exists and that you may read and write it.`;
    case 'SQLITE_PERM':
    case 'SQLITE_AUTH':
      return `permission to use the database ${file} was denied. Check the permissions of the file and its folder.`;
    case 'SQLITE_CORRUPT':
    case 'SQLITE_NOTADB':
      return `the database file ${file} is damaged. Restart Order Planner; if this keeps happening, move the file away to start with an empty database.`;
    case 'SQLITE_NOMEM':
      return 'there is not enough memory. Close other programs, then try again.';
    case 'SQLITE_TOOBIG':
      return 'the data is too large to store.';
    default:
      return `the database reported an error (${message}).`;
  }
}

/**
 * The error to throw for `e`, caught while trying to `what` ("save the plan"):
 * a SQLite error becomes PlannerError('storage'); anything else is returned as it is.
 */
export function toStorageError(e: unknown, what: string, file: string): unknown {
  if (e instanceof PlannerError) return e;
  const code = sqliteCode(e);
  if (code === null) return e;
  return new PlannerError(
    'storage',
    `Could not ${what}: ${reason(code, file, (e as Error).message)}`,
  );
}

/** Run one storage operation on `db`, mapping its SQLite errors (see toStorageError). */
export function storageCall<T>(db: { name: string }, what: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw toStorageError(e, what, db.name);
  }
}
