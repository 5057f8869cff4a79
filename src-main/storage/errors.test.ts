import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PlannerError } from '@shared/contract';
import { samplePlan } from '../testing/plans';
import { deleteBook, getBook, insertBook, listBooks } from './books';
import { BUSY_TIMEOUT_MS, openDatabase, type Db } from './db';
import { toStorageError } from './errors';
import {
  deletePlan,
  duplicatePlan,
  getPlan,
  listPlans,
  listRevisions,
  renamePlan,
  savePlan,
} from './plans';
import { BOOK_2001 } from '../../test/fixtures/db/contents';

let dir: string;
let path: string;
let db: Db;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'op-errors-'));
  path = join(dir, 'planner.db');
  db = openDatabase(path).db;
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The PlannerError `fn` throws (fails the test if it throws something else or nothing). */
function failure(fn: () => unknown): PlannerError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(PlannerError);
    return e as PlannerError;
  }
  throw new Error('expected a PlannerError, nothing was thrown');
}

const BUSY = /the database is busy \(another Order Planner may be using it\)\. Try again/;

/** A dataset summary and data like an import makes (from the 2001 fixture's JSON). */
function sampleBook(id: string) {
  const summary = JSON.parse(BOOK_2001.summaryJson);
  return {
    summary: {
      ...summary,
      id,
      symbol: 'ACME',
      date: '2025-04-03',
      fileName: 'acme.csv',
      sha256: id.padEnd(64, '0'),
      rows: 1200,
      periods: 3,
      periodMinutes: 1,
      sessionStart: '09:30',
      sessionEnd: '09:33',
      timeZone: 'America/New_York',
      importedAt: '2026-01-07T09:00:00.000Z',
      stats: {
        sampling: 'start' as const,
        coveredPeriods: 2,
        partialPeriods: 0,
        largestGap: null,
        dataStart: null,
        dataEnd: null,
        volume: null,
        trades: null,
        sigma: null,
        arrival: null,
        maxLevels: 2,
      },
    },
    data: JSON.parse(BOOK_2001.dataJson),
  };
}

describe('storage errors', () => {
  it('locked-database: the busy timeout is short, so a lock fails fast instead of stalling the process', () => {
    expect(db.pragma('busy_timeout', { simple: true })).toBe(BUSY_TIMEOUT_MS);
    expect(BUSY_TIMEOUT_MS).toBeLessThanOrEqual(250);
  });

  it('locked-database: while another connection holds the write lock a save is a storage error, and works after', () => {
    const { id } = savePlan(db, { plan: samplePlan() });
    const other = new Database(path);
    other.exec('BEGIN IMMEDIATE');
    const e = failure(() => savePlan(db, { plan: samplePlan({ name: 'Blocked' }) }));
    expect(e.code).toBe('storage');
    expect(e.message).toMatch(/^Could not save the plan: /);
    expect(e.message).toMatch(BUSY);
    for (const write of [
      () => savePlan(db, { id, plan: samplePlan({ name: 'Blocked' }) }),
      () => renamePlan(db, id, 'Blocked'),
      () => duplicatePlan(db, id),
      () => deletePlan(db, id),
    ]) {
      const f = failure(write);
      expect([f.code, f.message]).toEqual(['storage', expect.stringMatching(BUSY)]);
    }
    // Readers are not blocked by a writer (WAL).
    expect(listPlans(db).map((p) => p.name)).toEqual(['Buy AAPL']);
    expect(listRevisions(db, id)).toHaveLength(1);
    other.exec('COMMIT');
    expect(savePlan(db, { plan: samplePlan({ name: 'After' }) }).revision).toBe(1);
    expect(renamePlan(db, id, 'Renamed')).toEqual({ id, revision: 2 });
    other.close();
  });

  it('locked-database: dataset writes fail the same way and work after the lock is released', () => {
    const { summary, data } = sampleBook('one');
    insertBook(db, summary, data);
    const other = new Database(path);
    other.exec('BEGIN IMMEDIATE');
    const two = sampleBook('two');
    for (const write of [
      () => insertBook(db, two.summary, two.data),
      () => deleteBook(db, 'one'),
    ]) {
      const f = failure(write);
      expect(f.code).toBe('storage');
      expect(f.message).toMatch(/^Could not (save|delete) the order-book dataset: /);
      expect(f.message).toMatch(BUSY);
    }
    expect(listBooks(db).map((b) => b.id)).toEqual(['one']);
    other.exec('ROLLBACK');
    insertBook(db, two.summary, two.data);
    deleteBook(db, 'one');
    expect(listBooks(db).map((b) => b.id)).toEqual(['two']);
    other.close();
  });

  it('disk-full: a save that does not fit is a storage error saying to free space; nothing half-written', () => {
    const { id } = savePlan(db, { plan: samplePlan() });
    const pages = db.pragma('page_count', { simple: true }) as number;
    db.pragma(`max_page_count = ${pages}`);
    const big = samplePlan({ name: 'Big', notes: 'x'.repeat(9000) });
    const e = failure(() => savePlan(db, { id, plan: big }));
    expect(e.code).toBe('storage');
    expect(e.message).toBe(
      'Could not save the plan: the disk is full. Free some space, then try again.',
    );
    expect(getPlan(db, id).revision).toBe(1);
    expect(listRevisions(db, id)).toHaveLength(1);
    db.pragma(`max_page_count = ${pages * 100}`);
    expect(savePlan(db, { id, plan: big })).toEqual({ id, revision: 2 });
  });

  it('read-only-database: a save on a read-only database says so and names the file', () => {
    savePlan(db, { plan: samplePlan() });
    const readonly = new Database(path, { readonly: true });
    const e = failure(() => savePlan(readonly, { plan: samplePlan() }));
    expect(e.code).toBe('storage');
    expect(e.message).toContain(`the database ${path} is read-only`);
    expect(listPlans(readonly)).toHaveLength(1);
    readonly.close();
  });

  it('storage-error-mapping: each kind of SQLite failure gets a message the user can act on', () => {
    const map = (code: string) =>
      toStorageError(new Database.SqliteError(`raw ${code}`, code), 'save the plan', '/d/p.db');
    const message = (code: string) => {
      const e = map(code);
      expect(e).toBeInstanceOf(PlannerError);
      expect((e as PlannerError).code).toBe('storage');
      return (e as PlannerError).message;
    };
    expect(message('SQLITE_BUSY')).toMatch(BUSY);
    expect(message('SQLITE_BUSY_SNAPSHOT')).toMatch(BUSY);
    expect(message('SQLITE_LOCKED')).toMatch(BUSY);
    expect(message('SQLITE_FULL')).toMatch(/the disk is full\. Free some space/);
    expect(message('SQLITE_IOERR_WRITE')).toMatch(
      /error reading or writing the database \/d\/p\.db \(SQLITE_IOERR_WRITE\)\. Check the disk/,
    );
    expect(message('SQLITE_READONLY')).toMatch(/\/d\/p\.db is read-only/);
    expect(message('SQLITE_READONLY_DBMOVED')).toMatch(/was moved or deleted .* Restart/);
    expect(message('SQLITE_CANTOPEN')).toMatch(/cannot be opened\. Check that its folder exists/);
    expect(message('SQLITE_CORRUPT')).toMatch(/\/d\/p\.db is damaged/);
    expect(message('SQLITE_NOTADB')).toMatch(/is damaged/);
    expect(message('SQLITE_CONSTRAINT_CHECK')).toBe(
      'Could not save the plan: the database reported an error (raw SQLITE_CONSTRAINT_CHECK).',
    );
    for (const m of ['SQLITE_BUSY', 'SQLITE_FULL', 'SQLITE_IOERR_WRITE'].map(message)) {
      expect(m).toMatch(/^Could not save the plan: /);
      expect(m).not.toContain('raw');
    }
    // Not SQLite's: a bug, passed on as it is (it stays 'internal').
    const bug = new TypeError('x is undefined');
    expect(toStorageError(bug, 'save the plan', '/d/p.db')).toBe(bug);
    const planned = new PlannerError('not_found', 'No saved plan with id x.');
    expect(toStorageError(planned, 'save the plan', '/d/p.db')).toBe(planned);
  });

  it('storage-error-mapping: any other SQLite error in a dataset read is a storage error naming what failed', () => {
    const { summary, data } = sampleBook('one');
    insertBook(db, summary, data);
    db.exec('DROP TABLE books');
    const e = failure(() => getBook(db, 'one'));
    expect(e.code).toBe('storage');
    expect(e.message).toMatch(
      /^Could not open the order-book dataset: the database reported an error/,
    );
  });
});
