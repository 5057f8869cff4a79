/**
 * `frontier` CLI tests: in-process through the command table (like cli.test.ts), one spawned
 * run of the real entry point. The plans are written to a temporary folder.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import Papa from 'papaparse';
import type { PlanInput } from '@shared/plan';
import { runCli, type Command } from './commands';
import { FRONTIER_CSV_COLUMNS, frontierCommand, type FrontierPointOut } from './frontier';
import { solveCommand } from './solve';

const ROOT = resolve(import.meta.dirname, '../..');
const COMMANDS: Command[] = [solveCommand, frontierCommand];
const dir = mkdtempSync(join(tmpdir(), 'op-cli-frontier-'));

/** 10,000 shares in lots of 100 over 10 periods, square-root law, σ = $0.05 a period. */
const RISKY: PlanInput = {
  name: 'Risky',
  symbol: 'FROG',
  side: 'buy',
  shares: 10_000,
  lotSize: 100,
  periods: 10,
  referencePrice: 20,
  impact: { model: 'power', beta: 2e-4, exponent: 0.5 },
  risk: { volatility: 0.05 },
};

function planFile(name: string, plan: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(plan));
  return path;
}

async function run(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const status = await runCli(argv, COMMANDS, {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
  });
  return { status, stdout, stderr };
}

/** Relative slack for "non-decreasing" comparisons of floating-point sums. */
const SLACK = 1e-9;

describe('cli frontier (in-process)', () => {
  const risky = planFile('risky.json', RISKY);

  it('prints K points as JSON: λ rising from 0, cost rising and risk falling', async () => {
    const r = await run('frontier', risky, '--points', '9');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const points = JSON.parse(r.stdout) as FrontierPointOut[];
    expect(points).toHaveLength(9);
    for (const p of points) {
      expect(Object.keys(p)).toEqual(['aversion', 'expectedCost', 'timingRiskSd', 'schedule']);
      expect(p.schedule).toHaveLength(10);
      expect(p.schedule.reduce((a, b) => a + b, 0)).toBe(10_000);
      expect(p.schedule.every((s) => Number.isInteger(s) && s >= 0 && s % 100 === 0)).toBe(true);
    }
    expect(points[0].aversion).toBe(0);
    for (let i = 1; i < points.length; i++) {
      const [a, b] = [points[i - 1], points[i]];
      expect(b.aversion).toBeGreaterThan(a.aversion);
      expect(b.expectedCost).toBeGreaterThanOrEqual(a.expectedCost * (1 - SLACK));
      expect(b.timingRiskSd).toBeLessThanOrEqual(a.timingRiskSd * (1 + SLACK) + 1e-12);
    }
    // The ends differ: risk-neutral spreads the order out, the most risk-averse trades fast.
    expect(points.at(-1)!.expectedCost).toBeGreaterThan(points[0].expectedCost);
    expect(points.at(-1)!.timingRiskSd).toBeLessThan(points[0].timingRiskSd);
  });

  it('defaults to 25 points; --csv prints aversion,expected_cost,timing_risk_sd per point', async () => {
    const json = JSON.parse((await run('frontier', risky)).stdout) as FrontierPointOut[];
    expect(json).toHaveLength(25);
    const r = await run('frontier', risky, '--csv', '--points', '5');
    expect(r.status).toBe(0);
    const parsed = Papa.parse<string[]>(r.stdout.trim());
    expect(parsed.errors).toEqual([]);
    expect(parsed.data[0]).toEqual([...FRONTIER_CSV_COLUMNS]);
    expect(parsed.data[0]).toEqual(['aversion', 'expected_cost', 'timing_risk_sd']);
    expect(parsed.data).toHaveLength(6);
    const five = JSON.parse((await run('frontier', risky, '--points', '5')).stdout);
    parsed.data.slice(1).forEach((row, i) => {
      expect(Number(row[0])).toBeCloseTo(five[i].aversion, 9);
      expect(Number(row[1])).toBeCloseTo(five[i].expectedCost, 9);
      expect(Number(row[2])).toBeCloseTo(five[i].timingRiskSd, 9);
    });
  });

  it.each(['2', '61', '3.5', 'ten', '', '-4', '1e1'])(
    '--points %j exits 2 with one error line naming the option',
    async (value) => {
      const r = await run('frontier', risky, `--points=${value}`);
      expect(r.status).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^error: --points: must be a whole number from 3 to 60 \(got /);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    },
  );

  it('bad plans exit 2 with one error line naming the field', async () => {
    const cases: [string, RegExp][] = [
      [
        planFile('no-risk.json', { ...RISKY, risk: undefined }),
        /^error: risk: the efficient frontier needs a risk object/,
      ],
      [planFile('still.json', { ...RISKY, risk: { volatility: 0 } }), /^error: risk\.volatility: /],
      [
        planFile('bad-risk.json', { ...RISKY, risk: { aversion: 1 } }),
        /^error: risk\.volatility: is required/,
      ],
      [
        planFile('bad-lot.json', { ...RISKY, shares: 10_050 }),
        /^error: shares: must be a multiple of lotSize 100/,
      ],
      [join(dir, 'missing.json'), /^error: .*missing\.json: no such file\n$/],
    ];
    for (const [file, message] of cases) {
      const r = await run('frontier', file);
      expect(r.status, file).toBe(2);
      expect(r.stdout, file).toBe('');
      expect(r.stderr, file).toMatch(message);
      expect(r.stderr.trim().split('\n'), file).toHaveLength(1);
    }
  });

  it('usage errors and help: missing file, extra file, unknown flag; listed in --help', async () => {
    expect((await run('frontier')).stderr).toMatch(/^error: PLAN\.json: the plan file is required/);
    expect((await run('frontier', 'a.json', 'b.json')).stderr).toBe(
      'error: PLAN.json: expected one plan file, got 2\n',
    );
    expect((await run('frontier', risky, '--curve')).stderr).toMatch(
      /^error: Unknown option '--curve'.*\(usage: frontier PLAN\.json \[--points K\] \[--csv\]\)\n$/,
    );
    expect((await run('frontier', risky, '--points')).stderr).toMatch(/^error: Option '--points/);
    const help = await run('--help');
    expect(help.stdout).toMatch(/frontier PLAN\.json \[--points K\] \[--csv\]/);
    expect((await run('frontier', '--help')).stdout).toMatch(
      /^Usage: npm run --silent cli -- frontier PLAN\.json \[--points K\] \[--csv\]\n.*efficient frontier/,
    );
  });
});

describe('cli frontier (process)', () => {
  it('is registered in the real entry point: --help lists it, and it prints JSON', () => {
    const env = { ...process.env, TSX_TSCONFIG_PATH: join(ROOT, 'tsconfig.node.json') };
    const spawn = (...argv: string[]) =>
      spawnSync(process.execPath, ['--import', 'tsx', 'src-main/cli/index.ts', ...argv], {
        cwd: ROOT,
        encoding: 'utf8',
        env,
        timeout: 60_000,
      });
    expect(spawn('--help').stdout).toMatch(/frontier PLAN\.json \[--points K\] \[--csv\]/);
    const r = spawn('frontier', planFile('spawned.json', RISKY), '--points', '3');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toHaveLength(3);
    const bad = spawn('frontier', planFile('spawned.json', RISKY), '--points', '0');
    expect(bad.status).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toBe('error: --points: must be a whole number from 3 to 60 (got "0")\n');
  });
});
