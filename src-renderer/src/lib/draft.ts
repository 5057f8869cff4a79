/**
 * The editor's form model: what the user typed (strings, so that half-typed and wrong values
 * can be shown and explained), a new form, the long per-period lists kept out of Svelte's
 * proxies, and what the fields say on their own (session length and periods, σ conversions,
 * where a calibrated parameter came from). The mapping to a plan is draftToPlan.ts, from a
 * plan draftFromPlan.ts; validation runs on the mapped input with the same PlanSchema the
 * backend uses (see state/editor.svelte.ts).
 */
import {
  clockMinutes,
  DEFAULT_MINUTES_PER_YEAR,
  MAX_PERIODS,
  type CalibratedParameter,
  type ParameterSource,
  type Plan,
} from '@shared/plan';
import type { TraderTerms, VolumeShape } from '@shared/traderTerms';
import { fmtInt } from './format';
import { numberText, toNumber, type ShapeKind } from './profiles';

export type CapMode = 'none' | 'shares' | 'participation' | 'both';
export type ProfileKind = ShapeKind | 'custom';
export type VolumeKind = 'none' | ShapeKind | 'custom';
/**
 * The impact model chosen in the form: 'market' builds the calibrated model from the market
 * in a trader's terms (ADV, daily volatility, spread, commission: shared/traderTerms); the
 * plan's own models are the advanced choices.
 */
export type ModelKind = Plan['impact']['model'] | 'market';
/** How the volatility is typed: $ per period, or % a year of the reference price. */
export type VolatilityMode = 'period' | 'annual';
export type Point = [number, number];

export interface Draft {
  name: string;
  symbol: string;
  side: 'buy' | 'sell';
  shares: string;
  lotSize: string;
  periods: string;
  referencePrice: string;
  useSession: boolean;
  start: string;
  end: string;
  timeZone: string;
  /** Minutes per period, kept in step with `periods` while a session is used. */
  periodMinutes: string;
  capMode: CapMode;
  capShares: string;
  /** Per-period caps from a loaded plan (null: capShares for every period). */
  capValues: number[] | null;
  participationPct: string;
  volumeKind: VolumeKind;
  dailyVolume: string;
  volumeValues: number[];
  model: ModelKind;
  /** The market in a trader's terms (model 'market'): average daily volume, shares. */
  marketAdv: string;
  /** Daily volatility, % of the reference price. */
  marketVolatilityPct: string;
  /** Typical quoted spread, bps of the reference price. */
  marketSpreadBps: string;
  /** Commission, ¢ per share (blank: none). */
  marketCommissionCents: string;
  /** How the ADV is spread over the day for the volume profile. */
  marketShape: VolumeShape;
  beta: string;
  exponent: string;
  /** The power model's cost per share on top of the power law, $ (blank: none). */
  intercept: string;
  profileKind: ProfileKind;
  profileValues: number[];
  /** The table model's curve as "shares, impact" lines, used for every period. */
  curveText: string;
  /** Per-period curves from a loaded plan (null: replicate curveText). */
  curves: Point[][] | null;
  /** Ladders of a `book` plan (read-only in the editor). */
  ladders: Point[][] | null;
  /**
   * The calibrated model (Almgren et al. 2005). σ: daily volatility, $ per share per day
   * (typed in $, the model's own unit; the form shows it as % of the reference price too).
   */
  sigma: string;
  /** Typical quoted spread in $ (one for every period). */
  spread: string;
  /** Per-period spreads from a loaded plan (null: `spread` for every period). */
  spreadValues: number[] | null;
  /** η, β, γ: blank means the published default. */
  eta: string;
  calBeta: string;
  gamma: string;
  /** $ per share on every share (blank: none). */
  feePerShare: string;
  /** V_day in shares (blank: the sum of the volume profile). */
  calDailyVolume: string;
  /** σ multipliers p_t from a loaded plan (null: 1 for every period). */
  sigmaProfile: number[] | null;
  /** Where each parameter of a loaded plan came from, and its field's text then. */
  sources: Partial<Record<CalibratedParameter, ParameterSource>>;
  sourceTexts: Partial<Record<CalibratedParameter, string>>;
  /** A loaded plan's calibration metadata, kept as it was. */
  calibration: unknown;
  /** The user chose to edit fitted values (shown read-only until then). */
  fittedUnlocked: boolean;
  feePerOrder: string;
  minOrderSize: string;
  /** Risk: σ typed per period ($) or annualised (% of the reference price). */
  volatilityMode: VolatilityMode;
  /** σ per period, $ (volatilityMode 'period'). */
  volatility: string;
  /** Annualised volatility in % (volatilityMode 'annual'). */
  annualVolatilityPct: string;
  /** Trading minutes per year for the annualised form (blank: the default 98,280). */
  minutesPerYear: string;
  /** σ multipliers per period from a loaded plan (null: 1 for every period). */
  volatilityProfile: number[] | null;
  /** λ, per $ (blank: 0, risk-neutral). */
  aversion: string;
  /** γ, $ per share traded (blank: none). */
  permanentImpact: string;
  notes: string;
  /** The market data a loaded plan was made from (plan.source), kept as it is. */
  source: Plan['source'] | null;
  /**
   * Full-precision values of fields shown rounded (a fitted β shows six significant digits):
   * while a field's text is still the rounded one, the plan keeps the exact value.
   */
  exact: Partial<Record<ExactField, { text: string; value: number }>>;
  /** Where the per-period intraday profile came from ("From the order book: FROG 2025-03-07"). */
  profileSource: string | null;
  /** Where the per-period volume profile came from. */
  volumeSource: string | null;
  /** Where the σ multipliers per period came from. */
  volatilitySource: string | null;
}

/** Fields a loaded plan may show rounded while keeping their exact value. */
export type ExactField =
  | 'beta'
  | 'exponent'
  | 'volatility'
  | 'permanentImpact'
  | 'intercept'
  | 'sigma'
  | 'spread'
  | 'eta'
  | 'calBeta'
  | 'gamma'
  | 'feePerShare';

/** A problem found before the schema runs (e.g. unparseable curve text), keyed by plan path. */
export interface LocalIssue {
  path: string;
  message: string;
}

export function newDraft(): Draft {
  return {
    name: '',
    symbol: '',
    side: 'buy',
    shares: '',
    lotSize: '100',
    periods: '390',
    referencePrice: '',
    useSession: true,
    start: '09:30',
    end: '16:00',
    timeZone: 'America/New_York',
    periodMinutes: '1',
    capMode: 'none',
    capShares: '',
    capValues: null,
    participationPct: '10',
    volumeKind: 'none',
    dailyVolume: '',
    volumeValues: [],
    model: 'market',
    marketAdv: '',
    marketVolatilityPct: '',
    marketSpreadBps: '',
    marketCommissionCents: '',
    marketShape: 'u',
    beta: '0.0001',
    exponent: '0.5',
    profileKind: 'flat',
    profileValues: [],
    curveText: '0, 0.01\n1000, 0.02\n5000, 0.05',
    curves: null,
    ladders: null,
    sigma: '',
    spread: '',
    spreadValues: null,
    eta: '',
    calBeta: '',
    gamma: '',
    feePerShare: '',
    calDailyVolume: '',
    sigmaProfile: null,
    sources: {},
    sourceTexts: {},
    calibration: undefined,
    fittedUnlocked: false,
    intercept: '',
    feePerOrder: '',
    minOrderSize: '',
    volatilityMode: 'annual',
    volatility: '',
    annualVolatilityPct: '',
    minutesPerYear: fmtInt(DEFAULT_MINUTES_PER_YEAR),
    volatilityProfile: null,
    aversion: '',
    permanentImpact: '',
    notes: '',
    source: null,
    exact: {},
    profileSource: null,
    volumeSource: null,
    volatilitySource: null,
  };
}

/**
 * Long per-period lists (profiles, caps, curves, ladders) are kept out of Svelte's deep
 * proxies: a list of this class is not proxied, so reading it costs nothing per element and
 * its identity stands for its content (a new list is a new value: lists are replaced, never
 * changed in place). Array.isArray, JSON and structured clone see a plain array.
 */
class LongList<T> extends Array<T> {}

/** The values as a long list (see LongList); the array itself is reused, not copied. */
export function longList<T>(values: T[]): T[] {
  if (Object.getPrototypeOf(values) !== LongList.prototype)
    Object.setPrototypeOf(values, LongList.prototype);
  return values;
}

const trusted = new WeakSet<object>();
/** A long list copied from a validated plan: its values are known to pass the plan schema. */
export function trustedList<T>(values: T[]): T[] {
  trusted.add(values);
  return longList(values);
}
/** The list came from a validated plan unchanged (see trustedList). */
export function isTrusted(values: unknown): boolean {
  return typeof values === 'object' && values !== null && trusted.has(values);
}

/** The Risk section has something in it (then the plan gets a `risk` object). */
export function hasRiskInput(d: Draft): boolean {
  const vol = d.volatilityMode === 'period' ? d.volatility : d.annualVolatilityPct;
  return vol.trim() !== '' || d.aversion.trim() !== '' || d.volatilityProfile !== null;
}

/** Minutes per period as the plan will have it: the session over N, else 1 (shared rule). */
export function draftPeriodMinutes(d: Draft): number | null {
  const n = validCount(d.periods);
  if (n === null) return null;
  if (!d.useSession) return 1;
  const minutes = sessionMinutes(d);
  return minutes === null ? null : minutes / n;
}

/**
 * σ per period in $ from an annualised % (the plan's own conversion), or null when an input is
 * missing: pct/100 × reference price × √(period minutes / minutes per year).
 */
export function annualToPeriod(
  pct: number,
  referencePrice: number,
  periodMinutes: number,
  minutesPerYear: number,
): number {
  return (pct / 100) * referencePrice * Math.sqrt(periodMinutes / minutesPerYear);
}

/** The inverse: the annualised % of a σ per period in $. */
export function periodToAnnual(
  sigma: number,
  referencePrice: number,
  periodMinutes: number,
  minutesPerYear: number,
): number {
  return ((sigma / referencePrice) * 100) / Math.sqrt(periodMinutes / minutesPerYear);
}

/** The minutes per year the draft uses (blank or junk: the default). */
export function draftMinutesPerYear(d: Draft): number {
  const v = toNumber(d.minutesPerYear);
  return v !== null && v > 0 ? v : DEFAULT_MINUTES_PER_YEAR;
}

/** Session length in minutes, or null when the clock fields are not valid yet. */
export function sessionMinutes(d: Pick<Draft, 'start' | 'end'>): number | null {
  const ok = /^([01]\d|2[0-3]):[0-5]\d$/;
  if (!ok.test(d.start) || !ok.test(d.end)) return null;
  const m = clockMinutes(d.end) - clockMinutes(d.start);
  return m > 0 ? m : null;
}

/** Periods implied by the session and the period length, or null. */
export function periodsFromLength(d: Draft): number | null {
  const minutes = sessionMinutes(d);
  const len = toNumber(d.periodMinutes);
  if (minutes === null || len === null || len <= 0) return null;
  return Math.max(1, Math.round(minutes / len));
}

/** Period length in minutes implied by the session and the number of periods, as text. */
export function lengthFromPeriods(d: Draft): string | null {
  const minutes = sessionMinutes(d);
  const n = toNumber(d.periods);
  if (minutes === null || n === null || n <= 0) return null;
  return numberText(Number((minutes / n).toFixed(4)));
}

/** A number of periods the plan can have, or null. */
export function validCount(text: string): number | null {
  const n = toNumber(text);
  return n !== null && Number.isInteger(n) && n >= 1 && n <= MAX_PERIODS ? n : null;
}

/** The market fields have something typed in (then they make the cost model). */
export function hasMarketInput(d: Draft): boolean {
  return [d.marketAdv, d.marketVolatilityPct, d.marketSpreadBps, d.marketCommissionCents].some(
    (t) => t.trim() !== '',
  );
}

/**
 * Why the plan's cost is not calibrated to the market, in words, or null when it is (the
 * market fields filled in, the calibrated model, or an imported order book).
 */
export function notCalibratedReason(d: Draft): string | null {
  switch (d.model) {
    case 'market':
      return hasMarketInput(d)
        ? null
        : 'Cost not calibrated: without the stock’s daily volume, volatility and spread the plan is priced with a placeholder impact (the advanced power law, β ' +
            (d.beta.trim() || '?') +
            ', exponent ' +
            (d.exponent.trim() || '?') +
            '), so its costs and savings are illustrative. Type the market figures to calibrate it.';
    case 'linear':
    case 'power':
    case 'table':
      return 'Cost not calibrated: the impact coefficients are not derived from the stock’s volume, volatility and spread; costs and savings hold only as far as the coefficients do.';
    default:
      return null;
  }
}

/** Where a volume profile made from the market figures came from, in words. */
export const MARKET_VOLUME_SOURCE = 'From the market figures (ADV over the session)';

/** Plan paths of the market fields (their problems are shown under them). */
export const MARKET_PATHS = {
  adv: 'market.adv',
  dailyVolatilityPct: 'market.dailyVolatility',
  spreadBps: 'market.spread',
  commissionCents: 'market.commission',
  referencePrice: 'referencePrice',
} as const satisfies Record<keyof TraderTerms, string>;

/** The calibrated model's text fields: parameter → draft field (blank: left out). */
export const CALIBRATED_FIELDS = {
  sigma: 'sigma',
  spread: 'spread',
  eta: 'eta',
  beta: 'calBeta',
  gamma: 'gamma',
  feePerShare: 'feePerShare',
  dailyVolume: 'calDailyVolume',
} as const satisfies Partial<Record<CalibratedParameter, ExactField | 'calDailyVolume'>>;
export type CalibratedField = keyof typeof CALIBRATED_FIELDS;

const HAS_DEFAULT: Partial<Record<CalibratedParameter, boolean>> = {
  eta: true,
  beta: true,
  gamma: true,
};

/**
 * Where a parameter's value comes from as the form stands: the loaded plan's own record while
 * the field still shows what was loaded, else "typed" when something is typed and "default"
 * when η, β or γ is left blank; null when unknown (a loaded plan that did not say, or blank).
 */
export function calibratedSource(d: Draft, param: CalibratedParameter): ParameterSource | null {
  if (param === 'volumeProfile') return d.sources.volumeProfile ?? null;
  if (param === 'volatilityProfile') return d.sigmaProfile ? (d.sources[param] ?? null) : null;
  if (param === 'spread' && d.spreadValues) return d.sources.spread ?? null;
  const text = d[CALIBRATED_FIELDS[param as CalibratedField]].trim();
  const loaded = d.sourceTexts[param];
  if (loaded !== undefined && loaded.trim() === text)
    return d.sources[param] ?? (text === '' && HAS_DEFAULT[param] ? 'default' : null);
  if (text === '') return HAS_DEFAULT[param] ? 'default' : null;
  return 'typed';
}

/** True when a fitted value is shown read-only (until the user chooses to edit it). */
export function fittedLocked(d: Draft, param: CalibratedParameter): boolean {
  return !d.fittedUnlocked && calibratedSource(d, param) === 'fitted';
}
