import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PlannerError } from '@shared/contract';
import { asideName, latestVersion, migrate, openDatabase } from './db';
import { migrations } from './migrations';
import type { Migration } from './migrations';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'op-db-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const tables = (db: Database.Database) =>
  (
    db
      .prepare("SELECT name FROM sqlite_master WHERE type IN ('table','index') ORDER BY name")
      .all() as { name: string }[]
  ).map((r) => r.name);

describe('openDatabase', () => {
  it('sets WAL, foreign keys and synchronous on a file and migrates to the latest version', () => {
    const { db, notices } = openDatabase(join(dir, 'planner.db'));
    expect(notices).toEqual([]);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(db.pragma('user_version', { simple: true })).toBe(latestVersion(migrations));
    db.close();
  });

  it('works in memory', () => {
    const { db } = openDatabase(':memory:');
    expect(tables(db)).toContain('plans');
    db.close();
  });

  it('reopens an up-to-date file without re-running migrations', () => {
    const path = join(dir, 'planner.db');
    openDatabase(path).db.close();
    const { db, notices } = openDatabase(path);
    expect(notices).toEqual([]);
    expect(db.pragma('user_version', { simple: true })).toBe(latestVersion(migrations));
    db.close();
  });

  it('refuses a database written by a newer version and leaves it untouched', () => {
    const path = join(dir, 'planner.db');
    const raw = new Database(path);
    raw.exec('CREATE TABLE future (x)');
    raw.pragma('user_version = 999999');
    raw.close();
    const before = readFileSync(path);
    let error: unknown;
    try {
      openDatabase(path);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PlannerError);
    expect((error as PlannerError).code).toBe('storage');
    expect((error as Error).message).toMatch(/newer version of Order Planner \(schema 999999/);
    expect(readFileSync(path).equals(before)).toBe(true);
    expect(readdirSync(dir).filter((f) => f.includes('corrupt'))).toEqual([]);
  });

  it('moves a corrupt file aside (kept, timestamped) and starts fresh with a notice', () => {
    const path = join(dir, 'planner.db');
    const garbage = Buffer.from('this is not a database at all, just some text '.repeat(200));
    writeFileSync(path, garbage);
    const now = new Date('2026-11-24T01:02:03.004Z');
    const { db, notices } = openDatabase(path, { now: () => now });
    const aside = asideName(path, now);
    expect(aside).toBe(`${path}.corrupt-2026-11-24T01-02-03-004Z`);
    expect(readFileSync(aside).equals(garbage)).toBe(true);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain(aside);
    expect(tables(db)).toContain('plans');
    db.close();
  });

  it('moves aside a file whose pages are damaged (valid header, bad b-tree)', () => {
    const path = join(dir, 'planner.db');
    const raw = new Database(path);
    raw.pragma('journal_mode = DELETE');
    raw.exec('CREATE TABLE t (x TEXT); CREATE INDEX t_x ON t (x);');
    raw.exec('BEGIN');
    const insert = raw.prepare('INSERT INTO t VALUES (?)');
    for (let i = 0; i < 2000; i++) insert.run(`row ${i} `.repeat(10));
    raw.exec('COMMIT');
    raw.close();
    const bytes = readFileSync(path);
    bytes.fill(0xa5, 4096 * 2 + 100, 4096 * 6); // scribble over b-tree pages
    writeFileSync(path, bytes);
    const { db, notices } = openDatabase(path);
    expect(notices[0]).toMatch(/damaged/);
    expect(readdirSync(dir).some((f) => f.startsWith('planner.db.corrupt-'))).toBe(true);
    expect(db.prepare('SELECT count(*) AS n FROM plans').get()).toEqual({ n: 0 });
    db.close();
  });
});

describe('migrate', () => {
  const m = (version: number, sql: string): Migration => ({
    version,
    name: `m${version}`,
    up: (db) => db.exec(sql),
  });

  it('applies only pending migrations and sets user_version', () => {
    const db = new Database(':memory:');
    expect(migrate(db, [m(1, 'CREATE TABLE a (x)')])).toBe(1);
    expect(migrate(db, [m(1, 'CREATE TABLE a (x)'), m(2, 'CREATE TABLE b (x)')])).toBe(2);
    expect(tables(db)).toEqual(['a', 'b']);
    expect(db.pragma('user_version', { simple: true })).toBe(2);
  });

  it('applies everything pending in one transaction: a failing migration changes nothing', () => {
    const db = new Database(':memory:');
    expect(() => migrate(db, [m(1, 'CREATE TABLE a (x)'), m(2, 'CREATE TABLE oops (')])).toThrow();
    expect(tables(db)).toEqual([]);
    expect(db.pragma('user_version', { simple: true })).toBe(0);
  });

  it('asserts strictly increasing versions', () => {
    const db = new Database(':memory:');
    expect(() => migrate(db, [m(2, ''), m(1, '')])).toThrow(/out of order/);
    expect(() => migrate(db, [m(1, ''), m(1, '')])).toThrow(/out of order/);
  });

  it('the app migrations are in strictly increasing order', () => {
    for (let i = 1; i < migrations.length; i++)
      expect(migrations[i].version).toBeGreaterThan(migrations[i - 1].version);
  });
});

describe('migration 1001-plans', () => {
  it('creates plans, plan_revisions and the updated index; revisions cascade on delete', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(
      db,
      migrations.filter((x) => x.version <= 1001),
    );
    expect(tables(db)).toEqual(
      expect.arrayContaining(['plans', 'plan_revisions', 'plans_by_updated']),
    );
    db.exec(`INSERT INTO plans VALUES ('p', 'n', 'S', 'buy', 1, 't', 't', 1, '{}', NULL, NULL);
             INSERT INTO plan_revisions VALUES ('p', 1, 't', 'n', 1, '{}', NULL, NULL);`);
    expect(() =>
      db.exec(`INSERT INTO plans VALUES ('q', 'n', 'S', 'hold', 1, 't', 't', 1, '{}', NULL, NULL)`),
    ).toThrow(/CHECK/);
    expect(() =>
      db.exec(`INSERT INTO plan_revisions VALUES ('nope', 1, 't', 'n', 1, '{}', NULL, NULL)`),
    ).toThrow(/FOREIGN KEY/);
    db.exec("DELETE FROM plans WHERE id = 'p'");
    expect(db.prepare('SELECT count(*) AS n FROM plan_revisions').get()).toEqual({ n: 0 });
  });
});
