import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { contractInputs, type BookSummary, type ProgressEvent } from '@shared/contract';
import { walkCost } from '@shared/book';
import { PlanSchema } from '@shared/plan';
import { solvePlan } from '@shared/solver';
import { createBookService, type BookService } from '../../../src-main/book/service';
import { migrate, openDatabase } from '../../../src-main/storage/db';
import { m2001Books } from '../../../src-main/storage/migrations/2001-books';
import { migrations } from '../../../src-main/storage/migrations';
import { syntheticDay, writeMbp10File } from '../../fixtures/mbp10';
import { cheapestUnits } from './helpers';

const dir = mkdtempSync(join(tmpdir(), 'book-service-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const session = { start: '09:30', end: '09:50', timeZone: 'America/New_York' };
const importInput = (path: string, fileName = 'ACME.csv') =>
  ({
    ...contractInputs.importBook.parse({ periodMinutes: 1, session }),
    path,
    fileName,
  }) as const;

async function dayFile(name: string, rows: number, seed = 3): Promise<string> {
  const path = join(dir, name);
  await writeMbp10File(
    path,
    syntheticDay({
      fromMs: Date.parse('2025-04-03T13:33:00Z'),
      toMs: Date.parse('2025-04-03T13:50:00Z'),
      rows,
      seed,
    }),
    { symbol: 'ACME' },
  );
  return path;
}

let db: Database.Database;
let events: ProgressEvent[];
let service: BookService;
beforeEach(() => {
  db = new Database(':memory:');
  migrate(db);
  events = [];
  service = createBookService({
    db,
    emitProgress: (e) => events.push(e),
    resolveFile: (ref) => ref,
    now: () => new Date('2026-01-02T03:04:05Z'),
  });
});
afterEach(() => db.close());

describe('migration 2001', () => {
  it('creates the books table after the plans migration', () => {
    expect(migrations.map((m) => m.version)).toContain(2001);
    const fresh = new Database(':memory:');
    m2001Books.up(fresh);
    const cols = fresh.prepare("SELECT name FROM pragma_table_info('books')").all() as {
      name: string;
    }[];
    expect(cols.map((c) => c.name)).toEqual(
      expect.arrayContaining(['symbol', 'date', 'file_name', 'rows', 'sha256', 'data', 'summary']),
    );
    fresh.close();
  });
});

describe('datasets on disk', () => {
  it('keeps an imported dataset across closing and reopening the database file', async () => {
    const dbPath = join(dir, 'planner.db');
    const first = openDatabase(dbPath).db;
    const s1 = createBookService({ db: first, emitProgress: () => {}, resolveFile: (r) => r });
    const summary = (await s1.importBook(
      importInput(await dayFile('disk.csv', 300)),
    )) as BookSummary;
    const ladders = s1.getBook({ id: summary.id }).ladders;
    first.close();

    const second = openDatabase(dbPath).db;
    const s2 = createBookService({ db: second, emitProgress: () => {}, resolveFile: (r) => r });
    expect(s2.listBooks({})).toEqual([summary]);
    expect(s2.getBook({ id: summary.id }).ladders).toEqual(ladders);
    second.close();
  });
});

describe('book service', () => {
  it('imports, lists, reads, plans from and deletes a dataset', async () => {
    const path = await dayFile('acme.csv', 2000);
    const summary = (await service.importBook(importInput(path))) as BookSummary;
    expect(summary).toMatchObject({
      symbol: 'ACME',
      date: '2025-04-03',
      fileName: 'ACME.csv',
      rows: 2000,
      usableRows: 2000,
      skippedRows: 0,
      periods: 20,
      sessionStart: '09:30',
      sessionEnd: '09:50',
      emptyPeriods: [1, 2, 3],
      importedAt: '2026-01-02T03:04:05.000Z',
    });
    expect(summary.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(events[0]).toMatchObject({ op: 'importBook', fraction: 0 });
    expect(events.at(-1)).toMatchObject({ op: 'importBook', fraction: 1 });

    expect(service.listBooks({})).toEqual([summary]);
    const detail = service.getBook({ id: summary.id });
    expect(detail.series).toHaveLength(20);
    expect(detail.series[3].mid).not.toBeNull();
    expect(detail.ladders.buy[3]).toHaveLength(10);
    expect(detail.ladders.buy[0]).toEqual([]);
    expect(detail.fit.buy.pooled!.exponent).toBeGreaterThan(0);
    expect(detail.fit.sell.perPeriod[0]).toBeNull();
    expect(detail.fit.sell.perPeriod[5]!.r2).toBeGreaterThan(0);

    const plan = service.bookPlan(
      contractInputs.bookPlan.parse({ id: summary.id, shares: 500, side: 'sell' }),
    );
    expect(PlanSchema.parse(plan)).toEqual(plan);
    expect(plan.impact.model).toBe('book');
    if (plan.impact.model === 'book') expect(plan.impact.ladders).toEqual(detail.ladders.sell);

    expect(service.deleteBook({ id: summary.id })).toEqual({ id: summary.id });
    expect(service.listBooks({})).toEqual([]);
    expect(() => service.getBook({ id: summary.id })).toThrow(/no order-book dataset/);
    expect(() => service.deleteBook({ id: summary.id })).toThrow(/no order-book dataset/);
  });

  it('returns the stored dataset when the same file is imported with the same sampling', async () => {
    const path = await dayFile('again.csv', 500);
    const a = (await service.importBook(importInput(path))) as BookSummary;
    const b = (await service.importBook(importInput(path, 'renamed.csv'))) as BookSummary;
    expect(b.id).toBe(a.id);
    const c = (await service.importBook({ ...importInput(path), periodMinutes: 2 })) as BookSummary;
    expect(c.id).not.toBe(a.id);
    expect(c.periods).toBe(10);
    expect(service.listBooks({})).toHaveLength(2);
  });

  it('cancels a running import and refuses a second one meanwhile', async () => {
    const path = await dayFile('big.csv', 20_000);
    const running = service.importBook(importInput(path));
    await expect(service.importBook(importInput(path))).rejects.toMatchObject({ code: 'busy' });
    expect(service.cancelImport({})).toEqual({ cancelled: true });
    await expect(running).resolves.toEqual({ cancelled: true });
    expect(service.cancelImport({})).toEqual({ cancelled: false });
    expect(service.listBooks({})).toEqual([]);
    // The service is free again afterwards.
    const done = await service.importBook(importInput(await dayFile('small.csv', 100)));
    expect('id' in done).toBe(true);
  });

  it('reports a damaged stored row as a storage error', async () => {
    const s = (await service.importBook(importInput(await dayFile('x.csv', 100)))) as BookSummary;
    db.prepare('UPDATE books SET data = \'{"series": 3}\' WHERE id = ?').run(s.id);
    expect(() => service.getBook({ id: s.id })).toThrow(/stored data of dataset .* is damaged/);
  });

  it('pooled check: with lot 1 and no caps the optimal cost is the S cheapest book units', async () => {
    const path = await dayFile('pooled.csv', 1500, 11);
    const { id } = (await service.importBook(importInput(path))) as BookSummary;
    for (const side of ['buy', 'sell'] as const) {
      const plan = service.bookPlan(contractInputs.bookPlan.parse({ id, shares: 7000, side }));
      if (plan.impact.model !== 'book') throw new Error('expected a book plan');
      const result = solvePlan(plan);
      const expected = cheapestUnits(plan.impact.ladders, 7000);
      expect(result.totalCost).toBeCloseTo(expected, 6);
      // Each period's cost is its own ladder walk.
      result.schedule.forEach((row, i) =>
        expect(row.cost).toBeCloseTo(
          walkCost(plan.impact.model === 'book' ? plan.impact.ladders[i] : [], row.shares),
          6,
        ),
      );
    }
  });

  it('builds a fitted power-law plan the solver accepts', async () => {
    const { id } = (await service.importBook(
      importInput(await dayFile('fit.csv', 800)),
    )) as BookSummary;
    const plan = service.bookPlan(
      contractInputs.bookPlan.parse({ id, shares: 100_000, side: 'buy', lotSize: 100, fit: true }),
    );
    expect(plan.impact.model).toBe('power');
    expect(plan.maxPerPeriod).toEqual([0, 0, 0, ...Array(17).fill(100_000)]);
    const result = solvePlan(plan);
    expect(result.schedule.slice(0, 3).every((r) => r.shares === 0)).toBe(true);
    expect(result.schedule.reduce((s, r) => s + r.shares, 0)).toBe(100_000);
  });
});
