/**
 * The plan's number fields add their checks in one step (plan.ts builds one schema per field,
 * not one per check): each must still report exactly what the step-by-step chain reported,
 * the same messages in the same order, for any value. The chains below are the ones plan.ts
 * used before, with its messages.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { MAX_SHARES, MAX_SHARES_MESSAGE, parsePlan } from './plan';

const TOO_LARGE = 'beyond the largest number the arithmetic can carry (about 1.8e308)';
const numberError = (what: string) => (issue: { input?: unknown }) =>
  issue.input === Infinity || issue.input === -Infinity
    ? `is too large (${what}): ${TOO_LARGE}`
    : typeof issue.input === 'number'
      ? `must be a finite number (${what}), got ${issue.input}`
      : `must be a number (${what})`;
const finite = (what: string) =>
  z.number({ error: numberError(what) }).refine(Number.isFinite, 'must be a finite number');
const CHAINS = {
  nonNegative: (what: string) => finite(what).refine((v) => v >= 0, 'must not be negative'),
  positive: (what: string) => finite(what).refine((v) => v > 0, 'must be greater than 0'),
  positiveInt: (what: string) =>
    z
      .number({ error: numberError(what) })
      .int('must be a whole number')
      .positive('must be greater than 0')
      .max(MAX_SHARES, MAX_SHARES_MESSAGE),
  nonNegativeInt: (what: string) =>
    z
      .number({ error: numberError(what) })
      .int('must be a whole number')
      .nonnegative('must not be negative')
      .max(MAX_SHARES, MAX_SHARES_MESSAGE),
};

/** Plan fields of each kind, where the value goes and the word its messages use. */
const FIELDS: { kind: keyof typeof CHAINS; what: string; set: (v: unknown) => object }[] = [
  { kind: 'positiveInt', what: 'shares', set: (v) => ({ shares: v }) },
  { kind: 'nonNegativeInt', what: 'minimum order', set: (v) => ({ minOrderSize: v }) },
  { kind: 'positive', what: 'reference price', set: (v) => ({ referencePrice: v }) },
  { kind: 'nonNegative', what: 'permanent impact', set: (v) => ({ permanentImpact: v }) },
  {
    kind: 'nonNegative',
    what: 'beta',
    set: (v) => ({ impact: { model: 'linear', beta: v } }),
  },
];

const value = fc.oneof(
  fc.double(),
  fc.integer({ min: -10, max: 10 }),
  fc.constantFrom(0, -0, 1e13, 1e13 + 1, Infinity, -Infinity, 0.5, NaN),
  fc.string({ maxLength: 4 }),
  fc.constantFrom(null, true, undefined),
);

/** The plan's messages about one field (the path's first part dropped). */
function planMessages(field: (typeof FIELDS)[number], v: unknown): string[] {
  const r = parsePlan({
    name: 'p',
    symbol: 'TST',
    side: 'buy',
    shares: 1000,
    periods: 4,
    impact: { model: 'linear', beta: 1 },
    ...field.set(v),
  });
  if (r.ok) return [];
  const prefix = Object.keys(field.set(0))[0];
  return r.errors
    .filter((e) => e.startsWith(`${prefix}`))
    .map((e) => e.slice(e.indexOf(': ') + 2))
    .filter((m) => !m.startsWith('must be a multiple of lotSize'));
}

describe('plan number fields: one-step checks report as the step-by-step chain', () => {
  for (const field of FIELDS) {
    it(`${field.kind} (${field.what})`, () => {
      const chain = CHAINS[field.kind](field.what);
      fc.assert(
        fc.property(value, (v) => {
          if (v === undefined) return;
          const r = chain.safeParse(v);
          const expected = r.success ? [] : r.error.issues.map((i) => i.message);
          expect(planMessages(field, v)).toEqual(expected);
        }),
        { numRuns: 400 },
      );
    });
  }
});
