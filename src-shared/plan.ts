/**
 * The plan: the one contract the CLI, storage and the window share (the file around it, its
 * format version and upgrades, is planFile.ts). Everything that crosses a boundary is parsed
 * from `unknown` with these schemas; error messages name the field path (see formatIssues).
 */
import { z } from 'zod';
import { DATE_PATTERN } from './calendar';
import {
  escapeControlChars,
  findDuplicateKeys,
  listSome,
  wideEncoding,
  shorten,
  upgradePlanJson,
} from './planFile';

/** The longest plan name storage and files accept. */
export const MAX_NAME_LENGTH = 200;

/** "Plan" → "Plan (copy)", within MAX_NAME_LENGTH (Duplicate and Save As name copies so). */
export function copyName(name: string): string {
  const suffix = ' (copy)';
  return name.slice(0, MAX_NAME_LENGTH - suffix.length) + suffix;
}

/** Largest grid (number of lots S/q) any plan may ask for; real limits are enforced by the solver. */
export const MAX_SHARES = 1e13;
/**
 * "must be at most 10,000,000,000,000": the limit on shares, lot sizes and caps, in words.
 * Written out rather than formatted with toLocaleString: the first Intl call of a process
 * starts ICU (20–50 ms), which every command that loads the plan would pay.
 */
export const MAX_SHARES_MESSAGE = 'must be at most 10,000,000,000,000';
export const MAX_PERIODS = 100_000;

/** Costs a plan may reach and still leave the arithmetic headroom (doubles end at 1.8e308). */
export const MAX_COST = 1e300;
const TOO_LARGE = 'beyond the largest number the arithmetic can carry (about 1.8e308)';

/** zod rejects NaN/±Infinity as "not a number"; say which it was. A JSON number such as
 *  1e400 reads as Infinity: it is too large, not "not finite". */
const numberError = (what: string) => (issue: { input?: unknown }) =>
  issue.input === Infinity || issue.input === -Infinity
    ? `is too large (${what}): ${TOO_LARGE}`
    : typeof issue.input === 'number'
      ? `must be a finite number (${what}), got ${issue.input}`
      : `must be a number (${what})`;
// Each helper adds its checks in one .check(…), the checks .refine(…), .int(), .positive()
// and .max(…) would add one by one, in the same order: one schema built instead of one per
// step (building, not checking, is what a plan's schema costs at start-up).
const isFinite = () => z.refine(Number.isFinite, 'must be a finite number');
const finite = (what: string) => z.number({ error: numberError(what) }).check(isFinite());
const nonNegative = (what: string) =>
  z.number({ error: numberError(what) }).check(
    isFinite(),
    z.refine((v: number) => v >= 0, 'must not be negative'),
  );
const positive = (what: string) =>
  z.number({ error: numberError(what) }).check(
    isFinite(),
    z.refine((v: number) => v > 0, 'must be greater than 0'),
  );
const positiveInt = (what: string) =>
  z
    .number({ error: numberError(what) })
    .check(
      z.int('must be a whole number'),
      z.gt(0, 'must be greater than 0'),
      z.lte(MAX_SHARES, MAX_SHARES_MESSAGE),
    );
const nonNegativeInt = (what: string) =>
  z
    .number({ error: numberError(what) })
    .check(
      z.int('must be a whole number'),
      z.gte(0, 'must not be negative'),
      z.lte(MAX_SHARES, MAX_SHARES_MESSAGE),
    );

/**
 * Plan objects reject fields they do not know (with the field's name) instead of dropping them
 * silently: a misspelt optional field such as "maxPerPeriods" would otherwise remove a cap
 * without a word.
 */
const unknownFields = {
  error: (issue: { code?: string; keys?: readonly string[] }) =>
    issue.code === 'unrecognized_keys' && issue.keys
      ? `unknown field${issue.keys.length > 1 ? 's' : ''} ${listSome(issue.keys, (k) => escapeControlChars(JSON.stringify(shorten(k, 40))))} (not part of the plan format; check the spelling)`
      : undefined,
};
const planObject = <T extends z.core.$ZodLooseShape>(shape: T) =>
  z.strictObject(shape, unknownFields);

const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a clock time HH:MM (24-hour)');

/**
 * Zones every Intl build accepts (checked against Intl by plan.test.ts): a plan in one of them
 * is validated without starting ICU, which costs a process 20–50 ms on its first Intl call.
 * Any other name is asked of Intl, so what is accepted is exactly what Intl accepts.
 */
const KNOWN_TIME_ZONES: ReadonlySet<string> = new Set([
  'America/New_York',
  'America/Chicago',
  'America/Denver',
  'America/Los_Angeles',
  'America/Toronto',
  'America/Sao_Paulo',
  'Europe/London',
  'Europe/Paris',
  'Europe/Berlin',
  'Europe/Zurich',
  'Europe/Amsterdam',
  'Asia/Tokyo',
  'Asia/Hong_Kong',
  'Asia/Shanghai',
  'Asia/Singapore',
  'Asia/Kolkata',
  'Australia/Sydney',
  'UTC',
]);

export function isValidTimeZone(tz: string): boolean {
  if (KNOWN_TIME_ZONES.has(tz)) return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** The zones isValidTimeZone accepts without asking Intl (for the test that Intl agrees). */
export const TIME_ZONES_KNOWN_VALID: readonly string[] = [...KNOWN_TIME_ZONES];

export const SessionSchema = planObject({
  start: clock,
  end: clock,
  timeZone: z
    .string()
    .refine(isValidTimeZone, 'must be an IANA time zone such as America/New_York')
    .default('America/New_York'),
}).refine((s) => s.start < s.end, { message: 'end must be after start', path: ['end'] });

/**
 * Per-period multipliers on the impact coefficient (intraday profile). 0 is allowed: a period
 * with no impact (a crossing); negative or non-finite values are not.
 */
const profile = z.array(nonNegative('profile value')).min(1, 'must not be empty');

export const LinearImpactSchema = planObject({
  model: z.literal('linear'),
  /** g(x) = beta · p_i · x, price units per share per share. */
  beta: nonNegative('beta'),
  profile: profile.optional(),
});

export const PowerImpactSchema = planObject({
  model: z.literal('power'),
  /** g(x) = intercept + beta · p_i · x^exponent. */
  beta: nonNegative('beta'),
  exponent: positive('exponent').refine((v) => v <= 10, 'must be at most 10'),
  profile: profile.optional(),
  /** Price units per share paid on every share whatever the size (half the spread); default 0. */
  intercept: nonNegative('intercept').optional(),
});

/**
 * Defaults of the calibrated model: the values Almgren, Thum, Hauptmann and Li (2005) fitted
 * on US equities (η, β for temporary impact, γ for permanent impact).
 */
export const CALIBRATED_DEFAULTS = { eta: 0.142, beta: 0.6, gamma: 0.314 } as const;

/** The parameters of the calibrated model whose provenance a plan may record. */
export const CALIBRATED_PARAMETERS = [
  'sigma',
  'spread',
  'eta',
  'beta',
  'gamma',
  'volatilityProfile',
  'dailyVolume',
  'feePerShare',
  'volumeProfile',
] as const;
export type CalibratedParameter = (typeof CALIBRATED_PARAMETERS)[number];

/** Where a parameter's value came from: the paper's default, a fit to data, or typed in. */
export const ParameterSourceSchema = z.enum(['default', 'fitted', 'typed'], {
  error: 'must be "default", "fitted" or "typed"',
});
export type ParameterSource = z.infer<typeof ParameterSourceSchema>;

export const CalibratedImpactSchema = planObject({
  model: z.literal('calibrated'),
  /** σ: daily volatility of the price, price units ($) per share per day. */
  sigma: nonNegative('sigma'),
  /** s_t: the typical quoted spread ($): one number for every period, or N numbers. */
  spread: z.union([nonNegative('spread'), z.array(nonNegative('spread'))], {
    error: 'must be a number of $ or an array of one per period',
  }),
  /** η: temporary-impact coefficient (dimensionless). */
  eta: nonNegative('eta').default(CALIBRATED_DEFAULTS.eta),
  /** β: temporary-impact exponent on the participation x / V_t. */
  beta: positive('beta')
    .refine((v) => v <= 10, 'must be at most 10')
    .default(CALIBRATED_DEFAULTS.beta),
  /** γ: permanent-impact coefficient (dimensionless). */
  gamma: nonNegative('gamma').default(CALIBRATED_DEFAULTS.gamma),
  /** p_t: multipliers of σ per period (default all 1). */
  volatilityProfile: profile.optional(),
  /** V_day: the day's volume in shares (default: the sum of plan.volumeProfile). */
  dailyVolume: positive('daily volume').optional(),
  /** Paid on every share ($ per share), default 0. */
  feePerShare: nonNegative('fee per share').optional(),
  /** Where each parameter's value came from (shown beside it). */
  sources: planObject(
    Object.fromEntries(
      CALIBRATED_PARAMETERS.map((k) => [k, ParameterSourceSchema.optional()]),
    ) as Record<CalibratedParameter, z.ZodOptional<typeof ParameterSourceSchema>>,
  ).optional(),
  /** What the fit saw (plans made from data). */
  calibration: planObject({
    days: nonNegativeInt('days').optional(),
    dates: z.array(z.string().max(40, 'must be at most 40 characters')).optional(),
    sigmaEstimator: z.string().max(200, 'must be at most 200 characters').optional(),
    varianceRatio: finite('variance ratio').optional(),
    r2: finite('R²').optional(),
    notes: z.array(z.string().max(2_000, 'must be at most 2,000 characters')).optional(),
  }).optional(),
});

/** One period's impact curve: points (shares, impactPerShare) with strictly increasing shares. */
const curve = z
  .array(z.tuple([nonNegative('shares'), nonNegative('impact per share')]), {
    error: 'must be an array of [shares, impactPerShare] points',
  })
  .min(1, 'must have at least one point')
  .superRefine((pts, ctx) => {
    for (let j = 1; j < pts.length; j++) {
      if (!(pts[j][0] > pts[j - 1][0])) {
        ctx.addIssue({
          code: 'custom',
          message: `shares must increase from point to point (point ${j} has ${pts[j][0]} after ${pts[j - 1][0]})`,
          path: [j, 0],
        });
        return;
      }
    }
  });

export const TableImpactSchema = planObject({
  model: z.literal('table'),
  /**
   * N curves. g is interpolated linearly between points; below the first point g equals the
   * first point's value; beyond the last point trading is not allowed (acts as a cap).
   */
  curves: z.array(curve).min(1, 'must not be empty'),
});

/** One period's price ladder: levels (priceOffset from mid, size in shares). */
const ladder = z.array(z.tuple([nonNegative('price offset'), nonNegative('size')]), {
  error: 'must be an array of [priceOffset, size] levels',
});

export const BookImpactSchema = planObject({
  model: z.literal('book'),
  /**
   * N ladders. c_i(x) = sum of the offsets of the cheapest x shares; trading beyond the
   * ladder's total size is not allowed. An empty ladder means no liquidity (cap 0).
   */
  ladders: z.array(ladder).min(1, 'must not be empty'),
});

export const ImpactSchema = z.discriminatedUnion(
  'model',
  [
    LinearImpactSchema,
    PowerImpactSchema,
    TableImpactSchema,
    BookImpactSchema,
    CalibratedImpactSchema,
  ],
  { error: 'model must be one of linear, power, table, book, calibrated' },
);

/** Trading minutes in a year used to turn an annualised volatility into one period's. */
export const DEFAULT_MINUTES_PER_YEAR = 252 * 390;

/**
 * Timing risk (Almgren–Chriss on the grid): σ per period in price units, or an annualised
 * volatility as a fraction of the reference price; λ ≥ 0 per price unit (0 = risk-neutral).
 */
export const RiskSchema = planObject({
  /** σ: standard deviation of the price change over one period, price units ($). */
  volatility: nonNegative('volatility').optional(),
  /** Annualised volatility as a fraction of referencePrice (0.3 = 30%), instead of volatility. */
  annualVolatility: nonNegative('annual volatility')
    .refine((v) => v <= 20, 'must be at most 20 (2,000%)')
    .optional(),
  /** Trading minutes per year for annualVolatility (default 252 × 390 = 98,280). */
  minutesPerYear: positive('minutes per year').optional(),
  /** Multipliers of σ per period (default all 1). */
  volatilityProfile: z.array(nonNegative('volatility multiplier')).optional(),
  /** λ: risk aversion, per price unit; E + λ·Var is minimised. */
  aversion: nonNegative('aversion').default(0),
}).superRefine((r, ctx) => {
  if (r.volatility === undefined && r.annualVolatility === undefined)
    ctx.addIssue({
      code: 'custom',
      path: ['volatility'],
      message: 'is required (or give annualVolatility)',
    });
  if (r.volatility !== undefined && r.annualVolatility !== undefined)
    ctx.addIssue({
      code: 'custom',
      path: ['annualVolatility'],
      message: 'give either volatility or annualVolatility, not both',
    });
});

export const PlanSchema = planObject({
  name: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(MAX_NAME_LENGTH, `must be at most ${MAX_NAME_LENGTH} characters`),
  symbol: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(16, 'must be at most 16 characters')
    .regex(/^[A-Za-z0-9.\-_/]+$/, 'may contain letters, digits and . - _ / only'),
  side: z.enum(['buy', 'sell'], { error: 'must be "buy" or "sell"' }),
  shares: positiveInt('shares'),
  lotSize: positiveInt('lot size').default(1),
  periods: z
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(MAX_PERIODS, `must be at most ${MAX_PERIODS}`),
  referencePrice: positive('reference price').optional(),
  /** Cap per period in shares: one number for all periods, or N numbers. */
  maxPerPeriod: z.union([nonNegativeInt('cap'), z.array(nonNegativeInt('cap'))]).optional(),
  /** Expected market volume per period (shares): VWAP baseline and participation caps. */
  volumeProfile: z.array(nonNegative('volume')).optional(),
  /** Cap each child order at this fraction of the period's expected volume (0 < f ≤ 1). */
  maxParticipation: positive('participation')
    .refine((v) => v <= 1, 'must be at most 1 (100%)')
    .optional(),
  /** Fixed cost (price units × shares, e.g. dollars) charged for every non-empty child order. */
  fixedFeePerOrder: nonNegative('fee').optional(),
  /** Each child order is either 0 or at least this many shares. */
  minOrderSize: nonNegativeInt('minimum order').optional(),
  session: SessionSchema.optional(),
  impact: ImpactSchema,
  /** Timing risk and risk aversion (optional; without it the plan is risk-neutral). */
  risk: RiskSchema.optional(),
  /** γ ≥ 0: each share traded moves the price by γ for good (price units per share). */
  permanentImpact: nonNegative('permanent impact').optional(),
  notes: z.string().max(10_000).optional(),
  /**
   * The market data a plan was made from (plans built from imported books): the symbol and
   * the session dates. A replay on one of these dates is in-sample; on another symbol's day
   * it is refused (docs/orderbook.md, Validation).
   */
  source: z
    .strictObject(
      {
        symbol: z.string().trim().min(1, 'must not be empty').max(50),
        dates: z.array(z.string().regex(DATE_PATTERN, 'must be a date YYYY-MM-DD')).max(10_000),
      },
      unknownFields,
    )
    .optional(),
}).superRefine((p, ctx) => {
  tooLargeForArithmetic(p, ctx);
  if (p.shares % p.lotSize !== 0) {
    ctx.addIssue({
      code: 'custom',
      path: ['shares'],
      message: `must be a multiple of lotSize ${p.lotSize} (got ${p.shares})`,
    });
  }
  const n = p.periods;
  const lengthIssue = (path: (string | number)[], len: number, what: string) =>
    ctx.addIssue({
      code: 'custom',
      path,
      message: `must have one ${what} per period: expected ${n}, got ${len}`,
    });
  if (Array.isArray(p.maxPerPeriod) && p.maxPerPeriod.length !== n)
    lengthIssue(['maxPerPeriod'], p.maxPerPeriod.length, 'cap');
  if (p.volumeProfile && p.volumeProfile.length !== n)
    lengthIssue(['volumeProfile'], p.volumeProfile.length, 'volume');
  if (p.maxParticipation !== undefined && !p.volumeProfile)
    ctx.addIssue({
      code: 'custom',
      path: ['maxParticipation'],
      message: 'needs a volumeProfile to take a fraction of',
    });
  const im = p.impact;
  if ((im.model === 'linear' || im.model === 'power') && im.profile && im.profile.length !== n)
    lengthIssue(['impact', 'profile'], im.profile.length, 'profile value');
  if (im.model === 'table' && im.curves.length !== n)
    lengthIssue(['impact', 'curves'], im.curves.length, 'curve');
  if (im.model === 'book' && im.ladders.length !== n)
    lengthIssue(['impact', 'ladders'], im.ladders.length, 'ladder');
  if (im.model === 'calibrated') calibratedIssues({ ...p, impact: im }, n, ctx, lengthIssue);
  if (p.risk?.volatilityProfile && p.risk.volatilityProfile.length !== n)
    lengthIssue(['risk', 'volatilityProfile'], p.risk.volatilityProfile.length, 'multiplier');
  if (p.risk?.annualVolatility !== undefined && p.referencePrice === undefined)
    ctx.addIssue({
      code: 'custom',
      path: ['risk', 'annualVolatility'],
      message: 'needs a referencePrice to turn a percentage into a price move',
    });
  if (p.session) {
    const minutes = clockMinutes(p.session.end) - clockMinutes(p.session.start);
    if (minutes > 0 && minutes * 60 < n) {
      ctx.addIssue({
        code: 'custom',
        path: ['periods'],
        message: `is more than the ${minutes * 60} seconds of the session`,
      });
    }
  }
});

/** Checks of a calibrated plan that need the rest of the plan (lengths, V_t, γ). */
function calibratedIssues(
  p: {
    impact: z.output<typeof CalibratedImpactSchema>;
    volumeProfile?: number[];
    permanentImpact?: number;
  },
  n: number,
  ctx: { addIssue: (issue: { code: 'custom'; path: PropertyKey[]; message: string }) => void },
  lengthIssue: (path: (string | number)[], len: number, what: string) => void,
): void {
  const im = p.impact;
  if (Array.isArray(im.spread) && im.spread.length !== n)
    lengthIssue(['impact', 'spread'], im.spread.length, 'spread');
  if (im.volatilityProfile && im.volatilityProfile.length !== n)
    lengthIssue(['impact', 'volatilityProfile'], im.volatilityProfile.length, 'multiplier');
  if (!p.volumeProfile)
    ctx.addIssue({
      code: 'custom',
      path: ['volumeProfile'],
      message: 'impact: the calibrated model needs a volumeProfile (expected volume per period)',
    });
  else if (im.dailyVolume === undefined && !(p.volumeProfile.reduce((a, v) => a + v, 0) > 0))
    ctx.addIssue({
      code: 'custom',
      path: ['impact', 'dailyVolume'],
      message:
        'is needed: the volumeProfile adds up to 0 shares, so the day’s volume for the permanent impact is unknown',
    });
  if (p.permanentImpact !== undefined)
    ctx.addIssue({
      code: 'custom',
      path: ['permanentImpact'],
      message:
        'cannot be combined with the calibrated impact model, which has its own permanent impact (impact.gamma)',
    });
}

/** A plan as written in a file (defaults not yet applied). */
export type PlanInput = z.input<typeof PlanSchema>;
/** A validated plan with defaults applied. */
export type Plan = z.output<typeof PlanSchema>;
export type Impact = Plan['impact'];
export type ImpactModel = Impact['model'];
export type Session = z.output<typeof SessionSchema>;
export type Risk = z.output<typeof RiskSchema>;

/** Minutes per period: the session's length over N, or 1 without a session clock. */
export function periodMinutes(plan: Pick<Plan, 'session' | 'periods'>): number {
  if (!plan.session) return 1;
  return (clockMinutes(plan.session.end) - clockMinutes(plan.session.start)) / plan.periods;
}

/**
 * σ_i per period in price units (0 without a risk object): volatility × profile, or the
 * annualised volatility × referencePrice × √(period minutes / minutes per year).
 */
export function periodVolatilities(plan: Plan): Float64Array {
  const out = new Float64Array(plan.periods);
  const r = plan.risk;
  if (!r) return out;
  const base =
    r.volatility ??
    (r.annualVolatility ?? 0) *
      (plan.referencePrice ?? 0) *
      Math.sqrt(periodMinutes(plan) / (r.minutesPerYear ?? DEFAULT_MINUTES_PER_YEAR));
  for (let i = 0; i < plan.periods; i++) out[i] = base * (r.volatilityProfile?.[i] ?? 1);
  return out;
}

/**
 * Fees and timing risk whose costs no double can carry: refused as too large, by field,
 * rather than solved into an Infinity that reads as "no schedule adds up".
 */
function tooLargeForArithmetic(p: Plan, ctx: z.RefinementCtx): void {
  const n = p.periods;
  const fee = p.fixedFeePerOrder ?? 0;
  if (!(fee * n <= MAX_COST)) {
    ctx.addIssue({
      code: 'custom',
      path: ['fixedFeePerOrder'],
      message: `is too large: ${fee} per order over ${n} periods is beyond what the arithmetic can carry (at most ${MAX_COST} in all)`,
    });
  }
  const aversion = p.risk?.aversion ?? 0;
  if (!p.risk || aversion === 0) return;
  let sigma = 0;
  for (const v of periodVolatilities(p)) sigma = Math.max(sigma, v);
  // The largest risk term: λ·σ²·(shares left)², over every period.
  const spread = sigma * sigma * p.shares * p.shares * n;
  if (!(spread <= MAX_COST)) {
    ctx.addIssue({
      code: 'custom',
      path: ['risk', p.risk.volatility === undefined ? 'annualVolatility' : 'volatility'],
      message: `is too large: σ² × shares² over ${n} periods is beyond what the arithmetic can carry (at most ${MAX_COST})`,
    });
  } else if (!(aversion * spread <= MAX_COST)) {
    ctx.addIssue({
      code: 'custom',
      path: ['risk', 'aversion'],
      message: `is too large: λ × σ² × shares² over ${n} periods is beyond what the arithmetic can carry (at most ${MAX_COST})`,
    });
  }
}

/** "09:30" → 570. */
export function clockMinutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
}

/** The first `max` problems joined with "; ", then "(and N more)" when some were left off. */
export function summarizeErrors(lines: readonly string[], max: number): string {
  const more = lines.length > max ? ` (and ${lines.length - max} more)` : '';
  return lines.slice(0, max).join('; ') + more;
}

/** One readable line per problem, each naming the field path: `impact.profile: must …`. */
export function formatIssues(error: z.ZodError): string[] {
  return error.issues.map((i) => `${formatPath(i.path)}: ${i.message}`);
}

/** `impact.curves[1][2]`; a key that is no plain name is quoted: `risk["a b"]`. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  if (path.length === 0) return '(plan)';
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (typeof part === 'string' && !/^[A-Za-z_$][\w$]*$/.test(part))
      out += `[${JSON.stringify(part)}]`;
    else out += (out ? '.' : '') + String(part);
  }
  return out;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; errors: string[] };

/**
 * Parse a plan from unknown data (JSON.parse output of a plan file, or a stored plan): any
 * format this version reads is upgraded first (upgradePlanJson), then validated.
 */
export function parsePlan(data: unknown): ParseResult<Plan> {
  const upgraded = upgradePlanJson(data);
  if (!upgraded.ok) return upgraded;
  const r = PlanSchema.safeParse(upgraded.value);
  return r.success ? { ok: true, value: r.data } : { ok: false, errors: formatIssues(r.error) };
}

/**
 * Parse JSON text from a file: a leading byte-order mark (Windows editors write one) is
 * ignored, UTF-16 or UTF-32 text and an empty file are said to be so, malformed JSON is reported with
 * its position, and a key that appears twice in one object is refused with its path
 * (JSON.parse would keep the last silently). Text quoted from the file is escaped.
 */
export function parseJsonText(text: string): ParseResult<unknown> {
  const wide = wideEncoding(text);
  if (wide) {
    return { ok: false, errors: [`the file is ${wide} text; save it as UTF-8`] };
  }
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === '') return { ok: false, errors: ['is empty'] };
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (e) {
    return { ok: false, errors: [`malformed JSON (${escapeControlChars((e as Error).message)})`] };
  }
  const duplicates = findDuplicateKeys(body);
  if (duplicates.length > 0) {
    return {
      ok: false,
      errors: duplicates.map(
        (d) =>
          `${escapeControlChars(formatPath(d.path))}: appears ${d.count === 2 ? 'twice' : `${d.count} times`} in the file`,
      ),
    };
  }
  return { ok: true, value };
}

/**
 * Parse a plan from JSON text (see parseJsonText); problems with the text itself start with
 * `label` ("plan file", or the file's name), problems with a field name the field.
 */
export function parsePlanJson(text: string, label = 'plan file'): ParseResult<Plan> {
  const json = parseJsonText(text);
  if (!json.ok) return { ok: false, errors: json.errors.map((e) => `${label}: ${e}`) };
  return parsePlan(json.value);
}
