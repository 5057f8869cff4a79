/**
 * Solver benchmark (issue 2): the project's solver against the seed DP (seedDp.ts) on the same
 * instances, N = 390 one-minute periods:
 *   - square-root law (power, α = 0.5) with a U-shaped intraday profile, lot 1,
 *     M = 10^3, 10^4 (seed and project), 10^5, 10^6 (project only);
 *   - a non-convex measured table (impact falls after a size discount), M = 2000, general DP.
 * Prints milliseconds, the speed-up and whether both reach the same optimal cost.
 * `--quick` skips the seed DP at M = 10^4 (about half a minute on a 2-core machine).
 */
import { parsePlan, type Plan, type PlanInput } from '../../src-shared/plan';
import { buildImpactGrid } from '../../src-shared/impact';
import { solveLots } from '../../src-shared/solver';
import { seedDp } from './seedDp';
import type { BenchSection } from './index';

const N = 390;

export const solverBench: BenchSection = {
  name: 'solver',
  run(args) {
    const quick = args.includes('--quick');
    const rows: Row[] = [];
    for (const M of [1e3, 1e4, 1e5, 1e6]) {
      const seed = M === 1e3 || (M === 1e4 && !quick);
      rows.push(measure(`power α=0.5, U profile`, sqrtPlan(M), seed));
    }
    rows.push(measure('non-convex table', tablePlan(2000), true));
    printTable(rows);
    const at = (name: string, M: number) => rows.find((r) => r.name.startsWith(name) && r.M === M);
    const c5 = at('power', 1e5);
    const c4 = at('power', 1e4);
    const t = at('non-convex', 2000);
    console.log('\ntargets:');
    if (c5)
      console.log(
        `  convex N=390, M=10^5 exact in < 10 ms:      ${fmt(c5.projectMs)} ms ${mark(c5.projectMs < 10)}`,
      );
    if (c4?.seedMs !== undefined)
      console.log(
        `  M=10^4 at least 1000× faster than seed DP: ${Math.round(c4.seedMs / c4.projectMs)}× ${mark(c4.seedMs / c4.projectMs >= 1000)}`,
      );
    if (t)
      console.log(
        `  non-convex table M=2000 by DP in < 2 s:    ${fmt(t.projectMs)} ms ${mark(t.projectMs < 2000)}`,
      );
  },
};

interface Row {
  name: string;
  M: number;
  method: string;
  projectMs: number;
  seedMs?: number;
  same?: boolean;
}

function measure(name: string, plan: Plan, withSeed: boolean): Row {
  const grid = buildImpactGrid(plan);
  // Warm up, then take the median of a few runs (the DP case runs fewer times).
  const first = solveLots(plan);
  const reps = first.method === 'dp' ? 3 : 9;
  const times: number[] = [];
  let sol = first;
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    sol = solveLots(plan);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const projectMs = times[reps >> 1];
  let cost = 0;
  for (let i = 0; i < grid.n; i++) cost += grid.cost(i, sol.lots[i]);
  const row: Row = { name, M: grid.lots, method: sol.method, projectMs };
  if (withSeed) {
    const t0 = performance.now();
    const seed = seedDp(grid.n, grid.lots, (i, k) => grid.cost(i, k));
    row.seedMs = performance.now() - t0;
    row.same = Math.abs(seed.cost - cost) <= 1e-9 * Math.max(1, Math.abs(seed.cost));
  }
  return row;
}

function sqrtPlan(M: number): Plan {
  const profile = Array.from({ length: N }, (_, i) => 0.7 + 1.6 * (i / (N - 1) - 0.5) ** 2 * 4);
  return plan({
    name: 'bench sqrt',
    shares: M,
    lotSize: 1,
    impact: { model: 'power', beta: 2e-5, exponent: 0.5, profile },
  });
}

/** Impact per share rises to 30% of the order, then falls (size discount), up to the whole order. */
function tablePlan(M: number): Plan {
  const lot = 100;
  const S = M * lot;
  const curves = Array.from({ length: N }, (_, i) => {
    const s = 0.7 + 1.6 * (i / (N - 1) - 0.5) ** 2 * 4;
    return [
      [0, 0.001 * s],
      [0.05 * S, 0.004 * s],
      [0.3 * S, 0.02 * s],
      [0.6 * S, 0.012 * s],
      [S, 0.03 * s],
    ] as [number, number][];
  });
  return plan({ name: 'bench table', shares: S, lotSize: lot, impact: { model: 'table', curves } });
}

function plan(input: Partial<PlanInput> & Pick<PlanInput, 'impact' | 'name' | 'shares'>): Plan {
  const r = parsePlan({ symbol: 'BENCH', side: 'buy', periods: N, ...input });
  if (!r.ok) throw new Error(r.errors.join('; '));
  return r.value;
}

function printTable(rows: Row[]) {
  const head = ['case', 'N', 'M', 'method', 'seed DP ms', 'project ms', 'speed-up', 'same cost'];
  const body = rows.map((r) => [
    r.name,
    String(N),
    r.M.toLocaleString('en-US'),
    r.method,
    r.seedMs === undefined ? '—' : fmt(r.seedMs),
    fmt(r.projectMs),
    r.seedMs === undefined ? '—' : `${Math.round(r.seedMs / r.projectMs).toLocaleString('en-US')}×`,
    r.same === undefined ? '—' : r.same ? 'yes' : 'NO',
  ]);
  const widths = head.map((h, j) => Math.max(h.length, ...body.map((b) => b[j].length)));
  const line = (cells: string[]) =>
    cells.map((c, j) => (j === 0 ? c.padEnd(widths[j]) : c.padStart(widths[j]))).join('  ');
  console.log(line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const b of body) console.log(line(b));
}

function fmt(ms: number): string {
  return ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2);
}

function mark(ok: boolean): string {
  return ok ? '(met)' : '(NOT met)';
}
