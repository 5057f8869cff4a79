/**
 * CLI tests. Most cases run the command table in-process (fast); a few spawn the real entry
 * point as a child process to check stdout, the exit status and that nothing but one
 * `error:` line reaches stderr. The child runs the TypeScript source through tsx (like
 * src-main/testing/forkTs.ts), so the tests never depend on a stale or concurrent `npm run
 * build`; the built out/main/cli.js is the same code bundled, exercised by hand and by .ci/run.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import Papa from 'papaparse';
import { SolveResultSchema } from '@shared/result';
import { SCHEDULE_CSV_COLUMNS } from '@shared/csv';
import { MAX_PLAN_FILE_BYTES } from '@shared/planFile';
import { CliError, reportError, runCli, sharesFlag, type Command } from './commands';
import { frontierCommand } from './frontier';
import { CURVE_CSV_COLUMNS, solveCommand } from './solve';

const ROOT = resolve(import.meta.dirname, '../..');
const PLANS = join(ROOT, 'test/fixtures/plans');
const COMMANDS: Command[] = [solveCommand];

async function run(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const status = await runCli(argv, COMMANDS, {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
  });
  return { status, stdout, stderr };
}

function spawnCli(...argv: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src-main/cli/index.ts', ...argv], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, TSX_TSCONFIG_PATH: join(ROOT, 'tsconfig.node.json') },
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('cli solve (in-process)', () => {
  it('prints the SolveResult JSON for the square-root-law plan', async () => {
    const r = await run('solve', join(PLANS, 'sqrt-ushape-390.json'));
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    const result = SolveResultSchema.parse(JSON.parse(r.stdout));
    expect(result.schedule).toHaveLength(390);
    expect(result.schedule[0]).toMatchObject({ period: 1, start: '09:30', end: '09:31' });
    expect(result.schedule.reduce((a, s) => a + s.shares, 0)).toBe(100_000);
    expect(result.solver).toMatchObject({ method: 'convex', gridSize: 1000, certified: true });
    expect(result.baselines.vwap).toBeDefined();
    expect(result.totalCostBps).not.toBeNull();
  });

  it('solve JSON always carries warnings: [] for a clean plan, the list for a warned one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'op-cli-warnings-'));
    const clean = join(dir, 'clean.json');
    writeFileSync(
      clean,
      JSON.stringify({
        name: 'clean',
        symbol: 'FROG',
        side: 'buy',
        shares: 1000,
        periods: 10,
        referencePrice: 20,
        volumeProfile: Array(10).fill(10_000),
        impact: { model: 'calibrated', sigma: 0.4, spread: 0.02 },
      }),
    );
    const r = await run('solve', clean);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toHaveProperty('warnings', []);
    const warned = JSON.parse((await run('solve', join(PLANS, 'linear-10.json'))).stdout) as {
      warnings: { code: string; message: string }[];
    };
    expect(warned.warnings.map((w) => w.code)).toEqual(['not-calibrated']);
  });

  it('solves the linear, book and non-convex table fixtures with the right method', async () => {
    for (const [file, method] of [
      ['linear-10.json', 'convex'],
      ['book-5.json', 'convex'],
      ['table-nonconvex-12.json', 'engine'],
    ]) {
      const r = await run('solve', join(PLANS, file));
      expect(r.status, file).toBe(0);
      expect(JSON.parse(r.stdout).solver.method, file).toBe(method);
    }
  });

  it('solves a huge convex plan (2·10^9 shares, lot 1)', async () => {
    const r = await run('solve', join(PLANS, 'huge-convex-2e9.json'));
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).solver).toMatchObject({
      method: 'convex',
      gridSize: 2e9,
      certified: true,
    });
  });

  it('--csv prints the schedule as CSV: header block, dated times, rounded, a total row', async () => {
    const r = await run('solve', join(PLANS, 'linear-10.json'), '--csv', '--date', '2025-03-07');
    expect(r.status).toBe(0);
    // The plan's warnings, the plan and its totals come first as `#` lines; papaparse skips them.
    expect(r.stdout).toMatch(
      /^# warning: The cost model is a raw linear impact[^\n]*\n# plan: Sell TOAD \(linear\)\n# symbol: TOAD\n# side: sell\n/,
    );
    expect(r.stdout).toContain('# date: 2025-03-07\n# time zone: America/New_York\n');
    const rows = Papa.parse<string[]>(r.stdout.trim(), { comments: '#' }).data;
    expect(rows[0].slice(0, SCHEDULE_CSV_COLUMNS.length)).toEqual([...SCHEDULE_CSV_COLUMNS]);
    expect(rows).toHaveLength(12);
    expect(rows[1][1]).toBe('2025-03-07T09:30:00-05:00');
    expect(rows[10][4]).toBe('5000');
    expect(rows[10][6]).toBe('100');
    expect(rows[11].slice(0, 4)).toEqual([
      'total',
      '2025-03-07T09:30:00-05:00',
      '2025-03-07T10:00:00-05:00',
      '5000',
    ]);
    // Rounded: at most 4 decimals for the impact per share.
    expect(rows[1][7]).toMatch(/^\d+(\.\d{1,4})?$/);
  });

  it('--csv --raw keeps full precision; --raw or --date without --csv is refused', async () => {
    const raw = await run(
      'solve',
      join(PLANS, 'linear-10.json'),
      '--csv',
      '--raw',
      '--date',
      '2025-03-07',
    );
    expect(raw.stdout).toContain('# precision: full (12 significant digits)\n');
    const rows = Papa.parse<string[]>(raw.stdout.trim(), { comments: '#' }).data;
    // beta 1e-6 × 500 shares × profile 1.5: 0.00075 per share, beyond 4 decimals.
    expect(rows.slice(1, 11).some((row) => /\.\d{5,}/.test(row[7]))).toBe(true);
    expect((await run('solve', join(PLANS, 'linear-10.json'), '--raw')).stderr).toMatch(
      /^error: --raw: applies to the schedule CSV only/,
    );
    expect(
      (await run('solve', join(PLANS, 'linear-10.json'), '--csv', '--date', '2025-02-30')).stderr,
    ).toMatch(/^error: --date: must be a day YYYY-MM-DD/);
  });

  it('--date on a weekend, a holiday or past an early close exits 2 with one error line', async () => {
    const csvOn = (file: string, date: string) =>
      run('solve', join(PLANS, file), '--csv', '--date', date);
    const holiday = await csvOn('linear-10.json', '2026-12-25');
    expect(holiday.status).toBe(2);
    expect(holiday.stdout).toBe('');
    expect(holiday.stderr).toBe('error: --date: 2026-12-25 is a market holiday (Christmas Day)\n');
    const saturday = await csvOn('linear-10.json', '2026-12-05');
    expect(saturday.status).toBe(2);
    expect(saturday.stderr).toBe('error: --date: 2026-12-05 is a Saturday\n');
    // The day after Thanksgiving closes at 13:00: a 09:30–16:00 session runs past it, a
    // 09:30–10:00 one does not.
    const late = await csvOn('sqrt-ushape-390.json', '2026-11-27');
    expect(late.status).toBe(2);
    expect(late.stderr).toMatch(
      /^error: --date: 2026-11-27 is an early close: the exchange closes at 13:00 New York time and the session runs to 16:00; [^\n]*\n$/,
    );
    const early = await csvOn('linear-10.json', '2026-11-27');
    expect(early.status).toBe(0);
    expect(early.stdout).toContain('# date: 2026-11-27\n');
  });

  it('prints the schedule metrics of the optimum and of every baseline for a plan with risk', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'op-cli-'));
    const plan = join(dir, 'risky.json');
    writeFileSync(
      plan,
      JSON.stringify({
        name: 'Risky',
        symbol: 'FROG',
        side: 'buy',
        shares: 10_000,
        lotSize: 100,
        periods: 10,
        referencePrice: 20,
        volumeProfile: [9, 8, 7, 6, 5, 5, 6, 7, 8, 9].map((v) => v * 1000),
        impact: { model: 'power', beta: 2e-4, exponent: 0.5 },
        permanentImpact: 1e-6,
        risk: { volatility: 0.05, aversion: 0.0005 },
      }),
    );
    const r = await run('solve', plan);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const raw = JSON.parse(r.stdout);
    const result = SolveResultSchema.parse(raw);
    const keys = ['expectedCost', 'permanentCost', 'timingRiskSd', 'objective', 'upper95'];
    expect(Object.keys(raw.metrics)).toEqual(expect.arrayContaining(keys));
    const m = result.metrics!;
    expect(m.timingRiskSd).toBeGreaterThan(0);
    expect(m.permanentCost).toBeGreaterThan(0);
    expect(m.objective).toBeCloseTo(m.expectedCost + 0.0005 * m.timingRiskSd ** 2, 6);
    expect(result.aversion).toBe(0.0005);
    for (const name of ['naive', 'aggressive', 'conservative', 'vwap'] as const) {
      const baseline = result.baselines[name];
      expect(baseline, name).toBeDefined();
      expect(Object.keys(raw.baselines[name].metrics), name).toEqual(expect.arrayContaining(keys));
      // The optimum minimises E + λ·Var: no baseline does better.
      expect(baseline!.metrics!.objective, name).toBeGreaterThanOrEqual(m.objective * (1 - 1e-9));
    }
    // Each row says what is left and its share of the variance.
    expect(result.schedule.at(-1)!.remaining).toBe(0);
    expect(result.schedule.every((row) => row.riskVariance !== undefined)).toBe(true);
  });

  it('--curve prints the cost by order size as CSV: every lot count 0..M, $ and bps', async () => {
    // linear-10: 5,000 shares in lots of 100 (M = 50), reference price 12.25.
    const r = await run('solve', join(PLANS, 'linear-10.json'), '--curve');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const rows = Papa.parse<string[]>(r.stdout.trim()).data;
    expect(rows[0]).toEqual([...CURVE_CSV_COLUMNS]);
    expect(rows[0]).toEqual(['shares', 'cost', 'cost_bps']);
    const body = rows.slice(1).map((row) => row.map(Number));
    expect(body.map((row) => row[0])).toEqual(Array.from({ length: 51 }, (_, i) => i * 100));
    expect(body[0][1]).toBe(0);
    // Each size solved optimally: costs never fall as the order grows, and the whole order
    // costs what the plain solve says.
    for (let i = 1; i < body.length; i++) expect(body[i][1]).toBeGreaterThanOrEqual(body[i - 1][1]);
    const full = SolveResultSchema.parse(
      JSON.parse((await run('solve', join(PLANS, 'linear-10.json'))).stdout),
    );
    expect(body[50][1]).toBeCloseTo(full.totalCost, 9);
    expect(body[50][2]).toBeCloseTo(full.totalCostBps!, 6);
    expect(body[10][2]).toBeCloseTo((body[10][1] / (1000 * 12.25)) * 1e4, 6);
  });

  it('--curve gives every lot count of a convex plan too (1,000 lots: 1,001 rows)', async () => {
    const r = await run('solve', join(PLANS, 'sqrt-ushape-390.json'), '--curve');
    expect(r.status).toBe(0);
    const rows = r.stdout
      .trimEnd()
      .split('\n')
      .slice(1)
      .map((l) => l.split(',').map(Number));
    expect(rows.map((row) => row[0])).toEqual(Array.from({ length: 1001 }, (_, i) => i * 100));
    const full = JSON.parse((await run('solve', join(PLANS, 'sqrt-ushape-390.json'))).stdout);
    expect(rows[1000][1]).toBeCloseTo(full.totalCost, 9);
  });

  it('--curve on a grid too large for the DP table exits 2 and says why', async () => {
    const r = await run('solve', join(PLANS, 'huge-convex-2e9.json'), '--curve');
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error: shares: the exact DP on 390 periods × 2,000,000,001 lot/);
    expect(r.stderr).toMatch(
      /\(--curve prints every lot count, which needs the DP engine's table\)\n$/,
    );
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('--curve leaves cost_bps empty without a reference price', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'op-cli-'));
    const plan = join(dir, 'no-price.json');
    writeFileSync(
      plan,
      JSON.stringify({
        name: 'n',
        symbol: 'X',
        side: 'buy',
        shares: 300,
        lotSize: 100,
        periods: 2,
        impact: { model: 'linear', beta: 0.0001 },
      }),
    );
    const r = await run('solve', plan, '--curve');
    expect(r.status).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('shares,cost,cost_bps');
    expect(lines).toHaveLength(5);
    // 100 shares: one lot in one period, β·100² = 1; 200: one lot in each, 2; 300: 1+1+3 = 5.
    expect(lines.slice(1)).toEqual(['0,0,', '100,1,', '200,2,', '300,5,']);
  });

  it('--curve with --csv exits 2 with one error line naming the option', async () => {
    const r = await run('solve', join(PLANS, 'linear-10.json'), '--curve', '--csv');
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error: --curve: cannot be combined with --csv/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it.each([
    ['bad-malformed.txt', /^error: \S+bad-malformed\.txt: malformed JSON \(.+\)\n$/],
    ['bad-lot.json', /^error: shares: must be a multiple of lotSize 100 \(got 1050\)\n$/],
    [
      'bad-profile-length.json',
      /^error: impact\.profile: must have one profile value per period: expected 5, got 3\n$/,
    ],
    ['bad-decreasing-curve.json', /^error: impact\.curves\[1\]\[2\]\[0\]: shares must increase/],
    [
      'bad-infeasible-caps.json',
      /^error: maxPerPeriod: caps allow at most 90,000 shares, fewer than shares 100,000\n$/,
    ],
    [
      'bad-too-large.json',
      /^error: shares: the exact DP on 390 periods × 2,000,000,001 lot counts needs [\d.]+ [GT]iB of memory/,
    ],
    ['no-such-plan.json', /^error: .*no-such-plan\.json: no such file\n$/],
  ])('%s exits 2 with one error line naming the field', async (file, message) => {
    const r = await run('solve', join(PLANS, file));
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('reports a negative and a too-large number by field', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'op-cli-'));
    const base = { name: 'n', symbol: 'X', side: 'buy', shares: 1000, lotSize: 100, periods: 2 };
    const neg = join(dir, 'neg.json');
    writeFileSync(neg, JSON.stringify({ ...base, impact: { model: 'linear', beta: -1 } }));
    expect((await run('solve', neg)).stderr).toBe('error: impact.beta: must not be negative\n');
    const inf = join(dir, 'inf.json');
    writeFileSync(
      inf,
      JSON.stringify({ ...base, referencePrice: '1e999' }).replace('"1e999"', '1e999'),
    );
    expect((await run('solve', inf)).stderr).toMatch(
      /^error: referencePrice: is too large \(reference price\): beyond the largest number the arithmetic can carry \(about 1\.8e308\)[;\n]/,
    );
  });

  it('usage errors: missing file, extra file, unknown flag, unknown command; --help', async () => {
    expect(await run('solve')).toMatchObject({
      status: 2,
      stderr: expect.stringMatching(/^error: PLAN\.json: the plan file is required/),
    });
    expect((await run('solve', 'a.json', 'b.json')).stderr).toBe(
      'error: PLAN.json: expected one plan file, got 2\n',
    );
    expect((await run('solve', 'a.json', '--cvs')).stderr).toMatch(
      /^error: Unknown option '--cvs'.*\(usage: solve PLAN\.json \[--csv \[--raw\] \[--date YYYY-MM-DD\] \| --curve\]\)\n$/,
    );
    expect((await run('frobnicate')).stderr).toMatch(
      /^error: unknown command "frobnicate" \(commands: solve;/,
    );
    const help = await run('--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(
      /solve PLAN\.json \[--csv \[--raw\] \[--date YYYY-MM-DD\] \| --curve\]/,
    );
    expect(help.stdout).toMatch(/--curve: shares,cost,cost_bps for every lot count/);
    const solveHelp = (await run('solve', '--help')).stdout;
    expect(solveHelp).toMatch(
      /^Usage: npm run --silent cli -- solve PLAN\.json \[--csv \[--raw\] \[--date YYYY-MM-DD\] \| --curve\]/,
    );
    expect(solveHelp).toMatch(/cost by order size as CSV/);
  });
});

describe('cli process', () => {
  it('solve prints JSON and exits 0', () => {
    const r = spawnCli('solve', join(PLANS, 'book-5.json'));
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(SolveResultSchema.parse(JSON.parse(r.stdout)).schedule).toHaveLength(5);
  });

  it('bad input exits 2 with exactly one error line and no stack trace', () => {
    const r = spawnCli('solve', join(PLANS, 'bad-infeasible-caps.json'));
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      'error: maxPerPeriod: caps allow at most 90,000 shares, fewer than shares 100,000\n',
    );
  });
});

describe('cli plan files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'op-cli-files-'));
  const small = {
    name: 'n',
    symbol: 'X',
    side: 'buy',
    shares: 300,
    lotSize: 100,
    periods: 2,
    impact: { model: 'linear', beta: 0.0001 },
  };
  const planText = JSON.stringify(small);
  const write = (name: string, content: string | Buffer) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };
  const runAll = (...argv: string[]) =>
    runCli(argv, [solveCommand, frontierCommand], {
      stdout: () => {},
      stderr: (t) => errors.push(t),
    });
  let errors: string[] = [];

  it('plan-file-size-unbounded: a file past 50 MB is refused by the bytes read', async () => {
    // Valid JSON padded with spaces: without the limit it would be read and solved.
    const over = write(
      'over.json',
      planText + ' '.repeat(MAX_PLAN_FILE_BYTES + 1 - planText.length),
    );
    const r = await run('solve', over);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `error: ${over}: is larger than 50 MB (50,000,000 bytes), the most a plan file may be\n`,
    );
    // Exactly the limit is still a plan file.
    const at = write('at.json', planText + ' '.repeat(MAX_PLAN_FILE_BYTES - planText.length));
    expect((await run('solve', at)).status).toBe(0);
  });

  it.skipIf(!existsSync('/dev/zero'))(
    'plan-file-size-unbounded: /dev/zero (size 0, endless) is refused after 50 MB, solve and frontier',
    async () => {
      expect(statSync('/dev/zero').size).toBe(0);
      errors = [];
      expect(await runAll('solve', '/dev/zero')).toBe(2);
      expect(await runAll('frontier', '/dev/zero')).toBe(2);
      expect(errors).toEqual([
        'error: /dev/zero: is larger than 50 MB (50,000,000 bytes), the most a plan file may be\n',
        'error: /dev/zero: is larger than 50 MB (50,000,000 bytes), the most a plan file may be\n',
      ]);
    },
  );

  it('plan-file-format: "format": 1 is solved; format 2 is refused as written by a newer version', async () => {
    const v1 = write('v1.json', JSON.stringify({ format: 1, ...small }));
    expect((await run('solve', v1)).status).toBe(0);
    const v2 = write('v2.json', JSON.stringify({ format: 2, ...small }));
    const r = await run('solve', v2);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      'error: format: this plan file is format 2, written by a newer version of Order Planner; this version reads format 1\n',
    );
    const half = write('half.json', JSON.stringify({ format: 1.5, ...small }));
    expect((await run('solve', half)).stderr).toBe(
      "error: format: must be a whole number, the plan file's format version (got 1.5)\n",
    );
  });

  it('duplicate-keys: a key given twice is refused with its path, not the last one kept', async () => {
    const twice = write(
      'twice.json',
      planText.replace(/\}$/, ', "maxPerPeriod": 600, "maxPerPeriod": 1000000}'),
    );
    const r = await run('solve', twice);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`error: ${twice}: maxPerPeriod: appears twice in the file\n`);
    const nested = write('nested.json', planText.replace('"beta":', '"beta": 5, "beta":'));
    expect((await run('solve', nested)).stderr).toBe(
      `error: ${nested}: impact.beta: appears twice in the file\n`,
    );
  });

  it('utf16-plan-file: a UTF-16 plan file is named as such, not as malformed JSON', async () => {
    const bom = Buffer.from([0xff, 0xfe]);
    for (const [name, bytes] of [
      ['le-bom.json', Buffer.concat([bom, Buffer.from(planText, 'utf16le')])],
      ['be-bom.json', Buffer.concat([bom, Buffer.from(planText, 'utf16le')]).swap16()],
      ['le.json', Buffer.from(planText, 'utf16le')],
    ] as const) {
      const path = write(name, bytes);
      const r = await run('solve', path);
      expect(r.status, name).toBe(2);
      expect(r.stderr, name).toBe(`error: ${path}: the file is UTF-16 text; save it as UTF-8\n`);
    }
  });

  it('cli-error-control-characters: escape sequences from a file never reach the terminal', async () => {
    // A raw ESC outside a string (quoted back by JSON.parse's message), a DEL and C1 control
    // in an unknown field's name (JSON.stringify leaves those raw).
    const raw = write('escape.json', '{"name": \u001b[2J\u001b]0;owned\u0007}');
    const r = await run('solve', raw);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      /^error: \S+escape\.json: malformed JSON \(Unexpected token '\\u001b'/,
    );
    expect(r.stderr.slice(0, -1)).not.toMatch(/\p{Cc}/u);
    const field = write('field.json', JSON.stringify({ ...small, 'x\u007f\u009b2J': 1 }));
    expect((await run('solve', field)).stderr).toBe(
      'error: (plan): unknown field "x\\u007f\\u009b2J" (not part of the plan format; check the spelling)\n',
    );
  });

  it('cli-error-control-characters: the error reporter escapes C0, DEL and C1 in any message', () => {
    let stderr = '';
    const io = { stdout: () => {}, stderr: (t: string) => (stderr += t) };
    expect(reportError(new CliError('a\u001b[31mb\tc\rd\u007fe\u009bf\nnext line'), io)).toBe(2);
    expect(stderr).toBe('error: a\\u001b[31mb\\u0009c\\u000dd\\u007fe\\u009bf next line\n');
    stderr = '';
    expect(reportError(new Error('\u0007bell'), io)).toBe(1);
    expect(stderr).toBe('error: unexpected: \\u0007bell\n');
  });
});

describe('--shares as a trader types it', () => {
  it('reads "200,000", "200k" and "1.5m" as the window does, and refuses "2mm"', () => {
    expect(sharesFlag('shares', '200,000')).toBe(200_000);
    expect(sharesFlag('shares', '200k')).toBe(200_000);
    expect(sharesFlag('shares', '1.5m')).toBe(1_500_000);
    expect(sharesFlag('shares', undefined)).toBeUndefined();
    expect(() => sharesFlag('shares', '2mm')).toThrow(/^--shares: "2mm" is not a number of shares/);
    expect(() => sharesFlag('shares', 'lots')).toThrow(
      '--shares: must be a number of shares such as 200,000, 200k or 1.5m (got "lots")',
    );
  });
});
