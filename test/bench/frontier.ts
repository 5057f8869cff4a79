/**
 * Frontier benchmark: the whole CLI command `node out/main/cli.js frontier PLAN --csv` on the
 * plan of the reports (390 periods, flat profile, √ impact, 30% a year, one-share lots), timed
 * in a child process: wall, CPU seconds (user + system, since the machine may be shared and
 * wall time then says little) and peak RSS, each beside its target. Today's method is run
 * beside the new one when a build of it is given (`--frontier-baseline=PATH/out/main/cli.js`,
 * e.g. the main branch built elsewhere). Also the frontier's estimate against its limit, the
 * refusal of a frontier beyond it, and a small in-process frontier beside one solve.
 * Needs `npm run build` first; says so plainly when the build is missing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parsePlan, type Plan, type PlanInput } from '../../src-shared/plan';
import { solveLots } from '../../src-shared/solver';
import {
  computeFrontier,
  estimateFrontier,
  FRONTIER_MAX_EVALUATIONS,
} from '../../src-shared/solver/frontier';
import type { BenchSection } from './index';
import { benchPlan, BENCH_CASES } from './solverCases';
import { printColumns } from './table';

const ROOT = resolve(import.meta.dirname ?? __dirname, '../..');
const CLI = join(ROOT, 'out/main/cli.js');

/** The plan of the reports: 390 periods of a 09:30–16:00 session, √ impact, 30% a year. */
function reportPlan(shares: number): PlanInput {
  return {
    name: 'Buy BIG',
    symbol: 'BIG',
    side: 'buy',
    shares,
    lotSize: 1,
    periods: 390,
    referencePrice: 31.5,
    session: { start: '09:30', end: '16:00' },
    impact: { model: 'power', beta: 0.00002, exponent: 0.5 },
    risk: { annualVolatility: 0.3, aversion: 1e-7 },
  };
}

interface Run {
  ok: boolean;
  wallS: number;
  cpuS: number;
  rssMb: number;
  note: string;
}

/**
 * Prints the child's resource usage as its last stderr line when it exits (loaded with
 * --require, so that what is timed is the CLI command itself).
 */
const REPORTER = `process.on('exit', () => { const u = process.resourceUsage(); process.stderr.write('\\n@usage ' + JSON.stringify({ cpuUs: u.userCPUTime + u.systemCPUTime, maxRssKb: u.maxRSS }) + '\\n'); });\n`;

export const frontierBench: BenchSection = {
  name: 'frontier',
  run(args) {
    const dir = mkdtempSync(join(tmpdir(), 'op-bench-frontier-'));
    const reporter = join(dir, 'usage.cjs');
    writeFileSync(reporter, REPORTER);
    const baselineArg = args.find((a) => a.startsWith('--frontier-baseline='));
    const baseline = baselineArg?.slice('--frontier-baseline='.length);

    console.log(
      'The whole CLI command, one child process each; CPU seconds beside wall (the machine is shared with other work, so wall time varies; CPU time is what the method costs).',
    );
    if (!existsSync(CLI)) {
      console.log(
        `  no build at ${CLI}: run \`npm run build\` first (the frontier rows need the CLI)`,
      );
    } else {
      if (baseline && !existsSync(baseline))
        console.log(`  --frontier-baseline: no file at ${baseline}; today's method is not run`);
      const rows: string[][] = [];
      const cases = [
        { shares: 1_000_000, target: { s: 10, mb: 500 } },
        { shares: 200_000, target: null },
      ];
      for (const c of cases) {
        const planPath = join(dir, `big-${c.shares}.json`);
        writeFileSync(planPath, JSON.stringify(reportPlan(c.shares)));
        const runs: [string, Run][] = [['new', runCli(CLI, reporter, planPath)]];
        if (baseline && existsSync(baseline))
          runs.push(['today', runCli(baseline, reporter, planPath)]);
        for (const [method, r] of runs) {
          const met = c.target
            ? r.ok && r.wallS <= c.target.s && r.rssMb <= c.target.mb
              ? 'yes'
              : 'NO'
            : '—';
          rows.push([
            `frontier, 25 points, N=390, ${c.shares.toLocaleString('en-US')} shares, lot 1, flat`,
            method,
            r.ok ? `${r.wallS.toFixed(2)} s` : r.note,
            `${r.cpuS.toFixed(2)} s`,
            `${r.rssMb.toFixed(0)} MB`,
            c.target ? `≤ ${c.target.s} s, ≤ ${c.target.mb} MB` : '—',
            met,
          ]);
        }
      }
      printColumns(['case', 'method', 'wall', 'CPU', 'peak RSS', 'target', 'met'], rows);
      if (!baseline)
        console.log(
          "  today's method (main before the warm start; the issue's figures on a quiet machine): 112–116 s, 900 MB at 1,000,000 shares; pass --frontier-baseline=PATH/out/main/cli.js to run it here",
        );
    }

    // The estimate before the frontier starts, and a frontier beyond the limit refused at once.
    for (const shares of [1_000_000, 10_000_000]) {
      const plan = parsed(reportPlan(shares));
      const estimate = estimateFrontier(plan, 25);
      const t0 = performance.now();
      let outcome = 'accepted';
      if (estimate > FRONTIER_MAX_EVALUATIONS) {
        try {
          computeFrontier(plan, { points: 25 });
        } catch (e) {
          outcome = `refused in ${(performance.now() - t0).toFixed(0)} ms: ${(e as Error).message.slice(0, 80)}…`;
        }
      }
      console.log(
        `  estimate, ${shares.toLocaleString('en-US')} shares: ${estimate.toExponential(2)} of the limit ${FRONTIER_MAX_EVALUATIONS.toExponential(1)} (about 1 ns a unit); ${outcome}`,
      );
    }
    smallFrontier();
  },
};

/** A 25-point frontier at N = 390, M = 10^4 in-process (target ≤ 1 s), beside one solve. */
function smallFrontier(): void {
  const c = BENCH_CASES.find((x) => x.id === 'risk-100k')!;
  const plan = { ...benchPlan(c), shares: 10_000 * 100 };
  const t0 = performance.now();
  computeFrontier(plan, { points: 25 });
  const frontierMs = performance.now() - t0;
  const t1 = performance.now();
  solveLots(plan);
  const solveMs = performance.now() - t1;
  console.log(
    `  frontier in-process, 25 points, N=390, M=10,000: ${frontierMs.toFixed(0)} ms (target ≤ 1 s: ${frontierMs <= 1000 ? 'yes' : 'NO'}); one risk-aware solve ${solveMs.toFixed(0)} ms`,
  );
}

function runCli(cli: string, reporter: string, planPath: string): Run {
  const t0 = performance.now();
  const r = spawnSync(
    process.execPath,
    ['--require', reporter, cli, 'frontier', planPath, '--csv'],
    {
      encoding: 'utf8',
      maxBuffer: 1 << 26,
    },
  );
  const wallS = (performance.now() - t0) / 1000;
  const line = (r.stderr ?? '').split('\n').find((l) => l.startsWith('@usage '));
  const usage = line
    ? (JSON.parse(line.slice(7)) as { cpuUs: number; maxRssKb: number })
    : { cpuUs: NaN, maxRssKb: NaN };
  const err = (r.stderr ?? '').replace(/\n?@usage .*\n?/, '').trim();
  const points = (r.stdout ?? '').trim().split('\n').length - 1;
  return {
    ok: r.status === 0,
    wallS,
    cpuS: usage.cpuUs / 1e6,
    rssMb: (usage.maxRssKb * 1024) / 1e6,
    note: r.status === 0 ? `${points} points` : `exit ${r.status}: ${err.slice(0, 60)}…`,
  };
}

function parsed(input: PlanInput): Plan {
  const r = parsePlan(input);
  if (!r.ok) throw new Error(r.errors.join('; '));
  return r.value;
}
