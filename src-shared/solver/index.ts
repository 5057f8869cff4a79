/**
 * The solver's public names ('@shared/solver'), nothing else: the entry point solvePlan
 * (solvePlan.ts), the schedule alone (solve.ts), the estimates the bench and the frontier
 * check, and the pieces other folders use. docs/solver.md describes the files behind them.
 * The frontier (frontier.ts) imports from the files here and is not re-exported.
 */
export { solvePlan, solvePlanColumns } from './solvePlan';
export { solveCostCurve } from './costCurve';
export { solveLots, estimatePlan } from './solve';
export { estimateRiskSolve } from './risk';
export type { SolveOptions, Solution } from './solveSetup';
export { certifyConvex, solveConvex } from './convex';
export {
  withTimeLimit,
  TimeLimitExceeded,
  DEFAULT_TIME_LIMIT_MS,
  DEFAULT_MEMORY_BUDGET,
  DEFAULT_MAX_EVALUATIONS,
} from './limits';
export { scheduleMetrics, riskScale } from './metrics';
export { solveEngine } from './engine';
export { estimateEngine } from './engineEstimate';
