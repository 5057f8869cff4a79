/**
 * The columnar form of a solve result: what crosses the backend → window path (IPC, HTTP) and
 * what storage keeps. The schedule is one array per column instead of one object per period,
 * and each baseline's shares one typed array, so a 100,000-period result is a few typed
 * arrays (structured clone copies their bytes; JSON writes one flat array per column) instead
 * of 100,000 objects. Everything else of the result (totals, metrics, solver, curve, warnings)
 * is as in `SolveResult`. docs/window.md ("Columnar results") says where rows are still built.
 *
 * Nulls inside a number column are NaN (JSON: null). A column absent from every row (no
 * volume profile, no risk) is null as a whole. Periods are 1..N in order, so they are not kept.
 */
import { z } from 'zod';
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
const REQUIRED_COLUMNS: readonly NumberColumn[] = ['shares', 'impactPerShare', 'cost'];

/** Rows → columns: O(N), no per-row objects. */
export function toColumns(result: SolveResult): SolveResultColumns {
  const rows = result.schedule;
  const n = rows.length;
  const column = (key: NumberColumn): Float64Array | null => {
    if (!REQUIRED_COLUMNS.includes(key) && !rows.some((r) => r[key] != null)) return null;
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = (rows[i][key] as number | null | undefined) ?? NaN;
    return out;
  };
  const labels = (key: 'start' | 'end'): string[] | null =>
    rows.some((r) => r[key] != null) ? rows.map((r) => r[key] ?? '') : null;
  const schedule: ScheduleColumns = {
    length: n,
    start: labels('start'),
    end: labels('end'),
    shares: column('shares')!,
    impactPerShare: column('impactPerShare')!,
    cost: column('cost')!,
    costBps: column('costBps'),
    remaining: column('remaining'),
    riskVariance: column('riskVariance'),
    expectedVolume: column('expectedVolume'),
    participation: column('participation'),
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
 * A number column: a Float64Array (IPC, the storage thread) or a JSON array (HTTP, storage),
 * read into a Float64Array with every entry checked in one loop (no per-entry zod objects).
 */
function numberColumn(kind: Kind) {
  return z
    .custom<Float64Array | unknown[]>(
      (v) => v instanceof Float64Array || Array.isArray(v),
      'must be an array of numbers',
    )
    .transform((v, ctx) => {
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

const baselineColumnsSchema = BaselineResultSchema.omit({ shares: true }).extend({
  shares: numberColumn('shares'),
});

const scheduleColumnsSchema = z
  .object({
    length: z.number().int().nonnegative(),
    start: z.array(z.string()).nullable(),
    end: z.array(z.string()).nullable(),
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
  });

/**
 * The columnar result as it arrives from outside (an IPC or HTTP input, column-wise JSON read
 * back): the fields beside the columns as `SolveResultSchema` checks them, every column in
 * one loop. Output: typed arrays.
 */
export const SolveResultColumnsSchema = SolveResultSchema.omit({
  schedule: true,
  baselines: true,
}).extend({
  layout: z.literal('columns'),
  schedule: scheduleColumnsSchema,
  baselines: z.object({
    naive: baselineColumnsSchema,
    aggressive: baselineColumnsSchema,
    conservative: baselineColumnsSchema,
    vwap: baselineColumnsSchema.optional(),
  }),
}) satisfies z.ZodType<SolveResultColumns, unknown>;

/**
 * A result input of the contract: the columnar form (what the window holds), or the row-wise
 * `SolveResult` of earlier clients and of files, turned into columns.
 */
export const ResultInputSchema = z.union([
  SolveResultColumnsSchema,
  SolveResultSchema.transform(toColumns),
]);

/**
 * Column-wise JSON: the columnar result with plain arrays for its typed arrays (JSON writes
 * NaN as null, which `SolveResultColumnsSchema` reads back as NaN). A structural copy of the
 * few fields that hold typed arrays; the rest is shared, not copied.
 */
export function columnsToJson(c: SolveResultColumns): unknown {
  const s = c.schedule;
  const arr = (a: Float64Array | null) => (a === null ? null : Array.from(a));
  const base = (b: BaselineColumns) => ({ ...b, shares: Array.from(b.shares) });
  return {
    ...c,
    schedule: {
      ...s,
      shares: arr(s.shares),
      impactPerShare: arr(s.impactPerShare),
      cost: arr(s.cost),
      costBps: arr(s.costBps),
      remaining: arr(s.remaining),
      riskVariance: arr(s.riskVariance),
      expectedVolume: arr(s.expectedVolume),
      participation: arr(s.participation),
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
  const r = SolveResultColumnsSchema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  throw new Error(`result.${issue.path.join('.')}: ${issue.message}`);
}

/**
 * Column-wise JSON this program wrote and has checked since (storage verifies its hash) →
 * the columnar result, without checking it again: arrays become typed arrays, null → NaN.
 */
export function trustedColumnsFromJson(value: unknown): SolveResultColumns {
  const v = value as SolveResultColumns;
  const s = v.schedule as unknown as Record<string, unknown>;
  const typedOf = (a: unknown): Float64Array | null => {
    if (a === null || a === undefined) return null;
    const src = a as (number | null)[];
    const out = new Float64Array(src.length);
    for (let i = 0; i < src.length; i++) out[i] = src[i] ?? NaN;
    return out;
  };
  const base = (b: BaselineColumns) => ({ ...b, shares: typedOf(b.shares)! });
  return {
    ...v,
    schedule: {
      ...v.schedule,
      shares: typedOf(s.shares)!,
      impactPerShare: typedOf(s.impactPerShare)!,
      cost: typedOf(s.cost)!,
      costBps: typedOf(s.costBps),
      remaining: typedOf(s.remaining),
      riskVariance: typedOf(s.riskVariance),
      expectedVolume: typedOf(s.expectedVolume),
      participation: typedOf(s.participation),
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
 * the columns back into typed arrays. Outputs: `solve` (the result) and `getPlan` (its
 * `result`); inputs: `savePlan` and `exportScheduleCsv` (their `result`). The server reads
 * inputs with the contract's schema, which takes arrays as well as typed arrays.
 */
export function outputToJson(op: string, value: unknown): unknown {
  if (op === 'solve' && isColumns(value)) return columnsToJson(value);
  return withResult(value, columnsToJson, op === 'getPlan');
}

/** The server's column-wise JSON output → typed arrays (trusted: the server checked it). */
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
