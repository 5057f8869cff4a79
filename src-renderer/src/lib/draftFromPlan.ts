/**
 * A plan to the form: draftFromPlan fills a draft so that draftToInput (draftToPlan.ts) maps
 * it back to the same plan. Coefficients show six significant digits while their exact value
 * is kept; presets (U-shaped, flat volumes) are recognised; lists are copied as trusted.
 */
import { CALIBRATED_DEFAULTS, type Plan } from '@shared/plan';
import { termsOfPlan } from '@shared/traderTerms';
import { fmtCoef, fmtInput, fmtInt } from './format';
import {
  curveToCsv,
  detectShape,
  detectVolumes,
  localizeText,
  numberText,
  parseCurveCsv,
  toNumber,
} from './profiles';
import {
  CALIBRATED_FIELDS,
  lengthFromPeriods,
  MARKET_VOLUME_SOURCE,
  newDraft,
  trustedList,
  type CalibratedField,
  type Draft,
  type ExactField,
  type Point,
} from './draft';

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
