import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PlannerError } from '@shared/contract';
import { samplePlan } from '../testing/plans';
import { asideName, latestVersion, migrate, openDatabase } from './db';
import { migrations } from './migrations';
import type { Migration } from './migrations';
import { listPlans, savePlan } from './plans';
import { walProblem } from './wal';

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

const modeOf = (path: string) => statSync(path).mode & 0o777;

describe('openDatabase: start-up checks and file modes', () => {
  it('migration-order: migrations out of order are refused at start-up, before the file is touched', () => {
    const path = join(dir, 'planner.db');
    const m = (version: number): Migration => ({ version, name: `m${version}`, up: () => {} });
    expect(() => openDatabase(path, { migrations: [m(1001), m(2003), m(2002)] })).toThrow(
      /migrations out of order: 2002 \(m2002\) after 2003/,
    );
    expect(() => openDatabase(':memory:', { migrations: [m(5), m(5)] })).toThrow(/out of order/);
    expect(existsSync(path)).toBe(false);
  });

  it('database-file-permissions: the database and its -wal/-shm files are created 0600', () => {
    const path = join(dir, 'planner.db');
    const { db } = openDatabase(path);
    savePlan(db, { plan: samplePlan() });
    expect(modeOf(path)).toBe(0o600);
    expect(modeOf(`${path}-wal`)).toBe(0o600);
    expect(modeOf(`${path}-shm`)).toBe(0o600);
    db.close();
  });

  it('database-file-permissions: files an older version left 0644 are tightened to 0600 on open', () => {
    const path = join(dir, 'planner.db');
    const old = new Database(path);
    old.pragma('journal_mode = WAL');
    old.exec('CREATE TABLE kept (x)');
    for (const file of [path, `${path}-wal`, `${path}-shm`]) chmodSync(file, 0o644);
    const { db } = openDatabase(path);
    expect([path, `${path}-wal`, `${path}-shm`].map(modeOf)).toEqual([0o600, 0o600, 0o600]);
    db.close();
    old.close();
  });

  it('read-only-made-writable: a database the user made read-only (0400) is refused with a message and stays 0400', () => {
    const path = join(dir, 'planner.db');
    const first = openDatabase(path).db;
    savePlan(first, { plan: samplePlan() });
    first.close();
    chmodSync(path, 0o400);
    const before = readFileSync(path);
    const error = (() => {
      try {
        openDatabase(path).db.close();
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(PlannerError);
    expect((error as PlannerError).message).toContain(
      `The database file ${path} is read-only (mode 0400)`,
    );
    expect(modeOf(path)).toBe(0o400);
    expect(readFileSync(path).equals(before)).toBe(true);
    // The lock was given back: once writable again, it opens.
    chmodSync(path, 0o600);
    const again = openDatabase(path).db;
    expect(listPlans(again)).toHaveLength(1);
    again.close();
  });
});

describe('openDatabase: one owner', () => {
  it('second-instance-moves-live-db: while one connection has the database open, a second open is refused and touches nothing', () => {
    const path = crashedCopy(0);
    const { db } = openDatabase(path, { kind: 'browser-mode server' });
    savePlan(db, { plan: samplePlan({ name: 'live' }) });
    // What a second instance used to see: a live WAL it would judge damaged and move aside.
    const wal = readFileSync(`${path}-wal`);
    wal.fill(0x5a, 0, 32);
    writeFileSync(`${path}-wal`, wal);
    const files = readdirSync(dir).sort();
    expect(() => openDatabase(path)).toThrow(
      new RegExp(
        `The database ${path} is in use by another Order Planner \\(browser-mode server, process ${process.pid}, started `,
      ),
    );
    expect(readdirSync(dir).sort()).toEqual(files); // nothing moved aside
    db.close();
  });

  it('the lock is given back on close: the next open succeeds and the owner file is gone', () => {
    const path = join(dir, 'planner.db');
    openDatabase(path).db.close();
    expect(existsSync(`${path}.owner.json`)).toBe(false);
    const { db, lock } = openDatabase(path);
    expect(JSON.parse(readFileSync(lock!.ownerPath, 'utf8'))).toMatchObject({ pid: process.pid });
    db.close();
  });
});

/**
 * A database as a crash leaves it: `plans` saves committed to the WAL (not yet checkpointed
 * into the main file), copied while the connection is still open. Returns the copy's path.
 */
function crashedCopy(plans: number): string {
  const live = join(dir, 'live.db');
  const { db } = openDatabase(live);
  for (let i = 0; i < plans; i++) savePlan(db, { plan: samplePlan({ name: `Plan ${i}` }) });
  const path = join(dir, 'planner.db');
  for (const suffix of ['', '-wal', '-shm']) copyFileSync(live + suffix, path + suffix);
  db.close();
  return path;
}

describe('openDatabase: write-ahead log', () => {
  const now = new Date('2026-11-24T01:02:03.004Z');

  it('a crashed database opens with every committed save (its log is read, not moved aside)', () => {
    const path = crashedCopy(3);
    expect(statSync(`${path}-wal`).size).toBeGreaterThan(0);
    expect(walProblem(path)).toBeNull();
    const { db, notices } = openDatabase(path);
    expect(notices).toEqual([]);
    expect(listPlans(db).map((p) => p.name)).toEqual(['Plan 2', 'Plan 1', 'Plan 0']);
    db.close();
  });

  it('torn-wal-tail: a last transaction cut short by a crash is dropped, the rest opens normally', () => {
    const path = crashedCopy(3);
    truncateSync(`${path}-wal`, statSync(`${path}-wal`).size - 100);
    const { db, notices } = openDatabase(path);
    expect(notices).toEqual([]);
    expect(listPlans(db).map((p) => p.name)).toEqual(['Plan 1', 'Plan 0']);
    db.close();
  });

  it('empty-database-beside-wal: an empty main file with a non-empty WAL is moved aside with it, not opened', () => {
    const path = crashedCopy(2);
    writeFileSync(path, '');
    const wal = readFileSync(`${path}-wal`);
    const { db, notices } = openDatabase(path, { now: () => now });
    const aside = asideName(path, now);
    expect(readFileSync(aside).length).toBe(0);
    expect(readFileSync(`${aside}-wal`).equals(wal)).toBe(true);
    expect(existsSync(`${aside}-shm`)).toBe(true);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain('the database file is empty but its write-ahead log');
    expect(notices[0]).toContain(`${aside}-wal`);
    expect(listPlans(db)).toEqual([]);
    savePlan(db, { plan: samplePlan() }); // the fresh database works
    db.close();
  });

  it('empty-database-beside-wal: a missing main file with a WAL left behind is moved aside too', () => {
    const path = crashedCopy(1);
    rmSync(path);
    const { db, notices } = openDatabase(path, { now: () => now });
    expect(notices[0]).toMatch(/the database file is missing but its write-ahead log/);
    expect(existsSync(`${asideName(path, now)}-wal`)).toBe(true);
    expect(existsSync(asideName(path, now))).toBe(false);
    db.close();
  });

  it('garbled-wal: a WAL with a damaged header is moved aside with its database, not dropped', () => {
    const path = crashedCopy(2);
    const wal = readFileSync(`${path}-wal`);
    wal.fill(0x5a, 0, 32);
    writeFileSync(`${path}-wal`, wal);
    const main = readFileSync(path);
    const { db, notices } = openDatabase(path, { now: () => now });
    const aside = asideName(path, now);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain(`its write-ahead log ${path}-wal is damaged`);
    expect(notices[0]).toContain(aside);
    expect(readFileSync(aside).equals(main)).toBe(true);
    expect(readFileSync(`${aside}-wal`).equals(wal)).toBe(true);
    expect(listPlans(db)).toEqual([]);
    db.close();
  });

  it('garbled-wal: a damaged frame followed by committed saves is moved aside, not silently cut', () => {
    const path = crashedCopy(3);
    const wal = readFileSync(`${path}-wal`);
    wal.fill(0x5a, 32 + 24 + 100, 32 + 24 + 200); // inside the first frame's page
    writeFileSync(`${path}-wal`, wal);
    const { db, notices } = openDatabase(path, { now: () => now });
    expect(notices[0]).toContain('is damaged');
    expect(readFileSync(`${asideName(path, now)}-wal`).equals(wal)).toBe(true);
    db.close();
  });

  it('never overwrites a file moved aside before', () => {
    const path = crashedCopy(1);
    writeFileSync(path, '');
    writeFileSync(asideName(path, now), 'an earlier one');
    const { db, notices } = openDatabase(path, { now: () => now });
    expect(readFileSync(asideName(path, now), 'utf8')).toBe('an earlier one');
    expect(notices[0]).toContain(`${asideName(path, now)}-1-wal`);
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
