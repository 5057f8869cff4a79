/**
 * `validate`: leave-one-out and walk-forward over small synthetic days, and its refusals
 * (one `error:` line naming the problem, exit 2).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ValidationReport } from '@shared/validation';
import { syntheticDay, writeMbp10File } from '../../test/fixtures/mbp10';
import { runCli } from './commands';
import { validateCommand } from './validate';
import { replayCommand } from './replay';
import { runBookPlan } from './bookPlan';

const dir = mkdtempSync(join(tmpdir(), 'op-validate-'));
const file = (symbol: string, date: string, n = 0) => join(dir, `${symbol}-${date}-${n}.csv`);
const DATES = ['2025-04-01', '2025-04-02', '2025-04-03'];

async function writeDay(symbol: string, date: string, seed: number, n = 0) {
  await writeMbp10File(
    file(symbol, date, n),
    syntheticDay({
      fromMs: Date.parse(`${date}T13:20:00Z`),
      toMs: Date.parse(`${date}T14:00:00Z`),
      rows: 400,
      seed,
      tradeProbability: 0.2,
    }),
    { symbol },
  );
}

beforeAll(async () => {
  for (const [i, d] of DATES.entries()) await writeDay('ACME', d, i + 1);
  await writeDay('ARL', '2025-04-04', 9);
  await writeDay('ACME', '2025-04-01', 5, 1);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const session = ['--session', '09:30-10:00', '--period-minutes', '5'];

async function run(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const status = await runCli(
    argv[0] === 'replay' ? argv : ['validate', ...argv],
    [validateCommand, replayCommand],
    {
      stdout: (t) => (stdout += t),
      stderr: (t) => (stderr += t),
    },
  );
  return { status, stdout, errors: stderr.split('\n').filter((l) => l.startsWith('error:')) };
}

const acme = DATES.map((d) => file('ACME', d));

describe('validate', () => {
  it('leave-one-out: one fold per day, none in-sample, plans from the other days', async () => {
    const r = await run(...acme, '--shares', '600', '--side', 'buy', '--json', ...session);
    expect(r.errors).toEqual([]);
    expect(r.status).toBe(0);
    const rep = JSON.parse(r.stdout) as ValidationReport;
    expect(rep.symbol).toBe('ACME');
    expect(rep.folds.map((f) => f.date)).toEqual(DATES);
    for (const f of rep.folds) {
      expect(f.inSample).toBe(false);
      expect(f.planDates).toEqual(DATES.filter((d) => d !== f.date));
      expect(f.problem).toBeUndefined();
      const opt = f.schedules.find((s) => s.key === 'optimal')!;
      expect(opt.realised.dollars).toBeGreaterThan(0);
      expect(opt.bias).toBeCloseTo(opt.realised.dollars / opt.planned.dollars, 12);
    }
    expect(rep.inSample.folds.every((f) => f.inSample)).toBe(true);
    const twap = rep.summary.savingVsTwap;
    expect(twap.dollars!.days).toBe(3);
    expect(twap.dollars!.low!).toBeLessThanOrEqual(twap.dollars!.mean);
    expect(rep.summary.savingVsVwap.dollars).not.toBeNull();
  });

  it('walk-forward: each day planned from the earlier days only; a human table by default', async () => {
    const j = await run(
      ...acme,
      '--shares',
      '600',
      '--side',
      'sell',
      '--mode',
      'walk-forward',
      '--json',
      ...session,
    );
    const rep = JSON.parse(j.stdout) as ValidationReport;
    expect(rep.folds.map((f) => [f.date, f.planDates])).toEqual([
      ['2025-04-02', ['2025-04-01']],
      ['2025-04-03', ['2025-04-01', '2025-04-02']],
    ]);
    const t = await run(
      ...acme,
      '--shares',
      '600',
      '--side',
      'sell',
      '--mode',
      'walk-forward',
      ...session,
    );
    expect(t.status).toBe(0);
    expect(t.stdout).toMatch(/^Validation of sell 600 shares of ACME on 3 days, walk-forward/);
    expect(t.stdout).toMatch(/saving vs TWAP: .* bps/);
    expect(t.stdout).toMatch(/In sample/);
  });

  it('the recovery half-life makes the replay no cheaper', async () => {
    const args = [...acme, '--shares', '1200', '--side', 'buy', '--json', ...session];
    const a = JSON.parse((await run(...args)).stdout) as ValidationReport;
    const b = JSON.parse(
      (await run(...args, '--recovery-half-life', '600')).stdout,
    ) as ValidationReport;
    expect(b.recoveryHalfLifeSeconds).toBe(600);
    for (let i = 0; i < a.folds.length; i++) {
      for (let k = 0; k < a.folds[i].schedules.length; k++) {
        expect(b.folds[i].schedules[k].realised.dollars).toBeGreaterThanOrEqual(
          a.folds[i].schedules[k].realised.dollars - 1e-9,
        );
      }
    }
  });

  it.each([
    [
      [file('ACME', DATES[0])],
      /^error: DAY\.csv: validation needs at least 2 days of one symbol \(got 1/,
    ],
    [
      [...acme, file('ARL', '2025-04-04')],
      /^error: ARL-2025-04-04-0\.csv: is ARL, ACME-2025-04-01-0\.csv is ACME/,
    ],
    [
      [...acme, file('ACME', '2025-04-01', 1)],
      /^error: ACME-2025-04-01-1\.csv: the date 2025-04-01 is also ACME-2025-04-01-0\.csv/,
    ],
  ])('refuses bad days with one error line: %#', async (files, error) => {
    const r = await run(...files, '--shares', '600', '--side', 'buy', ...session);
    expect(r.status).toBe(2);
    expect(r.errors).toEqual([expect.stringMatching(error)]);
    expect(r.stdout).toBe('');
  });

  it.each([
    [
      ['--mode', 'k-fold'],
      'error: --mode: must be one of leave-one-out, walk-forward (got "k-fold")',
    ],
    [
      ['--model', 'linear'],
      'error: --model: must be one of book, power, calibrated (got "linear")',
    ],
    [
      ['--recovery-half-life=-1'],
      'error: --recovery-half-life: must be 0 or more seconds (got -1)',
    ],
    [
      ['--recovery-half-life', 'soon'],
      'error: --recovery-half-life: must be a number (got "soon")',
    ],
  ])('refuses bad flags naming them: %j', async (flags, error) => {
    const r = await run(...acme, '--shares', '600', '--side', 'buy', ...flags, ...session);
    expect(r.status).toBe(2);
    expect(r.errors).toEqual([error]);
  });
});

describe('replay: in-sample label, symbol check, recovery', () => {
  async function planOf(files: string[]) {
    let stdout = '';
    const status = await runBookPlan(
      [...files, '--shares', '600', '--side', 'buy', '--sampling', 'start', ...session],
      { stdout: (t) => (stdout += t), stderr: () => {} },
    );
    expect(status).toBe(0);
    const path = join(dir, `plan-${files.length}-${status}-${Math.random()}.json`);
    writeFileSync(path, stdout);
    return path;
  }

  it("labels a replay on one of the plan's days in-sample, on another day out of sample; keeps the old fields", async () => {
    const plan = await planOf(acme.slice(0, 2));
    const inside = await run('replay', plan, acme[0], '--json');
    expect(inside.errors).toEqual([]);
    const r = JSON.parse(inside.stdout) as Record<string, unknown>;
    for (const key of [
      'id',
      'symbol',
      'date',
      'fileName',
      'side',
      'periods',
      'arrivalMid',
      'rows',
      'planned',
    ])
      expect(r).toHaveProperty(key);
    expect(r.inSample).toBe(true);
    expect(r.planDates).toEqual(['2025-04-01', '2025-04-02']);
    const outside = await run('replay', plan, acme[2], '--json');
    expect(JSON.parse(outside.stdout).inSample).toBe(false);
    const table = await run('replay', plan, acme[0]);
    expect(table.stdout.split('\n')[0]).toMatch(/IN-SAMPLE: the plan was made from this day$/);
  });

  it("refuses a plan made from another symbol's days", async () => {
    const plan = await planOf([file('ARL', '2025-04-04')]);
    const r = await run('replay', plan, acme[0], '--json');
    expect(r.status).toBe(2);
    expect(r.errors).toEqual([
      "error: ACME-2025-04-01-0.csv: is ACME, the plan is of ARL (made from its data): replay a plan on a day of its own symbol (--allow-other-symbol to replay it anyway, as another symbol's day)",
    ]);
  });

  it('--recovery-half-life: the replay is no cheaper and says so', async () => {
    const plan = await planOf(acme.slice(0, 2));
    const a = JSON.parse((await run('replay', plan, acme[2], '--json')).stdout);
    const b = JSON.parse(
      (await run('replay', plan, acme[2], '--json', '--recovery-half-life', '120')).stdout,
    );
    expect(a.recoveryHalfLifeSeconds).toBe(0);
    expect(b.recoveryHalfLifeSeconds).toBe(120);
    a.rows.forEach((row: { impactCost: number }, i: number) =>
      expect(b.rows[i].impactCost).toBeGreaterThanOrEqual(row.impactCost - 1e-9),
    );
  });
});
