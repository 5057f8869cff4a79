/**
 * The wire form of a result: number columns as base64 of their doubles (columnCodec.ts), the
 * server's answer bytes (jsonBytes / answerBytes) and the window's decoder (outputFromJson).
 * Property tests against the plain-JSON path they replace: every double comes back bit for
 * bit, the bytes are the JSON text of the packed form, and a bad column is still refused
 * naming the field.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeBase64,
  float64FromBase64,
  float64ToBase64,
  jsonBytes,
  writeBase64,
} from './columnCodec';
import type { SolveResult } from './result';
import {
  answerBytes,
  columnsFromJson,
  columnsToPackedJson,
  outputFromJson,
  outputToJson,
  toColumns,
  type SolveResultColumns,
} from './resultColumns';

/** Bit-for-bit equality of two columns (NaN payloads and -0 included). */
function sameBits(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const y = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  return x.every((v, i) => v === y[i]);
}

const anyDouble = fc.oneof(
  fc.double(),
  fc.constantFrom(-0, 0, Number.MIN_VALUE, -Number.MIN_VALUE, 2.2250738585072014e-308),
  fc.constantFrom(Number.MAX_VALUE, -Number.MAX_VALUE, 1e300, 1e-300, 0.1 + 0.2),
);
const finiteDouble = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(-0, Number.MIN_VALUE, Number.MAX_VALUE, -Number.MAX_VALUE),
);
const wholeShares = fc.integer({ min: 0, max: 2 ** 40 }).map((k) => k * 100);

/** A result of `n` periods with the given columns (the optional ones may be absent). */
function resultOf(rows: { shares: number; cost: number; bps: number | null }[]): SolveResult {
  const n = rows.length;
  const baseline = {
    shares: rows.map((r) => r.shares),
    totalCost: 1,
    totalCostBps: null,
    savingPct: 0,
    feasible: true,
  };
  return {
    schedule: rows.map((r, i) => ({
      period: i + 1,
      start: null,
      end: null,
      shares: r.shares,
      impactPerShare: r.cost,
      cost: r.cost,
      costBps: r.bps,
      expectedVolume: r.bps === null ? null : r.shares + 1,
      participation: r.bps,
    })),
    totalCost: 1,
    totalCostBps: null,
    baselines: { naive: baseline, aggressive: baseline, conservative: baseline, vwap: baseline },
    solver: {
      method: 'convex',
      gridSize: n,
      periods: Math.max(1, n),
      millis: 1,
      certified: true,
      reason: 'x',
    },
    warnings: [{ code: 'participation', message: 'über 100 % — “quotes”, \\ and \u2028' }],
  };
}

const rowsArb = fc.array(
  fc.record({ shares: wholeShares, cost: finiteDouble, bps: fc.option(finiteDouble) }),
  { maxLength: 40 },
);

describe('number columns as base64', () => {
  it('every double comes back bit for bit: -0, subnormals, the extremes, NaN payloads', () => {
    fc.assert(
      fc.property(fc.array(anyDouble, { maxLength: 64 }), (xs) => {
        const column = Float64Array.from(xs);
        const text = float64ToBase64(column);
        expect(text).toMatch(/^[A-Za-z0-9+/]*={0,2}$/);
        const back = float64FromBase64(text);
        expect(back).not.toBeNull();
        expect(sameBits(back!, column)).toBe(true);
      }),
    );
    expect(Object.is(float64FromBase64(float64ToBase64(Float64Array.of(-0)))![0], -0)).toBe(true);
  });

  it('a view into a larger buffer is written from its own bytes', () => {
    const whole = Float64Array.of(1, 2, 3, 4, 5);
    const view = whole.subarray(1, 4);
    expect(Array.from(float64FromBase64(float64ToBase64(view))!)).toEqual([2, 3, 4]);
  });

  it('the strict decoder refuses what is not the padded base64 of whole doubles', () => {
    const good = float64ToBase64(Float64Array.of(1.5, -2));
    expect(float64FromBase64(good)).toEqual(Float64Array.of(1.5, -2));
    for (const bad of [
      good.slice(0, -1), // not a multiple of 4
      float64ToBase64(Float64Array.of(1)).slice(0, 8), // 6 bytes: not whole doubles
      `${good.slice(0, 4)}!${good.slice(5)}`, // outside the alphabet
      `${good.slice(0, 4)}=${good.slice(5)}`, // padding inside
      `${good.slice(0, 4)}é${good.slice(5)}`, // not ASCII
    ])
      expect(float64FromBase64(bad)).toBeNull();
    expect(float64FromBase64('')).toEqual(new Float64Array(0));
    // The portable decoder on its own (browsers use Uint8Array.prototype.setFromBase64).
    const into = new Uint8Array(16);
    expect(decodeBase64(good, into)).toBe(true);
    expect(new Float64Array(into.buffer)).toEqual(Float64Array.of(1.5, -2));
    expect(decodeBase64(`${good.slice(0, -2)}A=`, new Uint8Array(16))).toBe(false);
  });

  it('writeBase64 writes what btoa writes, at any offset and any length', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 50 }), fc.nat(7), (bytes, at) => {
        const out = new Uint8Array(at + Math.ceil(bytes.length / 3) * 4);
        const end = writeBase64(bytes, out, at);
        expect(end).toBe(out.length);
        const text = new TextDecoder().decode(out.subarray(at));
        expect(text).toBe(btoa(String.fromCharCode(...bytes)));
      }),
    );
  });
});

describe('the server answer and the window decoder', () => {
  it('answer bytes are the JSON of the packed form and decode to the same columns, bit for bit', () => {
    fc.assert(
      fc.property(rowsArb, (rows) => {
        const cols = toColumns(resultOf(rows));
        for (const op of ['solve', 'getPlan'] as const) {
          const value = op === 'solve' ? cols : { id: 'p', plan: { name: 'ü' }, result: cols };
          const bytes = answerBytes(op, value);
          const text = new TextDecoder().decode(bytes);
          // The packed form's JSON text, but for up to 3 spaces before each column (alignment).
          const packed = JSON.stringify({ ok: true, value: outputToJson(op, value) });
          expect(JSON.parse(text)).toEqual(JSON.parse(packed));
          expect(text.replace(/: {1,3}"/g, ':"')).toBe(packed);
          expect(bytes.length - packed.length).toBeLessThanOrEqual(3 * 12);
          const back = outputFromJson(op, (JSON.parse(text) as { value: unknown }).value);
          const got = (
            op === 'solve' ? back : (back as { result: unknown }).result
          ) as SolveResultColumns;
          expect(got).toEqual(cols);
          expect(sameBits(got.schedule.cost, cols.schedule.cost)).toBe(true);
          for (const name of ['naive', 'vwap'] as const)
            expect(sameBits(got.baselines[name]!.shares, cols.baselines[name]!.shares)).toBe(true);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('an empty schedule crosses as empty columns', () => {
    const cols = toColumns(resultOf([]));
    const text = new TextDecoder().decode(answerBytes('solve', cols));
    expect(text).toMatch(/"shares": *""/);
    const back = outputFromJson('solve', (JSON.parse(text) as { value: unknown }).value);
    expect(back).toEqual(cols);
  });

  it('jsonBytes writes what JSON.stringify writes for anything without typed arrays', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(new TextDecoder().decode(jsonBytes(value))).toBe(JSON.stringify(value));
      }),
    );
    const odd = { a: undefined, f: () => 1, d: new Date(0), n: NaN, nested: { x: [1, undefined] } };
    expect(new TextDecoder().decode(jsonBytes(odd))).toBe(JSON.stringify(odd));
  });

  it('a bad column is still refused naming the field: NaN, Infinity, fractions, lengths', () => {
    const cols = toColumns(
      resultOf([
        { shares: 100, cost: 1, bps: 2 },
        { shares: 0, cost: 0, bps: null },
      ]),
    );
    const refused = (change: (c: SolveResultColumns) => void) => {
      const copy = structuredClone(cols);
      change(copy);
      return () => columnsFromJson(columnsToPackedJson(copy));
    };
    expect(refused((c) => (c.schedule.cost[1] = NaN))).toThrow(
      'result.schedule.cost.1: must be a finite number',
    );
    expect(refused((c) => (c.schedule.impactPerShare[0] = Infinity))).toThrow(
      'result.schedule.impactPerShare.0: must be a finite number',
    );
    expect(refused((c) => (c.schedule.shares[0] = 0.5))).toThrow(
      'result.schedule.shares.0: must be a whole number of shares, 0 or more',
    );
    expect(refused((c) => (c.baselines.naive.shares = Float64Array.of(-100, 0)))).toThrow(
      'result.baselines.naive.shares.0: must be a whole number of shares, 0 or more',
    );
    expect(refused((c) => (c.schedule.cost = Float64Array.of(1)))).toThrow(
      'result.schedule.cost: has 1 entries, not 2 (one per period)',
    );
    // A null inside a nullable column stays a null (NaN), as in the plain-JSON form.
    expect(Number.isNaN(columnsFromJson(columnsToPackedJson(cols)).schedule.costBps![1])).toBe(
      true,
    );
    // Text that is not base64 of whole doubles names its column.
    const packed = columnsToPackedJson(cols) as { schedule: Record<string, unknown> };
    packed.schedule.cost = 'AAAA';
    expect(() => columnsFromJson(packed)).toThrow(
      'result.schedule.cost: must be an array of numbers (or the base64 of whole doubles)',
    );
  });
});
