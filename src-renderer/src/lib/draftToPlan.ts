/**
 * The form to plan input: draftToInput maps what is typed to an unvalidated plan (the schema
 * judges it in lib/planCheck) plus the problems only the form can see (a number that is
 * ambiguous, a market figure missing, a curve that does not parse), keyed by plan path.
 * Preset lists are built once per input and keep their identity between keystrokes.
 */
import {
  DEFAULT_MINUTES_PER_YEAR,
  type CalibratedParameter,
  type ParameterSource,
} from '@shared/plan';
import {
  calibratedFromTerms,
  traderTermsIssues,
  volumeProfileFromTerms,
  type TraderTerms,
  type VolumeShape,
} from '@shared/traderTerms';
import {
  parseCurveCsv,
  parseNumber,
  parseShares,
  profileValueProblem,
  shape,
  volumes,
  type ParsedCurve,
  type ShapeKind,
} from './profiles';
import {
  CALIBRATED_FIELDS,
  calibratedSource,
  hasMarketInput,
  hasRiskInput,
  longList,
  MARKET_PATHS,
  sessionMinutes,
  validCount,
  type CalibratedField,
  type Draft,
  type ExactField,
  type LocalIssue,
  type Point,
} from './draft';

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
