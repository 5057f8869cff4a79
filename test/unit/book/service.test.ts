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
import { directStorage } from '../../../src-main/storage/operations';
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

/** A day of ACME from 09:33 to past the 09:50 session end (periods 1–3 have no book). */
async function dayFile(
  name: string,
  rows: number,
  seed = 3,
  opts: { date?: string; tradeProbability?: number } = {},
): Promise<string> {
  const path = join(dir, name);
  const date = opts.date ?? '2025-04-03';
  await writeMbp10File(
    path,
    syntheticDay({
      fromMs: Date.parse(`${date}T13:33:00Z`),
      toMs: Date.parse(`${date}T13:51:00Z`),
      rows,
      seed,
      tradeProbability: opts.tradeProbability,
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
    storage: directStorage(db),
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
    const s1 = createBookService({
      storage: directStorage(first),
      emitProgress: () => {},
      resolveFile: (r) => r,
    });
    const summary = (await s1.importBook(
      importInput(await dayFile('disk.csv', 300)),
    )) as BookSummary;
    const ladders = (await s1.getBook({ id: summary.id })).ladders;
    first.close();

    const second = openDatabase(dbPath).db;
    const s2 = createBookService({
      storage: directStorage(second),
      emitProgress: () => {},
      resolveFile: (r) => r,
    });
    expect(await s2.listBooks({})).toEqual([summary]);
    expect((await s2.getBook({ id: summary.id })).ladders).toEqual(ladders);
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

    expect(await service.listBooks({})).toEqual([summary]);
    const detail = await service.getBook({ id: summary.id });
    expect(detail.series).toHaveLength(20);
    // The data starts just after 09:33: no book is in effect at 09:33 itself (a later row is
    // never a period's start book), but the period is partly covered.
    expect(detail.series[3].mid).toBeNull();
    expect(detail.series[4].mid).not.toBeNull();
    // Time-averaged: many snapshots' levels at their offsets, cheapest first, no duplicates.
    const offsets = detail.ladders.buy[3].map(([o]) => o);
    expect(offsets.length).toBeGreaterThan(10);
    expect(offsets).toEqual([...new Set(offsets)].sort((a, b) => a - b));
    expect(detail.ladders.buy[0]).toEqual([]);
    expect(summary.stats).toMatchObject({ sampling: 'average', coveredPeriods: 17 });
    // What a calibration reads, stored with the dataset: the mids at the period starts, the
    // quoted spread over the covered part, the continuous start and the auction prints.
    expect(detail.stats.startMids).toEqual(detail.series.map((p) => p.mid));
    expect(detail.series[5].quotedSpread).toBeGreaterThan(0);
    expect(detail.stats.continuous).toMatchObject({ start: expect.any(String) as string });
    expect(detail.stats.openingAuction === undefined).toBe(false);
    expect(detail.stats.publishers).toEqual([2]);
    expect(summary.stats.largestGap).toMatchObject({ from: '09:30', to: '09:33' });
    expect(summary.stats.largestGap!.minutes).toBeCloseTo(3, 3);
    expect(detail.fit.buy.pooled!.exponent).toBeGreaterThan(0);
    expect(detail.fit.sell.perPeriod[0]).toBeNull();
    expect(detail.fit.sell.perPeriod[5]!.r2).toBeGreaterThan(0);

    const plan = await service.bookPlan(
      contractInputs.bookPlan.parse({ id: summary.id, shares: 500, side: 'sell' }),
    );
    expect(PlanSchema.parse(plan)).toEqual(plan);
    expect(plan.impact.model).toBe('book');
    if (plan.impact.model === 'book') expect(plan.impact.ladders).toEqual(detail.ladders.sell);

    expect(await service.deleteBook({ id: summary.id })).toEqual({ id: summary.id });
    expect(await service.listBooks({})).toEqual([]);
    await expect(service.getBook({ id: summary.id })).rejects.toThrow(/no order-book dataset/);
    await expect(service.deleteBook({ id: summary.id })).rejects.toThrow(/no order-book dataset/);
  });

  it('returns the stored dataset when the same file is imported with the same sampling', async () => {
    const path = await dayFile('again.csv', 500);
    const a = (await service.importBook(importInput(path))) as BookSummary;
    const b = (await service.importBook(importInput(path, 'renamed.csv'))) as BookSummary;
    expect(b.id).toBe(a.id);
    const c = (await service.importBook({ ...importInput(path), periodMinutes: 2 })) as BookSummary;
    expect(c.id).not.toBe(a.id);
    expect(c.periods).toBe(10);
    expect(await service.listBooks({})).toHaveLength(2);
  });

  it('cancels a running import and refuses a second one meanwhile', async () => {
    const path = await dayFile('big.csv', 20_000);
    const running = service.importBook(importInput(path));
    await expect(service.importBook(importInput(path))).rejects.toMatchObject({ code: 'busy' });
    expect(service.cancelImport({})).toEqual({ cancelled: true });
    await expect(running).resolves.toEqual({ cancelled: true });
    expect(service.cancelImport({})).toEqual({ cancelled: false });
    expect(await service.listBooks({})).toEqual([]);
    // The service is free again afterwards.
    const done = await service.importBook(importInput(await dayFile('small.csv', 100)));
    expect('id' in done).toBe(true);
  });

  it('reports a damaged stored row as a storage error', async () => {
    const s = (await service.importBook(importInput(await dayFile('x.csv', 100)))) as BookSummary;
    db.prepare('UPDATE books SET data = \'{"series": 3}\' WHERE id = ?').run(s.id);
    await expect(service.getBook({ id: s.id })).rejects.toThrow(
      /stored data of dataset .* is damaged/,
    );
  });

  it('pooled check: with lot 1 and no caps the optimal cost is the S cheapest book units', async () => {
    const path = await dayFile('pooled.csv', 1500, 11);
    const { id } = (await service.importBook(importInput(path))) as BookSummary;
    for (const side of ['buy', 'sell'] as const) {
      const plan = await service.bookPlan(
        contractInputs.bookPlan.parse({ id, shares: 7000, side }),
      );
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
    const detail = await service.getBook({ id });
    const plan = await service.bookPlan(
      contractInputs.bookPlan.parse({ id, shares: 20_000, side: 'buy', lotSize: 100, fit: true }),
    );
    expect(plan.impact.model).toBe('power');
    // Each period is capped at its visible (time-averaged) ask depth in whole lots.
    expect(plan.maxPerPeriod).toEqual(
      detail.ladders.buy.map((l) => Math.floor(l.reduce((a, [, q]) => a + q, 0) / 100) * 100),
    );
    expect((plan.maxPerPeriod as number[]).slice(0, 3)).toEqual([0, 0, 0]);
    const result = solvePlan(plan);
    expect(result.schedule.slice(0, 3).every((r) => r.shares === 0)).toBe(true);
    expect(result.schedule.reduce((s, r) => s + r.shares, 0)).toBe(20_000);
    result.schedule.forEach((r, i) =>
      expect(r.shares).toBeLessThanOrEqual((plan.maxPerPeriod as number[])[i]),
    );
    // More than the visible book can hold is refused, naming the side.
    await expect(
      service.bookPlan(
        contractInputs.bookPlan.parse({ id, shares: 10_000_000, side: 'buy', fit: true }),
      ),
    ).rejects.toThrow(/the visible ask side holds only/);
  });
});

describe('migration 2002 (sampling)', () => {
  it('keeps a dataset imported before as start-sampled, with the figures it still has', async () => {
    const old = new Database(':memory:');
    for (const m of migrations.filter((m) => m.version <= 2001)) m.up(old);
    const series = [
      { start: '09:30', mid: 10.01, spread: 0.02, bidDepth: 100, askDepth: 100 },
      { start: '09:31', mid: null, spread: null, bidDepth: 0, askDepth: 0 },
    ];
    old
      .prepare(
        `INSERT INTO books VALUES ('old', 'ACME', '2025-04-03', 'old.csv', 'ab', 10, 2, 1,
          '09:30', '09:32', 'America/New_York', '2025-05-01T00:00:00Z', ?, ?)`,
      )
      .run(
        JSON.stringify({
          usableRows: 10,
          skippedRows: 0,
          badRowLines: [],
          oneSidedRows: 0,
          crossedRows: 0,
          emptyPeriods: [2],
          medianSpread: 0.02,
          medianBidDepth: 100,
          medianAskDepth: 100,
        }),
        JSON.stringify({
          series,
          ladders: { buy: [[[0.01, 100]], []], sell: [[[0.01, 100]], []] },
        }),
      );
    old.pragma('user_version = 2001');
    migrate(old);
    // Migrated through 2002 to the newest schema.
    expect(old.pragma('user_version', { simple: true })).toBe(
      Math.max(...migrations.map((m) => m.version)),
    );
    const s = createBookService({
      storage: directStorage(old),
      emitProgress: () => {},
      resolveFile: (r) => r,
    });
    const [summary] = await s.listBooks({});
    expect(summary.stats).toMatchObject({
      sampling: 'start',
      coveredPeriods: 1,
      volume: null,
      sigma: null,
      arrival: null,
    });
    const plan = await s.bookPlan(
      contractInputs.bookPlan.parse({ id: 'old', shares: 50, side: 'buy' }),
    );
    expect(plan.referencePrice).toBe(10.01);
    expect(plan.volumeProfile).toBeUndefined();
    // No traded volume to calibrate from: the default falls back to the exact book, said so.
    expect(plan.impact.model).toBe('book');
    expect(plan.notes).toMatch(
      /The calibrated model is not possible \(cannot calibrate the cost model from .*volumes: the days have no traded volume.*\); the exact book model is used\./,
    );
    old.close();
  });
});

describe('calibration from the book', () => {
  it('puts the day volume, σ with its profile and the arrival mid into the plan', async () => {
    const path = await dayFile('trades.csv', 3000, 5, { tradeProbability: 0.3 });
    const s = (await service.importBook(importInput(path))) as BookSummary;
    const detail = await service.getBook({ id: s.id });
    const volumes = detail.series.map((p) => p.volume!);
    expect(s.stats.volume).toBe(volumes.reduce((a, b) => a + b, 0));
    expect(s.stats.volume).toBeGreaterThan(0);
    expect(volumes.slice(0, 3)).toEqual([0, 0, 0]);
    // The exact book keeps the day's own figures (the calibrated default smooths them).
    const plan = await service.bookPlan(
      contractInputs.bookPlan.parse({ id: s.id, shares: 2000, side: 'buy', model: 'book' }),
    );
    expect(plan.volumeProfile).toEqual(volumes);
    expect(plan.referencePrice).toBe(s.stats.arrival!.mid);
    expect(plan.risk).toMatchObject({ volatility: s.stats.sigma!.value, aversion: 0 });
    expect(plan.risk!.volatilityProfile).toEqual(s.stats.sigma!.profile);
    expect(plan.notes).toContain(
      `the order is ${((2000 / s.stats.volume!) * 100).toPrecision(3)}%`,
    );
    const result = solvePlan({ ...plan, maxParticipation: 0.5 });
    expect(result.baselines.vwap).toBeDefined();
    result.schedule.forEach((r, i) => expect(r.shares).toBeLessThanOrEqual(volumes[i] * 0.5));
    // An arrival time of the trader's choosing: that period's mid.
    const at = await service.bookPlan(
      contractInputs.bookPlan.parse({ id: s.id, shares: 2000, side: 'buy', arrival: '09:40' }),
    );
    expect(at.referencePrice).toBe(detail.series[10].mid);
    await expect(
      service.bookPlan(
        contractInputs.bookPlan.parse({ id: s.id, shares: 2000, side: 'buy', arrival: '09:31' }),
      ),
    ).rejects.toThrow(/^arrival: there is no book at 09:31/);
    await expect(
      service.bookPlan(
        contractInputs.bookPlan.parse({ id: s.id, shares: 2000, side: 'buy', arrival: '12:00' }),
      ),
    ).rejects.toThrow(/^arrival: 12:00 is outside the session 09:30–09:50/);
  });

  it('defaults to the calibrated model, walking the books in effect at the period starts', async () => {
    const path = await dayFile('default.csv', 3000, 5, { tradeProbability: 0.3 });
    const s = (await service.importBook(importInput(path))) as BookSummary;
    const plan = await service.bookPlan(
      contractInputs.bookPlan.parse({ id: s.id, shares: 2000, side: 'buy' }),
    );
    expect(plan.impact).toMatchObject({
      model: 'calibrated',
      sources: { sigma: 'fitted', spread: 'fitted' },
      calibration: { days: 1, dates: [s.date] },
    });
    expect(plan.name).toMatch(/\(calibrated\)$/);
    // The exact book and the fitted power law are still there by name.
    for (const [model, impact] of [
      ['book', 'book'],
      ['power', 'power'],
    ] as const) {
      const other = await service.bookPlan(
        contractInputs.bookPlan.parse({ id: s.id, shares: 2000, side: 'buy', model }),
      );
      expect(other.impact.model).toBe(impact);
    }
  });

  it('keeps start and average sampling of one file as two datasets', async () => {
    const path = await dayFile('both.csv', 800);
    const avg = (await service.importBook(importInput(path))) as BookSummary;
    const start = (await service.importBook({
      ...importInput(path),
      sampling: 'start',
    })) as BookSummary;
    expect(start.id).not.toBe(avg.id);
    expect(start.stats.sampling).toBe('start');
    expect((await service.getBook({ id: start.id })).ladders.buy[5]).toHaveLength(10);
  });

  it('averages two days: ladders at half size, mean volume, each day kept', async () => {
    const one = (await service.importBook(
      importInput(await dayFile('d1.csv', 1200, 7, { tradeProbability: 0.2 }), 'd1.csv'),
    )) as BookSummary;
    const two = (await service.importBook(
      importInput(
        await dayFile('d2.csv', 1200, 8, { date: '2025-04-04', tradeProbability: 0.2 }),
        'd2.csv',
      ),
    )) as BookSummary;
    const avg = await service.averageBooks({ ids: [two.id, one.id] });
    expect(avg.stats.days!.map((d) => d.date)).toEqual(['2025-04-03', '2025-04-04']);
    expect(avg.stats.volume).toBeCloseTo((one.stats.volume! + two.stats.volume!) / 2, 9);
    const [a, b, m] = await Promise.all([one, two, avg].map((x) => service.getBook({ id: x.id })));
    const depth = (l: [number, number][]) => l.reduce((s, [, q]) => s + q, 0);
    for (const i of [5, 12]) {
      expect(depth(m.ladders.buy[i])).toBeCloseTo(
        (depth(a.ladders.buy[i]) + depth(b.ladders.buy[i])) / 2,
        6,
      );
    }
    expect(await service.listBooks({})).toHaveLength(3);
    // The same days again: the stored average.
    expect((await service.averageBooks({ ids: [one.id, two.id] })).id).toBe(avg.id);
    const plan = await service.bookPlan(
      contractInputs.bookPlan.parse({ id: avg.id, shares: 1000, side: 'sell' }),
    );
    expect(plan.referencePrice).toBe(two.stats.arrival!.mid);
    expect(plan.name).toContain('2025-04-03…2025-04-04');
    // The calibration reads each day the average was made of, not the average as one day.
    expect(plan.impact).toMatchObject({
      model: 'calibrated',
      calibration: { days: 2, dates: ['2025-04-03', '2025-04-04'] },
    });
    // Refusals name the problem.
    await expect(service.averageBooks({ ids: [one.id, one.id] })).rejects.toThrow(
      /at least two different days/,
    );
    await expect(service.averageBooks({ ids: [avg.id, one.id] })).rejects.toThrow(
      /already an average of days/,
    );
    const other = (await service.importBook({
      ...importInput(await dayFile('d3.csv', 300, 9, { date: '2025-04-07' }), 'd3.csv'),
      periodMinutes: 2,
    })) as BookSummary;
    await expect(service.averageBooks({ ids: [one.id, other.id] })).rejects.toThrow(
      /d3\.csv \(ACME, 10 × 2 min.*does not match d1\.csv \(ACME, 20 × 1 min/,
    );
    await expect(
      service.replayBook({ id: avg.id, side: 'buy', schedules: [{ label: 'x', shares: [] }] }),
    ).rejects.toThrow(/is an average of days; replay against one real day/);
  });

  it('replays a start-sampled plan on its own day at exactly the planned cost', async () => {
    const path = await dayFile('replay.csv', 1500, 12);
    const s = (await service.importBook({
      ...importInput(path),
      sampling: 'start',
    })) as BookSummary;
    const plan = await service.bookPlan(
      contractInputs.bookPlan.parse({ id: s.id, shares: 3000, side: 'buy' }),
    );
    const result = solvePlan(plan);
    const naive = result.baselines.naive;
    const replay = await service.replayBook({
      id: s.id,
      side: 'buy',
      schedules: [
        { label: 'Optimal', shares: result.schedule.map((r) => r.shares) },
        { label: 'Naive', shares: naive.shares },
        { label: 'Too big', shares: [0, 0, 0, 0, 1e6, ...Array(15).fill(0)] },
      ],
    });
    expect(replay.rows[0].impactCost).toBeCloseTo(result.totalCost, 6);
    expect(replay.rows[0].beyondBook).toBe(0);
    // No book before the data's first row (just after 09:33): periods 1–4.
    expect(replay.rows[1].noBook).toBe(naive.shares.slice(0, 4).reduce((a, b) => a + b, 0));
    const detail = await service.getBook({ id: s.id });
    const depth = detail.ladders.buy[4].reduce((a, [, q]) => a + q, 0);
    expect(replay.rows[2].beyondBook).toBeCloseTo(1e6 - depth, 6);
    // Shortfall = impact + Σ x (mid − arrival) for a buy.
    const drift = result.schedule.reduce(
      (a, r, i) =>
        a + r.shares * ((detail.series[i].mid ?? s.stats.arrival!.mid) - s.stats.arrival!.mid),
      0,
    );
    expect(replay.rows[0].shortfall).toBeCloseTo(result.totalCost + drift, 6);
    await expect(
      service.replayBook({
        id: s.id,
        side: 'buy',
        schedules: [{ label: 'Short', shares: [1, 2] }],
      }),
    ).rejects.toThrow(/"Short" has 2 periods, the day 2025-04-03 has 20/);
  });
});
