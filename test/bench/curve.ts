/**
 * The cost-by-size curve: today's method (sizes solved one by one: 21 Lagrange solves of the
 * smaller orders at N > 5,000, 21 engine solves for the engine's plans when its last row is
 * too dear, and for risk plans) beside the new one (the convex one pass, the engine's last
 * row), and what the Solve → table path costs with and without the curve on it. The window
 * now asks for the curve after the table (a job of its own), so the target is that the curve
 * is never on that path. Medians of BENCH_CURVE_REPEAT runs (default 3) in this process.
 */
import type { Plan } from '../../src-shared/plan';
import { solvePlan } from '../../src-shared/solver';
import { convexCurvePoints, sampledCurve, solveCostCurve } from '../../src-shared/solver/costCurve';
import type { BenchSection } from './index';
import { windowPlan } from './window';

const REPEAT = Number(process.env.BENCH_CURVE_REPEAT ?? 3);
/** The window's sample count (src-main/solver/workerMain.ts CURVE_SAMPLES). */
const POINTS = 1001;

interface Case {
  name: string;
  plan: Plan;
  /** Today's curve: the sizes solved one by one. */
  before: () => unknown;
  beforeLabel: string;
  afterLabel: string;
}

export const curveBench: BenchSection = {
  name: 'curve',
  run() {
    const big = windowPlan(100_000);
    const fee: Plan = { ...windowPlan(390), risk: undefined, fixedFeePerOrder: 5 } as Plan;
    const risk = windowPlan(390);
    const cases: Case[] = [
      {
        name: 'convex (square-root law), N = 100,000, M = 100,000',
        plan: big,
        before: () => sampledCurve(big, convexCurvePoints(big, POINTS), {}, true, { from: 0 }),
        beforeLabel: '21 Lagrange solves',
        afterLabel: 'one pass (increments selected once)',
      },
      {
        name: 'fee per order, N = 390, M = 1,000',
        plan: fee,
        before: () => sampledCurve(fee, 21, {}, false, { from: 0 }),
        beforeLabel: "21 engine solves (the fallback when the row's run is too dear)",
        afterLabel: "engine's last row, one run (as before when affordable)",
      },
      {
        name: 'timing risk, N = 390, M = 1,000',
        plan: risk,
        before: () => sampledCurve(risk, 21, {}, false, { from: 0 }),
        beforeLabel: '21 risk solves',
        afterLabel: '21 risk solves (kept: the risk depends on the size)',
      },
    ];
    console.log('| curve | today | ms | new | ms | target |');
    console.log('|---|---|---|---|---|---|');
    for (const c of cases) {
      const before = median(() => c.before());
      const after = median(() => solveCostCurve(c.plan, { curve: POINTS }));
      console.log(
        `| ${c.name} | ${c.beforeLabel} | ${fmt(before)} | ${c.afterLabel} | ${fmt(after)} | off the Solve → table path |`,
      );
    }
    // What the solver part of Solve → table costs: before, the schedule's solve and the curve's
    // 21 solves in one job; now the schedule's solve alone (the curve is a job after it).
    const without = median(() => solvePlan(big));
    const sampled = median(() => cases[0].before());
    console.log('');
    console.log('| Solve → table, N = 100,000 (the solver part) | ms | target |');
    console.log('|---|---|---|');
    console.log(
      `| before: the schedule's solve + the curve's 21 solves, one job | ${fmt(without + sampled)} | – |`,
    );
    console.log(
      `| now: the schedule's solve; the curve is a job after the table | ${fmt(without)} | the curve 0 ms on the path; the whole path ≤ 500 ms (the columnar helper's row) |`,
    );
  },
};

function median(fn: () => unknown): number {
  const times: number[] = [];
  for (let r = 0; r < REPEAT; r++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

function fmt(ms: number): string {
  return ms >= 100 ? ms.toFixed(0) : ms.toFixed(1);
}
