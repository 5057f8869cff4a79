/**
 * A plan's cost model in a trader's terms (docs/window.md, "The market in a trader's terms"):
 * from what a desk knows about a stock — its average daily volume, daily volatility in % of
 * the price, typical spread in bps and the commission in ¢ a share — the calibrated impact
 * model (plan.ts CalibratedImpactSchema, in $) and the expected volume of each period (a
 * U-shaped or flat intraday curve over the part of the regular day the session covers).
 * Pure functions: the window's form and the tests call them alike.
 */
import {
  CALIBRATED_DEFAULTS,
  clockMinutes,
  type CalibratedParameter,
  type ParameterSource,
  type Plan,
} from './plan';

/** What a trader types: the market of the symbol and the commission. */
export interface TraderTerms {
  /** Average daily volume, shares. */
  adv: number;
  /** Daily volatility, % of the price (2 = 2%). */
  dailyVolatilityPct: number;
  /** Typical quoted spread, bps of the price. */
  spreadBps: number;
  /** Commission, ¢ per share (0.3 = $0.003). */
  commissionCents: number;
  /** Reference price, $ per share: turns % and bps into $. */
  referencePrice: number;
}

/** How the day's volume is spread over its minutes. */
export type VolumeShape = 'u' | 'flat';

/** The regular US equity day the volatility and the daily volume refer to. */
export const REGULAR_DAY = { start: '09:30', end: '16:00' } as const;
const DAY_START = clockMinutes(REGULAR_DAY.start);
const DAY_MINUTES = clockMinutes(REGULAR_DAY.end) - DAY_START;

/** A field's problem: `field` is a key of TraderTerms. */
export interface TermsIssue {
  field: keyof TraderTerms;
  message: string;
}

/** What is wrong with typed terms, one issue per field (empty: usable). */
export function traderTermsIssues(t: TraderTerms): TermsIssue[] {
  const out: TermsIssue[] = [];
  const check = (field: keyof TraderTerms, ok: boolean, message: string) => {
    if (!ok) out.push({ field, message });
  };
  const v = (f: keyof TraderTerms) => t[f];
  const finite = (f: keyof TraderTerms) => Number.isFinite(v(f));
  check('adv', finite('adv') && t.adv > 0, 'must be a number of shares greater than 0');
  check(
    'dailyVolatilityPct',
    finite('dailyVolatilityPct') && t.dailyVolatilityPct >= 0 && t.dailyVolatilityPct <= 100,
    'must be a percentage of the price between 0 and 100',
  );
  check(
    'spreadBps',
    finite('spreadBps') && t.spreadBps >= 0 && t.spreadBps < 10_000,
    'must be a number of basis points, at least 0 and below 10,000 (100%)',
  );
  check(
    'commissionCents',
    finite('commissionCents') && t.commissionCents >= 0,
    'must be a number of cents per share, at least 0',
  );
  check(
    'referencePrice',
    finite('referencePrice') && t.referencePrice > 0,
    'must be a price greater than 0 (it turns % and bps into $)',
  );
  return out;
}

/** The calibrated impact model's input (plan.impact) from trader's terms, in $. */
export interface TermsImpact {
  model: 'calibrated';
  sigma: number;
  spread: number;
  eta: number;
  beta: number;
  gamma: number;
  dailyVolume: number;
  feePerShare: number;
  sources: Partial<Record<CalibratedParameter, ParameterSource>>;
}

/**
 * σ = volatility% / 100 × price ($ per share per day); spread = bps × price / 10,000 ($);
 * fee = ¢ / 100 ($ per share); V_day = ADV; η, β, γ the published defaults. The typed values
 * are marked "typed", the defaults "default".
 */
export function calibratedFromTerms(t: TraderTerms): TermsImpact {
  return {
    model: 'calibrated',
    sigma: (t.dailyVolatilityPct / 100) * t.referencePrice,
    spread: (t.spreadBps * t.referencePrice) / 10_000,
    eta: CALIBRATED_DEFAULTS.eta,
    beta: CALIBRATED_DEFAULTS.beta,
    gamma: CALIBRATED_DEFAULTS.gamma,
    dailyVolume: t.adv,
    feePerShare: t.commissionCents / 100,
    sources: {
      sigma: 'typed',
      spread: 'typed',
      eta: 'default',
      beta: 'default',
      gamma: 'default',
      dailyVolume: 'typed',
      feePerShare: 'typed',
      volumeProfile: 'typed',
    },
  };
}

/**
 * The share of a regular day's volume traded before minute `m` of the day (0 at the open, 1 at
 * the close, clamped outside). U: volume density 1 + 2τ² with τ = 2m/T − 1 (three times as
 * busy at the open and the close as at midday, the shape the form's U preset uses), whose
 * integral is τ + 2τ³/3, 10/3 over the day. Flat: m / T.
 */
export function dayVolumeShare(m: number, shape: VolumeShape): number {
  const x = m / DAY_MINUTES;
  if (!(x > 0)) return 0;
  if (x >= 1) return 1;
  if (shape === 'flat') return x;
  const tau = 2 * x - 1;
  return (tau + (2 * tau ** 3) / 3 + 5 / 3) / (10 / 3);
}

/**
 * Expected volume per period in whole shares: ADV × the share of the regular day (09:30–16:00)
 * each period covers, by the shape; rounded so that the periods add up exactly to ADV × the
 * share of the day the session covers (largest remainders). Minutes outside the regular day
 * have no volume. Without a session clock the periods are minutes of an average part of the
 * day: ADV / 390 each.
 */
export function volumeProfileFromTerms(
  adv: number,
  periods: number,
  session: Pick<NonNullable<Plan['session']>, 'start' | 'end'> | undefined,
  shape: VolumeShape,
): number[] {
  const exact = new Array<number>(periods);
  if (!session) exact.fill(adv / DAY_MINUTES);
  else {
    const from = clockMinutes(session.start) - DAY_START;
    const len = (clockMinutes(session.end) - clockMinutes(session.start)) / periods;
    for (let i = 0; i < periods; i++) {
      const a = dayVolumeShare(from + i * len, shape);
      const b = dayVolumeShare(from + (i + 1) * len, shape);
      exact[i] = adv * (b - a);
    }
  }
  return roundToTotal(exact);
}

/** The session's share of the regular day's volume (1 for 09:30–16:00). */
export function sessionVolumeShare(
  session: Pick<NonNullable<Plan['session']>, 'start' | 'end'>,
  shape: VolumeShape,
): number {
  return (
    dayVolumeShare(clockMinutes(session.end) - DAY_START, shape) -
    dayVolumeShare(clockMinutes(session.start) - DAY_START, shape)
  );
}

/** Whole numbers with the same (rounded) total: floors, then +1 on the largest remainders. */
function roundToTotal(exact: number[]): number[] {
  const out = exact.map((v) => Math.floor(v + 1e-9));
  const total = Math.round(exact.reduce((a, v) => a + v, 0));
  let left = total - out.reduce((a, v) => a + v, 0);
  if (left <= 0) return out;
  const order = exact.map((v, i) => ({ i, r: v - out[i] })).sort((p, q) => q.r - p.r || p.i - q.i);
  for (let k = 0; left > 0 && k < order.length; k++, left--) out[order[k].i] += 1;
  return out;
}

/**
 * The trader's terms a plan was made from, when its calibrated model and volume profile are
 * exactly what calibratedFromTerms and volumeProfileFromTerms give for them (a plan typed in
 * the form in these terms, saved and opened again); null for any other plan.
 */
export function termsOfPlan(plan: Plan): { terms: TraderTerms; shape: VolumeShape } | null {
  const im = plan.impact;
  const price = plan.referencePrice;
  if (im.model !== 'calibrated' || price === undefined || !plan.volumeProfile) return null;
  if (
    typeof im.spread !== 'number' ||
    im.volatilityProfile ||
    im.calibration ||
    im.dailyVolume === undefined ||
    im.sources?.volumeProfile !== 'typed'
  )
    return null;
  const tidy = (v: number) => Number(v.toPrecision(12));
  const terms: TraderTerms = {
    adv: im.dailyVolume,
    dailyVolatilityPct: tidy((im.sigma / price) * 100),
    spreadBps: tidy((im.spread / price) * 10_000),
    commissionCents: tidy((im.feePerShare ?? 0) * 100),
    referencePrice: price,
  };
  const built = calibratedFromTerms(terms);
  const same =
    built.sigma === im.sigma &&
    built.spread === im.spread &&
    built.feePerShare === (im.feePerShare ?? 0) &&
    im.eta === built.eta &&
    im.beta === built.beta &&
    im.gamma === built.gamma &&
    sameRecord(im.sources ?? {}, built.sources);
  if (!same) return null;
  for (const shape of ['u', 'flat'] as const) {
    const v = volumeProfileFromTerms(terms.adv, plan.periods, plan.session, shape);
    if (v.every((x, i) => x === plan.volumeProfile![i])) return { terms, shape };
  }
  return null;
}

function sameRecord(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}

/**
 * The worked example the window opens with: buy 100,000 FROG over the day (09:30–16:00,
 * 390 one-minute periods, lots of 100) at $31.50, in a stock that trades 2,000,000 shares a
 * day (the order is 5% of it), moves 2% a day, quotes a 5 bps spread and costs 0.3¢ a share.
 * These are plausible figures for a mid-cap US stock; docs/window.md explains them.
 */
export const WORKED_EXAMPLE = {
  name: 'Buy 100,000 FROG over the day (worked example)',
  symbol: 'FROG',
  side: 'buy',
  shares: 100_000,
  lotSize: 100,
  periods: 390,
  session: { start: '09:30', end: '16:00', timeZone: 'America/New_York' },
  terms: {
    adv: 2_000_000,
    dailyVolatilityPct: 2,
    spreadBps: 5,
    commissionCents: 0.3,
    referencePrice: 31.5,
  } satisfies TraderTerms,
  shape: 'u' as VolumeShape,
} as const;

/** The worked example as a plan input (validated by PlanSchema like any other). */
export function workedExamplePlan(): Record<string, unknown> {
  const e = WORKED_EXAMPLE;
  return {
    name: e.name,
    symbol: e.symbol,
    side: e.side,
    shares: e.shares,
    lotSize: e.lotSize,
    periods: e.periods,
    referencePrice: e.terms.referencePrice,
    session: { ...e.session },
    volumeProfile: volumeProfileFromTerms(e.terms.adv, e.periods, e.session, e.shape),
    impact: calibratedFromTerms(e.terms),
    notes:
      'A worked example: a mid-cap stock trading 2,000,000 shares a day, 2% daily volatility, a 5 bps spread, 0.3¢ a share commission. Change the figures to your order and solve.',
  };
}
