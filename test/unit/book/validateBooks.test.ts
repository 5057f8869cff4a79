/**
 * The validateBooks operation over stored days: the same folds the CLI computes, the solve
 * passed in (the app's solver process), and its refusals naming the dataset.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { contractInputs, type BookSummary } from '@shared/contract';
import type { Plan } from '@shared/plan';
import { solvePlan } from '@shared/solver';
import { createBookService, type BookService } from '../../../src-main/book/service';
import { migrate } from '../../../src-main/storage/db';
import { directStorage } from '../../../src-main/storage/operations';
import { syntheticDay, writeMbp10File } from '../../fixtures/mbp10';

const dir = mkdtempSync(join(tmpdir(), 'validate-books-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const session = { start: '09:30', end: '09:50', timeZone: 'America/New_York' };

async function importDay(service: BookService, date: string, seed: number, symbol = 'ACME') {
  const path = join(dir, `${symbol}-${date}.csv`);
  await writeMbp10File(
    path,
    syntheticDay({
      fromMs: Date.parse(`${date}T13:29:00Z`),
      toMs: Date.parse(`${date}T13:51:00Z`),
      rows: 600,
      seed,
      tradeProbability: 0.2,
    }),
    { symbol },
  );
  const r = await service.importBook({
    ...contractInputs.importBook.parse({ periodMinutes: 1, session }),
    path,
    fileName: `${symbol}-${date}.csv`,
  });
  return r as BookSummary;
}

let db: Database.Database;
let service: BookService;
beforeEach(() => {
  db = new Database(':memory:');
  migrate(db);
  service = createBookService({
    storage: directStorage(db),
    emitProgress: () => {},
    resolveFile: (ref) => ref,
  });
});
afterEach(() => db.close());

const input = (ids: string[]) =>
  contractInputs.validateBooks.parse({ ids, shares: 1000, side: 'buy', lotSize: 100 });

describe('validateBooks', () => {
  it('plans from the other stored days, solving through the solve it is given', async () => {
    const days = [
      await importDay(service, '2025-04-01', 1),
      await importDay(service, '2025-04-02', 2),
      await importDay(service, '2025-04-03', 3),
    ];
    const solved: Plan[] = [];
    const r = await service.validateBooks(input(days.map((d) => d.id)), async (plan) => {
      solved.push(plan);
      return solvePlan(plan);
    });
    expect(solved).toHaveLength(4); // three folds and the in-sample plan
    expect(r.folds.map((f) => [f.date, f.planDates, f.inSample])).toEqual([
      ['2025-04-01', ['2025-04-02', '2025-04-03'], false],
      ['2025-04-02', ['2025-04-01', '2025-04-03'], false],
      ['2025-04-03', ['2025-04-01', '2025-04-02'], false],
    ]);
    expect(r.summary.days).toBe(3);
    expect(solved[0].source).toEqual({ symbol: 'ACME', dates: ['2025-04-02', '2025-04-03'] });
  });

  it('refuses an average and another symbol, naming the dataset', async () => {
    const a = await importDay(service, '2025-04-01', 1);
    const b = await importDay(service, '2025-04-02', 2);
    const avg = await service.averageBooks({ ids: [a.id, b.id] });
    const solve = async (p: Plan) => solvePlan(p);
    await expect(service.validateBooks(input([a.id, avg.id]), solve)).rejects.toThrow(
      /^ids: Average of 2 days .* is an average of days; validate single days$/,
    );
    const c = await importDay(service, '2025-04-03', 3, 'ARL');
    await expect(service.validateBooks(input([a.id, c.id]), solve)).rejects.toThrow(
      /ARL-2025-04-03\.csv: is ARL, ACME-2025-04-01\.csv is ACME/,
    );
  });
});
