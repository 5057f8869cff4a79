/**
 * The solver benchmark's instances (N = 390 one-minute periods unless said otherwise), shared
 * by the bench table (solver.ts) and the peak-RSS child (solverChild.ts).
 */
import { parsePlan, type Plan, type PlanInput } from '../../src-shared/plan';

export interface BenchCase {
  id: string;
  name: string;
  n: number;
  /** Order size in lots. */
  lots: number;
  targetMs: number;
  targetLabel: string;
  /** Run the old DP beside: always, only without --quick, or never. */
  oldDp: 'always' | 'full' | 'never';
  rss?: boolean;
  rssTargetMb?: number;
  reps?: number;
}

export const BENCH_CASES: BenchCase[] = [
  {
    id: 'fee-2k',
    name: 'fee + square-root law',
    n: 390,
    lots: 2000,
    targetMs: 15,
    targetLabel: '15 ms',
    oldDp: 'always',
  },
  {
    id: 'min-2k',
    name: 'minimum order + square-root law',
    n: 390,
    lots: 2000,
    targetMs: 15,
    targetLabel: '15 ms',
    oldDp: 'always',
  },
  {
    id: 'fee-12k',
    name: 'fee + square-root law',
    n: 390,
    lots: 12000,
    targetMs: 200,
    targetLabel: '0.2 s',
    oldDp: 'full',
    reps: 3,
  },
  {
    id: 'fee-100k',
    name: 'fee + square-root law',
    n: 390,
    lots: 100_000,
    targetMs: 1000,
    targetLabel: '1 s',
    oldDp: 'never',
    rss: true,
    rssTargetMb: 400,
    reps: 3,
  },
  {
    id: 'min-100k',
    name: 'minimum order + square-root law',
    n: 390,
    lots: 100_000,
    targetMs: 1000,
    targetLabel: '1 s',
    oldDp: 'never',
    reps: 3,
  },
  {
    id: 'kinks-100k',
    name: 'table, 8 increasing segments with kinks',
    n: 390,
    lots: 100_000,
    targetMs: 2000,
    targetLabel: '2 s',
    oldDp: 'never',
    reps: 3,
  },
  {
    id: 'falling-2k',
    name: 'table where impact falls (old bench)',
    n: 390,
    lots: 2000,
    targetMs: 170,
    targetLabel: '0.17 s',
    oldDp: 'always',
  },
  {
    id: 'risk-100k',
    name: 'risk-aware square-root law (λ > 0)',
    n: 390,
    lots: 100_000,
    targetMs: 300,
    targetLabel: '300 ms',
    oldDp: 'never',
    reps: 3,
  },
  {
    id: 'neutral-100k',
    name: 'same plan, risk-neutral (λ = 0)',
    n: 390,
    lots: 100_000,
    targetMs: Infinity,
    targetLabel: '—',
    oldDp: 'never',
  },
  {
    id: 'convex-1e6',
    name: 'convex (Lagrange), square-root law',
    n: 390,
    lots: 1_000_000,
    targetMs: 1,
    targetLabel: '1 ms',
    oldDp: 'never',
  },
  {
    id: 'convex-1e9',
    name: 'convex (Lagrange), square-root law',
    n: 100_000,
    lots: 1_000_000_000,
    targetMs: 50,
    targetLabel: '50 ms',
    oldDp: 'never',
    reps: 7,
  },
];

/** U-shaped intraday profile: dear at the open and the close. */
function uProfile(n: number): number[] {
  return Array.from({ length: n }, (_, i) => 0.7 + 1.6 * (i / Math.max(1, n - 1) - 0.5) ** 2 * 4);
}

export function benchPlan(c: BenchCase): Plan {
  const n = c.n;
  const sqrt = { model: 'power' as const, beta: 2e-5, exponent: 0.5, profile: uProfile(n) };
  switch (c.id) {
    case 'fee-2k':
    case 'fee-12k':
    case 'fee-100k':
      return plan(n, { shares: c.lots * 100, lotSize: 100, fixedFeePerOrder: 5, impact: sqrt });
    case 'min-2k':
    case 'min-100k':
      return plan(n, { shares: c.lots * 100, lotSize: 100, minOrderSize: 5000, impact: sqrt });
    case 'kinks-100k':
      return plan(n, { shares: c.lots * 100, lotSize: 100, impact: kinkedTable(n, c.lots * 100) });
    case 'falling-2k':
      return plan(n, { shares: c.lots * 100, lotSize: 100, impact: fallingTable(n, c.lots * 100) });
    case 'risk-100k':
    case 'neutral-100k':
      return plan(n, {
        shares: c.lots * 100,
        lotSize: 100,
        referencePrice: 30,
        impact: sqrt,
        risk: { volatility: 0.02, aversion: c.id === 'risk-100k' ? 1e-6 : 0 },
      });
    case 'convex-1e6':
    case 'convex-1e9':
      return plan(n, { shares: c.lots, lotSize: 1, impact: { ...sqrt, beta: 2e-7 } });
  }
  throw new Error(`unknown bench case ${c.id}`);
}

/**
 * Impact per share rises over 8 segments up to the whole order, but its slope drops at every
 * other point (a kink where the cost bends down), so the curve is not convex.
 */
function kinkedTable(n: number, S: number): PlanInput['impact'] {
  const xs = [0, 0.01, 0.03, 0.06, 0.1, 0.2, 0.35, 0.6, 1];
  const slopes = [4, 1, 3, 0.5, 2, 0.4, 1.5, 0.3]; // g per unit of x/S, alternating
  const curves = Array.from({ length: n }, (_, i) => {
    const s = uProfile(n)[i];
    let g = 0.001 * s;
    const pts: [number, number][] = [[0, g]];
    for (let j = 1; j < xs.length; j++) {
      g += 0.01 * s * slopes[j - 1] * (xs[j] - xs[j - 1]);
      pts.push([Math.round(xs[j] * S), g]);
    }
    return pts;
  });
  return { model: 'table', curves };
}

/** The old bench's table: impact rises to 30% of the order, then falls (size discount). */
function fallingTable(n: number, S: number): PlanInput['impact'] {
  const curves = Array.from({ length: n }, (_, i) => {
    const s = uProfile(n)[i];
    return [
      [0, 0.001 * s],
      [0.05 * S, 0.004 * s],
      [0.3 * S, 0.02 * s],
      [0.6 * S, 0.012 * s],
      [S, 0.03 * s],
    ] as [number, number][];
  });
  return { model: 'table', curves };
}

function plan(n: number, input: Partial<PlanInput> & Pick<PlanInput, 'impact' | 'shares'>): Plan {
  const r = parsePlan({ name: 'bench', symbol: 'BENCH', side: 'buy', periods: n, ...input });
  if (!r.ok) throw new Error(r.errors.join('; '));
  return r.value;
}

/** A whole-command row: a plan file solved by the built CLI. */
export interface CliCase {
  id: string;
  name: string;
  plan: () => PlanInput;
  /** Target CPU time of the whole command (ms) and peak RSS (MB). */
  targetMs: number;
  targetRssMb: number;
  /** The figures before, as measured on main. */
  before: string;
  /** Also time the method of before (the multipliers' bound alone) in a child. */
  beforeRuns: boolean;
}

export const CLI_CASES: CliCase[] = [
  {
    id: 'fee-1e5x1e4',
    name: 'DP: square-root law + fee per order, N=100,000, M=10,000 lots',
    plan: () => {
      const n = 100_000;
      return {
        name: 'bench',
        symbol: 'BENCH',
        side: 'buy',
        periods: n,
        shares: 10_000 * 100,
        lotSize: 100,
        fixedFeePerOrder: 5,
        impact: { model: 'power', beta: 2e-5, exponent: 0.5, profile: uProfile(n) },
      };
    },
    targetMs: 1500,
    targetRssMb: 300,
    before:
      'before the chunked JSON writer (quiet machine): 2.35 s wall, 2.8 CPU s, 325 MB, of which ~1 s made and wrote the 30 MB of JSON as one string; before the chord bound (issue table): 12–15 s, 740–780 MB',
    beforeRuns: true,
  },
  {
    id: 'convex-1e5x1e4',
    name: 'floor: the same plan without the fee (Lagrange method, no DP)',
    plan: () => {
      const p = CLI_CASES[0].plan();
      delete p.fixedFeePerOrder;
      return p;
    },
    targetMs: Infinity,
    targetRssMb: Infinity,
    before:
      'the command without the DP (reading the plan, baselines, 30 MB of JSON out); before the chunked JSON writer (quiet machine): 1.93 s wall, 2.2 CPU s, 294 MB',
    beforeRuns: false,
  },
  {
    id: 'falling-1e6',
    name: 'table with a falling stretch, N=390, 1,000,000 shares, lot 1',
    plan: () => ({
      name: 'bench',
      symbol: 'BENCH',
      side: 'buy',
      periods: 390,
      shares: 1_000_000,
      lotSize: 1,
      impact: fallingTable(390, 1_000_000),
    }),
    targetMs: 2000,
    targetRssMb: Infinity,
    before:
      'on main (issue table): refused by an estimate of 6.4e11 that ignored the bounds (it solves in 0.22 s); the estimate is now taken after them',
    beforeRuns: false,
  },
];
