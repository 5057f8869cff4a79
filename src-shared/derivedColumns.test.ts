import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { windowPlan } from '../test/bench/windowPlan';
import { arbPlan } from './testing/arbitraries';
import { PlanSchema, type Plan } from './plan';
import {
  answerFromBinary,
  binaryAnswer,
  binaryAnswerParts,
  packColumns,
  packResult,
} from './resultBinary';
import { mapNumberColumns, type SolveResultColumns } from './resultColumns';
import { solvePlanColumns } from './solver/solvePlan';

/** Every number column of both results, byte for byte (NaN payloads and -0 included). */
function sameColumns(a: SolveResultColumns, b: SolveResultColumns): boolean {
  const cols = (r: SolveResultColumns) => {
    const out: (Float64Array | null)[] = [];
    mapNumberColumns(r, (c) => out.push(c));
    const s = r.schedule;
    return [s.costBps, s.remaining, s.riskVariance, s.expectedVolume, s.participation, ...out];
  };
  const x = cols(a);
  const y = cols(b);
  return (
    x.length === y.length &&
    x.every((c, i) => {
      const d = y[i];
      if (c === null || d === null) return c === d;
      const u = new Uint8Array(c.buffer, c.byteOffset, c.byteLength);
      const v = new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
      return u.length === v.length && u.every((byte, k) => byte === v[k]);
    })
  );
}

function roundTrip(op: 'solve' | 'getPlan', value: unknown, plan?: Plan) {
  const bytes = binaryAnswer(op, value, plan);
  return { bytes, back: (answerFromBinary(bytes.slice().buffer) as { value: unknown }).value };
}

/** The header's entry for a schedule column: a recipe when it was left out. */
function headerEntry(bytes: Uint8Array, column: string): unknown {
  const length = new DataView(bytes.buffer, bytes.byteOffset).getUint32(4, true);
  const head = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + length))) as {
    value: { schedule?: Record<string, unknown>; result?: { schedule: Record<string, unknown> } };
  };
  return (head.value.schedule ?? head.value.result!.schedule)[column];
}

const priced = (p: Plan, volume: boolean) =>
  PlanSchema.parse({
    ...p,
    referencePrice: 31.5,
    ...(volume
      ? { volumeProfile: Array.from({ length: p.periods }, (_, i) => 100 * (i + 1)) }
      : {}),
  });

describe('columns the window rebuilds', () => {
  it('a solved result comes back bit for bit, in a solve and in a getPlan answer', () => {
    const models = ['linear', 'power', 'table', 'book'] as const;
    fc.assert(
      fc.property(
        fc.constantFrom(...models).chain((m) => arbPlan(m, { maxPeriods: 6, extras: true })),
        fc.boolean(),
        fc.boolean(),
        (p, price, volume) => {
          const plan = price ? priced(p, volume) : p;
          let result: SolveResultColumns;
          try {
            result = solvePlanColumns(plan);
          } catch {
            return; // an infeasible plan has no result to send
          }
          const solved = roundTrip('solve', result, plan).back as SolveResultColumns;
          expect(sameColumns(solved, result)).toBe(true);
          expect(solved).toEqual(result);
          const stored = { id: 'x', plan, revision: 1, result };
          const opened = roundTrip('getPlan', stored).back as typeof stored;
          expect(sameColumns(opened.result, result)).toBe(true);
          expect(opened).toEqual(stored);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("leaves out a real plan's cost, remaining, bps, participation, variance and volume", () => {
    const plan = windowPlan(2000);
    const result = solvePlanColumns(plan);
    const whole = packResult(result).packed.bytes.length;
    const { bytes, back } = roundTrip('solve', result, plan);
    expect(sameColumns(back as SolveResultColumns, result)).toBe(true);
    for (const [column, derive] of [
      ['cost', 'product'],
      ['remaining', 'remaining'],
      ['costBps', 'costBps'],
      ['participation', 'participation'],
      ['riskVariance', 'fill'],
    ])
      expect(headerEntry(bytes, column)).toMatchObject({ derive });
    // Without the plan a solve answer still rebuilds the remainder, not the bps.
    expect(headerEntry(binaryAnswer('solve', result), 'costBps')).toHaveProperty('column');
    const sent = binaryAnswerParts('solve', result, plan).slice(1);
    expect(sent.reduce((n, part) => n + part.length, 0)).toBeLessThan(whole * 0.7);
    const opened = roundTrip('getPlan', { id: 'x', plan, revision: 1, result });
    expect(headerEntry(opened.bytes, 'expectedVolume')).toEqual({ derive: 'volume' });
    expect(sameColumns((opened.back as { result: SolveResultColumns }).result, result)).toBe(true);
  });

  it('a column one entry away from its recipe is sent as it is', () => {
    const plan = windowPlan(2000);
    const result = solvePlanColumns(plan);
    fc.assert(
      fc.property(
        fc.constantFrom(
          'cost',
          'remaining',
          'costBps',
          'participation',
          'riskVariance',
          'expectedVolume',
        ),
        fc.integer({ min: 0, max: 1999 }),
        fc.constantFrom(-0, NaN, 1, 0.1, -1e-300),
        (column, at, delta) => {
          const s = result.schedule as unknown as Record<string, Float64Array>;
          const changed = Float64Array.from(s[column]);
          // A different value, or the same value with other bits (-0 for 0, a NaN payload).
          changed[at] =
            Object.is(delta, -0) && changed[at] !== 0 ? -changed[at] : changed[at] + delta;
          if (Number.isNaN(delta)) {
            new Uint32Array(changed.buffer)[2 * at] = 1;
            new Uint32Array(changed.buffer)[2 * at + 1] = 0x7ff80000;
          }
          const value = { ...result, schedule: { ...result.schedule, [column]: changed } };
          const stored = { id: 'x', plan, revision: 1, result: value };
          const back = roundTrip('getPlan', stored).back as typeof stored;
          expect(sameColumns(back.result, value)).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("a long volume profile of whole shares travels as a column, any other in the plan's JSON", () => {
    const plan = windowPlan(2000);
    const result = solvePlanColumns(plan);
    const planEntry = (bytes: Uint8Array) => {
      const length = new DataView(bytes.buffer, bytes.byteOffset).getUint32(4, true);
      const text = new TextDecoder().decode(bytes.subarray(8, 8 + length));
      return (JSON.parse(text) as { value: { plan: { volumeProfile: unknown } } }).value.plan;
    };
    const stored = { id: 'x', plan, revision: 1, result };
    const whole = roundTrip('getPlan', stored);
    expect(planEntry(whole.bytes).volumeProfile).toHaveProperty('column');
    expect(whole.back).toEqual(stored);
    const noResult = { id: 'x', plan, revision: 1 };
    expect(roundTrip('getPlan', noResult).back).toEqual(noResult);
    // An odd count of Int32 entries is padded to a multiple of 8 bytes.
    const odd = { ...noResult, plan: { ...plan, volumeProfile: plan.volumeProfile!.slice(1) } };
    const oddTrip = roundTrip('getPlan', odd);
    expect(planEntry(oddTrip.bytes).volumeProfile).toHaveProperty('column');
    expect(oddTrip.back).toEqual(odd);
    // A fraction, a -0 or a number Int32 does not hold: the list stays in the JSON.
    for (const odd of [0.5, -0, 2 ** 31]) {
      const other = { ...plan, volumeProfile: [odd, ...plan.volumeProfile!.slice(1)] };
      const { bytes, back } = roundTrip('getPlan', { id: 'x', plan: other, revision: 1 });
      expect(Array.isArray(planEntry(bytes).volumeProfile)).toBe(true);
      expect((back as { plan: Plan }).plan.volumeProfile![0]).toBe(odd + 0);
    }
  });

  it("a -0 in the plan's volume profile keeps the expected-volume column", () => {
    const plan = {
      ...windowPlan(390),
      volumeProfile: [-0, ...windowPlan(390).volumeProfile!.slice(1)],
    };
    const result = solvePlanColumns(windowPlan(390));
    const volume = Float64Array.from(result.schedule.expectedVolume!);
    volume[0] = -0;
    const value = { ...result, schedule: { ...result.schedule, expectedVolume: volume } };
    const { bytes, back } = roundTrip('getPlan', { id: 'x', plan, revision: 1, result: value });
    expect(headerEntry(bytes, 'expectedVolume')).toHaveProperty('column');
    expect(sameColumns((back as { result: SolveResultColumns }).result, value)).toBe(true);
  });

  it('a recipe that cannot be applied is refused with a reason', () => {
    const result = solvePlanColumns(windowPlan(390));
    const shaped = mapNumberColumns(result, () => null) as SolveResultColumns;
    const b = result.baselines;
    const columns = [
      result.schedule.shares,
      result.schedule.impactPerShare,
      result.schedule.cost,
      b.naive.shares,
      b.aggressive.shares,
      b.conservative.shares,
    ];
    const head = (schedule: object) => ({
      ...shaped,
      baselines: {
        naive: { ...b.naive, shares: { column: 3 } },
        aggressive: { ...b.aggressive, shares: { column: 4 } },
        conservative: { ...b.conservative, shares: { column: 5 } },
      },
      schedule: {
        ...shaped.schedule,
        shares: { column: 0 },
        impactPerShare: { column: 1 },
        cost: { column: 2 },
        ...schedule,
      },
    });
    const answer = (value: object) => {
      const packed = packColumns(columns);
      const text = JSON.stringify({
        ok: true,
        value,
        columns: packed.lengths,
        int32: packed.int32,
      });
      const h = new TextEncoder().encode(text);
      const length = Math.ceil(h.length / 8) * 8;
      const out = new Uint8Array(8 + length + packed.bytes.length).fill(0x20);
      out.set([0x4f, 0x50, 0x43, 0x32]);
      new DataView(out.buffer).setUint32(4, length, true);
      out.set(h, 8);
      out.set(packed.bytes, 8 + length);
      return out.buffer;
    };
    // Participation without an expected volume to divide by; a volume without a plan.
    expect(() =>
      answerFromBinary(answer(head({ participation: { derive: 'participation' } }))),
    ).toThrow(/cannot rebuild its participation column/);
    expect(() => answerFromBinary(answer(head({ expectedVolume: { derive: 'volume' } })))).toThrow(
      /cannot rebuild its expectedVolume column/,
    );
    // An opened plan's volume profile that is not all numbers rebuilds no expected volume.
    const n = result.schedule.shares.length;
    for (const bad of ['many', null, Infinity]) {
      const volumeProfile = Array.from({ length: n }, (_, i) => (i === 1 ? bad : 100));
      const opened = {
        plan: { volumeProfile },
        result: head({ expectedVolume: { derive: 'volume' } }),
      };
      expect(() => answerFromBinary(answer(opened))).toThrow(
        /cannot rebuild its expectedVolume column/,
      );
    }
    expect(() =>
      answerFromBinary(answer(head({ remaining: { derive: 'remaining', total: 'all' } }))),
    ).toThrow(/cannot rebuild its remaining column/);
    const fine = answerFromBinary(
      answer(head({ remaining: { derive: 'remaining', total: 100_000 } })),
    );
    expect((fine as { value: SolveResultColumns }).value.schedule.remaining).toEqual(
      result.schedule.remaining,
    );
  });
});
