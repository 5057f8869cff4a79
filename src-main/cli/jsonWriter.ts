/**
 * `JSON.stringify(value, null, space)` written out in chunks instead of returned as one
 * string: a solve of N = 100,000 periods prints about 30 MB of JSON, which as one string (and
 * its copies: the control-character pass, the UTF-8 buffer) cost more than the solve itself.
 *
 * The text is byte for byte what JSON.stringify returns: the same walk (toJSON, own
 * enumerable keys in their order, undefined, functions and symbols dropped from objects and
 * null in arrays, boxed primitives unwrapped, non-finite numbers as null), numbers by the same
 * Number → string conversion (String(n); integers below 2³¹ by their digits, which is what it
 * gives), strings and keys quoted by JSON.stringify itself. The text is collected as UTF-8 in
 * one reused buffer and handed on as a string of about `chunkBytes` bytes at a time; a chunk
 * ends between two values, never inside one.
 */
import { Buffer } from 'node:buffer';

/** Bytes a chunk collects before it is handed to `write`. */
export const JSON_CHUNK_BYTES = 1 << 16;

export interface WriteJsonOptions {
  /** JSON.stringify's `space` as a number (0: no indentation). */
  space?: number;
  /** Text after the value, e.g. "\n". */
  suffix?: string;
  chunkBytes?: number;
}

/**
 * Writes `String(JSON.stringify(value, null, space)) + suffix` through `write` in chunks.
 * Throws what JSON.stringify throws on a cycle or a BigInt (a TypeError).
 */
export function writeJson(
  value: unknown,
  write: (chunk: string) => void,
  options: WriteJsonOptions = {},
): void {
  const w = new JsonBytes(write, options.space ?? 0, options.chunkBytes ?? JSON_CHUNK_BYTES);
  if (!w.value(prepare(value, ''), 0)) w.text('undefined');
  w.text(options.suffix ?? '');
  w.flush();
}

/** Room kept for one number or one line break in the buffer. */
const SMALL = 64;

class JsonBytes {
  private readonly buf: Buffer;
  private pos = 0;
  /** Whether the bytes since the last flush are all ASCII. */
  private ascii = true;
  /** "\n" + depth × gap as bytes, by depth ([""] when there is no gap). */
  private readonly breaks: Uint8Array[];
  private readonly gap: string;
  private readonly colon: Uint8Array;
  /** Line break, indentation and `"key": ` as bytes, by depth (ASCII keys only): a schedule repeats the same dozen keys 100,000 times. */
  private readonly keys: Map<string, Uint8Array>[] = [];
  /** The objects and arrays being written, to refuse a cycle as JSON.stringify does. */
  private readonly stack: object[] = [];
  private readonly digits = new Uint8Array(12);

  constructor(
    private readonly write: (chunk: string) => void,
    space: number,
    chunkBytes: number,
  ) {
    this.gap = ' '.repeat(Math.max(0, Math.min(10, Math.floor(space))));
    this.breaks = [Buffer.from(this.gap ? '\n' : '', 'latin1')];
    this.colon = Buffer.from(this.gap ? ': ' : ':', 'latin1');
    this.buf = Buffer.allocUnsafe(Math.max(chunkBytes, 4 * SMALL));
  }

  flush(): void {
    if (this.pos === 0) return;
    // Latin-1 is a plain copy, several times faster than decoding UTF-8, and the same for ASCII.
    this.write(this.buf.toString(this.ascii ? 'latin1' : 'utf8', 0, this.pos));
    this.pos = 0;
    this.ascii = true;
  }

  /** Makes room for n more bytes (flushing); false when n is more than the whole buffer. */
  private room(n: number): boolean {
    if (this.pos + n <= this.buf.length) return true;
    this.flush();
    return n <= this.buf.length;
  }

  /** One ASCII character by its code. */
  private byte(c: number): void {
    if (this.pos >= this.buf.length) this.flush();
    this.buf[this.pos++] = c;
  }

  private bytes(b: Uint8Array): void {
    // Only ASCII comes here: line breaks, colons, ASCII keys.
    if (!this.room(b.length)) {
      this.write(Buffer.from(b).toString('latin1'));
      return;
    }
    const buf = this.buf;
    let pos = this.pos;
    for (let i = 0; i < b.length; i++) buf[pos++] = b[i];
    this.pos = pos;
  }

  /** Any text, as UTF-8 (JSON text has no lone surrogates: JSON.stringify escapes them). */
  text(s: string): void {
    if (this.room(s.length)) {
      const buf = this.buf;
      let pos = this.pos;
      let i = 0;
      for (; i < s.length; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) break;
        buf[pos++] = c;
      }
      if (i === s.length) {
        this.pos = pos;
        return;
      }
    }
    // Not ASCII: up to three bytes per UTF-16 unit.
    if (this.room(3 * s.length)) {
      this.pos += this.buf.write(s, this.pos, 'utf8');
      this.ascii = false;
    } else this.write(s);
  }

  private number(v: number): void {
    if ((v | 0) !== v) {
      this.text(Number.isFinite(v) ? String(v) : 'null');
      return;
    }
    // An int32 (−0 included, which JSON.stringify writes as 0): its digits.
    this.room(SMALL);
    const buf = this.buf;
    if (v < 0) {
      buf[this.pos++] = 45;
      if (v === -2147483648) {
        this.text('2147483648');
        return;
      }
      v = -v;
    }
    if (v < 10) {
      buf[this.pos++] = 48 + v;
      return;
    }
    const d = this.digits;
    let k = 0;
    while (v > 0) {
      const q = (v / 10) | 0;
      d[k++] = 48 + v - q * 10;
      v = q;
    }
    let pos = this.pos;
    while (k > 0) buf[pos++] = d[--k];
    this.pos = pos;
  }

  private lineBreak(depth: number): Uint8Array {
    if (!this.gap) return this.breaks[0];
    while (this.breaks.length <= depth)
      this.breaks.push(Buffer.from(`\n${this.gap.repeat(this.breaks.length)}`, 'latin1'));
    return this.breaks[depth];
  }

  /**
   * Appends a value already passed through `prepare` (toJSON applied, boxes unwrapped);
   * false, writing nothing, for what JSON.stringify leaves out (undefined, functions, symbols).
   */
  value(v: unknown, depth: number): boolean {
    switch (typeof v) {
      case 'number':
        this.number(v);
        return true;
      case 'string':
        this.text(JSON.stringify(v));
        return true;
      case 'boolean':
        this.text(v ? 'true' : 'false');
        return true;
      case 'object':
        if (v === null) this.text('null');
        else if (Array.isArray(v)) this.array(v, depth);
        else this.object(v, depth);
        return true;
      case 'bigint':
        // JSON.stringify's own TypeError ("Do not know how to serialize a BigInt").
        JSON.stringify(v);
        return false;
      default:
        return false;
    }
  }

  private enter(v: object): void {
    if (this.stack.includes(v)) JSON.stringify(this.stack[0]); // throws its TypeError
    this.stack.push(v);
  }

  private array(a: readonly unknown[], depth: number): void {
    if (a.length === 0) {
      this.text('[]');
      return;
    }
    this.enter(a);
    const inner = this.lineBreak(depth + 1);
    this.byte(0x5b);
    for (let i = 0; i < a.length; i++) {
      if (i > 0) this.byte(0x2c);
      this.bytes(inner);
      const e = a[i];
      if (typeof e === 'number') this.number(e);
      else if (!this.value(prepare(e, i), depth + 1)) this.text('null');
    }
    this.bytes(this.lineBreak(depth));
    this.byte(0x5d);
    this.stack.pop();
  }

  private object(o: object, depth: number): void {
    this.enter(o);
    const record = o as Record<string, unknown>;
    let first = true;
    for (const key of Object.keys(o)) {
      const v = prepare(record[key], key);
      switch (typeof v) {
        case 'undefined':
        case 'function':
        case 'symbol':
          continue;
      }
      this.byte(first ? 0x7b : 0x2c);
      first = false;
      this.key(key, depth + 1);
      this.value(v, depth + 1);
    }
    if (first) this.text('{}');
    else {
      this.bytes(this.lineBreak(depth));
      this.byte(0x7d);
    }
    this.stack.pop();
  }

  /** Line break, indentation and `"key": ` at this depth. */
  private key(key: string, depth: number): void {
    while (this.keys.length <= depth) this.keys.push(new Map());
    const keys = this.keys[depth];
    let b = keys.get(key);
    if (b === undefined) {
      const quoted = JSON.stringify(key);
      if (!/^[\0-\x7f]*$/.test(quoted) || keys.size >= 1000) {
        this.bytes(this.lineBreak(depth));
        this.text(quoted);
        this.bytes(this.colon);
        return;
      }
      b = Buffer.concat([this.lineBreak(depth), Buffer.from(quoted, 'latin1'), this.colon]);
      keys.set(key, b);
    }
    this.bytes(b);
  }
}

/** What JSON.stringify serialises in place of `v`: toJSON(key)'s value, boxes unwrapped. */
function prepare(v: unknown, key: string | number): unknown {
  if (v === null || (typeof v !== 'object' && typeof v !== 'bigint')) return v;
  const toJSON = (v as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') v = (toJSON as (k: string) => unknown).call(v, String(key));
  if (v instanceof Number) return Number(v);
  if (v instanceof String) return String(v);
  if (v instanceof Boolean) return v.valueOf();
  if (v instanceof BigInt) return v.valueOf();
  return v;
}
