import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { samplePlan, sampleColumns } from '../src-main/testing/plans';
import {
  answerFromBinary,
  binaryAnswer,
  fitsInt32,
  packColumns,
  unpackColumns,
} from './resultBinary';
import type { SolveResultColumns } from './resultColumns';

const TWO_31 = 2 ** 31;

/** Entries that test the Int32 choice: its bounds, -0, NaN, fractions, any double. */
const entry = fc.oneof(
  fc.constantFrom(0, -0, NaN, TWO_31 - 1, -TWO_31, TWO_31, -TWO_31 - 1, 0.5, -1, 1e300),
  fc.integer({ min: -TWO_31, max: TWO_31 - 1 }),
  fc.integer({ min: -1000, max: 1000 }),
  fc.double(),
);
const column = fc.oneof(
  fc.array(entry, { maxLength: 40 }),
  // Whole numbers only, so that Int32 columns are common.
  fc.array(fc.integer({ min: -TWO_31, max: TWO_31 - 1 }), { maxLength: 40 }),
);

/** Same entries, bit for bit (-0 is not 0, NaN is NaN). */
function sameBits(a: Float64Array, b: Float64Array): boolean {
  return a.length === b.length && Array.from(a).every((x, i) => Object.is(x, b[i]));
}

function fixture(): SolveResultColumns {
  return sampleColumns(samplePlan({ periods: 7, shares: 700 }), 7);
}

describe('binary answer layout', () => {
  it('fitsInt32: whole numbers Int32 holds exactly, never -0 or NaN', () => {
    const fits = (...xs: number[]) => fitsInt32(new Float64Array(xs));
    expect(fits(0, 1, -1, TWO_31 - 1, -TWO_31)).toBe(true);
    expect(fits()).toBe(true);
    expect(fits(TWO_31)).toBe(false);
    expect(fits(-TWO_31 - 1)).toBe(false);
    expect(fits(1, -0)).toBe(false);
    expect(fits(NaN)).toBe(false);
    expect(fits(0.5)).toBe(false);
    expect(fits(Infinity)).toBe(false);
  });

  it('packed columns come back bit for bit, Int32 only where every entry fits', () => {
    fc.assert(
      fc.property(fc.array(column, { maxLength: 6 }), (arrays) => {
        const columns = arrays.map((a) => Float64Array.from(a));
        const packed = packColumns(columns);
        expect(packed.int32).toEqual(columns.flatMap((c, i) => (fitsInt32(c) ? [i] : [])));
        // A copy that starts on a multiple of 8, as a received answer does.
        const bytes = new Uint8Array(packed.bytes);
        const back = unpackColumns(packed.lengths, packed.int32, bytes);
        expect(back.length).toBe(columns.length);
        back.forEach((c, i) => expect(sameBits(c, columns[i])).toBe(true));
      }),
    );
  });

  it('an Int32 column takes half the bytes of doubles (padded to 8)', () => {
    const packed = packColumns([new Float64Array([1, 2, 3]), new Float64Array([0.5])]);
    expect(packed.int32).toEqual([0]);
    expect(packed.bytes.length).toBe(16 + 8);
  });

  it('a solve answer comes back as the result, every column bit for bit', () => {
    fc.assert(
      fc.property(fc.array(entry, { minLength: 7, maxLength: 7 }), (xs) => {
        const result = fixture();
        const odd = Float64Array.from(xs);
        const value = {
          ...result,
          schedule: { ...result.schedule, cost: odd, remaining: Float64Array.from(xs, Math.trunc) },
        };
        const back = answerFromBinary(binaryAnswer('solve', value).slice().buffer) as {
          ok: true;
          value: SolveResultColumns;
        };
        expect(back.ok).toBe(true);
        expect(back.value).toEqual(value);
        expect(sameBits(back.value.schedule.cost, odd)).toBe(true);
        expect(sameBits(back.value.schedule.remaining!, value.schedule.remaining)).toBe(true);
      }),
    );
  });

  it("a getPlan answer revives its result's columns and keeps everything else", () => {
    const result = fixture();
    const stored = { id: 'x', plan: samplePlan(), revision: 2, result };
    const back = answerFromBinary(binaryAnswer('getPlan', stored).slice().buffer);
    expect(back).toEqual({ ok: true, value: stored });
    const none = { id: 'x', plan: samplePlan(), revision: 1 };
    expect(answerFromBinary(binaryAnswer('getPlan', none).slice().buffer)).toEqual({
      ok: true,
      value: none,
    });
  });

  it('bytes that are not a whole answer are refused with a reason', () => {
    const good = binaryAnswer('solve', fixture());
    const copy = (b: Uint8Array) => b.slice().buffer;
    expect(() => answerFromBinary(copy(good.subarray(0, good.length - 8)))).toThrow(
      /ends inside a column/,
    );
    const longer = new Uint8Array(good.length + 8);
    longer.set(good);
    expect(() => answerFromBinary(longer.buffer)).toThrow(/8 bytes after its last column/);
    const old = good.slice();
    old[3] = 0x31; // "OPC1": the layout before Int32 columns
    expect(() => answerFromBinary(old.buffer)).toThrow(/"OPC2" mark/);
  });
});
