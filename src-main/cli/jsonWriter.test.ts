/**
 * writeJson against JSON.stringify: the chunks it writes, joined, are exactly
 * `JSON.stringify(value, null, space) + suffix`, for fast-check values (control characters,
 * unicode and lone surrogates, −0, huge and tiny numbers, NaN, empty arrays and objects,
 * undefined and functions that JSON.stringify drops) and real solve results, with chunks
 * of a few hundred bytes, so that values often meet a chunk's edge.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePlanJson } from '@shared/plan';
import { solvePlan } from '@shared/solver';
import { writeJson, type WriteJsonOptions } from './jsonWriter';

const PLANS = join(resolve(import.meta.dirname, '../..'), 'test/fixtures/plans');

function written(value: unknown, options: WriteJsonOptions = {}): { text: string; chunks: number } {
  let text = '';
  let chunks = 0;
  writeJson(
    value,
    (chunk) => {
      text += chunk;
      chunks++;
    },
    options,
  );
  return { text, chunks };
}

function expected(value: unknown, space: number, suffix = ''): string {
  return String(JSON.stringify(value, null, space)) + suffix;
}

/** Strings with what JSON.stringify escapes or keeps: C0, DEL, C1, quotes, non-BMP, lone halves. */
const awkwardString = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc.string({
    unit: fc.constantFrom(
      '"',
      '\\',
      '\n',
      '\r',
      '\t',
      '\u0000',
      '\u001b',
      '\u007f',
      '\u009b',
      '\u2028',
      'é',
      '’',
      '😀',
      '\ud800',
      '\udfff',
      'a',
    ),
  }),
);

const awkwardNumber = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.constantFrom(
    -0,
    0,
    2147483647,
    -2147483648,
    2147483648,
    -2147483649,
    1e21,
    1e-7,
    5e-324,
    Number.MAX_VALUE,
    Number.MAX_SAFE_INTEGER,
    NaN,
    Infinity,
    -Infinity,
  ),
);

const { value: awkwardValue } = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    awkwardNumber,
    awkwardString,
    fc.boolean(),
    fc.constant(null),
    fc.constant(undefined),
    fc.constant(() => 1),
    fc.array(tie('value')),
    fc.dictionary(awkwardString, tie('value')),
    fc.record({
      d: fc.date({ noInvalidDate: true }),
      n: fc.constant(Object(-0)),
      s: fc.constant(Object('x\u0007')),
    }),
  ),
}));

describe('writeJson', () => {
  it('writes what JSON.stringify returns, for any value and indentation', () => {
    fc.assert(
      fc.property(
        awkwardValue,
        fc.constantFrom(0, 2, 4),
        fc.integer({ min: 1, max: 300 }),
        (value, space, chunkBytes) => {
          expect(written(value, { space, suffix: '\n', chunkBytes }).text).toBe(
            expected(value, space, '\n'),
          );
        },
      ),
      { numRuns: 500 },
    );
  });

  it('writes what JSON.stringify returns for anything fast-check builds', () => {
    fc.assert(
      fc.property(
        fc.anything({
          withNullPrototype: true,
          withBoxedValues: true,
          withSparseArray: true,
          withDate: true,
          withTypedArray: true,
          withMap: true,
          withSet: true,
        }),
        (value) => {
          expect(written(value, { space: 2 }).text).toBe(expected(value, 2));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keeps the edge cases of the walk: toJSON with its key, holes, dropped members', () => {
    const holey: unknown[] = [undefined, () => 0, Symbol('s')];
    holey[4] = 1; // index 3 is a hole
    const value = {
      a: undefined,
      b: holey,
      c: { toJSON: (key: string) => `key ${key}` },
      d: [{ toJSON: (key: string) => key }],
      e: {},
      f: [],
      g: new Date(0),
      h: -0,
      i: [[], [[]], {}],
      '\u001b"k': 'v',
    };
    for (const space of [0, 2]) expect(written(value, { space }).text).toBe(expected(value, space));
    expect(written(undefined).text).toBe('undefined');
    expect(written(() => 0, { suffix: '\n' }).text).toBe('undefined\n');
  });

  it('throws as JSON.stringify does on a cycle or a BigInt', () => {
    const cycle: Record<string, unknown> = { a: [1] };
    (cycle.a as unknown[]).push(cycle);
    expect(() => written(cycle)).toThrow(TypeError);
    expect(() => written({ n: 1n })).toThrow(TypeError);
  });

  it('hands the text on in chunks of about the size asked for, never splitting a character', () => {
    const value = {
      rows: Array.from({ length: 5000 }, (_, i) => ({ i, name: `é’😀${i}`, x: i / 7 })),
    };
    const { text, chunks } = written(value, { space: 2, chunkBytes: 4096 });
    expect(text).toBe(expected(value, 2));
    expect(chunks).toBeGreaterThan(text.length / 4096);
  });

  it('writes a real solve result as the CLI printed it before (JSON.stringify(result, null, 2))', () => {
    for (const file of [
      'linear-10.json',
      'sqrt-ushape-390.json',
      'table-nonconvex-12.json',
      'book-5.json',
    ]) {
      const parsed = parsePlanJson(readFileSync(join(PLANS, file), 'utf8'));
      if (!parsed.ok) throw new Error(`${file}: ${parsed.errors.join('; ')}`);
      const result = solvePlan(parsed.value, { curve: 50 });
      for (const chunkBytes of [64, 1 << 20])
        expect(written(result, { space: 2, suffix: '\n', chunkBytes }).text).toBe(
          expected(result, 2, '\n'),
        );
    }
  });
});
