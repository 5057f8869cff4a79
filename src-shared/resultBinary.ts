/**
 * The binary answer of browser mode: how `solve` and `getPlan` answer a window that asks for
 * it (`Accept: application/vnd.order-planner.columns`). The number columns travel as their raw
 * little-endian doubles, so the window reads them with `response.arrayBuffer()` and views
 * them where they lie: no text to decode, no JSON to parse and no base64 to undo for the
 * 100,000-entry columns (docs/architecture.md, "A result's way to the window"). Every double
 * comes back bit for bit (-0, NaN for a null entry). A client that does not ask gets the
 * packed JSON answer as before.
 *
 * Layout: the 4 bytes "OPC1", the header's byte length (uint32, little-endian), the header
 * (UTF-8 JSON, padded with spaces so the columns start on a multiple of 8), then the columns
 * one after the other. The header is the answer `{ ok: true, value }` with each number column
 * replaced by `{ "column": i }`, plus `columns`: the length of column i.
 */
import { littleEndianBytes } from './columnCodec';
import { isColumns, mapNumberColumns, type SolveResultColumns } from './resultColumns';

export const COLUMNS_MEDIA_TYPE = 'application/vnd.order-planner.columns';
/** The operations whose answer carries a result, and so may be binary. */
export const BINARY_ANSWERS: readonly string[] = ['solve', 'getPlan'];

const MAGIC = [0x4f, 0x50, 0x43, 0x31]; // "OPC1"
const PREFIX = 8;
const LITTLE_ENDIAN = new Uint8Array(new Float64Array([-0]).buffer)[7] === 0x80;

interface Placeholder {
  column: number;
}

/** The answer `{ ok: true, value }` to `op` (one of BINARY_ANSWERS) in the binary layout. */
export function binaryAnswer(op: string, value: unknown): Uint8Array {
  const columns: Float64Array[] = [];
  const mark = (c: SolveResultColumns) =>
    mapNumberColumns(c, (a): Placeholder => ({ column: columns.push(a) - 1 }));
  const shaped = op === 'solve' && isColumns(value) ? mark(value) : withResult(value, mark);
  const text = JSON.stringify({ ok: true, value: shaped, columns: columns.map((c) => c.length) });
  const head = new TextEncoder().encode(text);
  const headLength = Math.ceil(head.length / 8) * 8;
  let size = PREFIX + headLength;
  for (const c of columns) size += c.byteLength;
  const out = new Uint8Array(size);
  out.set(MAGIC, 0);
  new DataView(out.buffer).setUint32(4, headLength, true);
  out.set(head, PREFIX);
  out.fill(0x20, PREFIX + head.length, PREFIX + headLength);
  let at = PREFIX + headLength;
  for (const c of columns) {
    out.set(littleEndianBytes(c), at);
    at += c.byteLength;
  }
  return out;
}

/**
 * A binary answer → `{ ok: true, value }` with each number column a Float64Array viewing the
 * answer's bytes (copied only on a big-endian host). Throws an Error saying what is wrong
 * when the bytes are not a whole answer in this layout.
 */
export function answerFromBinary(buffer: ArrayBuffer): unknown {
  const bytes = new Uint8Array(buffer);
  if (bytes.length < PREFIX || MAGIC.some((b, i) => bytes[i] !== b))
    throw new Error('the binary answer does not start with its "OPC1" mark');
  const headLength = new DataView(buffer).getUint32(4, true);
  if (headLength % 8 !== 0 || PREFIX + headLength > bytes.length)
    throw new Error(`the binary answer's header length ${headLength} does not fit its bytes`);
  const head = JSON.parse(
    new TextDecoder().decode(bytes.subarray(PREFIX, PREFIX + headLength)),
  ) as { ok: true; value: unknown; columns: unknown };
  const lengths = head.columns;
  if (!Array.isArray(lengths) || !lengths.every((n) => Number.isInteger(n) && n >= 0))
    throw new Error("the binary answer's header has no list of column lengths");
  let at = PREFIX + headLength;
  const views = (lengths as number[]).map((n) => {
    if (at + n * 8 > bytes.length) throw new Error('the binary answer ends inside a column');
    const view = LITTLE_ENDIAN ? new Float64Array(buffer, at, n) : swappedColumn(bytes, at, n);
    at += n * 8;
    return view;
  });
  if (at !== bytes.length)
    throw new Error(`the binary answer has ${bytes.length - at} bytes after its last column`);
  const reviveColumn = (p: unknown): Float64Array => {
    const i = (p as Partial<Placeholder> | null)?.column;
    if (typeof i !== 'number' || views[i] === undefined)
      throw new Error('the binary answer names a column it does not hold');
    return views[i];
  };
  const revive = (c: SolveResultColumns) => mapNumberColumns(c, reviveColumn);
  const value = head.value;
  return {
    ok: true,
    value:
      (value as { layout?: unknown } | null)?.layout === 'columns'
        ? revive(value as SolveResultColumns)
        : withResult(value, revive),
  };
}

/** `{ …, result }` with `convert(result)` in its place (getPlan's answer). */
function withResult(value: unknown, convert: (c: SolveResultColumns) => unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const result = (value as { result?: unknown }).result;
  if (result === undefined || result === null) return value;
  return { ...value, result: convert(result as SolveResultColumns) };
}

function swappedColumn(bytes: Uint8Array, at: number, n: number): Float64Array {
  const out = new Float64Array(n);
  const o = new Uint8Array(out.buffer);
  for (let i = 0; i < n * 8; i += 8) for (let k = 0; k < 8; k++) o[i + k] = bytes[at + i + 7 - k];
  return out;
}
