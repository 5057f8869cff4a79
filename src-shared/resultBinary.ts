/**
 * The binary answer of browser mode: how `solve` and `getPlan` answer a window that asks for
 * it (`Accept: application/vnd.order-planner.columns`). The number columns travel as raw
 * little-endian numbers, so the window reads them with `response.arrayBuffer()`: no text to
 * decode, no JSON to parse and no base64 to undo for the 100,000-entry columns
 * (docs/architecture.md, "A result's way to the window"). A column whose every entry is a
 * whole number Int32 holds exactly (shares, remaining, baseline shares) travels as Int32, half
 * the bytes; every other column as doubles. Every number comes back bit for bit (-0 and NaN,
 * a null entry, stay doubles). A client that does not ask gets the packed JSON answer.
 *
 * Layout: the 4 bytes "OPC2", the header's byte length (uint32, little-endian), the header
 * (UTF-8 JSON, padded with spaces to a multiple of 8 bytes), then the columns one after the
 * other, each padded with zeros to a multiple of 8 bytes. The header is the answer
 * `{ ok: true, value }` with each number column replaced by `{ "column": i }`, plus `columns`:
 * the length of column i, and `int32`: the indices of the columns sent as Int32.
 *
 * Two things make the answer smaller (docs/window.md, "Opening a long plan"):
 * - a schedule column the window rebuilds bit for bit from the others (the cost, the shares
 *   still to trade, the cost in bps, the participation, a constant column, an opened plan's
 *   expected volume: derivedColumns.ts) is left out, its recipe `{ "derive": … }` in the
 *   header in its place; the server checks every entry of the recipe against the column first;
 * - a getPlan answer's volume profile of 1,000 periods or more, whole shares, is a column of its
 *   own (`"volumeProfile": { "column": i }` in the plan) instead of JSON text.
 *
 * The columns part is also how a stored result keeps its columns (format 4,
 * src-main/storage/resultBlob.ts): an opened plan's columns are sent as they were read, less
 * the columns left out (views of the stored bytes, nothing copied).
 */
import { derive, isRecipe, recipeFor, type DerivableColumn, type Recipe } from './derivedColumns';
import { isColumns, mapNumberColumns, type SolveResultColumns } from './resultColumns';

export const COLUMNS_MEDIA_TYPE = 'application/vnd.order-planner.columns';
/** The operations whose answer carries a result, and so may be binary. */
export const BINARY_ANSWERS: readonly string[] = ['solve', 'getPlan'];

const MAGIC = [0x4f, 0x50, 0x43, 0x32]; // "OPC2"
const PREFIX = 8;
const LITTLE_ENDIAN = new Uint8Array(new Float64Array([-0]).buffer)[7] === 0x80;

export interface Placeholder {
  column: number;
}

/**
 * Number columns laid out one after the other (`bytes`, each column padded to a multiple of
 * 8 bytes), with the length of each and which ones are Int32.
 */
export interface PackedColumns {
  lengths: number[];
  int32: number[];
  bytes: Uint8Array;
}

/** Whether every entry is a whole number that Int32 holds exactly (not -0, not NaN). */
export function fitsInt32(column: Float64Array): boolean {
  for (let i = 0; i < column.length; i++) {
    const v = column[i];
    if (v !== (v | 0) || (v === 0 && 1 / v < 0)) return false;
  }
  return true;
}

/** Bytes a column of `n` entries takes in the layout. */
function columnBytes(n: number, int32: boolean): number {
  return int32 ? Math.ceil(n / 2) * 8 : n * 8;
}

/** The columns part of the layout: each column as Int32 when it fits, else as doubles. */
export function packColumns(columns: readonly Float64Array[]): PackedColumns {
  const int32: number[] = [];
  let size = 0;
  columns.forEach((c, i) => {
    const small = fitsInt32(c);
    if (small) int32.push(i);
    size += columnBytes(c.length, small);
  });
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  let at = 0;
  columns.forEach((c, i) => {
    const small = int32.includes(i);
    if (LITTLE_ENDIAN && small) new Int32Array(bytes.buffer, at, c.length).set(c);
    else if (LITTLE_ENDIAN) new Float64Array(bytes.buffer, at, c.length).set(c);
    else if (small) for (let k = 0; k < c.length; k++) view.setInt32(at + k * 4, c[k], true);
    else for (let k = 0; k < c.length; k++) view.setFloat64(at + k * 8, c[k], true);
    at += columnBytes(c.length, small);
  });
  return { lengths: columns.map((c) => c.length), int32, bytes };
}

/**
 * The columns of a packed part as Float64Arrays: the double columns view `buffer` where they
 * lie (`bytes` must start on a multiple of 8), the Int32 ones are widened into arrays of their
 * own (copied on a big-endian host). Throws an Error saying what is wrong when the lengths do
 * not fit the bytes.
 */
export function unpackColumns(
  lengths: readonly number[],
  int32: readonly number[],
  bytes: Uint8Array,
  what = 'the binary answer',
): Float64Array[] {
  let at = 0;
  const end = bytes.length;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const columns = lengths.map((n, i) => {
    const small = int32.includes(i);
    const size = columnBytes(n, small);
    if (at + size > end) throw new Error(`${what} ends inside a column`);
    const from = bytes.byteOffset + at;
    let column: Float64Array;
    if (small) {
      column = new Float64Array(n);
      if (LITTLE_ENDIAN) {
        // Widened by the engine's typed-array copy: a loop here runs once per answer, before
        // the compiler has optimised it (6 columns of 100,000 in Node: 21–31 ms against 16).
        column.set(new Int32Array(bytes.buffer, from, n));
      } else for (let k = 0; k < n; k++) column[k] = view.getInt32(at + k * 4, true);
    } else if (LITTLE_ENDIAN) column = new Float64Array(bytes.buffer, from, n);
    else {
      column = new Float64Array(n);
      for (let k = 0; k < n; k++) column[k] = view.getFloat64(at + k * 8, true);
    }
    at += size;
    return column;
  });
  if (at !== end) throw new Error(`${what} has ${end - at} bytes after its last column`);
  return columns;
}

/**
 * A stored result's packed form (src-main/storage/resultBlob.ts): the result with each number
 * column replaced by `{ column: i }` and the columns as stored. A result read back from
 * storage is registered with its packed form, so that its binary answer sends those bytes as
 * they are instead of laying its columns out again.
 */
export interface PackedResult {
  shaped: unknown;
  packed: PackedColumns;
}

const packedResults = new WeakMap<object, PackedResult>();

export function rememberPacked(result: SolveResultColumns, packed: PackedResult): void {
  packedResults.set(result, packed);
}

export function packedOf(result: unknown): PackedResult | undefined {
  return typeof result === 'object' && result !== null ? packedResults.get(result) : undefined;
}

/** The result with `{ column: i }` in place of each number column, and its columns packed. */
export function packResult(result: SolveResultColumns): PackedResult {
  const known = packedResults.get(result);
  if (known) return known;
  const columns: Float64Array[] = [];
  const shaped = mapNumberColumns(result, (a): Placeholder => ({ column: columns.push(a) - 1 }));
  return { shaped, packed: packColumns(columns) };
}

/** The plan's figures a recipe may use (derivedColumns.ts `recipeFor`). */
export interface AnswerPlan {
  shares?: unknown;
  referencePrice?: unknown;
  volumeProfile?: unknown;
}

/**
 * The answer `{ ok: true, value }` to `op` (one of BINARY_ANSWERS) in the binary layout, as
 * its parts: the prefix and header, then the columns (for a result read from storage, the
 * stored bytes themselves, less the columns left out), to be written one after the other.
 * Schedule columns the window rebuilds bit for bit (derivedColumns.ts) are left out, a recipe
 * in their place; `plan` is the plan solved (a solve answer; a getPlan answer has its own).
 */
export function binaryAnswerParts(op: string, value: unknown, plan?: AnswerPlan): Uint8Array[] {
  let packed: LeftOut | null = null;
  const mark = (c: SolveResultColumns, own?: AnswerPlan) => {
    packed = leaveOut(c, packResult(c), own ?? plan, own !== undefined);
    return packed.shaped;
  };
  let shaped: unknown;
  if (op === 'solve' && isColumns(value)) shaped = mark(value);
  else {
    const own = (value as { plan?: AnswerPlan } | null)?.plan;
    shaped = withResult(value, (c) => mark(c, own));
    // A getPlan answer's long volume profile travels as a column of its own, after the result's.
    const profile = profileColumn(own);
    if (profile) {
      const p = (packed as LeftOut | null) ?? { shaped: null, lengths: [], int32: [], parts: [] };
      const at = p.lengths.length;
      packed = {
        ...p,
        lengths: [...p.lengths, (own!.volumeProfile as unknown[]).length],
        int32: [...p.int32, at],
        parts: [...p.parts, profile],
      };
      shaped = { ...(shaped as object), plan: { ...own, volumeProfile: { column: at } } };
    }
  }
  const p = packed as LeftOut | null;
  const text = JSON.stringify({
    ok: true,
    value: shaped,
    columns: p?.lengths ?? [],
    int32: p?.int32 ?? [],
  });
  const head = new TextEncoder().encode(text);
  const headLength = Math.ceil(head.length / 8) * 8;
  const first = new Uint8Array(PREFIX + headLength);
  first.set(MAGIC, 0);
  new DataView(first.buffer).setUint32(4, headLength, true);
  first.set(head, PREFIX);
  first.fill(0x20, PREFIX + head.length);
  return p ? [first, ...p.parts] : [first];
}

/** Volume profiles this long travel as a column (shorter ones stay in the header's JSON). */
const PROFILE_COLUMN_MIN = 1000;

/**
 * The plan's volume profile as the bytes of an Int32 column (padded to 8), when it is long and
 * every entry is a whole number Int32 holds exactly (so it comes back as the same numbers);
 * else null.
 */
function profileColumn(plan: AnswerPlan | undefined): Uint8Array | null {
  const v = plan?.volumeProfile;
  if (!Array.isArray(v) || v.length < PROFILE_COLUMN_MIN) return null;
  const column = new Int32Array(Math.ceil(v.length / 2) * 2);
  for (let i = 0; i < v.length; i++) {
    const x: unknown = v[i];
    if (typeof x !== 'number' || x !== (x | 0) || (x === 0 && 1 / x < 0)) return null;
    column[i] = x;
  }
  if (LITTLE_ENDIAN) return new Uint8Array(column.buffer);
  const bytes = new Uint8Array(column.byteLength);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < v.length; i++) view.setInt32(i * 4, column[i], true);
  return bytes;
}

/** A packed result less the columns rebuilt by recipes: its header and the bytes still sent. */
interface LeftOut {
  shaped: unknown;
  lengths: number[];
  int32: number[];
  parts: Uint8Array[];
}

/** In this order: the cost in bps reads the cost, participation the expected volume. */
const DERIVE_ORDER: DerivableColumn[] = [
  'cost',
  'expectedVolume',
  'remaining',
  'costBps',
  'riskVariance',
  'participation',
];

/**
 * The schedule columns of `result` a recipe rebuilds bit for bit are left out of `p`: the
 * header gets the recipe in the column's place, the other columns are renumbered, and the
 * bytes sent are the kept columns' ranges of the packed bytes (views, nothing copied).
 * `inAnswer`: `plan` is the answer's own (getPlan), so its volume profile may be used.
 */
function leaveOut(
  result: SolveResultColumns,
  p: PackedResult,
  plan: AnswerPlan | undefined,
  inAnswer: boolean,
): LeftOut {
  const { lengths, int32, bytes } = p.packed;
  const s = result.schedule;
  // The volume profile only when the answer carries the plan (the window reads it there).
  const volume = inAnswer ? plan?.volumeProfile : undefined;
  const from = {
    shares: s.shares,
    impactPerShare: s.impactPerShare,
    cost: s.cost,
    expectedVolume: s.expectedVolume,
    ...(Array.isArray(volume) ? { volumeProfile: volume as number[] } : {}),
  };
  const hints = { total: plan?.shares, price: plan?.referencePrice };
  const shapedSchedule = (p.shaped as { schedule: Record<string, unknown> }).schedule;
  const recipes = new Map<number, Recipe>();
  for (const name of DERIVE_ORDER) {
    const column = s[name];
    const at = (shapedSchedule[name] as Placeholder | null)?.column;
    if (!column || typeof at !== 'number') continue;
    const recipe = recipeFor(name, column, from, hints);
    if (recipe) recipes.set(at, recipe);
  }
  if (recipes.size === 0) return { shaped: p.shaped, lengths, int32, parts: [bytes] };
  const renumbered = new Map<number, number>();
  const kept: number[] = [];
  const parts: Uint8Array[] = [];
  // Kept columns next to each other are sent as one range.
  const ranges: [number, number][] = [];
  let at = 0;
  lengths.forEach((n, i) => {
    const size = columnBytes(n, int32.includes(i));
    if (!recipes.has(i)) {
      renumbered.set(i, kept.push(i) - 1);
      const last = ranges.at(-1);
      if (last && last[1] === at) last[1] = at + size;
      else ranges.push([at, at + size]);
    }
    at += size;
  });
  for (const [from, to] of ranges) parts.push(bytes.subarray(from, to));
  const shaped = mapNumberColumns(p.shaped as SolveResultColumns, (x: unknown) => {
    const i = (x as Placeholder).column;
    return recipes.get(i) ?? { column: renumbered.get(i)! };
  });
  return {
    shaped,
    lengths: kept.map((i) => lengths[i]),
    int32: kept.flatMap((i, k) => (int32.includes(i) ? [k] : [])),
    parts,
  };
}

/** The answer `{ ok: true, value }` to `op` (one of BINARY_ANSWERS) in the binary layout. */
export function binaryAnswer(op: string, value: unknown, plan?: AnswerPlan): Uint8Array {
  const parts = binaryAnswerParts(op, value, plan);
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * A binary answer → `{ ok: true, value }` with each number column a Float64Array (a double
 * column views the answer's bytes; an Int32 one is widened into an array of its own). Throws
 * an Error saying what is wrong when the bytes are not a whole answer in this layout.
 */
export function answerFromBinary(buffer: ArrayBuffer): unknown {
  const bytes = new Uint8Array(buffer);
  if (bytes.length < PREFIX || MAGIC.some((b, i) => bytes[i] !== b))
    throw new Error('the binary answer does not start with its "OPC2" mark');
  const headLength = new DataView(buffer).getUint32(4, true);
  if (headLength % 8 !== 0 || PREFIX + headLength > bytes.length)
    throw new Error(`the binary answer's header length ${headLength} does not fit its bytes`);
  const head = JSON.parse(
    new TextDecoder().decode(bytes.subarray(PREFIX, PREFIX + headLength)),
  ) as { ok: true; value: unknown; columns: unknown; int32?: unknown };
  const lengths = head.columns;
  if (!isIndexList(lengths))
    throw new Error("the binary answer's header has no list of column lengths");
  const int32 = head.int32 ?? [];
  if (!isIndexList(int32))
    throw new Error("the binary answer's header has no list of its Int32 columns");
  const views = unpackColumns(lengths, int32, bytes.subarray(PREFIX + headLength));
  let value = head.value;
  const what = 'the binary answer';
  // A getPlan answer's volume profile sent as a column: the plan gets its numbers back.
  let profile: Float64Array | null = null;
  const plan = (value as { plan?: { volumeProfile?: unknown } } | null)?.plan;
  const at = (plan?.volumeProfile as Partial<Placeholder> | null | undefined)?.column;
  if (typeof at === 'number') {
    profile = views[at];
    if (profile === undefined) throw new Error(`${what} names a column it does not hold`);
    const numbers: number[] = [];
    for (let i = 0; i < profile.length; i++) numbers.push(profile[i]);
    value = { ...(value as object), plan: { ...plan, volumeProfile: numbers } };
  }
  const revive = (c: SolveResultColumns) => {
    const own = (value as { plan?: { volumeProfile?: unknown } } | null)?.plan;
    return rebuild(reviveColumns(c, views, what, true) as SolveResultColumns, own, what, profile);
  };
  return {
    ok: true,
    value:
      (value as { layout?: unknown } | null)?.layout === 'columns'
        ? revive(value as SolveResultColumns)
        : withResult(value, revive),
  };
}

/**
 * The schedule columns the answer left out, rebuilt by their recipes (derivedColumns.ts), in
 * DERIVE_ORDER. Throws an Error when a recipe is not where one may be or cannot be applied.
 */
function rebuild(
  result: SolveResultColumns,
  plan: { volumeProfile?: unknown } | undefined,
  what: string,
  profile: Float64Array | null = null,
): SolveResultColumns {
  const s = result.schedule as unknown as Record<string, unknown>;
  const recipes = DERIVE_ORDER.filter((name) => isRecipe(s[name]));
  if (recipes.length === 0) return result;
  // Whether the profile holds only finite numbers is the recipe's own check (`derive`).
  const volume = plan?.volumeProfile;
  const schedule = { ...s };
  for (const name of recipes) {
    const f64 = (x: unknown) => (x instanceof Float64Array ? x : null);
    const from = {
      shares: schedule.shares as Float64Array,
      impactPerShare: f64(schedule.impactPerShare),
      cost: f64(schedule.cost),
      expectedVolume: f64(schedule.expectedVolume),
      ...(Array.isArray(volume) ? { volumeProfile: volume as number[] } : {}),
    };
    // As long as the shares column (the server derives only then): a schedule whose length
    // does not fit its columns is the window's shape check's to name.
    if (!(from.shares instanceof Float64Array))
      throw new Error(`${what} cannot rebuild its ${name} column`);
    // The plan's profile, already a column of its numbers: the expected volume is that column.
    const recipe = s[name] as Recipe;
    if (recipe.derive === 'volume' && profile && profile.length === from.shares.length) {
      schedule[name] = profile;
      continue;
    }
    try {
      schedule[name] = derive(recipe, from, from.shares.length);
    } catch {
      throw new Error(`${what} cannot rebuild its ${name} column`);
    }
  }
  return { ...result, schedule } as unknown as SolveResultColumns;
}

/** The shaped result with column i of `columns` in place of each `{ column: i }`. */
export function reviveColumns(
  shaped: SolveResultColumns,
  columns: readonly Float64Array[],
  what: string,
  recipes = false,
): unknown {
  return mapNumberColumns(shaped, (p: unknown): Float64Array | Recipe => {
    if (recipes && isRecipe(p)) return p;
    const i = (p as Partial<Placeholder> | null)?.column;
    if (typeof i !== 'number' || columns[i] === undefined)
      throw new Error(`${what} names a column it does not hold`);
    return columns[i];
  });
}

function isIndexList(x: unknown): x is number[] {
  return Array.isArray(x) && x.every((n) => Number.isInteger(n) && n >= 0);
}

/** `{ …, result }` with `convert(result)` in its place (getPlan's answer). */
function withResult(value: unknown, convert: (c: SolveResultColumns) => unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const result = (value as { result?: unknown }).result;
  if (result === undefined || result === null) return value;
  return { ...value, result: convert(result as SolveResultColumns) };
}
