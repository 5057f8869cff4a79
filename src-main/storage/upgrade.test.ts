import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  BOOK_2001,
  BOOK_2002,
  BLOBS,
  CLOSE,
  FIXTURES,
  MORNING,
  type PlanRows,
} from '../../test/fixtures/db/contents';
import { samplePlan, sampleColumns } from '../testing/plans';
import { insertBook, findBook, getBook, listBooks } from './books';
import { PlannerError } from '@shared/contract';
import { latestVersion, openDatabase, type Db } from './db';
import { migrations } from './migrations';
import { getPlan, listPlans, listRevisions, savePlan } from './plans';

const FIXTURE_DIR = resolve(import.meta.dirname, '../../test/fixtures/db');

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'op-upgrade-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A copy of the fixture of `version`, opened (and so upgraded) by openDatabase. */
function openFixture(version: number): Db {
  const path = join(dir, `v${version}.sqlite`);
  copyFileSync(join(FIXTURE_DIR, `v${version}.sqlite`), path);
  const { db, notices } = openDatabase(path);
  expect(notices).toEqual([]);
  expect(db.pragma('user_version', { simple: true })).toBe(latestVersion(migrations));
  expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  return db;
}

/** Every revision of `rows` reads back: names, plans, results (or none), list entries. */
function expectPlan(db: Db, rows: PlanRows): void {
  const head = rows.revisions[rows.revisions.length - 1];
  expect(listPlans(db).find((p) => p.id === rows.id)).toEqual({
    id: rows.id,
    name: head.name,
    symbol: rows.symbol,
    side: rows.side,
    shares: head.shares,
    createdAt: rows.createdAt,
    updatedAt: head.savedAt,
    revision: head.revision,
    totalCost: head.totalCost,
  });
  expect(listRevisions(db, rows.id).map((r) => [r.revision, r.name, r.totalCost])).toEqual(
    rows.revisions.map((r) => [r.revision, r.name, r.totalCost]).reverse(),
  );
  for (const r of rows.revisions) {
    const stored = getPlan(db, rows.id, r.revision);
    expect(stored.plan).toMatchObject(JSON.parse(r.planJson));
    const hasResult = r.resultJson !== null || r.resultBlob !== undefined;
    expect(stored.result?.totalCost).toBe(hasResult ? r.totalCost : undefined);
    expect(stored.updatedAt).toBe(r.savedAt);
  }
  expect(getPlan(db, rows.id).revision).toBe(head.revision);
}

/** A plan can still be saved and a dataset stored after the upgrade. */
function expectWritable(db: Db, id: string): void {
  const plan = samplePlan({ name: 'After the upgrade' });
  expect(savePlan(db, { id, plan, result: sampleColumns(plan) }).revision).toBeGreaterThan(1);
  expect(getPlan(db, id).plan.name).toBe('After the upgrade');
  const { summary, data } = getBook(db, BOOK_2001.id);
  insertBook(db, { ...summary, id: 'copy', sha256: 'c'.repeat(64) }, data);
  expect(getBook(db, 'copy').summary.stats.sampling).toBe('start');
}

describe('upgrading databases made by earlier versions', () => {
  it('upgrade-fixtures: every schema version has a fixture database', () => {
    for (const m of migrations) {
      expect(FIXTURES[m.version], `contents for v${m.version}`).toBeDefined();
      expect(existsSync(join(FIXTURE_DIR, `v${m.version}.sqlite`)), `v${m.version}.sqlite`).toBe(
        true,
      );
    }
  });

  it('upgrade-from-v1001: two plans and their revisions read back; the books table is added', () => {
    const db = openFixture(1001);
    expect(listPlans(db).map((p) => p.id)).toEqual([CLOSE.id, MORNING.id]);
    expectPlan(db, MORNING);
    expectPlan(db, CLOSE);
    expect(getPlan(db, MORNING.id).result).toBeUndefined();
    // A result saved row-wise by an earlier version still opens (in columns).
    expect(Array.from(getPlan(db, MORNING.id, 1).result?.schedule.shares ?? [])).toEqual([
      200, 200, 200, 200, 200,
    ]);
    expect(listBooks(db)).toEqual([]);
    const plan = samplePlan({ name: 'After the upgrade' });
    expect(savePlan(db, { id: MORNING.id, plan })).toEqual({ id: MORNING.id, revision: 3 });
    db.close();
  });

  it('upgrade-from-v2001: a plan and a dataset in the 2001 layout read back, sampled at the start', () => {
    const db = openFixture(2001);
    expect(listPlans(db).map((p) => p.id)).toEqual([MORNING.id]);
    expectPlan(db, MORNING);
    const [summary] = listBooks(db);
    expect(summary).toMatchObject({
      id: BOOK_2001.id,
      symbol: 'ACME',
      date: '2025-04-03',
      fileName: BOOK_2001.fileName,
      rows: 1200,
      usableRows: 1180,
      badRowLines: [17, 18],
      periods: 3,
      emptyPeriods: [3],
      medianSpread: 0.01,
    });
    expect(summary.stats).toMatchObject({ sampling: 'start', coveredPeriods: 2 });
    const book = getBook(db, BOOK_2001.id);
    expect(book.summary).toEqual(summary);
    expect(book.data).toEqual(JSON.parse(BOOK_2001.dataJson));
    const key = {
      sha256: BOOK_2001.sha256,
      periodMinutes: 1,
      sessionStart: '09:30',
      sessionEnd: '09:33',
      timeZone: 'America/New_York',
      date: '2025-04-03',
    };
    expect(findBook(db, { ...key, sampling: 'start' })?.id).toBe(BOOK_2001.id);
    expect(findBook(db, { ...key, sampling: 'average' })).toBeNull();
    expectWritable(db, MORNING.id);
    db.close();
  });

  it('upgrade-from-v2002: datasets keep their sampling and statistics', () => {
    const db = openFixture(2002);
    expectPlan(db, CLOSE);
    expect(listBooks(db).map((b) => [b.id, b.stats.sampling])).toEqual([
      [BOOK_2002.id, 'average'],
      [BOOK_2001.id, 'start'],
    ]);
    expect(getBook(db, BOOK_2002.id).summary.stats).toEqual(
      JSON.parse(BOOK_2002.summaryJson).stats,
    );
    expectWritable(db, CLOSE.id);
    db.close();
  });

  it('upgrade-from-v2003: a result stored as a BLOB (format 4) reads back, Int32 shares included', () => {
    const db = openFixture(2003);
    expectPlan(db, BLOBS);
    const result = getPlan(db, BLOBS.id).result!;
    expect(Array.from(result.schedule.shares)).toEqual([300, 200, 100]);
    expect(Array.from(result.schedule.impactPerShare)).toEqual([0.01, 0.02, 0.03]);
    expect(Array.from(result.baselines.naive.shares)).toEqual([300, 200, 100]);
    expect(result.schedule.costBps).toBeNull();
    expect(result.totalCost).toBe(6.25);
    expectWritable(db, BLOBS.id);
    db.close();
  });

  it('result-blobs-in-previous-version: the previous version refuses a 2003 database clearly and leaves it as it is', () => {
    // The version before format 4 would read such a result as damaged and drop it without a
    // word; the schema version makes it refuse the whole database with its message instead.
    const path = join(dir, 'v2003.sqlite');
    copyFileSync(join(FIXTURE_DIR, 'v2003.sqlite'), path);
    const previous = migrations.filter((m) => m.version <= 2002);
    let error: unknown;
    try {
      openDatabase(path, { migrations: previous });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PlannerError);
    expect((error as Error).message).toMatch(/newer version of Order Planner \(schema 2003/);
    const { db } = openDatabase(path);
    expect(getPlan(db, BLOBS.id).result?.totalCost).toBe(6.25);
    db.close();
  });
});
