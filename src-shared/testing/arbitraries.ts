/**
 * Test-only fast-check arbitraries: small random plans of every model, with and without caps,
 * participation limits, fees and minimum orders, both sides. Values are multiples of 1/1000 so
 * that exact ties (flat pieces, equal profiles) happen often.
 */
import fc from 'fast-check';
import { parsePlan, type Plan, type PlanInput } from '../plan';
import type { ImpactModel } from '../plan';

export interface ArbOptions {
  maxPeriods?: number;
  maxLots?: number;
  /** Allow fixedFeePerOrder / minOrderSize (non-convex extras). */
  extras?: boolean;
}

const milli = (max: number) => fc.integer({ min: 0, max: max * 1000 }).map((v) => v / 1000);
const positiveMilli = (max: number) => fc.integer({ min: 1, max: max * 1000 }).map((v) => v / 1000);

export function arbPlan(model: ImpactModel, opts: ArbOptions = {}): fc.Arbitrary<Plan> {
  const maxN = opts.maxPeriods ?? 4;
  const maxM = opts.maxLots ?? 10;
  return fc
    .record({
      n: fc.integer({ min: 1, max: maxN }),
      m: fc.integer({ min: 1, max: maxM }),
      q: fc.constantFrom(1, 2, 3, 5, 10, 100),
      side: fc.constantFrom('buy' as const, 'sell' as const),
    })
    .chain(({ n, m, q, side }) => {
      const S = m * q;
      const span = Math.ceil(S * 1.3) + q;
      const profile = fc.option(fc.array(positiveMilli(3), { minLength: n, maxLength: n }), {
        nil: undefined,
      });
      const impact: fc.Arbitrary<PlanInput['impact']> =
        model === 'linear'
          ? fc.record({ model: fc.constant('linear' as const), beta: milli(0.05), profile })
          : model === 'power'
            ? fc.record({
                model: fc.constant('power' as const),
                beta: milli(0.5),
                exponent: fc.constantFrom(0.25, 0.5, 0.6, 1, 1.5, 2),
                profile,
              })
            : model === 'table'
              ? fc.record({
                  model: fc.constant('table' as const),
                  curves: fc.array(tableCurve(span), { minLength: n, maxLength: n }),
                })
              : fc.record({
                  model: fc.constant('book' as const),
                  ladders: fc.array(ladder(S), { minLength: n, maxLength: n }),
                });
      const capAll = fc.integer({ min: 0, max: span });
      const maxPerPeriod = fc.option(
        fc.oneof(capAll, fc.array(capAll, { minLength: n, maxLength: n })),
        { nil: undefined, freq: 2 },
      );
      const volume = fc.option(
        fc.array(fc.integer({ min: 0, max: span * 3 }), { minLength: n, maxLength: n }),
        {
          nil: undefined,
        },
      );
      const extras = opts.extras ?? true;
      return fc
        .record({
          impact,
          maxPerPeriod,
          volumeProfile: volume,
          participation: fc.constantFrom(undefined, 0.35, 0.5, 1),
          fee: extras ? fc.option(milli(2), { nil: undefined, freq: 2 }) : fc.constant(undefined),
          minOrder: extras
            ? fc.option(fc.integer({ min: 0, max: 3 * q }), { nil: undefined, freq: 2 })
            : fc.constant(undefined),
        })
        .map((r) => {
          const input: PlanInput = {
            name: 'random',
            symbol: 'RND',
            side,
            shares: S,
            lotSize: q,
            periods: n,
            impact: r.impact,
            ...(r.maxPerPeriod !== undefined ? { maxPerPeriod: r.maxPerPeriod } : {}),
            ...(r.volumeProfile ? { volumeProfile: r.volumeProfile } : {}),
            ...(r.volumeProfile && r.participation ? { maxParticipation: r.participation } : {}),
            ...(r.fee !== undefined ? { fixedFeePerOrder: r.fee } : {}),
            ...(r.minOrder !== undefined ? { minOrderSize: r.minOrder } : {}),
          };
          const parsed = parsePlan(input);
          if (!parsed.ok)
            throw new Error(`generator made an invalid plan: ${parsed.errors.join('; ')}`);
          return parsed.value;
        });
    });
}

/** 1–5 points with strictly increasing shares (not necessarily on the lot grid), any shape. */
function tableCurve(span: number): fc.Arbitrary<[number, number][]> {
  return fc
    .uniqueArray(fc.integer({ min: 0, max: span }), { minLength: 1, maxLength: 5 })
    .chain((xs) => {
      const sorted = [...xs].sort((a, b) => a - b);
      return fc
        .array(milli(1), { minLength: sorted.length, maxLength: sorted.length })
        .map((gs) => sorted.map((x, j) => [x, gs[j]] as [number, number]));
    });
}

/** 0–4 price levels in any order (an empty ladder means no liquidity). */
function ladder(shares: number): fc.Arbitrary<[number, number][]> {
  return fc.array(fc.tuple(milli(0.2), fc.integer({ min: 0, max: Math.max(1, shares) })), {
    maxLength: 4,
  });
}
