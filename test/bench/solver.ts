/**
 * Solver benchmark: the DP engine and the Lagrange method on the cases of the engine's
 * targets, in one run, on the same instances. Where the old general DP (kept as the test
 * oracle, src-shared/testing/oldDp.ts) can finish, its time is printed beside the engine's
 * and both optimal costs are compared. Peak RSS is measured in a child process per case
 * (solverChild.ts), so that one case's memory does not hide another's.
 * `--quick` skips the old DP beyond M = 2,000 and the seed DP.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { buildImpactGrid } from '../../src-shared/impact';
import { estimatePlan, solveLots } from '../../src-shared/solver';
import { DEFAULT_MAX_EVALUATIONS, DEFAULT_MEMORY_BUDGET } from '../../src-shared/solver/limits';
import { PlannerError } from '../../src-shared/contract';
import type { Plan } from '../../src-shared/plan';
import { solveDp } from '../../src-shared/testing/oldDp';
import type { BenchSection } from './index';
import { benchPlan, type BenchCase, BENCH_CASES } from './solverCases';
import { cliRows } from './solverCli';
import { printColumns } from './table';

interface Row {
  c: BenchCase;
  M: number;
  method: string;
  ms: number;
  evaluations?: number;
  summary?: string;
  oldMs?: number;
  same?: boolean;
  rssMb?: number;
}

export const solverBench: BenchSection = {
  name: 'solver',
  run(args) {
    const quick = args.includes('--quick');
    const rows: Row[] = [];
    for (const c of BENCH_CASES) {
      const row = measure(c, quick);
      rows.push(row);
      console.log(
        `  ${c.name}, N=${c.n.toLocaleString('en-US')}, M=${row.M.toLocaleString('en-US')}: ` +
          `${fmt(row.ms)} ms (${row.method})` +
          (row.oldMs !== undefined ? `, old DP ${fmt(row.oldMs)} ms` : ''),
      );
    }
    console.log('');
    printTable(rows);
    cliRows(quick);
    longestAcceptedBench();
    console.log('\nwork:');
    for (const r of rows) if (r.summary) console.log(`  ${r.c.name} (M=${r.M}): ${r.summary}`);
  },
};

/**
 * The longest solves the work estimate accepts: for each kind of engine path, the largest
 * order (lots doubling from 10^4 at N = 390) whose sure estimate fits the default limit,
 * solved and timed. Permanent impact's scans are held to the limit as they run: the time is
 * until the result or the refusal.
 */
function longestAcceptedBench(): void {
  const c = BENCH_CASES.find((x) => x.id === 'risk-100k')!;
  const base = benchPlan(c);
  const kinds: { name: string; plan: (lots: number) => Plan; band?: boolean }[] = [
    {
      name: 'timing risk, no band (full grid)',
      plan: (lots) => ({ ...base, shares: lots * 100 }),
      band: false,
    },
    {
      name: 'fee + square-root law',
      plan: (lots) => ({ ...benchPlan(BENCH_CASES[0]), shares: lots * 100 }),
    },
    {
      name: 'permanent impact γ = 1e-8 (scans)',
      plan: (lots) => ({ ...base, shares: lots * 100, risk: undefined, permanentImpact: 1e-8 }),
    },
  ];
  console.log(`
longest solves accepted by the estimate (limit ${DEFAULT_MAX_EVALUATIONS.toExponential(1)}):`);
  let longest = 0;
  for (const k of kinds) {
    let lots = 10_000;
    let accepted = 0;
    for (; lots <= 1e8; lots *= 2) {
      const e = estimatePlan(k.plan(lots));
      if (e.evaluations - e.scanEvaluations > DEFAULT_MAX_EVALUATIONS) break;
      if (e.bytes > DEFAULT_MEMORY_BUDGET) break;
      accepted = lots;
    }
    if (accepted === 0) continue;
    const plan = k.plan(accepted);
    const est = estimatePlan(plan);
    const t0 = performance.now();
    let outcome: string;
    try {
      const sol = solveLots(plan, { band: k.band });
      outcome = `solved, ${sol.work!.evaluations.toExponential(2)} evaluations counted`;
    } catch (e) {
      outcome = e instanceof PlannerError ? `${e.code}: ${e.message.slice(0, 90)}…` : String(e);
    }
    const ms = performance.now() - t0;
    longest = Math.max(longest, ms);
    console.log(
      `  ${k.name}, N=390, M=${accepted.toLocaleString('en-US')}: estimate ${est.evaluations.toExponential(2)} (sure part ${(est.evaluations - est.scanEvaluations).toExponential(2)}), ${fmt(ms)} ms; ${outcome}`,
    );
  }
  console.log(`  longest: ${fmt(longest)} ms`);
}

function measure(c: BenchCase, quick: boolean): Row {
  const plan = benchPlan(c);
  const grid = buildImpactGrid(plan);
  // Warm up once, then the median of a few runs (fewer for the slow cases).
  let sol = solveLots(plan);
  const reps = c.reps ?? (sol.method === 'engine' ? 3 : 15);
  const times: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    sol = solveLots(plan);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const cost = sumCost(grid, sol.lots);
  const row: Row = {
    c,
    M: grid.lots,
    method: sol.method,
    ms: times[reps >> 1],
    evaluations: sol.work?.evaluations,
    summary: sol.work
      ? `${sol.work.runsTotal.toLocaleString('en-US')} runs, ${sol.work.evaluations.toExponential(2)} evaluations${sol.work.checkpointed ? ', checkpointed' : ''}`
      : undefined,
  };
  const oldFeasible = c.oldDp === 'always' || (c.oldDp === 'full' && !quick);
  if (oldFeasible) {
    const t0 = performance.now();
    const lots = solveDp(grid);
    row.oldMs = performance.now() - t0;
    const old = sumCost(grid, lots);
    row.same = Math.abs(old - cost) <= 1e-9 * Math.max(1, Math.abs(old));
  }
  if (c.rss) row.rssMb = childRss(c.id);
  return row;
}

/** Peak RSS of solving the case once in a fresh process (same tsx loader flags). */
function childRss(id: string): number {
  const out = execFileSync(
    process.execPath,
    [...process.execArgv, join(import.meta.dirname ?? __dirname, 'solverChild.ts'), id],
    { encoding: 'utf8', maxBuffer: 1 << 20 },
  );
  const r = JSON.parse(out.trim().split('\n').at(-1)!) as { maxRssBytes: number };
  return r.maxRssBytes / 1e6;
}

function sumCost(grid: ReturnType<typeof buildImpactGrid>, lots: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < grid.n; i++) s += grid.cost(i, lots[i]);
  return s;
}

function printTable(rows: Row[]) {
  const head = [
    'case',
    'N',
    'M',
    'method',
    'ms',
    'target',
    'met',
    'old DP ms',
    'same cost',
    'peak RSS',
  ];
  const body = rows.map((r) => {
    const met =
      r.ms <= r.c.targetMs && (r.rssMb === undefined || r.rssMb <= (r.c.rssTargetMb ?? Infinity));
    return [
      r.c.name,
      r.c.n.toLocaleString('en-US'),
      r.M.toLocaleString('en-US'),
      r.method,
      fmt(r.ms),
      r.c.targetMs === Infinity ? '—' : `≤ ${r.c.targetLabel}`,
      r.c.targetMs === Infinity ? '—' : met ? 'yes' : 'NO',
      r.oldMs === undefined ? '—' : fmt(r.oldMs),
      r.same === undefined ? '—' : r.same ? 'yes' : 'NO',
      r.rssMb === undefined ? '—' : `${r.rssMb.toFixed(0)} MB (≤ ${r.c.rssTargetMb})`,
    ];
  });
  printColumns(head, body);
}

function fmt(ms: number): string {
  return ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2);
}
