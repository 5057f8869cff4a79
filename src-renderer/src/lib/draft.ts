/**
 * The editor's form model: what the user typed (strings, so that half-typed and wrong values
 * can be shown and explained) and its mapping to and from a plan file. Validation happens on
 * the mapped input with the same PlanSchema the backend uses (see state/editor.svelte.ts).
 */
import {
  CALIBRATED_DEFAULTS,
  clockMinutes,
  DEFAULT_MINUTES_PER_YEAR,
  MAX_PERIODS,
  type CalibratedParameter,
  type ParameterSource,
  type Plan,
} from '@shared/plan';
import {
  calibratedFromTerms,
  termsOfPlan,
  traderTermsIssues,
  volumeProfileFromTerms,
  type TraderTerms,
  type VolumeShape,
} from '@shared/traderTerms';
import { fmtCoef, fmtInput, fmtInt } from './format';
import {
  curveToCsv,
  detectShape,
  detectVolumes,
  localizeText,
  numberText,
  parseCurveCsv,
  parseNumber,
  parseShares,
  profileValueProblem,
  shape,
  toNumber,
  volumes,
  type ParsedCurve,
  type ShapeKind,
} from './profiles';

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
type Point = [number, number];

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

/**
 * Plan paths that hold a number of shares: their fields also read "200k" and "1.5m" (see
 * parseShares in src-shared/numbers.ts), as the CLI's --shares does.
 */
export const SHARE_PATHS: ReadonlySet<string> = new Set([
  'shares',
  'lotSize',
  'maxPerPeriod',
  'minOrderSize',
  'dailyVolume',
  'impact.dailyVolume',
  'market.adv',
]);

/**
 * A number field: '' → undefined (the schema says it is required), junk → NaN (the schema says
 * it is not a number); an ambiguous number ("31,50" where a comma groups thousands) or a share
 * count refused with what to type ("2mm", "1.0005k") → NaN with its own message, which
 * replaces the schema's.
 */
function reader(d: Draft, issues: LocalIssue[]) {
  return (text: string, path: string, exact?: ExactField): number | undefined => {
    if (exact) {
      const e = d.exact[exact];
      if (e && e.text === text) return e.value;
    }
    const r = SHARE_PATHS.has(path) ? parseShares(text) : parseNumber(text);
    if (r.ok) return r.value;
    if (r.empty) return undefined;
    if (r.ambiguous || r.specific) issues.push({ path, message: r.error });
    return Number.NaN;
  };
}

function validCount(text: string): number | null {
  const n = toNumber(text);
  return n !== null && Number.isInteger(n) && n >= 1 && n <= MAX_PERIODS ? n : null;
}

/** Map the form to plan input (unvalidated) plus problems the schema cannot see. */
export function draftToInput(d: Draft): { input: Record<string, unknown>; issues: LocalIssue[] } {
  const issues: LocalIssue[] = [];
  const num = reader(d, issues);
  const n = validCount(d.periods);
  const input: Record<string, unknown> = {
    name: d.name,
    symbol: d.symbol,
    side: d.side,
    shares: num(d.shares, 'shares'),
    lotSize: num(d.lotSize, 'lotSize'),
    periods: num(d.periods, 'periods'),
  };
  if (d.referencePrice.trim() !== '')
    input.referencePrice = num(d.referencePrice, 'referencePrice');
  if (d.useSession) input.session = { start: d.start, end: d.end, timeZone: d.timeZone.trim() };

  const market = marketInput(d, n, issues, num);
  if (market) {
    if (market.volumeProfile) input.volumeProfile = market.volumeProfile;
  } else if (d.volumeKind === 'custom') input.volumeProfile = d.volumeValues;
  else if (d.volumeKind !== 'none') {
    const before = issues.length;
    const daily = num(d.dailyVolume, 'dailyVolume');
    if (issues.length > before) {
      // An ambiguous number: its own message says what to type.
    } else if (daily === undefined || !(daily > 0))
      issues.push({ path: 'dailyVolume', message: 'must be a number of shares greater than 0' });
    else if (n !== null) input.volumeProfile = presetVolumes(d.volumeKind, n, daily);
  }
  if (d.capMode === 'shares' || d.capMode === 'both')
    input.maxPerPeriod = d.capValues ?? num(d.capShares, 'maxPerPeriod') ?? Number.NaN;
  if (d.capMode === 'participation' || d.capMode === 'both') {
    const pct = num(d.participationPct, 'maxParticipation');
    input.maxParticipation = pct === undefined ? Number.NaN : pct / 100;
  }
  if (d.feePerOrder.trim() !== '') input.fixedFeePerOrder = num(d.feePerOrder, 'fixedFeePerOrder');
  if (d.minOrderSize.trim() !== '') input.minOrderSize = num(d.minOrderSize, 'minOrderSize');
  if (d.notes !== '') input.notes = d.notes;
  if (d.source) input.source = d.source;

  input.impact = market ? market.impact : impactInput(d, n, issues, num);
  const risk = riskInput(d, issues, num);
  if (risk) input.risk = risk;
  if (d.permanentImpact.trim() !== '')
    input.permanentImpact = num(d.permanentImpact, 'permanentImpact', 'permanentImpact');
  return { input, issues };
}

/** The Risk section as plan.risk, or undefined when it is empty (a risk-neutral plan). */
type Reader = ReturnType<typeof reader>;

function riskInput(
  d: Draft,
  issues: LocalIssue[],
  num: Reader,
): Record<string, unknown> | undefined {
  if (!hasRiskInput(d)) return undefined;
  const out: Record<string, unknown> = {};
  if (d.volatilityMode === 'period') {
    if (d.volatility.trim() === '') {
      issues.push({ path: 'risk.volatility', message: 'is required to weigh timing risk' });
      return undefined;
    }
    out.volatility = num(d.volatility, 'risk.volatility', 'volatility');
  } else {
    const pct = num(d.annualVolatilityPct, 'risk.annualVolatility');
    if (pct === undefined) {
      issues.push({ path: 'risk.annualVolatility', message: 'is required to weigh timing risk' });
      return undefined;
    }
    out.annualVolatility = pct / 100;
  }
  // Only a value other than the default is written (the default need not be in the file).
  if (d.minutesPerYear.trim() !== '') {
    const m = num(d.minutesPerYear, 'risk.minutesPerYear');
    if (m !== DEFAULT_MINUTES_PER_YEAR) out.minutesPerYear = m;
  }
  if (d.volatilityProfile) out.volatilityProfile = d.volatilityProfile;
  if (d.aversion.trim() !== '') out.aversion = num(d.aversion, 'risk.aversion');
  return out;
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

/**
 * The market in a trader's terms as the plan's calibrated model and volume profile, or null
 * when the form does not use it (another model, or nothing typed: the placeholder power law).
 * A field left out or wrong is an issue under that field (and null: the placeholder stands in
 * while the issue blocks the plan).
 */
function marketInput(
  d: Draft,
  n: number | null,
  issues: LocalIssue[],
  num: Reader,
): { impact: Record<string, unknown>; volumeProfile: number[] | null } | null {
  if (d.model !== 'market' || !hasMarketInput(d)) return null;
  const before = issues.length;
  const read = (text: string, path: string, optional = false): number => {
    if (optional && text.trim() === '') return 0;
    const v = num(text, path);
    if (v === undefined) {
      issues.push({ path, message: 'is required to calibrate the cost' });
      return Number.NaN;
    }
    return v;
  };
  const terms: TraderTerms = {
    adv: read(d.marketAdv, MARKET_PATHS.adv),
    dailyVolatilityPct: read(d.marketVolatilityPct, MARKET_PATHS.dailyVolatilityPct),
    spreadBps: read(d.marketSpreadBps, MARKET_PATHS.spreadBps),
    commissionCents: read(d.marketCommissionCents, MARKET_PATHS.commissionCents, true),
    referencePrice:
      d.referencePrice.trim() === ''
        ? Number.NaN
        : (num(d.referencePrice, 'referencePrice') ?? Number.NaN),
  };
  if (d.referencePrice.trim() === '')
    issues.push({
      path: 'referencePrice',
      message: 'is required with the market figures: it turns % and bps into $',
    });
  const reported = new Set(issues.slice(before).map((i) => i.path));
  for (const i of traderTermsIssues(terms)) {
    const path = MARKET_PATHS[i.field];
    // A number the schema or a reader already explains (junk, ambiguous, missing) is said once.
    if (!reported.has(path) && !(path === 'referencePrice' && Number.isNaN(terms.referencePrice)))
      issues.push({ path, message: i.message });
  }
  // The problems block the plan; the placeholder stands in so that only they are listed.
  if (issues.length > before) return null;
  const clock =
    d.useSession && sessionMinutes(d) !== null ? { start: d.start, end: d.end } : undefined;
  return {
    impact: { ...calibratedFromTerms(terms) },
    volumeProfile:
      n === null ? null : marketVolumes(terms.adv, n, clock?.start, clock?.end, d.marketShape),
  };
}

const marketVolumes = lastOf(
  (
    adv: number,
    n: number,
    start: string | undefined,
    end: string | undefined,
    shape: VolumeShape,
  ) => longList(volumeProfileFromTerms(adv, n, start && end ? { start, end } : undefined, shape)),
);

function impactInput(d: Draft, n: number | null, issues: LocalIssue[], num: Reader): unknown {
  switch (d.model) {
    case 'market':
    case 'linear':
    case 'power': {
      // The market model without market figures: the placeholder power law (said in the form).
      const out: Record<string, unknown> = {
        model: d.model === 'market' ? 'power' : d.model,
        beta: num(d.beta, 'impact.beta', 'beta'),
      };
      if (d.model !== 'linear') {
        out.exponent = num(d.exponent, 'impact.exponent', 'exponent');
        if (d.intercept.trim() !== '')
          out.intercept = num(d.intercept, 'impact.intercept', 'intercept');
      }
      if (d.profileKind === 'custom') {
        // 0 is a valid multiplier (a period without impact); negative or non-finite is not.
        // Reported here with the period, and kept from the schema so it is said only once.
        const problem = profileValueProblem(d.profileValues);
        if (problem) issues.push({ path: 'impact.profile', message: problem });
        else out.profile = d.profileValues;
      } else if (d.profileKind === 'u' && n !== null) out.profile = uShape(n);
      return out;
    }
    case 'table': {
      if (d.curves) return { model: 'table', curves: d.curves };
      const parsed = curveOf(d.curveText);
      if (!parsed.ok) {
        issues.push({ path: 'impact.curves', message: parsed.error });
        return { model: 'table', curves: [] };
      }
      return { model: 'table', curves: n === null ? [parsed.points] : replicate(parsed.points, n) };
    }
    case 'book':
      return { model: 'book', ladders: d.ladders ?? [] };
    case 'calibrated':
      return calibratedInput(d, num);
  }
}

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
type CalibratedField = keyof typeof CALIBRATED_FIELDS;

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

function calibratedInput(d: Draft, num: Reader): Record<string, unknown> {
  const out: Record<string, unknown> = { model: 'calibrated' };
  out.sigma = num(d.sigma, 'impact.sigma', 'sigma');
  out.spread = d.spreadValues ?? num(d.spread, 'impact.spread', 'spread');
  const optional = (param: CalibratedField, exact?: ExactField) => {
    const field = CALIBRATED_FIELDS[param];
    if (d[field].trim() !== '') out[param] = num(d[field], `impact.${param}`, exact);
  };
  optional('eta', 'eta');
  optional('beta', 'calBeta');
  optional('gamma', 'gamma');
  if (d.sigmaProfile) out.volatilityProfile = d.sigmaProfile;
  optional('dailyVolume');
  optional('feePerShare', 'feePerShare');
  // The loaded record, with the fields changed since then said again.
  const sources: Partial<Record<CalibratedParameter, ParameterSource>> = { ...d.sources };
  for (const param of Object.keys(CALIBRATED_FIELDS) as CalibratedField[]) {
    const field = CALIBRATED_FIELDS[param];
    if (param === 'spread' && d.spreadValues) continue;
    const loaded = d.sourceTexts[param] ?? '';
    if (d[field].trim() === loaded.trim()) continue;
    const now = calibratedSource(d, param);
    if (now === null) delete sources[param];
    else sources[param] = now;
  }
  if (!d.sigmaProfile) delete sources.volatilityProfile;
  if (Object.keys(sources).length > 0) out.sources = sources;
  if (d.calibration !== undefined) out.calibration = d.calibration;
  return out;
}

/**
 * The last result of `f` for the same arguments: a preset list is built once, not on every
 * keystroke, and keeps its identity (which the editor's plan key and cached checks rely on).
 */
function lastOf<A extends unknown[], R>(f: (...args: A) => R): (...args: A) => R {
  let args: A | null = null;
  let result: R;
  return (...next: A) => {
    if (args && args.length === next.length && args.every((a, i) => a === next[i])) return result;
    args = next;
    result = f(...next);
    return result;
  };
}

const presetVolumes = lastOf((kind: ShapeKind, n: number, daily: number) =>
  longList(volumes(kind, n, daily)),
);
const uShape = lastOf((n: number) => longList(shape('u', n)));
const curveOf = lastOf((text: string): ParsedCurve => parseCurveCsv(text));
const replicate = lastOf((points: Point[], n: number): Point[][] => {
  const out = new Array<Point[]>(n);
  for (let i = 0; i < n; i++) out[i] = points;
  return longList(out);
});

/** The form for a validated plan; draftToInput(draftFromPlan(p)) parses back to p. */
export function draftFromPlan(p: Plan): Draft {
  const d = newDraft();
  d.name = p.name;
  d.symbol = p.symbol;
  d.side = p.side;
  d.shares = String(p.shares);
  d.lotSize = String(p.lotSize);
  d.periods = String(p.periods);
  d.referencePrice = p.referencePrice === undefined ? '' : numberText(p.referencePrice);
  d.useSession = p.session !== undefined;
  if (p.session) {
    d.start = p.session.start;
    d.end = p.session.end;
    d.timeZone = p.session.timeZone;
    d.periodMinutes = lengthFromPeriods(d) ?? '1';
  }
  if (Array.isArray(p.maxPerPeriod)) {
    d.capMode = 'shares';
    d.capValues = trustedList([...p.maxPerPeriod]);
    d.capShares = p.maxPerPeriod.length > 0 ? String(Math.max(...p.maxPerPeriod)) : '';
  } else if (p.maxPerPeriod !== undefined) {
    d.capMode = 'shares';
    d.capShares = String(p.maxPerPeriod);
  }
  if (p.maxParticipation !== undefined) {
    d.capMode = d.capMode === 'shares' ? 'both' : 'participation';
    d.participationPct = pctText(p.maxParticipation);
  }
  if (p.volumeProfile) {
    const preset = detectVolumes(p.volumeProfile);
    if (preset) {
      d.volumeKind = preset.kind;
      d.dailyVolume = String(preset.daily);
    } else {
      d.volumeKind = 'custom';
      d.volumeValues = trustedList([...p.volumeProfile]);
      d.volumeSource = listSource(p);
    }
  }
  d.feePerOrder = p.fixedFeePerOrder === undefined ? '' : numberText(p.fixedFeePerOrder);
  d.minOrderSize = p.minOrderSize === undefined ? '' : String(p.minOrderSize);
  d.notes = p.notes ?? '';
  d.source = p.source ?? null;
  if (p.permanentImpact !== undefined)
    d.permanentImpact = coefText(d, 'permanentImpact', p.permanentImpact);
  if (p.risk) {
    const r = p.risk;
    if (r.annualVolatility !== undefined) {
      d.volatilityMode = 'annual';
      d.annualVolatilityPct = pctText(r.annualVolatility);
    } else {
      d.volatilityMode = 'period';
      d.volatility = r.volatility === undefined ? '' : coefText(d, 'volatility', r.volatility);
    }
    if (r.minutesPerYear !== undefined) d.minutesPerYear = numberText(r.minutesPerYear);
    d.volatilityProfile = r.volatilityProfile ? trustedList([...r.volatilityProfile]) : null;
    if (r.volatilityProfile) d.volatilitySource = listSource(p);
    // λ in the window's own format when that reads back exactly, else as stored.
    d.aversion = aversionText(r.aversion);
  }
  const im = p.impact;
  d.model = im.model;
  if (im.model === 'linear' || im.model === 'power') {
    d.beta = coefText(d, 'beta', im.beta);
    if (im.model === 'power') {
      d.exponent = coefText(d, 'exponent', im.exponent);
      if (im.intercept !== undefined) d.intercept = coefText(d, 'intercept', im.intercept);
    }
    if (im.profile) {
      const preset = detectShape(im.profile);
      if (preset) d.profileKind = preset;
      else {
        d.profileKind = 'custom';
        d.profileValues = trustedList([...im.profile]);
        d.profileSource = listSource(p);
      }
    }
  } else if (im.model === 'calibrated') {
    calibratedFromPlan(d, im);
    const market = termsOfPlan(p);
    if (market) {
      d.model = 'market';
      // Whole shares with thousands groups ("2,000,000"), as a trader writes them.
      const adv = fmtInt(market.terms.adv);
      d.marketAdv = toNumber(adv) === market.terms.adv ? adv : numberText(market.terms.adv);
      d.marketVolatilityPct = numberText(market.terms.dailyVolatilityPct);
      d.marketSpreadBps = numberText(market.terms.spreadBps);
      d.marketCommissionCents =
        market.terms.commissionCents === 0 ? '' : numberText(market.terms.commissionCents);
      d.marketShape = market.shape;
      // Kept for an advanced model chosen later (the market figures make it meanwhile).
      if (d.volumeKind === 'custom') d.volumeSource = MARKET_VOLUME_SOURCE;
    }
  } else if (im.model === 'table') {
    const first = JSON.stringify(im.curves[0]);
    const same = im.curves.every((c) => JSON.stringify(c) === first);
    d.curveText = curveToCsv(im.curves[0]);
    // One curve for all periods round-trips through the text; anything else is kept as is.
    if (!(same && im.curves.length === p.periods) || !textRoundTrips(im.curves[0]))
      d.curves = trustedList([...im.curves] as Point[][]);
  } else {
    // The list is copied, its ladders shared: lists are replaced, never changed in place.
    d.ladders = trustedList([...im.ladders] as Point[][]);
  }
  return d;
}

type CalibratedImpact = Extract<Plan['impact'], { model: 'calibrated' }>;

/** The calibrated model's fields from a plan; η, β, γ at their default show blank. */
function calibratedFromPlan(d: Draft, im: CalibratedImpact): void {
  d.sources = { ...(im.sources ?? {}) };
  d.sigma = coefText(d, 'sigma', im.sigma);
  if (Array.isArray(im.spread)) {
    d.spreadValues = trustedList([...im.spread]);
    d.spread = '';
  } else d.spread = coefText(d, 'spread', im.spread);
  const orDefault = (param: 'eta' | 'beta' | 'gamma', field: 'eta' | 'calBeta' | 'gamma') => {
    const v = im[param];
    const src = im.sources?.[param];
    d[field] =
      (src === undefined || src === 'default') && v === CALIBRATED_DEFAULTS[param]
        ? ''
        : coefText(d, field, v);
  };
  orDefault('eta', 'eta');
  orDefault('beta', 'calBeta');
  orDefault('gamma', 'gamma');
  d.feePerShare = im.feePerShare === undefined ? '' : coefText(d, 'feePerShare', im.feePerShare);
  d.calDailyVolume = im.dailyVolume === undefined ? '' : numberText(im.dailyVolume);
  d.sigmaProfile = im.volatilityProfile ? trustedList([...im.volatilityProfile]) : null;
  d.calibration = im.calibration;
  for (const param of Object.keys(CALIBRATED_FIELDS) as CalibratedField[])
    d.sourceTexts[param] = d[CALIBRATED_FIELDS[param]];
}

/**
 * A coefficient as its field shows it: six significant digits (fmtCoef). When that is not the
 * exact value, the exact value is kept in `d.exact` and used while the text is unchanged.
 */
function coefText(d: Draft, field: ExactField, v: number): string {
  const text = localizeText(fmtCoef(v));
  if (toNumber(text) !== v) d.exact[field] = { text, value: v };
  return text;
}

/**
 * Where a loaded plan's per-period list came from, in words. Plans built from an order book
 * carry no structured source; their notes begin "From <file>, <date>, <side> side, …" (see
 * buildBookPlan), which names the day; the symbol is the plan's.
 */
export function listSource(p: Plan): string | null {
  const m = /^From (.+?), (\d{4}-\d{2}-\d{2}), (ask|bid) side\b/.exec(p.notes ?? '');
  return m ? `From the order book: ${p.symbol} ${m[2]}` : null;
}

function textRoundTrips(points: Point[]): boolean {
  const back = parseCurveCsv(curveToCsv(points));
  return back.ok && JSON.stringify(back.points) === JSON.stringify(points);
}

/** λ as the field shows it (fmtCoef) when that is exactly λ, else the plain number. */
export function aversionText(v: number): string {
  const nice = localizeText(fmtCoef(v));
  return toNumber(nice) === v ? nice : numberText(v);
}

/** A fraction as a percentage text that maps back to exactly the same fraction. */
function pctText(fraction: number): string {
  const tidy = numberText(Number(fmtInput(fraction * 100)));
  return toNumber(tidy)! / 100 === fraction ? tidy : numberText(fraction * 100);
}
