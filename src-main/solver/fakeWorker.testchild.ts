/**
 * A solver worker for host tests: the real protocol (runWorker) around a fake solve whose
 * behaviour is chosen by the plan's name, so progress, cancel and crashes are deterministic.
 * When asked for a cost curve it echoes the solver option it received (curve = sample count)
 * in solver.reason and returns a two-point curve, so tests can see the request arrive.
 * Curve jobs return a two-point curve echoing the sample count they were asked for in
 * costBps (or hang, crash, fail, by the same names).
 * Frontier jobs go to a fake computeFrontier with the same name-chosen behaviours; by default it
 * returns exactly `points` points (λ = 0, 1, 2, …), so tests can see the count arrive.
 */
import { PlannerError } from '@shared/contract';
import type { Plan } from '@shared/plan';
import type { SolveOptions } from '@shared/solver';
import type { CostCurve, Frontier, SolveResult } from '@shared/result';
import { toColumns } from '@shared/resultColumns';
import { sampleResult } from '../testing/plans';
import { runWorker, type FrontierRunOptions } from './workerMain';

function spin(ms: number): void {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    /* busy, like a real synchronous solve */
  }
}

function fakeSolve(plan: Plan, options: SolveOptions): SolveResult {
  switch (plan.name) {
    case 'progress':
      for (let i = 1; i <= 10; i++) {
        spin(60);
        options.onProgress?.(i / 10);
      }
      return sampleResult(plan, 7);
    case 'hang':
      return hang(options);
    case 'quiet':
      // A long solve that reports no progress, only polls (as the Lagrange method does).
      for (let end = Date.now() + 1500; Date.now() < end;) {
        spin(20);
        options.shouldCancel?.();
      }
      return sampleResult(plan, 5);
    case 'crash':
      return process.exit(3);
    case 'ignore-term':
      return ignoreTerm(options);
    case 'infeasible':
      throw new PlannerError('infeasible', 'caps allow only 500 of 1000 shares');
    case 'bug':
      throw new TypeError('x is undefined');
    case 'malformed':
      return { schedule: 'nope' } as unknown as SolveResult;
    case 'malformed-columns': {
      // Columns as a broken worker might send them: one cost short, a NaN cost.
      const columns = toColumns(sampleResult(plan, 5));
      columns.schedule.cost = columns.schedule.cost.subarray(1);
      return columns as unknown as SolveResult;
    }
    case 'nan-cost': {
      const columns = toColumns(sampleResult(plan, 5));
      columns.schedule.cost[2] = NaN;
      return columns as unknown as SolveResult;
    }
    default:
      return withCurve(plan, sampleResult(plan, plan.shares / 100), options);
  }
}

function withCurve(plan: Plan, result: SolveResult, options: SolveOptions): SolveResult {
  if (!options.curve) return result;
  return {
    ...result,
    solver: { ...result.solver, reason: `fake solve; curve option ${options.curve}` },
    costCurve: {
      shares: [0, plan.shares],
      cost: [0, result.totalCost],
      costBps: null,
      complete: false,
    },
  };
}

function fakeFrontier(plan: Plan, options: FrontierRunOptions): Frontier {
  switch (plan.name) {
    case 'progress':
      for (let i = 1; i <= 10; i++) {
        spin(60);
        options.onProgress?.(i / 10);
      }
      return sampleFrontier(plan, 3);
    case 'hang':
      return hang(options);
    case 'crash':
      return process.exit(3);
    case 'infeasible':
      throw new PlannerError('infeasible', 'caps allow only 500 of 1000 shares');
    case 'malformed':
      return { points: 'nope' } as unknown as Frontier;
    default:
      return sampleFrontier(plan, options.points ?? 25);
  }
}

/** `count` points with λ = 0, 1, 2, …: cost rising and risk falling, every share at once. */
function sampleFrontier(plan: Plan, count: number): Frontier {
  const points = Array.from({ length: count }, (_, k) => ({
    aversion: k,
    expectedCost: 10 + k,
    timingRiskSd: 100 / (1 + k),
    objective: 10 + k + k * (100 / (1 + k)) ** 2,
    shares: Array.from({ length: plan.periods }, (_, i) => (i === 0 ? plan.shares : 0)),
  }));
  return {
    points,
    scale: 1,
    baselines: [{ name: 'naive', expectedCost: 20, timingRiskSd: 50 }],
  };
}

function hang(options: { onProgress?: (fraction: number) => void }): never {
  for (let i = 0; ; i++) {
    spin(60);
    options.onProgress?.((i % 100) / 100);
  }
}

function ignoreTerm(options: SolveOptions): never {
  process.on('SIGTERM', () => {});
  options.onProgress?.(0.5); // tells the test the handler is in place
  for (;;) spin(1000);
}

function fakeCurve(plan: Plan, options: SolveOptions): CostCurve {
  failByName(plan, options);
  if (plan.name === 'malformed') return { shares: 'nope' } as unknown as CostCurve;
  return {
    shares: [0, plan.shares],
    cost: [0, plan.shares / 100],
    costBps: [0, options.curve ?? 0],
    complete: false,
  };
}

/** The names every job kind answers alike: hang, crash, infeasible. */
function failByName(plan: Plan, options: SolveOptions): void {
  if (plan.name === 'hang') hang(options);
  if (plan.name === 'crash') process.exit(3);
  if (plan.name === 'infeasible')
    throw new PlannerError('infeasible', 'caps allow only 500 of 1000 shares');
}

runWorker({ solve: fakeSolve, frontier: fakeFrontier, curve: fakeCurve });
