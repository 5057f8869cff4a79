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
  const warnings = stderr.split('\n').filter((l) => l.startsWith('warning:'));
  return { status, stdout, errors, warnings };
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

describe('book-plan warnings', () => {
  const quiet = join(dir, 'QUIET-20250403.csv');
  beforeAll(async () => {
    // A quiet day: a trade after about one book update in fifty.
    await writeMbp10File(
      quiet,
      syntheticDay({
        fromMs: Date.parse('2025-04-03T13:20:00Z'),
        toMs: Date.parse('2025-04-03T14:00:00Z'),
        rows: 500,
        tradeProbability: 0.02,
      }),
      { symbol: 'QUIET' },
    );
  });
  async function quietPlan(shares: number) {
    let stdout = '';
    let stderr = '';
    const status = await runBookPlan(
      [quiet, '--shares', String(shares), '--side', 'buy', ...session],
      { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) },
    );
    const lines = stderr.split('\n');
    return {
      status,
      plan: JSON.parse(stdout) as { volumeProfile: number[] },
      errors: lines.filter((l) => l.startsWith('error:')),
      warnings: lines.filter((l) => l.startsWith('warning:')),
    };
  }

  it('an order above the periods’ volume prints warning: lines on stderr, the plan still on stdout', async () => {
    const small = await quietPlan(10);
    const total = small.plan.volumeProfile.reduce((a, v) => a + v, 0);
    expect(total).toBeGreaterThan(100);
    const shares = Math.ceil(total * 1.5);
    const big = await quietPlan(shares);
    expect(big.status).toBe(0);
    expect(big.errors).toEqual([]);
    expect(big.warnings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^warning: Child orders are above 100% of the period’s expected volume in \d+ periods? \(/,
        ),
        expect.stringMatching(
          /^warning: The order is 150% of the expected volume over the plan’s 6 periods/,
        ),
      ]),
    );
    // Ten shares of the same day are well within its volume.
    expect(small.warnings.filter((w) => /expected volume over|typing error/.test(w))).toEqual([]);
  });
});
