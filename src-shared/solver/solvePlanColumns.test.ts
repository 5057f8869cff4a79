/**
 * The worker's solve builds the columnar result directly (solvePlanColumns); it must be the
 * result the row-wise path gave, turned into columns (toColumns(solvePlan(plan))), value for
 * value, bit for bit and key for key. The baselines' level sort and the participation warning
 * that path now uses are checked against the ways they were computed before.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { ImpactModel, Plan } from '../plan';
import { parsePlan } from '../plan';
import { arbPlan } from '../testing/arbitraries';
import { testPlan } from '../testing/plans';
import { toColumns } from '../resultColumns';
import { radixSortByLevel, sortByLevel } from '../baselines';
import { solveWarnings } from '../warnings';
import { fmtInt } from '../impact';
import { solvePlan, solvePlanColumns } from './solvePlan';

const MODELS: ImpactModel[] = ['linear', 'power', 'table', 'book'];

/** Every value, typed arrays entry by entry (−0 and NaN told apart), keys in their order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (key, v: unknown) => {
    if (key === 'millis') return 0; // the solver's wall time differs from run to run
    if (v instanceof Float64Array)
      return {
        typed: Array.from(v, (x) => (Object.is(x, -0) ? '-0' : Number.isNaN(x) ? 'NaN' : x)),
      };
    if (typeof v === 'number' && (Object.is(v, -0) || Number.isNaN(v))) return String(v);
    return v;
  });
}

/** The outcome of a solve: its result, or the error it threw (code and message). */
function outcome(f: () => unknown): string {
  try {
    return canonical(f());
  } catch (e) {
    return `threw ${String((e as { code?: string }).code)}: ${(e as Error).message}`;
  }
}

/** arbPlan, sometimes with a reference price, a session (clock labels) and timing risk. */
function arbFullPlan(model: ImpactModel): fc.Arbitrary<Plan> {
  return fc
    .tuple(
      arbPlan(model, { maxPeriods: 6, maxLots: 30 }),
      fc.option(fc.constantFrom(0.01, 20, 31.5), { nil: undefined }),
      fc.boolean(),
      fc.option(fc.constantFrom(1e-7, 1e-4), { nil: undefined }),
    )
    .map(([p, referencePrice, session, aversion]) => {
      const r = parsePlan({
        ...p,
        ...(referencePrice !== undefined ? { referencePrice } : {}),
        ...(session
          ? { session: { start: '09:30', end: '16:00', timeZone: 'America/New_York' } }
          : {}),
        ...(aversion !== undefined ? { risk: { volatility: 0.02, aversion } } : {}),
      });
      return r.ok ? r.value : p;
    });
}

describe('solvePlanColumns equals toColumns(solvePlan) of the row-wise path', () => {
  for (const model of MODELS) {
    it(`${model}: the same result, or the same error, on random plans`, () => {
      fc.assert(
        fc.property(arbFullPlan(model), fc.constantFrom(0, 5), (p, curve) => {
          const old = outcome(() => toColumns(solvePlan(p, { curve })));
          const direct = outcome(() => solvePlanColumns(p, { curve }));
          expect(direct).toBe(old);
        }),
        { numRuns: 150 },
      );
    });
  }

  it('a plan whose volume profile is all zero has no participation column, as before', () => {
    const p = testPlan({
      periods: 3,
      shares: 300,
      lotSize: 100,
      volumeProfile: [0, 0, 0],
      impact: { model: 'linear', beta: 0.001 },
    });
    const c = solvePlanColumns(p);
    expect(c.schedule.participation).toBeNull();
    expect(c.schedule.expectedVolume).not.toBeNull();
    expect(canonical(c)).toBe(canonical(toColumns(solvePlan(p))));
  });
});

describe('the baselines level sort', () => {
  /** The comparator sort the levels had before: by level, ties by index. */
  function comparatorSort(idx: Int32Array, cap: Float64Array, s: Float64Array): Int32Array {
    const out = Int32Array.from(idx);
    out.sort((a, b) => {
      const la = cap[a] / s[a];
      const lb = cap[b] / s[b];
      return la < lb ? -1 : la > lb ? 1 : a - b;
    });
    return out;
  }

  it('sorts any levels (ties, zeros, −0, +∞, tiny and huge) as the comparator sort did', () => {
    const capArb = fc.oneof(
      fc.constantFrom(0, -0, 1, 2, 1e5),
      fc.integer({ min: 0, max: 50 }),
      fc.double({ min: 0, max: 1e12, noNaN: true }),
    );
    const sArb = fc.oneof(
      fc.constantFrom(Number.MIN_VALUE, 1e-300, 0.5, 1, 3),
      fc.double({ min: Number.MIN_VALUE, max: 1e6, noNaN: true }),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(capArb, sArb), { minLength: 0, maxLength: 60 }), (pairs) => {
        const cap = Float64Array.from(pairs, ([c]) => c);
        const s = Float64Array.from(pairs, ([, w]) => w);
        const idx = Int32Array.from(pairs, (_, i) => i);
        const expected = comparatorSort(idx, cap, s);
        sortByLevel(idx, cap, s);
        expect(Array.from(idx)).toEqual(Array.from(expected));
      }),
      { numRuns: 2000 },
    );
  });

  it('radixSortByLevel orders any non-negative doubles by value, ties by index, in every digit', () => {
    // Levels come from a small pool (so they repeat: ties) of doubles that differ from a few
    // bases in single bits, so every bit of the 64, in every digit, decides some comparisons.
    const bits = new DataView(new ArrayBuffer(8));
    const flip = (x: number, bit: number): number => {
      bits.setFloat64(0, x);
      bits.setBigUint64(0, bits.getBigUint64(0) ^ (1n << BigInt(bit)));
      const y = bits.getFloat64(0);
      return Number.isNaN(y) || y < 0 ? x : y;
    };
    const baseArb = fc.oneof(
      fc.double({ min: 0, max: Number.MAX_VALUE, noNaN: true, noDefaultInfinity: true }),
      fc.constantFrom(0, Number.MIN_VALUE, 1, 2 ** 32, 12345.678, Infinity),
    );
    const poolArb = fc.array(fc.tuple(baseArb, fc.array(fc.integer({ min: 0, max: 62 }))), {
      minLength: 1,
      maxLength: 6,
    });
    fc.assert(
      fc.property(poolArb, fc.array(fc.nat(), { maxLength: 3000 }), (bases, picks) => {
        const pool = bases.flatMap(([x, flips]) => [x, ...flips.map((bit) => flip(x, bit))]);
        const level = Float64Array.from(picks, (k) => pool[k % pool.length] + 0);
        const idx = Int32Array.from(picks, (_, p) => 3 * p + 1);
        const at = (entry: number) => level[(entry - 1) / 3];
        const expected = Array.from(idx).sort((a, b) =>
          at(a) < at(b) ? -1 : at(a) > at(b) ? 1 : a - b,
        );
        radixSortByLevel(idx, level);
        expect(Array.from(idx)).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('radixSortByLevel keeps equal levels in index order over many entries', () => {
    const m = 5000;
    const level = Float64Array.from({ length: m }, (_, p) => (p * 7919) % 13);
    const idx = Int32Array.from({ length: m }, (_, p) => p * 2);
    const expected = Array.from(idx).sort((a, b) => level[a / 2] - level[b / 2] || a - b);
    radixSortByLevel(idx, level);
    expect(Array.from(idx)).toEqual(expected);
  });
});

describe('the participation warning counts, lists and picks the worst period as before', () => {
  /** The warning's middle part as the old code built it: every period over, then the worst. */
  function oldOverText(shares: number[], volume: number[]): string | null {
    const over = shares
      .map((x, i) => ({ period: i, shares: x, volume: volume[i] }))
      .filter((o) => o.shares > 0 && o.shares > o.volume);
    if (over.length === 0) return null;
    const shown = over
      .slice(0, 5)
      .map((o) => `period ${fmtInt(o.period + 1)}`)
      .join(', ');
    const more = over.length > 5 ? ` and ${fmtInt(over.length - 5)} more` : '';
    return `${fmtInt(over.length)} period${over.length === 1 ? '' : 's'} (${shown}${more}); the worst is `;
  }

  it('on random schedules and volumes', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 20 })), {
          minLength: 1,
          maxLength: 40,
        }),
        (pairs) => {
          const shares = pairs.map(([x]) => x);
          const volume = pairs.map(([, v]) => v);
          const p = testPlan({
            periods: pairs.length,
            shares: shares.reduce((a, b) => a + b, 0) || 1,
            lotSize: 1,
            volumeProfile: volume,
            impact: { model: 'linear', beta: 0.001 },
          });
          const w = solveWarnings(p, shares).find((x) => x.code === 'participation');
          const expected = oldOverText(shares, volume);
          if (expected === null) expect(w).toBeUndefined();
          else expect(w?.message).toContain(expected);
          if (w) {
            // The worst period is named after "the worst is": the same as the old pick.
            const over = shares
              .map((x, i) => ({ i, x, v: volume[i], r: volume[i] > 0 ? x / volume[i] : Infinity }))
              .filter((o) => o.x > 0 && o.x > o.v);
            let worst = over[0];
            for (const o of over) if (o.r > worst.r) worst = o;
            const tail = w.message.slice(w.message.indexOf('the worst is'));
            expect(tail).toContain(`period ${fmtInt(worst.i + 1)}`);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
