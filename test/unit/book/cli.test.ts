import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePlanJson, type Plan } from '@shared/plan';
import { SolveResultSchema } from '@shared/result';
import { runBookPlan } from '../../../src-main/cli/bookPlan';
import { solveCommand } from '../../../src-main/cli/solve';
import { replayCommand } from '../../../src-main/cli/replay';
import { runCli } from '../../../src-main/cli/commands';
import type { Replay } from '@shared/contract';
import { mbp10Csv, syntheticDay, writeMbp10File } from '../../fixtures/mbp10';
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
    const out = await run(runBookPlan, [
      file,
      '--shares',
      '3000',
      '--side',
      'buy',
      '--model',
      'book',
      ...base,
    ]);
    expect(out.status).toBe(0);
    // The import report, one line each: rows, coverage, volume and σ, continuous trading.
    expect(out.stderr.split('\n').filter(Boolean)).toEqual([
      'ACME-20250403.csv: ACME 2025-04-03, 2,000 rows, 2,000 usable; no malformed rows; 0 one-sided, 0 crossed or locked',
      expect.stringMatching(
        /^ACME-20250403\.csv: 09:30–10:00 America\/New_York, 6 periods of 5 min, time-averaged books: 6 covered \(1 partly\), 0 not covered; largest gap 09:59:5\d–10:00 \(\d s\); data 2025-04-03T13:20:00Z to 2025-04-03T13:59:58Z$/,
      ),
      expect.stringMatching(
        /^ACME-20250403\.csv: continuous volume 0 shares in 0 trades; σ unknown \(too few mid changes\); arrival mid \d+\.\d+ at 09:30(:\d\d)?$/,
      ),
      expect.stringMatching(
        /^ACME-20250403\.csv: continuous trading from 09:30 \(no opening print: the session start; spread [\d.]+\); no opening auction print, no closing auction print \(not in the continuous volume\); longest stale stretch .*; one venue's book only \(publisher_id 2\): the visible depth is a fraction of the market's$/,
      ),
    ]);
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
      '10000',
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
    // After the import report (if the file was read), exactly one error line, the last.
    const error = out.stderr.slice(out.stderr.indexOf('error: '));
    expect(error).toMatch(message);
    expect(error.trim().split('\n')).toHaveLength(1);
    expect(out.stderr.split('\n').filter((l) => l.startsWith('error:'))).toHaveLength(1);
  });

  it('names a file that is not MBP-10', async () => {
    const bad = join(dir, 'trades.csv');
    writeFileSync(bad, 'ts_event,price,size\n1,2,3\n');
    const out = await run(runBookPlan, [bad, '--shares', '10', '--side', 'buy']);
    expect(out.status).toBe(2);
    expect(out.stderr).toMatch(/^error: not a Databento MBP-10 CSV file/);
  });
});

describe('cli book-plan: the import report, --strict and several days', () => {
  it('reports truncated rows with their first line numbers, and --strict refuses them', async () => {
    // Cut 70% of the data rows short (the old CLI planned from the rest without a word).
    const text = mbp10Csv(
      syntheticDay({
        fromMs: Date.parse('2025-04-03T13:29:00Z'),
        toMs: Date.parse('2025-04-03T14:01:00Z'),
        rows: 1000,
        seed: 2,
      }),
      { symbol: 'ACME' },
    );
    const lines = text.trimEnd().split('\n');
    const cut = lines.map((l, i) => (i > 0 && i % 10 < 7 ? l.slice(0, l.length >> 1) : l));
    const truncated = join(dir, 'truncated.csv');
    writeFileSync(truncated, cut.join('\n') + '\n');
    const out = await run(runBookPlan, [truncated, '--shares', '100', '--side', 'buy', ...base]);
    expect(out.status).toBe(0);
    expect(out.stderr).toContain(
      'truncated.csv: ACME 2025-04-03, 1,000 rows, 300 usable; 700 malformed row(s) skipped (first at lines 2, 3, 4, 5, 6, 7, 11, 12, 13, 14)',
    );
    const strict = await run(runBookPlan, [
      truncated,
      '--shares',
      '100',
      '--side',
      'buy',
      '--strict',
      ...base,
    ]);
    expect(strict.status).toBe(2);
    expect(strict.stdout).toBe('');
    expect(strict.stderr.trimEnd().split('\n').at(-1)).toBe(
      'error: --strict: truncated.csv has 700 malformed row(s) (first at lines 2, 3, 4, 5, 6, 7, 11, 12, 13, 14)',
    );
    // A clean file passes --strict.
    const clean = await run(runBookPlan, [
      file,
      '--shares',
      '100',
      '--side',
      'buy',
      '--strict',
      ...base,
    ]);
    expect(clean.status).toBe(0);
  });

  it('averages several files of one symbol into one plan, and names a mismatch', async () => {
    const day2 = join(dir, 'ACME-20250404.csv');
    await writeMbp10File(
      day2,
      syntheticDay({
        fromMs: Date.parse('2025-04-04T13:20:00Z'),
        toMs: Date.parse('2025-04-04T14:01:00Z'),
        rows: 2000,
        seed: 9,
        tradeProbability: 0.5,
      }),
      { symbol: 'ACME' },
    );
    const out = await run(runBookPlan, [file, day2, '--shares', '3000', '--side', 'buy', ...base]);
    expect(out.status).toBe(0);
    expect(out.stderr).toMatch(
      /^average of 2 days \(2025-04-03, 2025-04-04\): volume [\d,]+ shares a day/m,
    );
    const plan = JSON.parse(out.stdout) as Plan;
    // The calibrated model by default, from the two days one by one.
    expect(plan.name).toBe('ACME 2025-04-03…2025-04-04 buy (calibrated)');
    expect(out.stderr).toMatch(/^calibrated model from 2 day\(s\): σ [\d.e-]+ a day/m);
    expect(plan.notes).toContain('From ACME-20250403.csv, ACME-20250404.csv');
    const other = join(dir, 'OTHER.csv');
    await writeMbp10File(
      other,
      syntheticDay({
        fromMs: Date.parse('2025-04-07T13:20:00Z'),
        toMs: Date.parse('2025-04-07T14:01:00Z'),
        rows: 500,
      }),
      { symbol: 'OTHER' },
    );
    const bad = await run(runBookPlan, [file, other, '--shares', '30', '--side', 'buy', ...base]);
    expect(bad.status).toBe(2);
    expect(bad.stderr.trimEnd().split('\n').at(-1)).toMatch(
      /^error: OTHER\.csv \(OTHER, 6 × 5 min, 09:30–10:00 America\/New_York\) does not match ACME-20250403\.csv \(ACME, /,
    );
  });
});

describe('cli replay', () => {
  it('replays a start-sampled plan on its own day at the planned cost, and the baselines', async () => {
    const planned = await run(runBookPlan, [
      file,
      '--shares',
      '3000',
      '--side',
      'buy',
      '--sampling',
      'start',
      ...base,
    ]);
    expect(planned.status).toBe(0);
    const planFile = join(dir, 'start-plan.json');
    writeFileSync(planFile, planned.stdout);
    const out = await run(replayCommand.run, [planFile, file, '--json']);
    expect(out.status).toBe(0);
    const replay = JSON.parse(out.stdout) as Replay & { planned: number[] };
    expect(replay.rows.map((r) => r.label)).toEqual([
      'Optimal',
      'Naive (TWAP)',
      'Front-loaded',
      'Back-loaded',
    ]);
    replay.rows.forEach((r, i) => expect(r.impactCost).toBeCloseTo(replay.planned[i], 6));
    const table = await run(replayCommand.run, [planFile, file]);
    expect(table.stdout.split('\n')[0]).toMatch(
      /^Replay of "ACME 2025-04-03 buy \(book\)" on ACME 2025-04-03/,
    );
    expect(table.stdout).toMatch(/^Optimal\s+[\d,.]+\s+[\d,.]+\s+\+0\.0%/m);
  });

  it('needs a plan and a book file', async () => {
    const out = await run((argv, io) => runCli(argv, [replayCommand], io), ['replay', file]);
    expect(out.status).toBe(2);
    expect(out.stderr).toMatch(/^error: BOOK\.csv: expected a plan file and an MBP-10 CSV file/);
  });
});

describe('cli book-plan --model', () => {
  const traded = join(dir, 'TRADED-20250403.csv');
  beforeAll(async () => {
    await writeMbp10File(
      traded,
      syntheticDay({
        fromMs: Date.parse('2025-04-03T13:20:00Z'),
        toMs: Date.parse('2025-04-03T14:01:00Z'),
        rows: 3000,
        seed: 4,
        tradeProbability: 0.5,
      }),
      { symbol: 'ACME' },
    );
  });
  const minutes = ['--session', '09:30-10:00', '--period-minutes', '1'];

  it('defaults to the calibrated model and reports its estimator, variance ratio, R² and sources', async () => {
    const out = await run(runBookPlan, [traded, '--shares', '200', '--side', 'buy', ...minutes]);
    expect(out.status).toBe(0);
    const lines = out.stderr.trimEnd().split('\n');
    expect(lines.filter((l) => l.startsWith('calibrated model'))).toEqual([
      expect.stringMatching(
        /^calibrated model from 1 day\(s\): σ [\d.e-]+ a day \([\d.e-]+ per period; one-period changes alone give [\d.e-]+\); estimator (two-scale|10-min).*; variance ratio [\d.]+$/,
      ),
      expect.stringMatching(
        /^calibrated model: spread s_t median [\d.]+ .*η [\d.]+, β [\d.]+, γ 0\.314 \(fit R² -?[\d.e-]+ over [\d,]+ points\)$/,
      ),
      expect.stringMatching(
        /^calibrated model sources: sigma fitted, spread fitted, .*gamma default/,
      ),
    ]);
    const parsed = parsePlanJson(out.stdout);
    if (!parsed.ok) throw new Error(parsed.errors.join('; '));
    const plan = parsed.value;
    expect(plan.name).toBe('ACME 2025-04-03 buy (calibrated)');
    // The calibrated model itself (never a table standing in for it), with its provenance;
    // its permanent part is the model's, not a plan.permanentImpact.
    expect(plan.impact).toMatchObject({
      model: 'calibrated',
      gamma: 0.314,
      sources: { sigma: 'fitted', spread: 'fitted', volumeProfile: 'fitted', gamma: 'default' },
      calibration: { days: 1, dates: ['2025-04-03'] },
    });
    expect(plan.permanentImpact).toBeUndefined();
    expect(plan.volumeProfile).toHaveLength(30);
    expect(plan.notes).toMatch(
      /Calibrated cost g_t\(x\) = ½·s_t \+ η·σ·p_t·\(x\/V_t\)\^β from 1 day/,
    );
    // The plan solves.
    const planFile = join(dir, 'calibrated.json');
    writeFileSync(planFile, out.stdout);
    const solved = await run(solveCommand.run, [planFile]);
    expect(solved.status).toBe(0);
  });

  it('--fit is --model power; --model book is the exact ladders', async () => {
    const fit = await run(runBookPlan, [
      traded,
      '--shares',
      '200',
      '--side',
      'buy',
      '--fit',
      ...minutes,
    ]);
    const power = await run(runBookPlan, [
      traded,
      ...['--shares', '200', '--side', 'buy', '--model', 'power'],
      ...minutes,
    ]);
    expect(fit.status).toBe(0);
    expect(power.stdout).toBe(fit.stdout);
    expect((JSON.parse(fit.stdout) as Plan).impact.model).toBe('power');
    const book = await run(runBookPlan, [
      traded,
      ...['--shares', '200', '--side', 'buy', '--model', 'book'],
      ...minutes,
    ]);
    expect((JSON.parse(book.stdout) as Plan).impact.model).toBe('book');
    expect(book.stderr).not.toMatch(/calibrated/);
  });

  it('names a bad --model, and --fit with another model', async () => {
    const bad = await run(runBookPlan, [
      traded,
      '--shares',
      '200',
      '--side',
      'buy',
      '--model',
      'magic',
    ]);
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim()).toBe(
      'error: --model: must be one of calibrated, book, power (got "magic")',
    );
    const both = await run(runBookPlan, [
      traded,
      ...['--shares', '200', '--side', 'buy', '--fit', '--model', 'book'],
    ]);
    expect(both.status).toBe(2);
    expect(both.stderr.trim()).toBe(
      'error: --fit: is the power model; it cannot be used with --model book',
    );
  });

  it('without traded volume: the default falls back to the book model, said on stderr; asked for by name it is an error', async () => {
    const dflt = await run(runBookPlan, [file, '--shares', '300', '--side', 'buy', ...base]);
    expect(dflt.status).toBe(0);
    expect(dflt.stderr).toMatch(
      /^calibrated model not possible \(cannot calibrate the cost model from ACME-20250403\.csv: volumes: the days have no traded volume.*\); the exact book model is used$/m,
    );
    expect((JSON.parse(dflt.stdout) as Plan).impact.model).toBe('book');
    const named = await run(runBookPlan, [
      file,
      ...['--shares', '300', '--side', 'buy', '--model', 'calibrated'],
      ...base,
    ]);
    expect(named.status).toBe(2);
    expect(named.stderr.trimEnd().split('\n').at(-1)).toMatch(
      /^error: cannot calibrate the cost model from ACME-20250403\.csv: volumes: the days have no traded volume/,
    );
  });
});
