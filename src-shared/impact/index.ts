/**
 * Per-period cost functions on the lot grid (docs/architecture.md, "Impact models"; the grid:
 * docs/solver.md), one job a file: the grid view of a plan (grid.ts) over the model evaluators
 * (evaluators.ts), the feasibility message (feasibility.ts), the convexity decision
 * (convexity.ts), the calibrated model's plan-wide figures (calibrated.ts), shares → lots
 * (lots.ts) and number formats (format.ts). This file only re-exports their public names.
 */
export { buildImpactGrid, capacity, type ImpactGrid, type ModelKind, type PowerLaw } from './grid';
export { infeasibilityMessage } from './feasibility';
export { decideConvexity, type Convexity } from './convexity';
export { calibratedDailyVolume, calibratedPermanentCost } from './calibrated';
export { floorLots } from './lots';
export { fmtInt } from './format';
