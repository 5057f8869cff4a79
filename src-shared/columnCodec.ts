/**
 * A number column as base64 text: the little-endian IEEE-754 bytes of a Float64Array. A
 * column crosses JSON bit for bit (every finite double, -0, NaN for a null entry) as one
 * string, at 4 characters per 3 bytes, instead of one decimal number per entry: nothing to
 * format on the way out and nothing to parse number by number on the way in (docs/storage.md,
 * "The wire form of a result").
 *
 * `writeBase64` encodes straight into the bytes of an HTTP body; `float64FromBase64` is strict
 * (standard alphabet, padded, a whole number of doubles) and uses the platform's decoder where
 * there is one (Uint8Array.fromBase64 in current browsers).
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const PAD = 61; // '='
const ENCODE = Uint8Array.from(ALPHABET, (c) => c.charCodeAt(0));
/** Char code → 6-bit value, 255 for a character outside the alphabet. */
const DECODE = new Uint8Array(128).fill(255);
for (let i = 0; i < 64; i++) DECODE[ENCODE[i]] = i;

/** True on every platform this runs on in practice; a big-endian host swaps bytes. */
const LITTLE_ENDIAN = new Uint8Array(new Float64Array([-0]).buffer)[7] === 0x80;

/** Characters of the base64 text of `byteLength` bytes. */
export function base64Length(byteLength: number): number {
  return Math.ceil(byteLength / 3) * 4;
}

/** The little-endian bytes of a column (a view on little-endian hosts, a copy otherwise). */
export function littleEndianBytes(column: Float64Array): Uint8Array {
  const view = new Uint8Array(column.buffer, column.byteOffset, column.byteLength);
  return LITTLE_ENDIAN ? view : swapped(view);
}

/** 12 bits → their two base64 characters, the first in the low byte. */
const PAIRS = new Uint16Array(4096);
for (let i = 0; i < 4096; i++) PAIRS[i] = ENCODE[i >>> 6] | (ENCODE[i & 63] << 8);

/** Groups of 3 bytes → 4 characters each, as 32-bit words (little-endian). */
function encodeGroups(bytes: Uint8Array, groups: number, words: Uint32Array): void {
  for (let g = 0, i = 0; g < groups; g++, i += 3) {
    const v = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    words[g] = PAIRS[v >>> 12] | (PAIRS[v & 4095] << 16);
  }
}

/** Write the base64 text of `bytes` (ASCII) into `out` from `at`; returns where it ends. */
export function writeBase64(bytes: Uint8Array, out: Uint8Array, at: number): number {
  const n = bytes.length;
  const groups = Math.floor(n / 3);
  const full = groups * 3;
  let o = at;
  if (LITTLE_ENDIAN && (out.byteOffset + o) % 4 === 0) {
    // Four characters per 3 bytes as one 32-bit store, straight into `out`.
    encodeGroups(bytes, groups, new Uint32Array(out.buffer, out.byteOffset + o, groups));
    o += groups * 4;
  } else if (LITTLE_ENDIAN) {
    // The same into an aligned scratch, then copied (fresh memory costs: jsonBytes aligns).
    const scratch = new Uint32Array(groups);
    encodeGroups(bytes, groups, scratch);
    out.set(new Uint8Array(scratch.buffer), o);
    o += groups * 4;
  } else {
    for (let i = 0; i < full; i += 3) {
      const v = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
      out[o] = ENCODE[v >>> 18];
      out[o + 1] = ENCODE[(v >>> 12) & 63];
      out[o + 2] = ENCODE[(v >>> 6) & 63];
      out[o + 3] = ENCODE[v & 63];
      o += 4;
    }
  }
  if (n > full) {
    const v = (bytes[full] << 16) | (n - full === 2 ? bytes[full + 1] << 8 : 0);
    out[o] = ENCODE[v >>> 18];
    out[o + 1] = ENCODE[(v >>> 12) & 63];
    out[o + 2] = n - full === 2 ? ENCODE[(v >>> 6) & 63] : PAD;
    out[o + 3] = PAD;
    o += 4;
  }
  return o;
}

/** The base64 text of a column. */
export function float64ToBase64(column: Float64Array): string {
  const out = new Uint8Array(base64Length(column.byteLength));
  writeBase64(littleEndianBytes(column), out, 0);
  let text = '';
  for (let i = 0; i < out.length; i += 0x8000)
    text += String.fromCharCode(...out.subarray(i, i + 0x8000));
  return text;
}

/**
 * Decodes base64 into `into` (exactly the decoded length); false when the text is not
 * base64. A trusted reader may pass a faster one (Node's Buffer.write).
 */
export type Base64Decoder = (text: string, into: Uint8Array) => boolean;

type SetFromBase64 = (this: Uint8Array, text: string) => { read: number; written: number };
const platformSetFromBase64 = (Uint8Array.prototype as unknown as { setFromBase64?: SetFromBase64 })
  .setFromBase64;

/** Strict: the standard alphabet, padded to a multiple of 4 characters. */
export const decodeBase64: Base64Decoder = (text, into) => {
  if (platformSetFromBase64) {
    try {
      const { read, written } = platformSetFromBase64.call(into, text);
      return read === text.length && written === into.length;
    } catch {
      return false;
    }
  }
  const n = text.length;
  let o = 0;
  for (let i = 0; i < n; i += 4) {
    const a = DECODE[text.charCodeAt(i) & 127] | (text.charCodeAt(i) & ~127);
    const b = DECODE[text.charCodeAt(i + 1) & 127] | (text.charCodeAt(i + 1) & ~127);
    const c3 = text.charCodeAt(i + 2);
    const d4 = text.charCodeAt(i + 3);
    const last = i + 4 === n;
    const c = last && c3 === PAD && d4 === PAD ? 0 : DECODE[c3 & 127] | (c3 & ~127);
    const d = last && d4 === PAD ? 0 : DECODE[d4 & 127] | (d4 & ~127);
    if ((a | b | c | d) > 63) return false;
    const v = (a << 18) | (b << 12) | (c << 6) | d;
    into[o++] = v >>> 16;
    if (!(last && c3 === PAD)) into[o++] = (v >>> 8) & 255;
    if (!(last && d4 === PAD)) into[o++] = v & 255;
  }
  return o === into.length;
};

/**
 * The column that base64 text holds, or null when it is not the padded base64 of a whole
 * number of doubles.
 */
export function float64FromBase64(
  text: string,
  decode: Base64Decoder = decodeBase64,
): Float64Array | null {
  if (text.length % 4 !== 0) return null;
  const pad = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const byteLength = (text.length / 4) * 3 - pad;
  if (byteLength % 8 !== 0) return null;
  const column = new Float64Array(byteLength / 8);
  const bytes = new Uint8Array(column.buffer);
  if (!decode(text, bytes)) return null;
  if (!LITTLE_ENDIAN) bytes.set(swapped(bytes));
  return column;
}

/**
 * The UTF-8 JSON text of `value`, as bytes, with every Float64Array in it written as the
 * base64 text of its bytes: `JSON.stringify` of the packed form, but for up to 3 spaces
 * before each column
 * (resultColumns.ts columnsToPackedJson), written
 * straight from the typed arrays (no number formatting, no 10 MB string built and copied).
 * Typed arrays are looked for in objects, where the columnar result keeps them; arrays and
 * everything else are written by JSON.stringify.
 */
export function jsonBytes(value: unknown): Uint8Array {
  const encoder = new TextEncoder();
  const parts: (Uint8Array | Float64Array)[] = [];
  let text = '';
  const flush = () => {
    if (text) parts.push(encoder.encode(text));
    text = '';
  };
  const walk = (v: unknown): void => {
    if (v instanceof Float64Array) {
      flush();
      parts.push(v);
    } else if (
      typeof v !== 'object' ||
      v === null ||
      Array.isArray(v) ||
      typeof (v as { toJSON?: unknown }).toJSON === 'function'
    ) {
      text += JSON.stringify(v) ?? 'null';
    } else {
      let sep = '{';
      for (const key of Object.keys(v)) {
        const x = (v as Record<string, unknown>)[key];
        if (x === undefined || typeof x === 'function' || typeof x === 'symbol') continue;
        text += `${sep}${JSON.stringify(key)}:`;
        sep = ',';
        walk(x);
      }
      text += sep === '{' ? '{}' : '}';
    }
  };
  walk(value);
  flush();
  // Spaces before a column's opening quote (JSON whitespace) start its base64 on a multiple
  // of 4 bytes, so that it is written by 32-bit stores straight into the body.
  const padBefore = (at: number) => (4 - ((at + 1) % 4)) % 4;
  let size = 0;
  for (const p of parts)
    size += p instanceof Float64Array ? padBefore(size) + base64Length(p.byteLength) + 2 : p.length;
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    if (p instanceof Float64Array) {
      for (let k = padBefore(at); k > 0; k--) out[at++] = 32;
      out[at++] = 34; // "
      at = writeBase64(littleEndianBytes(p), out, at);
      out[at++] = 34;
    } else {
      out.set(p, at);
      at += p.length;
    }
  }
  return out;
}

/** Each double's 8 bytes reversed. */
function swapped(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i += 8)
    for (let k = 0; k < 8; k++) out[i + k] = bytes[i + 7 - k];
  return out;
}
