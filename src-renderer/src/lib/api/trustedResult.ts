/**
 * How the window reads a result out of the server's binary answer (resultBinary.ts): its
 * shape, not every entry. The answer comes from this program's own server over an
 * authenticated localhost connection, and the server has already checked it (the solver
 * worker's result at the channel boundary, a stored result by its hash), so the window checks
 * what it needs to draw safely: every number column a Float64Array of the schedule's length
 * (a baseline's shares too), the clock labels strings, and the fields beside the columns
 * (totals, metrics, warnings, curve) through the result's schema. It does not check each
 * entry again (whole, finite, 0 or more): that was a zod pass over every entry of every
 * column, 60–140 ms at 100,000 periods. docs/window.md ("After the last byte") has the figures.
 *
 * A JSON answer (a server that does not answer in binary) still goes through the full check
 * (`outputFromJson`).
 */
import { z } from 'zod';
import { BaselineResultSchema, SolveResultSchema } from '@shared/result';
import {
  isColumns,
  outputFromJson,
  type BaselineColumns,
  type ScheduleColumns,
  type SolveResultColumns,
} from '@shared/resultColumns';

const REQUIRED = ['shares', 'impactPerShare', 'cost'] as const;
const OPTIONAL = [
  'costBps',
  'remaining',
  'riskVariance',
  'expectedVolume',
  'participation',
] as const;

/** Built on first use: the schemas beside the columns. */
let schemas: { rest: z.ZodType; baseline: z.ZodType } | null = null;
function restSchemas() {
  schemas ??= {
    rest: SolveResultSchema.omit({ schedule: true, baselines: true }).extend({
      layout: z.literal('columns'),
    }),
    baseline: BaselineResultSchema.omit({ shares: true }),
  };
  return schemas;
}

function fail(path: string, message: string): never {
  throw new Error(`result.${path}: ${message}`);
}

function column(value: unknown, length: number, path: string): Float64Array {
  if (!(value instanceof Float64Array)) fail(path, 'must be an array of numbers');
  if (value.length !== length)
    fail(path, `has ${value.length} entries, not ${length} (one per period)`);
  return value;
}

function labels(value: unknown, length: number, path: string): string[] | null {
  if (value === null) return null;
  if (!Array.isArray(value)) fail(path, 'must be an array of strings');
  if (value.length !== length)
    fail(path, `has ${value.length} entries, not ${length} (one per period)`);
  for (let i = 0; i < value.length; i++)
    if (typeof value[i] !== 'string') fail(`${path}.${i}`, 'must be a string');
  return value as string[];
}

function parsed<T>(schema: z.ZodType, value: unknown, prefix: string): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data as T;
  const issue = r.error.issues[0];
  return fail([prefix, ...issue.path].filter((p) => p !== '').join('.'), issue.message);
}

/**
 * A result whose number columns are Float64Arrays (the binary answer) → the columnar result,
 * its shape checked (above). Throws an Error naming the field when the shape is wrong.
 */
export function trustedColumns(value: unknown): SolveResultColumns {
  if (!isColumns(value)) fail('layout', 'must be "columns"');
  const v = value as unknown as Record<string, unknown>;
  const s = v.schedule as Record<string, unknown> | null;
  if (typeof s !== 'object' || s === null) fail('schedule', 'must be an object');
  const n = s.length;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0)
    fail('schedule.length', 'must be a whole number, 0 or more');
  const schedule = {
    length: n,
    start: labels(s.start, n, 'schedule.start'),
    end: labels(s.end, n, 'schedule.end'),
  } as ScheduleColumns;
  for (const key of REQUIRED) schedule[key] = column(s[key], n, `schedule.${key}`);
  for (const key of OPTIONAL)
    schedule[key] = s[key] === null ? null : column(s[key], n, `schedule.${key}`);
  const b = v.baselines as Record<string, unknown> | null;
  if (typeof b !== 'object' || b === null) fail('baselines', 'must be an object');
  const { rest, baseline } = restSchemas();
  const base = (key: string): BaselineColumns => {
    const x = b[key] as Record<string, unknown> | null;
    if (typeof x !== 'object' || x === null) fail(`baselines.${key}`, 'must be an object');
    const shares = column(x.shares, n, `baselines.${key}.shares`);
    return { ...parsed<object>(baseline, x, `baselines.${key}`), shares } as BaselineColumns;
  };
  return {
    ...parsed<object>(rest, value, ''),
    schedule,
    baselines: {
      naive: base('naive'),
      aggressive: base('aggressive'),
      conservative: base('conservative'),
      ...(b.vwap !== undefined ? { vwap: base('vwap') } : {}),
    },
  } as SolveResultColumns;
}

/**
 * The server's output of `op`: a result with Float64Array columns (the binary answer) is
 * checked for its shape (`trustedColumns`), any other (a JSON answer) every entry
 * (`outputFromJson`).
 */
export function outputFromAnswer(op: string, value: unknown): unknown {
  if (op === 'solve') return binary(value) ? trustedColumns(value) : outputFromJson(op, value);
  if (op !== 'getPlan' || typeof value !== 'object' || value === null) return value;
  const result = (value as { result?: unknown }).result;
  if (result === undefined || result === null) return value;
  if (!binary(result)) return outputFromJson(op, value);
  return { ...value, result: trustedColumns(result) };
}

/** Whether a result came in the binary answer: its shares column is a Float64Array. */
function binary(value: unknown): boolean {
  const s = (value as { schedule?: { shares?: unknown } } | null)?.schedule;
  return isColumns(value) && s?.shares instanceof Float64Array;
}
