/**
 * The columnar form of a solve result: what crosses the backend → window path (IPC, HTTP) and
 * what storage keeps. The schedule is one array per column instead of one object per period,
 * and each baseline's shares one typed array, so a 100,000-period result is a few typed
 * arrays (structured clone copies their bytes; HTTP answers carry each as base64 of its
 * doubles, columnCodec.ts) instead of 100,000 objects. Everything else of the result (totals, metrics, solver, curve, warnings)
 * is as in `SolveResult`. docs/window.md ("Columnar results") says where rows are still built.
 *
 * Nulls inside a number column are NaN (plain JSON arrays: null). A column absent from every row (no
 * volume profile, no risk) is null as a whole. Periods are 1..N in order, so they are not kept.
 */
import { z } from 'zod';
import { lazySchema, memo } from './lazySchema';
import { float64FromBase64, float64ToBase64, jsonBytes, type Base64Decoder } from './columnCodec';
import {
  BaselineResultSchema,
  SolveResultSchema,
  type BaselineResult,
  type ScheduleRow,
  type SolveResult,
} from './result';

export interface ScheduleColumns {
  length: number;
  /** Clock times ("09:30"), or null when the plan has no session. */
  start: string[] | null;
  end: string[] | null;
  shares: Float64Array;
  impactPerShare: Float64Array;
  cost: Float64Array;
  costBps: Float64Array | null;
  remaining: Float64Array | null;
  riskVariance: Float64Array | null;
  expectedVolume: Float64Array | null;
  participation: Float64Array | null;
}

export type BaselineColumns = Omit<BaselineResult, 'shares'> & { shares: Float64Array };

export type SolveResultColumns = Omit<SolveResult, 'schedule' | 'baselines'> & {
  /** Marks the form, so that a row-wise result is never mistaken for it. */
  layout: 'columns';
  schedule: ScheduleColumns;
  baselines: {
    naive: BaselineColumns;
    aggressive: BaselineColumns;
    conservative: BaselineColumns;
    vwap?: BaselineColumns;
  };
};

const NUMBER_COLUMNS = [
  'shares',
  'impactPerShare',
  'cost',
  'costBps',
  'remaining',
  'riskVariance',
  'expectedVolume',
  'participation',
] as const;
type NumberColumn = (typeof NUMBER_COLUMNS)[number];

/**
 * Rows → columns: O(N), no per-row objects. One pass with a named read per field (a keyed
 * read per column was ten times slower at 100,000 rows); a column no row has is null.
 */
export function toColumns(result: SolveResult): SolveResultColumns {
  const rows = result.schedule;
  const n = rows.length;
  const shares = new Float64Array(n);
  const impactPerShare = new Float64Array(n);
  const cost = new Float64Array(n);
  const costBps = new Float64Array(n);
  const remaining = new Float64Array(n);
  const riskVariance = new Float64Array(n);
  const expectedVolume = new Float64Array(n);
  const participation = new Float64Array(n);
  const start = new Array<string>(n);
  const end = new Array<string>(n);
  /** Bit k set: some row has column k (costBps, remaining, …, start, end). */
  let seen = 0;
  for (let i = 0; i < n; i++) {
    const r = rows[i];
    shares[i] = r.shares;
    impactPerShare[i] = r.impactPerShare;
    cost[i] = r.cost;
    const bps = r.costBps;
    const left = r.remaining;
    const variance = r.riskVariance;
    const volume = r.expectedVolume;
    const part = r.participation;
    const from = r.start;
    const to = r.end;
    if (bps != null) seen |= 1;
    if (left != null) seen |= 2;
    if (variance != null) seen |= 4;
    if (volume != null) seen |= 8;
    if (part != null) seen |= 16;
    if (from != null) seen |= 32;
    if (to != null) seen |= 64;
    costBps[i] = bps ?? NaN;
    remaining[i] = left ?? NaN;
    riskVariance[i] = variance ?? NaN;
    expectedVolume[i] = volume ?? NaN;
    participation[i] = part ?? NaN;
    start[i] = from ?? '';
    end[i] = to ?? '';
  }
  const has = (bit: number) => (seen & bit) !== 0;
  const schedule: ScheduleColumns = {
    length: n,
    start: has(32) ? start : null,
    end: has(64) ? end : null,
    shares,
    impactPerShare,
    cost,
    costBps: has(1) ? costBps : null,
    remaining: has(2) ? remaining : null,
    riskVariance: has(4) ? riskVariance : null,
    expectedVolume: has(8) ? expectedVolume : null,
    participation: has(16) ? participation : null,
  };
  const b = result.baselines;
  return {
    ...result,
    layout: 'columns',
    schedule,
    baselines: {
      naive: baselineColumns(b.naive),
      aggressive: baselineColumns(b.aggressive),
      conservative: baselineColumns(b.conservative),
      ...(b.vwap ? { vwap: baselineColumns(b.vwap) } : {}),
    },
  };
}

function baselineColumns(b: BaselineResult): BaselineColumns {
  return { ...b, shares: Float64Array.from(b.shares) };
}

/** One row of the columnar schedule (i from 0), as `SolveResult` has it. */
export function rowAt(s: ScheduleColumns, i: number): ScheduleRow {
  const opt = (c: Float64Array | null): number | null =>
    c === null || Number.isNaN(c[i]) ? null : c[i];
  const row: ScheduleRow = {
    period: i + 1,
    start: s.start ? s.start[i] : null,
    end: s.end ? s.end[i] : null,
    shares: s.shares[i],
    impactPerShare: s.impactPerShare[i],
    cost: s.cost[i],
    costBps: opt(s.costBps),
  };
  if (s.remaining) row.remaining = s.remaining[i];
  if (s.riskVariance) row.riskVariance = s.riskVariance[i];
  if (s.expectedVolume) row.expectedVolume = opt(s.expectedVolume);
  if (s.participation) row.participation = opt(s.participation);
  return row;
}

/** Every row of the schedule as objects (the printed report's schedule, the CSV). O(N). */
export function scheduleRows(s: ScheduleColumns): ScheduleRow[] {
  const rows = new Array<ScheduleRow>(s.length);
  for (let i = 0; i < s.length; i++) rows[i] = rowAt(s, i);
  return rows;
}

/**
 * Columns → rows: the row-wise `SolveResult` (the CLI's JSON, the CSV export, the report's
 * printed schedule, a replay). O(N) objects: only paths that need every row as an object call it.
 */
export function fromColumns(c: SolveResultColumns): SolveResult {
  const { schedule: s, baselines: b, ...rest } = c;
  delete (rest as Partial<SolveResultColumns>).layout;
  const schedule = scheduleRows(s);
  const rowsOf = (x: BaselineColumns): BaselineResult => ({ ...x, shares: Array.from(x.shares) });
  return {
    ...rest,
    schedule,
    baselines: {
      naive: rowsOf(b.naive),
      aggressive: rowsOf(b.aggressive),
      conservative: rowsOf(b.conservative),
      ...(b.vwap ? { vwap: rowsOf(b.vwap) } : {}),
    },
  };
}

/** Sum of a column (NaN entries skipped). */
export function columnSum(c: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < c.length; i++) if (!Number.isNaN(c[i])) sum += c[i];
  return sum;
}

export function isColumns(value: unknown): value is SolveResultColumns {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { layout?: unknown }).layout === 'columns'
  );
}

// ---- Checking a columnar result from outside ----------------------------------------------

type Kind = 'shares' | 'finite' | 'nullable';
const KIND_MESSAGE: Record<Kind, string> = {
  shares: 'must be a whole number of shares, 0 or more',
  finite: 'must be a finite number',
  nullable: 'must be a finite number or null',
};

/**
 * A number column: a Float64Array (IPC, the worker processes, the storage thread), base64 text
 * of its bytes (HTTP answers, storage: columnCodec.ts) or a JSON array (HTTP inputs, results
 * stored before the base64 form), read into a Float64Array with every entry checked in one
 * loop (no per-entry zod objects).
 */
function numberColumn(kind: Kind) {
  return z
    .custom<Float64Array | string | unknown[]>(
      (v) => v instanceof Float64Array || typeof v === 'string' || Array.isArray(v),
      'must be an array of numbers',
    )
    .transform((raw, ctx) => {
      const v = typeof raw === 'string' ? float64FromBase64(raw) : raw;
      if (v === null) {
        ctx.addIssue({
          code: 'custom',
          message: 'must be an array of numbers (or the base64 of whole doubles)',
          input: raw,
        });
        return z.NEVER;
      }
      const out = v instanceof Float64Array ? v : new Float64Array(v.length);
      for (let i = 0; i < v.length; i++) {
        const x = v[i];
        const ok =
          kind === 'nullable'
            ? x === null || (typeof x === 'number' && (Number.isFinite(x) || Number.isNaN(x)))
            : typeof x === 'number' &&
              Number.isFinite(x) &&
              (kind !== 'shares' || (Number.isInteger(x) && x >= 0));
        if (!ok) {
          ctx.addIssue({ code: 'custom', message: KIND_MESSAGE[kind], path: [i], input: x });
          return z.NEVER;
        }
        if (out !== v) out[i] = (x as number | null) ?? NaN;
      }
      return out;
    });
}

/** Clock labels, one per period: checked in one loop. */
const labelColumn = memo(() =>
  z
    .custom<string[]>((v) => Array.isArray(v), 'must be an array of strings')
    .superRefine((v, ctx) => {
      for (let i = 0; i < v.length; i++) {
        if (typeof v[i] !== 'string') {
          ctx.addIssue({ code: 'custom', message: 'must be a string', path: [i], input: v[i] });
          return;
        }
      }
    }),
);

const baselineColumnsSchema = memo(() =>
  BaselineResultSchema.omit({ shares: true }).extend({
    shares: numberColumn('shares'),
  }),
);

const scheduleColumnsSchema = memo(() =>
  z
    .object({
      length: z.number().int().nonnegative(),
      start: labelColumn().nullable(),
      end: labelColumn().nullable(),
      shares: numberColumn('shares'),
      impactPerShare: numberColumn('finite'),
      cost: numberColumn('finite'),
      costBps: numberColumn('nullable').nullable(),
      remaining: numberColumn('shares').nullable(),
      riskVariance: numberColumn('finite').nullable(),
      expectedVolume: numberColumn('nullable').nullable(),
      participation: numberColumn('nullable').nullable(),
    })
    .superRefine((s, ctx) => {
      for (const key of [...NUMBER_COLUMNS, 'start', 'end'] as const) {
        const col = s[key];
        if (col !== null && col.length !== s.length)
          ctx.addIssue({
            code: 'custom',
            path: [key],
            message: `has ${col.length} entries, not ${s.length} (one per period)`,
          });
      }
    }),
);

/**
 * The columnar result as it arrives from outside (an IPC or HTTP input, column-wise JSON read
 * back): the fields beside the columns as `SolveResultSchema` checks them, every column in
 * one loop. Output: typed arrays.
 */
const solveResultColumns = memo(
  () =>
    SolveResultSchema.omit({
      schedule: true,
      baselines: true,
    }).extend({
      layout: z.literal('columns'),
      schedule: scheduleColumnsSchema(),
      baselines: z.object({
        naive: baselineColumnsSchema(),
        aggressive: baselineColumnsSchema(),
        conservative: baselineColumnsSchema(),
        vwap: baselineColumnsSchema().optional(),
      }),
    }) satisfies z.ZodType<SolveResultColumns, unknown>,
);
export const SolveResultColumnsSchema = lazySchema(solveResultColumns);

/**
 * A result input of the contract: the columnar form (what the window holds), or the row-wise
 * `SolveResult` of earlier clients and of files, turned into columns.
 */
const resultInput = memo(() =>
  z.union([solveResultColumns(), SolveResultSchema.transform(toColumns)]),
);
export const ResultInputSchema = lazySchema(resultInput);

/**
 * Column-wise JSON: the columnar result with plain arrays for its typed arrays (JSON writes
 * NaN as null, which `SolveResultColumnsSchema` reads back as NaN). A structural copy of the
 * few fields that hold typed arrays; the rest is shared, not copied. What the window sends
 * (savePlan, exportScheduleCsv); the server's answers are packed (below).
 */
export function columnsToJson(c: SolveResultColumns): unknown {
  return mapNumberColumns(c, (a) => Array.from(a));
}

/**
 * Packed column-wise JSON: every number column as the base64 text of its little-endian
 * doubles (columnCodec.ts), bit for bit (-0, NaN for null, every finite double). What the
 * server answers solve and getPlan with and what storage keeps; `SolveResultColumnsSchema`
 * and `trustedColumnsFromJson` read it back. `jsonBytes` writes the same text without
 * building it.
 */
export function columnsToPackedJson(c: SolveResultColumns): unknown {
  return mapNumberColumns(c, float64ToBase64);
}

/** The result with `f` of each number column in its place (null columns stay null). */
export function mapNumberColumns<T>(c: SolveResultColumns, f: (a: Float64Array) => T): unknown {
  const s = c.schedule;
  const col = (a: Float64Array | null) => (a === null ? null : f(a));
  const base = (b: BaselineColumns) => ({ ...b, shares: f(b.shares) });
  return {
    ...c,
    schedule: {
      ...s,
      shares: col(s.shares),
      impactPerShare: col(s.impactPerShare),
      cost: col(s.cost),
      costBps: col(s.costBps),
      remaining: col(s.remaining),
      riskVariance: col(s.riskVariance),
      expectedVolume: col(s.expectedVolume),
      participation: col(s.participation),
    },
    baselines: {
      naive: base(c.baselines.naive),
      aggressive: base(c.baselines.aggressive),
      conservative: base(c.baselines.conservative),
      ...(c.baselines.vwap ? { vwap: base(c.baselines.vwap) } : {}),
    },
  };
}

/** Column-wise JSON (parsed) → the columnar result; an Error naming the field when it is not. */
export function columnsFromJson(value: unknown): SolveResultColumns {
  const r = solveResultColumns().safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  throw new Error(`result.${issue.path.join('.')}: ${issue.message}`);
}

/**
 * Column-wise JSON this program wrote and has checked since (storage verifies its hash) →
 * the columnar result, without checking it again: base64 columns are decoded (with `decode`,
 * e.g. Node's Buffer on the storage thread), arrays become typed arrays, null → NaN. Throws
 * an Error naming the column when one is neither.
 */
export function trustedColumnsFromJson(value: unknown, decode?: Base64Decoder): SolveResultColumns {
  const v = value as SolveResultColumns;
  const s = v.schedule as unknown as Record<string, unknown>;
  const typedOf = (a: unknown, name = 'column'): Float64Array | null => {
    if (a === null || a === undefined) return null;
    if (a instanceof Float64Array) return a;
    if (typeof a === 'string') {
      const column = float64FromBase64(a, decode);
      if (column === null) throw new Error(`result.${name}: is not the base64 of whole doubles`);
      return column;
    }
    const src = a as (number | null)[];
    const out = new Float64Array(src.length);
    for (let i = 0; i < src.length; i++) out[i] = src[i] ?? NaN;
    return out;
  };
  const base = (b: BaselineColumns) => ({ ...b, shares: typedOf(b.shares, 'baselines')! });
  const col = (key: NumberColumn) => typedOf(s[key], `schedule.${key}`);
  return {
    ...v,
    schedule: {
      ...v.schedule,
      shares: col('shares')!,
      impactPerShare: col('impactPerShare')!,
      cost: col('cost')!,
      costBps: col('costBps'),
      remaining: col('remaining'),
      riskVariance: col('riskVariance'),
      expectedVolume: col('expectedVolume'),
      participation: col('participation'),
    },
    baselines: {
      naive: base(v.baselines.naive),
      aggressive: base(v.baselines.aggressive),
      conservative: base(v.baselines.conservative),
      ...(v.baselines.vwap ? { vwap: base(v.baselines.vwap) } : {}),
    },
  };
}

// ---- Browser mode's HTTP transport -----------------------------------------------------------

/**
 * JSON cannot hold a typed array (it would write `{"0":…}`): the operations whose input or
 * output carries a columnar result send it as column-wise JSON, and the receiving side reads
 * the columns back into typed arrays. Outputs, packed (base64 columns, written by
 * `answerBytes`): `solve` (the result) and `getPlan` (its `result`); inputs, plain arrays:
 * `savePlan` and `exportScheduleCsv` (their `result`). The server reads inputs with the
 * contract's schema, which takes typed arrays, base64 text and arrays alike.
 */
const RESULT_OUTPUTS: readonly string[] = ['solve', 'getPlan'];

export function outputToJson(op: string, value: unknown): unknown {
  if (op === 'solve' && isColumns(value)) return columnsToPackedJson(value);
  return withResult(value, columnsToPackedJson, op === 'getPlan');
}

/**
 * The server's answer `{ ok: true, value }` to `op` as UTF-8 JSON bytes: for the operations
 * that carry a result, the number columns go out as base64 written straight from the typed
 * arrays (`jsonBytes`); the same JSON as `JSON.stringify({ ok: true, value: outputToJson(op,
 * value) })`, up to whitespace.
 */
export function answerBytes(op: string, value: unknown): Uint8Array {
  const answer = { ok: true, value };
  return RESULT_OUTPUTS.includes(op)
    ? jsonBytes(answer)
    : new TextEncoder().encode(JSON.stringify(answer));
}

/** The server's packed column-wise JSON output → typed arrays, every entry checked. */
export function outputFromJson(op: string, value: unknown): unknown {
  if (op === 'solve') return columnsFromJson(value);
  return withResult(value, columnsFromJson, op === 'getPlan');
}

export function inputToJson(op: string, input: unknown): unknown {
  return withResult(input, columnsToJson, op === 'savePlan' || op === 'exportScheduleCsv');
}

function withResult<T>(
  value: unknown,
  convert: (c: SolveResultColumns) => T,
  applies: boolean,
): unknown {
  if (!applies || typeof value !== 'object' || value === null) return value;
  const result = (value as { result?: unknown }).result;
  if (result === undefined || result === null) return value;
  return { ...value, result: convert(result as SolveResultColumns) };
}
