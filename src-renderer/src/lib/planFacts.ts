/**
 * A plan's inputs as labelled lines, in the form's own words: what the printed report lists,
 * and what the compare view sets side by side with the lines that differ marked. Arrays
 * (profiles, caps, curves, ladders) are summarised, never printed in full.
 */
import type { Plan } from '@shared/plan';
import { FIELD_LABELS } from './fieldLabels';
import { fmtCoef, fmtInt, fmtMoney, fmtPct } from './format';

export interface PlanFact {
  key: string;
  label: string;
  /** What is shown ("—" when the plan leaves it out). */
  value: string;
  /** Compared between two plans (the raw value, as JSON). */
  raw: string;
  /** The value is a long array: a difference is said as "differs", with both summaries. */
  array?: boolean;
}

const NONE = '—';
const sig4 = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 4 });

/**
 * "390 values, 0.6145–1.578, total 390" (four significant digits); share counts (volumes,
 * caps) exactly, in whole shares as every volume of the window: "390 values, 312–1,875, total
 * 232,833 shares", never a total rounded to 232,800.
 */
export function summarizeArray(values: readonly number[], unit?: 'shares'): string {
  if (values.length === 0) return 'none';
  let lo = Infinity;
  let hi = -Infinity;
  let sum = 0;
  for (const v of values) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
    sum += v;
  }
  const n = values.length;
  const f = unit === 'shares' ? fmtInt : (v: number) => sig4.format(v);
  const range = lo === hi ? `all ${f(lo)}` : `${f(lo)}–${f(hi)}`;
  const tail = unit === 'shares' ? ' shares' : '';
  return `${fmtInt(n)} value${n === 1 ? '' : 's'}, ${range}, total ${f(sum)}${tail}`;
}

function fact(key: string, value: string, raw: unknown, array = false): PlanFact {
  return {
    key,
    label: FIELD_LABELS[key] ?? key,
    value,
    raw: JSON.stringify(raw ?? null),
    ...(array ? { array } : {}),
  };
}

function arrayFact(key: string, values: readonly number[] | undefined, unit?: 'shares'): PlanFact {
  return fact(key, values ? summarizeArray(values, unit) : NONE, values, true);
}

/** The plan's inputs, one line each, in the order of the form. */
export function planFacts(plan: Plan): PlanFact[] {
  const im = plan.impact;
  const risk = plan.risk;
  const caps = plan.maxPerPeriod;
  const session = plan.session;
  const facts: PlanFact[] = [
    fact('symbol', plan.symbol, plan.symbol),
    fact('side', plan.side === 'buy' ? 'Buy' : 'Sell', plan.side),
    fact('shares', fmtInt(plan.shares), plan.shares),
    fact('lotSize', fmtInt(plan.lotSize), plan.lotSize),
    fact('periods', fmtInt(plan.periods), plan.periods),
    fact(
      'session',
      session ? `${session.start}–${session.end} ${session.timeZone}` : NONE,
      session ?? null,
    ),
    fact(
      'referencePrice',
      plan.referencePrice === undefined ? NONE : fmtMoney(plan.referencePrice),
      plan.referencePrice,
    ),
    fact('impact.model', im.model, im.model),
  ];
  if (im.model === 'linear' || im.model === 'power') {
    facts.push(fact('impact.beta', fmtCoef(im.beta), im.beta));
    if (im.model === 'power') {
      facts.push(fact('impact.exponent', fmtCoef(im.exponent), im.exponent));
      if (im.intercept !== undefined)
        facts.push(fact('impact.intercept', `${fmtCoef(im.intercept)} $/share`, im.intercept));
    }
    facts.push(arrayFact('impact.profile', im.profile));
  } else if (im.model === 'table') {
    const points = im.curves.reduce((a, c) => a + c.length, 0);
    facts.push(
      fact(
        'impact.curves',
        `${fmtInt(im.curves.length)} curves, ${fmtInt(points)} points`,
        im.curves,
        true,
      ),
    );
  } else if (im.model === 'calibrated') {
    const src = (k: keyof NonNullable<typeof im.sources>) =>
      im.sources?.[k] ? ` (${im.sources[k]})` : '';
    facts.push(
      fact('impact.sigma', `${fmtCoef(im.sigma)} $/day${src('sigma')}`, im.sigma),
      Array.isArray(im.spread)
        ? {
            ...arrayFact('impact.spread', im.spread),
            value: `${summarizeArray(im.spread)} $${src('spread')}`,
          }
        : fact('impact.spread', `${fmtCoef(im.spread)} $${src('spread')}`, im.spread),
      fact('impact.eta', `${fmtCoef(im.eta)}${src('eta')}`, im.eta),
      fact('impact.calBeta', `${fmtCoef(im.beta)}${src('beta')}`, im.beta),
      fact('impact.gamma', `${fmtCoef(im.gamma)}${src('gamma')}`, im.gamma),
      arrayFact('impact.volatilityProfile', im.volatilityProfile),
      fact(
        'impact.dailyVolume',
        im.dailyVolume === undefined ? 'Σ volume profile' : `${fmtInt(im.dailyVolume)} shares`,
        im.dailyVolume,
      ),
      fact(
        'impact.feePerShare',
        im.feePerShare === undefined ? NONE : `${fmtCoef(im.feePerShare)} $/share`,
        im.feePerShare,
      ),
    );
  } else {
    const levels = im.ladders.reduce((a, l) => a + l.length, 0);
    facts.push(
      fact(
        'impact.ladders',
        `${fmtInt(im.ladders.length)} ladders, ${fmtInt(levels)} levels`,
        im.ladders,
        true,
      ),
    );
  }
  facts.push(
    Array.isArray(caps)
      ? arrayFact('maxPerPeriod', caps, 'shares')
      : fact('maxPerPeriod', caps === undefined ? NONE : `${fmtInt(caps)} shares`, caps),
    arrayFact('volumeProfile', plan.volumeProfile, 'shares'),
    fact(
      'maxParticipation',
      plan.maxParticipation === undefined ? NONE : fmtPct(plan.maxParticipation * 100),
      plan.maxParticipation,
    ),
    fact(
      'fixedFeePerOrder',
      plan.fixedFeePerOrder === undefined ? NONE : fmtMoney(plan.fixedFeePerOrder),
      plan.fixedFeePerOrder,
    ),
    fact(
      'minOrderSize',
      plan.minOrderSize === undefined ? NONE : `${fmtInt(plan.minOrderSize)} shares`,
      plan.minOrderSize,
    ),
    fact(
      'risk.volatility',
      risk?.volatility === undefined ? NONE : fmtCoef(risk.volatility),
      risk?.volatility,
    ),
    fact(
      'risk.annualVolatility',
      risk?.annualVolatility === undefined ? NONE : fmtPct(risk.annualVolatility * 100),
      risk?.annualVolatility,
    ),
    arrayFact('risk.volatilityProfile', risk?.volatilityProfile),
    fact('risk.aversion', risk ? fmtCoef(risk.aversion) : NONE, risk?.aversion),
    fact(
      'permanentImpact',
      plan.permanentImpact === undefined ? NONE : fmtCoef(plan.permanentImpact),
      plan.permanentImpact,
    ),
  );
  return facts;
}

export interface FactDiff {
  key: string;
  label: string;
  a: string;
  b: string;
  differs: boolean;
  /** For a long array that differs: "differs" is said, with both summaries. */
  array: boolean;
}

/** The two plans' inputs line by line, each marked when it differs. Lines neither plan
 *  sets ("—" on both sides) are left out. */
export function diffPlans(a: Plan, b: Plan): FactDiff[] {
  const fa = planFacts(a);
  const fb = new Map(planFacts(b).map((f) => [f.key, f]));
  const keys = [
    ...fa.map((f) => f.key),
    ...[...fb.keys()].filter((k) => !fa.some((f) => f.key === k)),
  ];
  const byKey = new Map(fa.map((f) => [f.key, f]));
  const out: FactDiff[] = [];
  for (const key of keys) {
    const x = byKey.get(key);
    const y = fb.get(key);
    const av = x?.value ?? NONE;
    const bv = y?.value ?? NONE;
    if (av === NONE && bv === NONE) continue;
    out.push({
      key,
      label: (x ?? y)!.label,
      a: av,
      b: bv,
      differs: (x?.raw ?? 'null') !== (y?.raw ?? 'null'),
      array: Boolean(x?.array ?? y?.array),
    });
  }
  return out;
}
