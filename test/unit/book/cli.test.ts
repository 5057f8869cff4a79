import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePlanJson, type Plan } from '@shared/plan';
import { SolveResultSchema } from '@shared/result';
import { runBookPlan } from '../../../src-main/cli/bookPlan';
import { solveCommand } from '../../../src-main/cli/solve';
import { syntheticDay, writeMbp10File } from '../../fixtures/mbp10';
import { cheapestUnits } from './helpers';

const dir = mkdtempSync(join(tmpdir(), 'book-cli-'));
const file = join(dir, 'ACME-20250403.csv');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeAll(async () => {
  await writeMbp10File(
    file,
    syntheticDay({
      fromMs: Date.parse('2025-04-03T13:20:00Z'),
      toMs: Date.parse('2025-04-03T14:00:00Z'),
      rows: 2000,
    }),
    { symbol: 'ACME', timestamps: 'ns', prices: 'fixed' },
  );
});

async function run(
  fn: (
    argv: string[],
    io: { stdout: (t: string) => void; stderr: (t: string) => void },
  ) => number | Promise<number>,
  argv: string[],
) {
  let stdout = '';
  let stderr = '';
  const status = await fn(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { status, stdout, stderr };
}

const base = ['--session', '09:30-10:00', '--period-minutes', '5'];

describe('cli book-plan', () => {
  it('prints a book plan that cli solve accepts, at the cost of the cheapest book units', async () => {
    const out = await run(runBookPlan, [file, '--shares', '3000', '--side', 'buy', ...base]);
    expect(out.stderr).toBe('');
    expect(out.status).toBe(0);
    const parsed = parsePlanJson(out.stdout);
    if (!parsed.ok) throw new Error(parsed.errors.join('; '));
    const plan: Plan = parsed.value;
    expect(plan).toMatchObject({
      symbol: 'ACME',
      side: 'buy',
      shares: 3000,
      periods: 6,
      session: { start: '09:30', end: '10:00', timeZone: 'America/New_York' },
    });
    if (plan.impact.model !== 'book') throw new Error('expected a book plan');
    expect(plan.impact.ladders).toHaveLength(6);

    const planFile = join(dir, 'plan.json');
    writeFileSync(planFile, out.stdout);
    const solved = await run(solveCommand.run, [planFile]);
    expect(solved.status).toBe(0);
    const result = SolveResultSchema.parse(JSON.parse(solved.stdout));
    expect(result.totalCost).toBeCloseTo(cheapestUnits(plan.impact.ladders, 3000), 6);
  });

  it('prints the fitted power law with --fit', async () => {
    const out = await run(runBookPlan, [
      file,
      '--shares',
      '50000',
      '--side',
      'sell',
      '--lot',
      '100',
      '--fit',
      ...base,
    ]);
    expect(out.status).toBe(0);
    const parsed = parsePlanJson(out.stdout);
    if (!parsed.ok) throw new Error(parsed.errors.join('; '));
    expect(parsed.value.impact.model).toBe('power');
    expect(parsed.value.lotSize).toBe(100);
  });

  it.each([
    [['--shares', '10', '--side', 'buy'], /^error: FILE: the MBP-10 CSV file is required/],
    [[file, '--side', 'buy'], /^error: --shares: is required/],
    [[file, '--shares', 'ten', '--side', 'buy'], /^error: --shares: must be a number/],
    [[file, '--shares=-5', '--side', 'buy'], /^error: --shares: must be greater than 0/],
    [[file, '--shares', '10', '--side', 'hold'], /^error: --side: /],
    [
      [file, '--shares', '10', '--side', 'buy', '--session', '9h-16h'],
      /^error: --session: must be HH:MM-HH:MM/,
    ],
    [
      [file, '--shares', '10', '--side', 'buy', '--session', '16:00-09:30'],
      /^error: --session: end must be after start/,
    ],
    [
      [file, '--shares', '10', '--side', 'buy', '--time-zone', 'Mars/Base'],
      /^error: --time-zone: must be an IANA time zone/,
    ],
    [[file, '--shares', '10', '--side', 'buy', '--bogus'], /^error: Unknown option '--bogus'/],
    [
      [join(dir, 'missing.csv'), '--shares', '10', '--side', 'buy'],
      /^error: .*missing\.csv: no such file\n$/,
    ],
    [
      [file, '--shares', '9000000', '--side', 'buy', ...base],
      /^error: the visible ask side holds only \d{1,3}(,\d{3})* shares .* less than the 9,000,000 asked for/,
    ],
    // book-plan-shares-not-a-multiple-of-lot: used to exit 1 with "the plan built from the
    // book is invalid"; an invalid date used to be accepted and blamed on the data.
    [
      [file, '--shares', '5050', '--side', 'buy', '--lot', '100', ...base],
      /^error: --shares: must be a multiple of the lot size 100 \(got 5050\)\n$/,
    ],
    [
      [file, '--shares', '10', '--side', 'buy', '--date', '2025-02-30', ...base],
      /^error: --date: must be a real calendar date\n$/,
    ],
    [
      [
        file,
        '--shares',
        '10',
        '--side',
        'buy',
        '--session',
        '09:30-10:00',
        '--period-minutes',
        '7',
      ],
      /^error: periodMinutes: 7 minutes does not divide the 30-minute session 09:30–10:00/,
    ],
  ])('fails with exit 2 and one error line: %j', async (argv, message) => {
    const out = await run(runBookPlan, argv);
    expect(out.status).toBe(2);
    expect(out.stdout).toBe('');
    expect(out.stderr).toMatch(message);
    expect(out.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('names a file that is not MBP-10', async () => {
    const bad = join(dir, 'trades.csv');
    writeFileSync(bad, 'ts_event,price,size\n1,2,3\n');
    const out = await run(runBookPlan, [bad, '--shares', '10', '--side', 'buy']);
    expect(out.status).toBe(2);
    expect(out.stderr).toMatch(/^error: not a Databento MBP-10 CSV file/);
  });
});
