/**
 * The risk path: minimise E + λ·Var exactly with the DP engine. Timing risk is the engine's
 * state cost; permanent impact adds γ·x·(S − x)/2 to each order of x shares
 * (withPermanentImpact). Convex plans are solved in a band around a coarse solution or a
 * warm start moved to the optimum by descent (solveInBand, riskDescent.ts), certified by
 * L♮-convexity; the rest on the whole grid. Also the frontier's
 * estimate of one such solve (estimateRiskSolve).
 */
import type { Plan } from '../plan';
import { buildImpactGrid, fmtInt, type ImpactGrid } from '../impact';
import { solveEngine, type EngineOptions, type EngineResult } from './engine';
import { capRanges, estimateEngine } from './engineEstimate';
import { stopsTheSolve } from './limits';
import { PlannerError } from '../contract';
import { descendRiskPath, descentWork } from './riskDescent';
import {
  engineNeeded,
  engineOptionsFor,
  engineSolution,
  planFacts,
  type PlanFacts,
  type RiskTerms,
  type SolveOptions,
  type SolveSetup,
  type Solution,
} from './solveSetup';

/** Solves another plan from scratch (the band's coarse solve): solve.ts's solveLots. */
export type SolvePlanLots = (plan: Plan, options: SolveOptions) => Solution;

/**
 * Minimise E + λ·Var exactly: the risk term is the engine's state cost, permanent impact
 * adds γ·x·(S − x)/2 to each order of x shares (withPermanentImpact). With convex
 * impact the rows stay convex and each period is an O(M) merge.
 */
export function solveWithRisk(
  setup: SolveSetup,
  options: SolveOptions,
  solveCoarse: SolvePlanLots,
): Solution {
  const { plan, grid } = setup;
  const risk = setup.risk as RiskTerms;
  const engineGrid = risk.gamma > 0 ? withPermanentImpact(grid, risk.gamma) : grid;
  const parts = [
    risk.weights ? `timing risk (λ = ${risk.aversion.toPrecision(3)}) is a state cost` : '',
    risk.gamma > 0
      ? `permanent impact γ = ${risk.gamma.toPrecision(3)} adds γ·x·(S − x)/2 to each order of x shares`
      : '',
  ].filter(Boolean);
  try {
    const engineOptions = {
      ...engineOptionsFor(setup, options),
      riskWeights: risk.weights ?? undefined,
    };
    const banded =
      options.band !== false && convexRisk(setup)
        ? solveInBand(plan, engineGrid, engineOptions, options, solveCoarse)
        : null;
    if (banded) {
      const reason = `${parts.join('; ')}: solved by the DP engine in a band around a coarse solution (±${fmtInt(banded.width)} lots), optimal by convexity since no total touches the band's edges`;
      return { ...engineSolution(grid, banded, reason, true), bandWidth: banded.width };
    }
    const r = solveEngine(engineGrid, engineOptions);
    return engineSolution(grid, r, `${parts.join('; ')}: solved by the DP engine`);
  } catch (e) {
    throw engineNeeded(e, parts.join('; '));
  }
}

/**
 * Convex impact without fee or minimum, and permanent impact only where it keeps each
 * period convex (linear impact with β·p_i ≥ γ/2): the objective is then L♮-convex in the
 * cumulative totals, so a schedule optimal within a band that it never touches is optimal.
 */
function convexRisk(facts: PlanFacts): boolean {
  const { plan, grid } = facts;
  const risk = facts.risk as RiskTerms;
  if (grid.fee > 0 || grid.minLots > 1) return false;
  if (!facts.convexity.convex) return false;
  if (risk.gamma > 0) {
    const im = plan.impact;
    if (im.model !== 'linear') return false;
    for (let i = 0; i < grid.n; i++) {
      if (im.beta * (im.profile?.[i] ?? 1) < risk.gamma / 2) return false;
    }
  }
  return true;
}

/** Coarse grids aim at about this many lots. */
const COARSE_LOTS = 1000;

/**
 * Exact solve of a convex risk-aware plan in a band: solve the plan on a coarse lot grid,
 * take its cumulative path (scaled) as the band's centre (or the centre given, a warm start
 * moved to the optimum by descent, with a band that starts narrow), solve the real
 * grid within ±W lots of it, and accept the result when no total sits on a band edge that the
 * caps do not impose (local optimality in the band's interior is global optimality for
 * L♮-convex objectives); otherwise centre the next band on that result (the optimum lies
 * beyond the edges it reached) and double W. A band as wide as the order is the whole grid,
 * which no total can touch: the loop always ends with the optimum. The coarse path can be
 * far from the fine one: at a small λ its few lots a period put the extra lot early in the
 * day (3 lots of 100 shares, then 2), thousands of shares ahead of the fine optimum (257,
 * then 256). Null when the coarse solve fails (the full engine decides).
 */
function solveInBand(
  plan: Plan,
  engineGrid: ImpactGrid,
  engineOptions: EngineOptions,
  options: SolveOptions,
  solveCoarse: SolvePlanLots,
): (EngineResult & { width: number }) | null {
  const { n, lots: M, caps } = engineGrid;
  const G = Math.floor(M / COARSE_LOTS);
  if (G < 2) return null;
  const coarseLots = Math.floor(M / G);
  const given = options.bandCentre?.length === n + 1 ? options.bandCentre : null;
  let coarse: Solution | null = null;
  if (!given) {
    const coarsePlan: Plan = {
      ...plan,
      shares: coarseLots * G * plan.lotSize,
      lotSize: G * plan.lotSize,
    };
    try {
      coarse = solveCoarse(coarsePlan, { ...options, onProgress: undefined, curve: 0 });
    } catch (e) {
      if (stopsTheSolve(e)) throw e;
      return null; // no band: the full engine decides
    }
  }
  // Natural ranges from the caps, and the centre within them: the one given, or the coarse
  // path scaled to the whole order.
  const { lo: natLo, hi: natHi } = capRanges(caps, M);
  // A centre given is a warm start (the frontier's previous points): descent moves it to the
  // optimum, up to ties and rounding, so the band can start narrow.
  const start = given
    ? descendRiskPath(engineGrid, engineOptions.riskWeights ?? null, given, () => {
        if (options.shouldCancel?.()) throw new PlannerError('cancelled', 'solve cancelled');
      })
    : null;
  const centre = new Float64Array(n + 1);
  let cum = 0;
  for (let i = 1; i <= n; i++) {
    if (coarse) cum += coarse.lots[i - 1] * G;
    const c = start ? start[i] : Math.round((cum * M) / (coarseLots * G));
    centre[i] = Math.min(natHi[i], Math.max(natLo[i], Math.round(c)));
  }
  const W0 = start ? DESCENDED_BAND_WIDTH : firstBandWidth(M);
  for (let W = Math.max(W0, options.bandStart ?? 0); ; W *= 2) {
    const lo = new Float64Array(n + 1);
    const hi = new Float64Array(n + 1);
    for (let i = 1; i <= n; i++) {
      lo[i] = Math.max(natLo[i], centre[i] - W);
      hi[i] = Math.min(natHi[i], centre[i] + W);
    }
    lo[n] = hi[n] = M;
    const r = solveEngine(engineGrid, { ...engineOptions, bounds: { lo, hi } });
    let s = 0;
    let touches = false;
    for (let i = 1; i < n && !touches; i++) {
      s += r.lots[i - 1];
      if ((s <= lo[i] && lo[i] > natLo[i]) || (s >= hi[i] && hi[i] < natHi[i])) touches = true;
    }
    if (!touches) return { ...r, width: W };
    let c = 0;
    for (let i = 1; i <= n; i++) centre[i] = c += r.lots[i - 1];
  }
}

/**
 * The first band's half-width in lots around a descended centre: the optimum itself but for
 * ties and rounding, which a few lots cover (a tie that wanders further widens the band).
 */
const DESCENDED_BAND_WIDTH = 16;

/**
 * What a band run costs beyond its band, a lot count of the whole order, in the frontier
 * limit's units (about 1 ns): the engine counts its workspace at SETUP_WORK (8) a lot count,
 * but a fresh workspace of 76 bytes a lot count (allocated, filled, collected) measured about
 * 85 ns a lot count at 10^6 lots on the 2 shared cores. Once the band is narrow it is most of
 * a frontier point's time, so the frontier counts it in full.
 */
const RUN_SETUP_UNITS = 80;

/** The first band's half-width in lots: four coarse lots and a few more. */
function firstBandWidth(M: number): number {
  return 4 * Math.floor(M / COARSE_LOTS) + 8;
}

/**
 * Work of one risk-aware solve, for the frontier's estimate before it starts: in a band
 * (convex plans) the coarse solve, or with a centre given the descent to the optimum and a
 * band that starts narrow; then one engine run in the band `widenings` doublings wider than
 * the first, centred on an even pace (the widths, not the centre, make the work); otherwise the engine's sure estimate on the whole grid (each
 * with the engine's set-up, O(M) a run). O(N).
 */
export function estimateRiskSolve(
  plan: Plan,
  band: { widenings?: number; centreGiven?: boolean } = {},
): number {
  const facts = planFacts(plan);
  const { grid, risk } = facts;
  const { n, lots: M, caps } = grid;
  const options = engineOptionsFor(facts, {});
  // Without a risk term a convex plan is the Lagrange method's: O(N log M), no table.
  if (!risk && facts.convexity.convex) return 64 * n;
  const G = Math.floor(M / COARSE_LOTS);
  if (!risk || !convexRisk(facts) || G < 2) {
    const e = estimateEngine(grid, options);
    return e.evaluations - e.scanEvaluations;
  }
  const W =
    (band.centreGiven ? DESCENDED_BAND_WIDTH : firstBandWidth(M)) * 2 ** (band.widenings ?? 0);
  const nat = capRanges(caps, M);
  const lo = new Float64Array(n + 1);
  const hi = new Float64Array(n + 1);
  for (let i = 1; i <= n; i++) {
    const centre = Math.round((M * i) / n);
    lo[i] = Math.max(nat.lo[i], centre - W);
    hi[i] = Math.min(nat.hi[i], centre + W);
  }
  lo[n] = hi[n] = M;
  const banded = estimateEngine(grid, { ...options, bounds: { lo, hi } }).evaluations;
  if (band.centreGiven) return banded + descentWork(n, M) + RUN_SETUP_UNITS * (M + 1);
  const coarse = estimateEngine(
    buildImpactGrid({
      ...plan,
      shares: Math.floor(M / G) * G * plan.lotSize,
      lotSize: G * plan.lotSize,
    }),
    options,
  );
  return banded + coarse.evaluations;
}

/**
 * The grid with permanent impact added to every order: γ·x·(S − x)/2 for x = kq shares
 * (γ·q²/2·k·(M − k)). Summed over a schedule that is γ·(S² − Σ x_i²)/2, the permanent cost
 * itself, so the engine's values are the objective E + λ·Var with no constant taken off: every
 * term is ≥ 0 and no sum cancels, so costs compare relative to their own size (see
 * tiebreak.ts) even where the permanent cost dwarfs the rest.
 */
function withPermanentImpact(grid: ImpactGrid, gamma: number): ImpactGrid {
  const g = (gamma * grid.lot * grid.lot) / 2;
  const M = grid.lots;
  return {
    ...grid,
    numericRuns: true,
    cost: (i, k) => {
      const c = grid.cost(i, k);
      return k === 0 || c === Infinity ? c : c + g * k * (M - k);
    },
    marginal: (i, k) => grid.marginal(i, k) + g * (M - 2 * k + 1),
    rawCost: (i, k) => (k === 0 ? 0 : grid.rawCost(i, k) + g * k * (M - k)),
    fillCosts: (i, out, kMax) => {
      grid.fillCosts(i, out, kMax);
      for (let k = 1; k <= kMax; k++) if (out[k] < Infinity) out[k] += g * k * (M - k);
    },
  };
}
