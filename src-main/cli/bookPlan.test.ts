/**
 * book-plan's flags against the contract's limits, and the plan file it prints. The MBP-10
 * file is a small synthetic day, so a refused flag is refused before or after a real import
 * alike (the tests would see an "internal" exit 1 if a bad size got through to the plan).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contractInputs, inputError } from '@shared/contract';
import { MAX_SHARES } from '@shared/plan';
import { syntheticDay, writeMbp10File } from '../../test/fixtures/mbp10';
import { runBookPlan } from './bookPlan';

const dir = mkdtempSync(join(tmpdir(), 'op-book-plan-'));
const file = join(dir, 'ACME-20250403.csv');
beforeAll(async () => {
  await writeMbp10File(
    file,
    syntheticDay({
      fromMs: Date.parse('2025-04-03T13:20:00Z'),
      toMs: Date.parse('2025-04-03T14:00:00Z'),
      rows: 500,
    }),
    { symbol: 'ACME' },
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const session = ['--session', '09:30-10:00', '--period-minutes', '5'];

async function bookPlan(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const status = await runBookPlan([file, ...argv, ...session], {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
  });
  const errors = stderr.split('\n').filter((l) => l.startsWith('error:'));
  return { status, stdout, errors };
}

describe('book-plan --shares and --lot limits', () => {
  it.each([
    [
      ['--shares', '1e14', '--side', 'buy', '--fit'],
      'error: --shares: must be at most 10,000,000,000,000',
    ],
    [['--shares', '1e14', '--side', 'buy'], 'error: --shares: must be at most 10,000,000,000,000'],
    [['--shares', '1.5', '--side', 'buy'], 'error: --shares: must be a whole number'],
    [['--shares', '100', '--lot', '2.5', '--side', 'buy'], 'error: --lot: must be a whole number'],
    [
      ['--shares', '100', '--lot', '1e14', '--side', 'sell'],
      'error: --lot: must be at most 10,000,000,000,000',
    ],
    [['--shares', '100', '--lot', '0', '--side', 'buy'], 'error: --lot: must be greater than 0'],
  ])('book-plan-shares-unbounded: %j exits 2 naming the flag in words', async (argv, error) => {
    const r = await bookPlan(...argv);
    expect(r.errors).toEqual([error]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
  });

  it('book-plan-shares-unbounded: the largest allowed size is judged by the book, not a bug', async () => {
    const r = await bookPlan('--shares', String(MAX_SHARES), '--side', 'buy', '--fit');
    expect(r.status).toBe(2);
    expect(r.errors).toEqual([
      expect.stringMatching(
        /^error: the visible ask side holds only [\d,]+ shares .* less than the 10,000,000,000,000 asked for/,
      ),
    ]);
  });

  it('book-plan-shares-unbounded: the contract gives shares and lotSize the plan limit, in words', () => {
    const message = (input: object) => {
      const r = contractInputs.bookPlan.safeParse({ id: 'day', side: 'buy', ...input });
      return r.success ? 'accepted' : inputError(r.error).message;
    };
    expect(message({ shares: 1e14 })).toBe('shares: must be at most 10,000,000,000,000');
    expect(message({ shares: 1.5 })).toBe('shares: must be a whole number');
    expect(message({ shares: 100, lotSize: 0.5 })).toBe('lotSize: must be a whole number');
    expect(message({ shares: MAX_SHARES, lotSize: MAX_SHARES })).toBe('accepted');
    expect(message({ shares: 100, lotSize: MAX_SHARES * 10 })).toBe(
      'lotSize: must be at most 10,000,000,000,000',
    );
  });
});

describe('book-plan output', () => {
  it('plan-file-format: book-plan prints a plan file that starts with "format": 1', async () => {
    const r = await bookPlan('--shares', '300', '--side', 'buy');
    expect(r.errors).toEqual([]);
    expect(r.status).toBe(0);
    const written = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(Object.keys(written)[0]).toBe('format');
    expect(written).toMatchObject({ format: 1, symbol: 'ACME', shares: 300 });
  });
});
