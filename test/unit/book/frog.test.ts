/**
 * The real FROG session of 2025-04-03 (../shared/data, read-only, never copied into the repo):
 * the pre-open book is not priced, the opening cross is auction volume, every minute is covered.
 * Fails, saying so, when the data folder is absent.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planSymbol } from '@shared/book';
import { importMbp10File, type ImportFileResult } from '../../../src-main/book/mbp10';

import { FROG_ZIP, frogZipPath } from '../../validation/frogDays';
import { parseSlowly } from './helpers';

const DATA = frogZipPath();

describe('FROG 2025-04-03 (real data)', () => {
  let dir = '';
  let csvPath = '';
  const books: Partial<Record<'average' | 'start', ImportFileResult>> = {};

  beforeAll(async () => {
    if (DATA === null) {
      throw new Error(
        `the real-data file is missing: ${FROG_ZIP} (../shared/data beside the repo); this check needs it`,
      );
    }
    dir = mkdtempSync(join(tmpdir(), 'frog-'));
    execFileSync('unzip', ['-q', DATA, '-d', dir]);
    const csv = readdirSync(dir).find((f) => f.endsWith('.csv'));
    if (!csv) throw new Error(`${DATA}: no CSV inside`);
    csvPath = join(dir, csv);
    for (const sampling of ['average', 'start'] as const) {
      books[sampling] = await importMbp10File(csvPath, {
        periodMinutes: 1,
        session: { start: '09:30', end: '16:00', timeZone: 'America/New_York' },
        sampling,
      });
    }
  }, 60_000);
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('imports the whole file: one venue (Nasdaq, publisher 2)', () => {
    const b = books.average!;
    expect(b.sha256).toBe('58fddb5d491575347e9e8cfdd11d302add095ddbff4a4c792e239873ce4026aa');
    expect(b.rows).toBe(33286);
    expect(b.stats.publishers).toEqual([2]);
  });

  it('the opening minute is priced on the book after the cross, not the $1.90 pre-open book', () => {
    const b = books.start!;
    // The cross prints 42,747 shares at 31.25 at 09:30:00.976; the book then is 31.00 / 32.00.
    expect(b.stats.openingAuction).toEqual({
      at: '09:30',
      volume: 42747,
      trades: 1,
      price: 31.25,
    });
    expect(b.stats.continuous).toEqual({ start: '09:30', rule: 'opening print', spread: 1 });
    expect(b.series[0].spread).toBe(1);
    expect(b.series[0].mid).toBe(31.5);
    expect(b.stats.arrival).toEqual({ mid: 31.5, at: '09:30' });
    // The file ends at 15:59:59.998: no closing print in it.
    expect(b.stats.closingAuction).toBeNull();
  });

  it('covers every minute; volume is continuous volume, the cross apart', () => {
    for (const b of [books.average!, books.start!]) {
      expect(b.emptyPeriods).toEqual([]);
      expect(b.stats.largestGap).toBeNull();
      // Every period after the first is covered in full but the last (the file ends 2 ms early).
      expect(b.series.slice(1, 389).every((p) => p.coverage === 1)).toBe(true);
      expect(b.stats.volume).toBe(232833 - 42747);
      expect(b.stats.sigma!.changes).toBe(389);
      expect(b.stats.longestStale!.minutes).toBeGreaterThan(1);
    }
  });

  it('gives the same result when the reader thread parses lines ahead, and on the reference path', async () => {
    const opts = {
      periodMinutes: 1,
      session: { start: '09:30', end: '16:00', timeZone: 'America/New_York' },
    };
    const { file, parsed, ahead } = await parseSlowly(csvPath, opts);
    expect(ahead).toBeGreaterThan(1);
    const { sha256, bytes, symbol, ...book } = books.average!;
    expect(parsed).toStrictEqual({ ...book, symbol: parsed.symbol });
    expect(planSymbol(parsed.symbol)).toBe(symbol);
    expect(file.sha256()).toBe(sha256);
    expect(bytes).toBe(11841654);
    const reference = await importMbp10File(csvPath, { ...opts, method: 'reference' });
    expect(reference).toStrictEqual(books.average);
  }, 60_000);
});
