/**
 * The editor's checks of the mapped form, fast enough for every keystroke at 100,000 periods:
 * - `checkPlan` validates with PlanSchema's own schemas, except that each long per-period list
 *   (profiles, caps, volumes, curves, ladders) is checked once per list and the result reused
 *   while the list is the same object (lists are replaced, never changed in place); lists
 *   copied from a validated plan are not checked again. Its results are PlanSchema's.
 * - `planKey` is the JSON of the mapped form with each long list written as a token of its
 *   identity, so that equal keys still mean equal plans without stringifying every period.
 * - `formWarnings` is what the plan alone warns about before a solve (src-shared/warnings.ts).
 */
import { z } from 'zod';
import {
  BookImpactSchema,
  CalibratedImpactSchema,
  ImpactSchema,
  LinearImpactSchema,
  PlanSchema,
  PowerImpactSchema,
  RiskSchema,
  TableImpactSchema,
  formatPath,
  periodMinutes,
  type Plan,
} from '@shared/plan';
import { buildImpactGrid, infeasibilityMessage, type ImpactGrid } from '@shared/impact';
import { planWarnings, type Warning } from '@shared/warnings';
import { isTrusted, type Draft, type LocalIssue } from './draft';
import { labelFor } from './fieldLabels';
import { fmtInt } from './format';
import { parseNumber } from './profiles';

type Issue = z.core.$ZodIssue;

/** `schema` on a list, its issues remembered per list object. */
function cached<T extends z.ZodType>(schema: T) {
  const seen = new WeakMap<object, Issue[]>();
  return z.any().superRefine((value, ctx) => {
    let issues: Issue[] | undefined;
    if (typeof value === 'object' && value !== null) {
      issues = seen.get(value);
      if (!issues) {
        issues = isTrusted(value) ? [] : (schema.safeParse(value).error?.issues ?? []);
        seen.set(value, issues);
      }
    } else issues = schema.safeParse(value).error?.issues ?? [];
    for (const i of issues)
      ctx.addIssue({ ...i, code: 'custom', message: i.message, path: [...i.path] } as never);
  });
}

const profile = cached(LinearImpactSchema.shape.profile.unwrap()).optional();
const FastImpact = z.discriminatedUnion(
  'model',
  [
    LinearImpactSchema.safeExtend({ profile }),
    PowerImpactSchema.safeExtend({ profile }),
    TableImpactSchema.safeExtend({ curves: cached(TableImpactSchema.shape.curves) }),
    BookImpactSchema.safeExtend({ ladders: cached(BookImpactSchema.shape.ladders) }),
    CalibratedImpactSchema.safeExtend({
      spread: cached(CalibratedImpactSchema.shape.spread),
      volatilityProfile: profile,
    }),
  ],
  { error: ImpactSchema.def.error as z.core.$ZodErrorMap<z.core.$ZodIssueInvalidUnion> },
);
const FastRisk = RiskSchema.safeExtend({
  volatilityProfile: cached(RiskSchema.shape.volatilityProfile.unwrap()).optional(),
});
const FastPlan = PlanSchema.safeExtend({
  maxPerPeriod: cached(PlanSchema.shape.maxPerPeriod.unwrap()).optional(),
  volumeProfile: cached(PlanSchema.shape.volumeProfile.unwrap()).optional(),
  impact: FastImpact,
  risk: FastRisk.optional(),
});

/** PlanSchema.safeParse(input), with long lists checked once each (see the file comment). */
export function checkPlan(input: unknown): ReturnType<typeof PlanSchema.safeParse> {
  return FastPlan.safeParse(input) as ReturnType<typeof PlanSchema.safeParse>;
}

/** Lists this long are keyed by identity. */
const LONG = 64;
const ids = new WeakMap<object, number>();
let nextId = 1;

function listToken(list: object): string {
  let id = ids.get(list);
  if (id === undefined) {
    id = nextId++;
    ids.set(list, id);
  }
  return `\u0000list#${id}`;
}

/** JSON of the mapped form, long lists as identity tokens (see the file comment). */
export function planKey(input: unknown): string {
  return JSON.stringify(input, (_, v: unknown) =>
    Array.isArray(v) && v.length > LONG ? listToken(v) : v,
  );
}

export interface FieldIssue {
  /** Plan path of the field ("shares", "impact.beta"); used to place the message. */
  field: string;
  /** The field's label in the form ("Shares"). */
  label: string;
  /** "Shares: must be a multiple of lot size 100 (got 1,050)": for the list of problems. */
  text: string;
  /** The same without the field's label: for the message under the field's input. */
  message: string;
  /** Shown even before its field is touched (a cap that cannot fill the order). */
  always?: boolean;
}

/**
 * Every problem of the form, one per problem, each under the field the user sees: the
 * mapper's own (unreadable or ambiguous numbers, curve text) first and instead of the
 * schema's for the same field, then the schema's in form words, the period length, and the
 * caps' feasibility (the solver's own check) once the plan is valid, unless `caps` is false
 * (a long plan just opened: the editor runs that check after the first frame).
 */
export function collectIssues(
  d: Draft,
  mapped: { input: Record<string, unknown>; issues: LocalIssue[] },
  parsed: ReturnType<typeof checkPlan>,
  caps = true,
): FieldIssue[] {
  const out: FieldIssue[] = [];
  const seen = new Set<string>();
  const add = (field: string, label: string, message: string, always = false) => {
    const text = `${label}: ${message}`;
    if (seen.has(text)) return;
    seen.add(text);
    out.push({ field, label, text, message, ...(always ? { always } : {}) });
  };
  const local = mapped.issues.map((i) => i.path);
  const covered = (field: string) =>
    local.some((p) => field === p || field.startsWith(p + '.') || p.startsWith(field + '.'));
  for (const i of mapped.issues) add(i.path, labelFor(i.path).label, groupNumbers(i.message));
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const { field, label, rest } = labelFor(formatPath(issue.path));
      if (covered(field)) continue;
      add(field, label, `${detail(d, field, rest)}${formMessage(d, mapped.input, issue)}`);
    }
  }
  const length = periodLengthProblem(d);
  if (length) add('periodMinutes', labelFor('periodMinutes').label, length);
  if (caps && parsed.success && mapped.issues.length === 0) {
    const cap = capProblem(parsed.data);
    if (cap) add(cap.field, labelFor(cap.field).label, cap.message, true);
  }
  return out;
}

/** The period length sets Periods; a length that cannot is explained, not ignored. */
function periodLengthProblem(d: Draft): string | null {
  if (!d.useSession) return null;
  const r = parseNumber(d.periodMinutes);
  if (!r.ok && r.ambiguous) return r.error;
  if (!r.ok || r.value <= 0)
    return 'must be a number of minutes above 0 (Periods is left as it is)';
  return null;
}

/** Where inside a list field the problem is ("period 3, point 2"), for arrays only. */
function detail(d: Draft, field: string, rest: number[]): string {
  if (rest.length === 0) return '';
  const replicated = field === 'impact.curves' && d.curves === null;
  const parts: string[] = [];
  if (!replicated) parts.push(`period ${fmtInt(rest[0] + 1)}`);
  if (rest.length > 1 && (field === 'impact.curves' || field === 'impact.ladders'))
    parts.push(`${field === 'impact.curves' ? 'point' : 'level'} ${fmtInt(rest[1] + 1)}`);
  return parts.length ? `${parts.join(', ')}: ` : '';
}

/** The schema's message in form terms: an empty box is "required", junk "not a number". */
function formMessage(d: Draft, input: Record<string, unknown>, issue: Issue): string {
  let v: unknown = input;
  for (const p of issue.path) v = (v as Record<PropertyKey, unknown> | undefined)?.[p];
  if (issue.code === 'invalid_type' && v === undefined) return 'is required';
  if (typeof v === 'number' && Number.isNaN(v)) return 'must be a number';
  const m = issue.message;
  if (m === 'end must be after start') return `must be after the session start (${d.start})`;
  return groupNumbers(
    m
      .replace('lotSize', 'lot size')
      .replace('a referencePrice', 'a reference price (Order section)')
      .replace(
        'needs a volumeProfile to take a fraction of',
        'needs a volume profile to take a percentage of',
      )
      .replace(
        'impact: the calibrated model needs a volumeProfile (expected volume per period)',
        'is needed by the calibrated impact model (V_t, the expected volume per period)',
      )
      .replace('must be at most 20 (2,000%)', 'must be at most 2,000%')
      .replace('must be at most 1 (100%)', 'must be at most 100%'),
  );
}

/**
 * Thousands separators in the numbers of a message ("expected 100,000, got 3"), leaving
 * decimals, exponents, clock times and quoted text (what the user typed) as they are.
 */
export function groupNumbers(message: string): string {
  return message
    .split(/("[^"]*")/)
    .map((part, i) =>
      i % 2 === 1
        ? part
        : part.replace(/(?<![\d.,:e])\d{4,}(?![\d:]|[.,]\d|e)/g, (n) => fmtInt(Number(n))),
    )
    .join('');
}

/** Inputs of the cap check: the fields that decide how much the caps let through. */
function capKey(p: Plan): string {
  const im = p.impact;
  return planKey([
    p.shares,
    p.lotSize,
    p.periods,
    p.maxPerPeriod,
    p.maxParticipation,
    p.maxParticipation === undefined ? null : p.volumeProfile,
    p.minOrderSize,
    p.session,
    im.model === 'table' ? im.curves : im.model === 'book' ? im.ladders : im.model,
    // A calibrated period without expected volume cannot trade.
    im.model === 'calibrated' ? p.volumeProfile : null,
  ]);
}

let lastGrid: { key: string; grid: ImpactGrid } | null = null;

/**
 * The solver's grid of the plan (buildImpactGrid). Building it walks every ladder, so while
 * only Shares changes it is built once with no share limit and its caps are clamped to the
 * order's lots as buildImpactGrid clamps them (caps_i = min(plan caps, model caps, lots),
 * 0 below the minimum order): O(N) a keystroke instead of O(ladder levels).
 */
function gridFor(p: Plan): ImpactGrid {
  const key = capKey({ ...p, shares: 0 });
  if (lastGrid?.key !== key)
    lastGrid = { key, grid: buildImpactGrid({ ...p, shares: p.lotSize * 2 ** 52 }) };
  const base = lastGrid.grid;
  const lots = p.shares / p.lotSize;
  const planCaps = new Float64Array(base.n);
  const caps = new Float64Array(base.n);
  for (let i = 0; i < base.n; i++) {
    planCaps[i] = Math.min(base.planCaps[i], lots);
    const k = Math.min(planCaps[i], base.modelCaps[i], lots);
    caps[i] = k < base.minLots ? 0 : k;
  }
  return { ...base, lots, planCaps, caps };
}

let lastCap: { key: string; result: { field: string; message: string } | null } | null = null;

/**
 * When the caps cannot fill the order: the solver's own check (infeasibilityMessage on the
 * solver's grid), put in trader units under the field responsible. Recomputed only when an
 * input of the check changes.
 */
export function capProblem(p: Plan): { field: string; message: string } | null {
  const key = capKey(p);
  if (lastCap?.key === key) return lastCap.result;
  const shared = infeasibilityMessage(p, gridFor(p));
  const result = shared === null ? null : capWords(p, shared);
  lastCap = { key, result };
  return result;
}

/** The solver's message ("maxPerPeriod: caps allow at most …") in the form's words. */
function capWords(p: Plan, shared: string): { field: string; message: string } {
  const m = /^([\w.]+(?: \+ [\w.]+)*): (.*)$/.exec(shared);
  const fields = m ? m[1].split(' + ') : ['shares'];
  const field = fields[0];
  const most = /at (?:most )?([\d,]+) shares/.exec(shared)?.[1] ?? '?';
  const over = `of ${fmtInt(p.shares)} shares over ${fmtInt(p.periods)} periods`;
  const lot = fmtInt(p.lotSize);
  const per = p.session && periodMinutes(p) === 1 ? 'a minute' : 'a period';
  if (field === 'maxPerPeriod' && fields.length === 1) {
    const cap = p.maxPerPeriod;
    if (typeof cap === 'number' && cap < p.lotSize)
      return { field, message: `${fmtInt(cap)} shares ${per} is less than one lot (${lot})` };
    const need = Math.ceil(p.shares / p.lotSize / p.periods) * p.lotSize;
    return {
      field,
      message: `caps allow at most ${most} ${over}${typeof cap === 'number' ? ` (a cap of at least ${fmtInt(need)} shares ${per} fills the order)` : ''}`,
    };
  }
  if (field === 'maxParticipation' && fields.length === 1) {
    const pct = `${Number(((p.maxParticipation ?? 0) * 100).toPrecision(6))}%`;
    return { field, message: `${pct} of the expected volume allows at most ${most} ${over}` };
  }
  if (field === 'impact.ladders' && fields.length === 1)
    return { field, message: `the books hold at most ${most} ${over} (in whole lots of ${lot})` };
  if (field === 'impact.curves' && fields.length === 1)
    return { field, message: `the curves end at ${most} ${over} (in whole lots of ${lot})` };
  if (field === 'volumeProfile' && fields.length === 1)
    return {
      field,
      message:
        'every period has 0 expected volume: the calibrated model cannot trade without volume',
    };
  if (field === 'minOrderSize' && fields.length === 1)
    return {
      field,
      message: `periods whose cap is below ${fmtInt(p.minOrderSize ?? 0)} shares cannot trade; the rest allow at most ${most} ${over}`,
    };
  const others = fields.slice(1).map((f) => labelFor(f).label);
  return {
    field,
    message: `together with ${others.join(' and ')}, the caps allow at most ${most} ${over}`,
  };
}

const warned = new WeakMap<Plan, Warning[]>();

/**
 * The warnings of the form's valid plan before a solve (participation at an even pace, the
 * order against the volume, γ, calibration, data): the same function the solve result's come
 * from. O(N) a plan; the grid the γ check needs is the cap check's (built once per model).
 */
export function formWarnings(p: Plan): Warning[] {
  let w = warned.get(p);
  if (!w) {
    w = planWarnings(p, (p.permanentImpact ?? 0) > 0 ? gridFor(p) : undefined);
    warned.set(p, w);
  }
  return w;
}
