/**
 * Warnings: what a desk wants said before an order goes out, computed once here and shown
 * everywhere (the solve result, the CLI, the window, the report, the CSV header). A warning
 * never changes the plan or the solve; it says what looks wrong, with the numbers, and what to
 * change (docs/solver.md, "Warnings").
 *
 * - `planWarnings(plan)`: what the plan alone shows (before a solve, and in every result).
 * - `solveWarnings(plan, schedule)`: the same with the solved child orders (participation of
 *   the optimum instead of the even pace's).
 * - `bookDataWarnings(stats, periods)`: what an imported book's statistics show (coverage, a
 *   book that stood still); the plan does not carry them, so the caller that has them adds these.
 */
import type { Plan } from './plan';
import { WARNING_CODES, type Warning, type WarningCode } from './result';
import { buildImpactGrid, calibratedDailyVolume, fmtInt, type ImpactGrid } from './impact';
import { periodLabels } from './session';

export {
  WARNING_CODES,
  WarningCodeSchema,
  WarningSchema,
  type Warning,
  type WarningCode,
} from './result';

/** A child order above this share of its period's expected volume is warned (1 = 100%). */
export const PARTICIPATION_LIMIT = 1;
/** An order above this share of the volume over the plan's periods is warned. */
export const ORDER_VOLUME_LIMIT = 0.25;
/** Fat finger: an order above this share of the day's volume … */
export const FAT_FINGER_VOLUME = 1;
/** … or above this notional (shares × reference price, in price units: $10 billion). */
export const FAT_FINGER_NOTIONAL = 1e10;
/** Partial data: more than this share of a data plan's periods have no book or no volume. */
export const PARTIAL_DATA_LIMIT = 0.05;
/** Stale data: one book stood unchanged at least this many minutes during the session. */
export const STALE_MINUTES = 10;

/** Relative tolerance of the γ threshold (γ exactly at it is warned). */
const GAMMA_RTOL = 1e-9;

/** The warnings of a plan alone (no schedule): what the window shows before a solve. */
export function planWarnings(plan: Plan, grid?: ImpactGrid): Warning[] {
  return collect(plan, evenParticipation(plan), grid);
}

/**
 * The warnings of a solved plan: the plan's own, with the participation of the solved child
 * orders (shares per period, in period order).
 */
export function solveWarnings(plan: Plan, shares: ArrayLike<number>, grid?: ImpactGrid): Warning[] {
  return collect(plan, scheduleParticipation(plan, shares), grid);
}

/** Sorted by how much each matters to the desk (the order of WARNING_CODES). */
function collect(plan: Plan, participation: Warning | null, grid?: ImpactGrid): Warning[] {
  const out = [
    participation,
    fatFinger(plan),
    orderVsVolume(plan),
    permanentDominates(plan, grid),
    partialData(plan),
    notCalibrated(plan),
  ].filter((w): w is Warning => w !== null);
  return sortWarnings(out);
}

/** Warnings in WARNING_CODES order; one per code (a later one of the same code is dropped). */
export function sortWarnings(list: readonly Warning[]): Warning[] {
  const seen = new Set<WarningCode>();
  const out: Warning[] = [];
  for (const w of list) {
    if (seen.has(w.code)) continue;
    seen.add(w.code);
    out.push(w);
  }
  return out.sort((a, b) => WARNING_CODES.indexOf(a.code) - WARNING_CODES.indexOf(b.code));
}

/**
 * `extra` merged into `list`: a warning of `extra` replaces one of the same code (the book's
 * statistics say more than the plan about its data).
 */
export function mergeWarnings(list: readonly Warning[], extra: readonly Warning[]): Warning[] {
  const codes = new Set(extra.map((w) => w.code));
  return sortWarnings([...extra, ...list.filter((w) => !codes.has(w.code))]);
}

// ---------------------------------------------------------------------------------------
// Participation

interface PeriodOver {
  period: number;
  shares: number;
  volume: number;
}

function periodName(plan: Plan, i: number): string {
  const labels = periodLabels(plan.session, plan.periods);
  return labels ? `${labels[i].start} (period ${fmtInt(i + 1)})` : `period ${fmtInt(i + 1)}`;
}

/**
 * Periods whose child order is above PARTICIPATION_LIMIT of their expected volume: how many,
 * the first five and the worst (the first of the highest share of its volume; no volume at all
 * is the worst), in one pass with no object per period (every one of 100,000 periods can be
 * over).
 */
interface Over {
  count: number;
  first: PeriodOver[];
  worst: PeriodOver | null;
}

function overParticipation(plan: Plan, shares: (i: number) => number): Over {
  const vol = plan.volumeProfile;
  const over: Over = { count: 0, first: [], worst: null };
  if (!vol) return over;
  let worstRatio = -Infinity;
  for (let i = 0; i < plan.periods; i++) {
    const x = shares(i);
    const v = vol[i];
    if (!(x > 0 && x > PARTICIPATION_LIMIT * v)) continue;
    over.count++;
    const ratio = v > 0 ? x / v : Infinity;
    if (over.first.length < 5 || ratio > worstRatio) {
      const o = { period: i, shares: x, volume: v };
      if (over.first.length < 5) over.first.push(o);
      if (over.worst === null || ratio > worstRatio) {
        over.worst = o;
        worstRatio = ratio;
      }
    }
  }
  return over;
}

function overText(plan: Plan, over: Over): string {
  const shown = over.first
    .map((o) => periodName(plan, o.period).replace(/ \(period \d[\d,]*\)$/, ''))
    .join(', ');
  const more = over.count > 5 ? ` and ${fmtInt(over.count - 5)} more` : '';
  const w = over.worst!;
  const worst =
    w.volume > 0
      ? `${fmtPct(w.shares / w.volume)} in ${periodName(plan, w.period)}: ${sharesText(w.shares)} against ${fmtInt(w.volume)} expected`
      : `${sharesText(w.shares)} in ${periodName(plan, w.period)}, which expects no volume at all`;
  return `${fmtInt(over.count)} period${over.count === 1 ? '' : 's'} (${shown}${more}); the worst is ${worst}`;
}

const PARTICIPATION_FIX =
  'The market cannot absorb that at the planned cost: set a participation cap (e.g. 25% of each period’s volume), trade over more periods, or reduce the order.';

function scheduleParticipation(plan: Plan, shares: ArrayLike<number>): Warning | null {
  const over = overParticipation(plan, (i) => shares[i] ?? 0);
  if (over.count === 0) return null;
  return {
    code: 'participation',
    message: `Child orders are above 100% of the period’s expected volume in ${overText(plan, over)}. ${PARTICIPATION_FIX}`,
  };
}

/**
 * Before a solve: the even pace (TWAP, S/N a period, at most the period's cap) against each
 * period's volume. A cap of at most 100% of the volume keeps every child order within it, so
 * nothing is said then.
 */
function evenParticipation(plan: Plan): Warning | null {
  if (plan.maxParticipation !== undefined && plan.maxParticipation <= PARTICIPATION_LIMIT)
    return null;
  const even = plan.shares / plan.periods;
  // A period's cap (maxPerPeriod) keeps its child order within it whatever the pace.
  const cap = plan.maxPerPeriod;
  const pace = (i: number) =>
    cap === undefined ? even : Math.min(even, typeof cap === 'number' ? cap : cap[i]);
  const over = overParticipation(plan, pace);
  if (over.count === 0) return null;
  return {
    code: 'participation',
    message: `At an even pace (${fmtInt(even)} shares a period) child orders would be above 100% of the period’s expected volume in ${overText(plan, over)}. ${PARTICIPATION_FIX}`,
  };
}

// ---------------------------------------------------------------------------------------
// Size of the order

function volumeTotal(plan: Plan): number | null {
  const vol = plan.volumeProfile;
  if (!vol) return null;
  let total = 0;
  for (let i = 0; i < vol.length; i++) total += vol[i];
  return total;
}

function orderVsVolume(plan: Plan): Warning | null {
  const total = volumeTotal(plan);
  if (total === null || !(total > 0)) return null;
  const share = plan.shares / total;
  if (!(share > ORDER_VOLUME_LIMIT)) return null;
  return {
    code: 'order-vs-volume',
    message: `The order is ${fmtPct(share)} of the expected volume over the plan’s ${fmtInt(plan.periods)} periods (${fmtInt(plan.shares)} of ${fmtInt(total)} shares). Above 25% the order is a large part of the market and moves it beyond what the cost model describes: trade over a longer session or several days, or reduce the order.`,
  };
}

function fatFinger(plan: Plan): Warning | null {
  const day =
    plan.impact.model === 'calibrated' ? calibratedDailyVolume(plan) : (volumeTotal(plan) ?? 0);
  const what =
    plan.impact.model === 'calibrated' ? 'the day’s volume' : 'all the volume the plan expects';
  const notional = plan.referencePrice !== undefined ? plan.shares * plan.referencePrice : null;
  const parts: string[] = [];
  if (day > 0 && plan.shares > FAT_FINGER_VOLUME * day)
    parts.push(
      `${fmtInt(plan.shares)} shares is ${fmtPct(plan.shares / day)} of ${what} (${fmtInt(day)} shares)`,
    );
  if (notional !== null && notional > FAT_FINGER_NOTIONAL)
    parts.push(
      `${fmtInt(plan.shares)} shares at ${plan.referencePrice} is ${fmtMoney(notional)}, above ${fmtMoney(FAT_FINGER_NOTIONAL)}`,
    );
  if (parts.length === 0) return null;
  return {
    code: 'fat-finger',
    message: `Check the order size for a typing error: ${parts.join('; ')}. An order this size is far beyond what one session can trade.`,
  };
}

// ---------------------------------------------------------------------------------------
// Permanent impact

/**
 * The γ at or above which the optimum degenerates toward a block trade, with the model's own
 * words, or null when γ cannot change the plan this way.
 *
 * Permanent impact adds γ·(S² − Σx²)/2 to the cost (docs/solver.md): each period's cost is in
 * effect c_i(x) − γx²/2, which rewards large child orders. Two tests, each from c_i alone:
 * - merging two even child orders x̄ = S/N into one pays once γ·x̄² ≥ c(2x̄) − 2c(x̄), i.e.
 *   γ ≥ (c(2x̄) − 2c(x̄))/x̄² (for linear impact βx²: γ ≥ 2β, exactly; for a power law
 *   β·x^(1+α): β·(2^(1+α) − 2)·x̄^(α−1));
 * - one block beats the even pace once γ·S²·(1 − 1/N)/2 ≥ c(S) − N·c(x̄) (linear: again 2β;
 *   a power law with α < 1 reaches it first, at 2β·S^(α−1)·(1 − N^−α)/(1 − 1/N)).
 * Each test is taken per period, as if every period cost like it (so a profile's cheapest
 * period decides: linear 2β·min p_i, exact), and the smaller is the threshold. Per-share terms (a spread, an intercept) cancel out of both.
 * A calibrated plan's permanent impact γ·σ·(X/V_day) is the same for every schedule and never
 * changes the plan; periods whose depth cannot take the merged order are not counted.
 */
export function degenerateGamma(
  plan: Plan,
  grid: ImpactGrid = buildImpactGrid(plan),
): { limit: number; linearBeta: number | null } | null {
  const n = grid.n;
  const S = plan.shares;
  if (n < 2 || !(S > 0) || plan.impact.model === 'calibrated') return null;
  const xbar = S / n;
  const fits = (i: number, x: number) => x <= grid.modelCaps[i] * grid.lot;
  let pair = Infinity;
  let blockLimit = Infinity;
  for (let i = 0; i < n; i++) {
    const c1 = grid.impactCost(i, xbar);
    // A period without impact (c = 0) is free whatever γ: not γ's doing.
    if (!(c1 > 0)) continue;
    if (fits(i, 2 * xbar))
      pair = Math.min(pair, (grid.impactCost(i, 2 * xbar) - 2 * c1) / (xbar * xbar));
    if (fits(i, S))
      blockLimit = Math.min(
        blockLimit,
        (2 * (grid.impactCost(i, S) - n * c1)) / (S * S * (1 - 1 / n)),
      );
  }
  const limit = Math.min(pair, blockLimit);
  if (!Number.isFinite(limit)) return null;
  const im = plan.impact;
  let linearBeta: number | null = null;
  if (im.model === 'linear') {
    linearBeta = Infinity;
    for (let i = 0; i < n; i++) {
      const b = im.beta * (im.profile?.[i] ?? 1);
      if (b > 0) linearBeta = Math.min(linearBeta, b);
    }
    if (!Number.isFinite(linearBeta)) linearBeta = null;
  }
  return { limit: Math.max(0, limit), linearBeta };
}

function permanentDominates(plan: Plan, grid?: ImpactGrid): Warning | null {
  const gamma = plan.permanentImpact ?? 0;
  if (!(gamma > 0)) return null;
  const d = degenerateGamma(plan, grid);
  if (!d || gamma < d.limit * (1 - GAMMA_RTOL)) return null;
  const g = fmtCoef(gamma);
  const lim = fmtCoef(d.limit);
  const why =
    'the permanent cost γ·(S² − Σx²)/2 falls as child orders grow, so the cheapest schedule concentrates the order toward one block trade and its saving against TWAP is the permanent term, not better timing';
  if (d.linearBeta !== null) {
    const profiled = plan.impact.model === 'linear' && plan.impact.profile !== undefined;
    return {
      code: 'permanent-dominates',
      message: `Permanent impact γ = ${g} is at least twice the linear impact β${profiled ? ' × profile (smallest)' : ''} = ${fmtCoef(d.linearBeta)} (γ ≥ 2β = ${lim}): ${why}. Lower γ below ${lim} (γ is usually a fraction of β; both are $ per share per share), or raise β.`,
    };
  }
  return {
    code: 'permanent-dominates',
    message: `Permanent impact γ = ${g} is at or above ${lim}, where merging child orders costs less than spreading them for this impact model and order size: ${why}. Lower γ below ${lim}, or check its units ($ per share per share traded).`,
  };
}

// ---------------------------------------------------------------------------------------
// Data and calibration

/**
 * A plan made from data (plan.source) with periods that have no book or no volume: those
 * periods cannot trade (capped at 0) and the plan works around them.
 */
function partialData(plan: Plan): Warning | null {
  if (!plan.source) return null;
  const im = plan.impact;
  const n = plan.periods;
  const caps = Array.isArray(plan.maxPerPeriod) ? plan.maxPerPeriod : null;
  let empty = 0;
  for (let i = 0; i < n; i++) {
    const none =
      (im.model === 'book' && im.ladders[i].length === 0) ||
      (im.model === 'calibrated' && !((plan.volumeProfile?.[i] ?? 0) > 0)) ||
      (caps !== null && caps[i] === 0);
    if (none) empty++;
  }
  if (!(empty > PARTIAL_DATA_LIMIT * n)) return null;
  return {
    code: 'partial-data',
    message: `${fmtInt(empty)} of the ${fmtInt(n)} periods (${fmtPct(empty / n)}) have no book or no traded volume in the data this plan was made from: they cannot trade, and the costs of the rest rest on thin data. Import more days, or a file that covers the whole session.`,
  };
}

/** The calibrated parameters that must come from the stock (not a paper's default). */
const STOCK_PARAMETERS = ['sigma', 'spread', 'dailyVolume', 'volumeProfile'] as const;

/**
 * The cost model is not calibrated to the stock: raw β (and α) typed in (linear or power
 * without market data), or a calibrated model whose stock figures are marked default.
 */
function notCalibrated(plan: Plan): Warning | null {
  const im = plan.impact;
  if ((im.model === 'linear' || im.model === 'power') && !plan.source) {
    return {
      code: 'not-calibrated',
      message: `The cost model is a raw ${im.model === 'linear' ? 'linear' : 'power-law'} impact (β = ${fmtCoef(im.beta)}${im.model === 'power' ? `, α = ${im.exponent}` : ''}) that was typed in, not calibrated to ${plan.symbol}: costs in $ and bps are only as good as β. Give the stock’s daily volume, volatility and spread (the calibrated model), or plan from imported books.`,
    };
  }
  if (im.model === 'calibrated' && im.sources) {
    const defaults = STOCK_PARAMETERS.filter((k) => im.sources?.[k] === 'default');
    if (defaults.length > 0)
      return {
        code: 'not-calibrated',
        message: `The calibrated model uses default values for ${defaults.join(', ')}, not ${plan.symbol}’s own: costs in $ and bps are only as good as those. Give the stock’s own figures, or fit them from imported books.`,
      };
  }
  return null;
}

/** What an imported book's statistics show, for `periods` periods of `periodMinutes`. */
export function bookDataWarnings(
  stats: {
    coveredPeriods: number;
    largestGap?: { from: string; to: string; minutes: number } | null;
    longestStale?: { from: string; to: string; minutes: number } | null;
  },
  periods: number,
): Warning[] {
  const out: Warning[] = [];
  const missing = periods - stats.coveredPeriods;
  if (periods > 0 && missing > PARTIAL_DATA_LIMIT * periods) {
    const gap = stats.largestGap
      ? ` (the longest stretch without a book ${stats.largestGap.from}–${stats.largestGap.to}, ${fmtMinutes(stats.largestGap.minutes)})`
      : '';
    out.push({
      code: 'partial-data',
      message: `The book covers ${fmtInt(stats.coveredPeriods)} of the ${fmtInt(periods)} periods: ${fmtInt(missing)} (${fmtPct(missing / periods)}) have no book${gap}. Those periods cannot trade; check the file covers the whole session, or import more days.`,
    });
  }
  const st = stats.longestStale;
  if (st && st.minutes >= STALE_MINUTES) {
    out.push({
      code: 'stale-data',
      message: `One book stood unchanged for ${fmtMinutes(st.minutes)} (${st.from}–${st.to}): the depth and spread of those periods are old quotes, not a market that was tested. Check the stock traded then, or plan on more days.`,
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Helpers

/** 0.0734 → "7.3%", 1.004 → "100.4%", 74.6 → "7,460%". */
export function fmtPct(f: number): string {
  const p = f * 100;
  if (p >= 1000) return `${fmtInt(p)}%`;
  if (p >= 100) return `${Number(p.toPrecision(4))}%`;
  return `${Number(p.toPrecision(p >= 10 ? 3 : 2))}%`;
}

/** "1 share", "1,200 shares". */
function sharesText(x: number): string {
  return `${fmtInt(x)} share${Math.round(x) === 1 ? '' : 's'}`;
}

/** 3 significant digits; small coefficients as 1e-6, not 0.000001. */
function fmtCoef(v: number): string {
  const r = Number(v.toPrecision(3));
  return r !== 0 && Math.abs(r) < 1e-3 ? r.toExponential() : r.toString();
}

function fmtMoney(v: number): string {
  if (v >= 1e9) return `$${Number((v / 1e9).toPrecision(3))} billion`;
  if (v >= 1e6) return `$${Number((v / 1e6).toPrecision(3))} million`;
  return `$${fmtInt(v)}`;
}

function fmtMinutes(m: number): string {
  if (m < 60) return `${Number(m.toPrecision(3))} min`;
  const h = Math.floor(m / 60);
  const r = Math.round(m - h * 60);
  return r ? `${h} h ${r} min` : `${h} h`;
}
