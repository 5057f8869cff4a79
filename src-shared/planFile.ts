/**
 * The plan file as a file: its format version and the one upgrade of older shapes, its size
 * limit, the checks JSON.parse cannot make (UTF-16 or UTF-32 text, duplicate keys), and the escaping of
 * control characters wherever a message quotes what a file contains. No plan schema here
 * (plan.ts builds parsing on top of this), so this module imports types only.
 */
import type { ParseResult, PlanInput } from './plan';

/**
 * The plan file format this version reads and writes. A file without `format` is format 1.
 * Additions that an older version refuses by name on its own stay in format 1: the
 * `calibrated` impact model (an older version says the model must be one of those it knows)
 * and the power model's `intercept` (an unknown field); a bump would make older versions
 * refuse every new file, even one that uses none of the additions.
 */
export const PLAN_FORMAT_VERSION = 1;

/** Largest plan file read, in bytes actually read (the CLI and the app alike). */
export const MAX_PLAN_FILE_BYTES = 50_000_000;

/**
 * The plan file's own extension (without the dot): JSON inside, the format above. Windows
 * and macOS associate a file with an application by its last extension only, so the app
 * cannot claim the `.plan.json` files it used to write without claiming every `.json` file;
 * it writes `Buy FROG.orderplan` and registers that extension (build/electron-builder.yml).
 */
export const PLAN_FILE_EXTENSION = 'orderplan';

/** The plan file's MIME type (the Linux association, the exported file's type). */
export const PLAN_FILE_MIME_TYPE = 'application/x-order-planner+json';

/**
 * Extensions a plan file is read from: its own, and `.json` (`.plan.json`, the exports of
 * earlier versions, and plans written by hand or by `book-plan`).
 */
export const PLAN_FILE_EXTENSIONS: readonly string[] = [PLAN_FILE_EXTENSION, 'json'];

/** The `accept` of a file input that picks plan files. */
export const PLAN_FILE_ACCEPT = `.${PLAN_FILE_EXTENSION},.json,${PLAN_FILE_MIME_TYPE},application/json`;

/** The exported plan file's name for a file-name stem: `Buy FROG` → `Buy FROG.orderplan`. */
export function planFileName(stem: string): string {
  return `${stem}.${PLAN_FILE_EXTENSION}`;
}

/** Whether a file name (or path) ends in a plan file extension, in any case. */
export function hasPlanFileExtension(name: string): boolean {
  const lower = name.toLowerCase();
  return PLAN_FILE_EXTENSIONS.some((ext) => lower.endsWith(`.${ext}`));
}

type JsonObject = Record<string, unknown>;

/**
 * UPGRADES[v] turns a format-v plan object (without `format`) into format v + 1. Changing the
 * plan's shape means: bump PLAN_FORMAT_VERSION and add the step from the previous version.
 */
const UPGRADES: Readonly<Record<number, (plan: JsonObject) => JsonObject>> = {};

/**
 * Parsed plan JSON of any format this version knows → the current shape (no `format` key),
 * not yet validated: parse the value with PlanSchema (parsePlan does both). Used alike for
 * imported files, the CLI and plans read back from storage. A newer format, or a `format`
 * that is no version number, is refused; anything that is not an object is passed on for the
 * schema to describe.
 */
export function upgradePlanJson(data: unknown): ParseResult<unknown> {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return { ok: true, value: data };
  }
  const { format, ...rest } = data as JsonObject;
  const version = format === undefined ? 1 : format;
  const problem = formatProblem(version);
  if (problem) return { ok: false, errors: [`format: ${problem}`] };
  let plan: JsonObject = rest;
  for (let v = version as number; v < PLAN_FORMAT_VERSION; v++) {
    const step = UPGRADES[v];
    if (!step) throw new Error(`no upgrade of plan files from format ${v} to ${v + 1}`);
    plan = step(plan);
  }
  return { ok: true, value: plan };
}

function formatProblem(version: unknown): string | null {
  if (typeof version !== 'number' || !Number.isInteger(version)) {
    return `must be a whole number, the plan file's format version (got ${quoteValue(version)})`;
  }
  if (version < 1) return `must be 1 or more (got ${version})`;
  if (version > PLAN_FORMAT_VERSION) {
    return `this plan file is format ${version}, written by a newer version of Order Planner; this version reads format ${PLAN_FORMAT_VERSION}`;
  }
  return null;
}

/** A value from a file, quoted short and safe for a message. */
function quoteValue(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (value !== null && typeof value === 'object') return 'an object';
  const text = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return escapeControlChars(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}

/** The plan as the text of a plan file: `format` first, then the plan's fields. */
export function planFileJson(plan: PlanInput, space?: number): string {
  return JSON.stringify({ format: PLAN_FORMAT_VERSION, ...plan }, null, space);
}

/**
 * Control characters (C0, DEL and C1: \p{Cc}) shown as `\u001b`, so that text quoted from a
 * file (or any message on a terminal) cannot carry escape sequences.
 */
export function escapeControlChars(text: string): string {
  return text.replace(/\p{Cc}/gu, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Any control character but LF and tab (CR included: only CR LF is kept). */
// eslint-disable-next-line no-control-regex
const CONTROL_BUT_LINES = /[\0-\x08\x0b-\x1f\x7f-\x9f]/;

/**
 * Text for a terminal or a file: like escapeControlChars, but line breaks (LF, CR LF) and
 * tabs stay as they are, so that tables, CSV and JSON keep their shape while a name from a
 * file cannot carry ESC sequences, BEL, backspace, DEL or C1 controls such as U+009B (CSI).
 */
export function escapeControlCharsKeepingLines(text: string): string {
  // \p{Cc} is U+0000–U+001F and U+007F–U+009F; this test, without the u flag, scans a long
  // text (30 MB of JSON) several times faster than the replace below finds nothing in it.
  if (!CONTROL_BUT_LINES.test(text)) return text;
  return text.replace(/\r\n|[^\P{Cc}\n\t]/gu, (c) => (c === '\r\n' ? c : escapeControlChars(c)));
}

/** `s` cut to `max` characters (an ellipsis marks the cut). */
export function shorten(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max)}…` : s;
}

/**
 * Items for a message, each shown by `show`: the first `max` of them, then how many more
 * ("a, b, c and 12 more"): a file with a million unknown keys gets a short error.
 */
export function listSome<T>(items: readonly T[], show: (item: T) => string, max = 10): string {
  const shown = items.slice(0, max).map(show).join(', ');
  return items.length > max ? `${shown} and ${items.length - max} more` : shown;
}

/**
 * The wide encoding text decoded as UTF-8 was really in, if any. A byte-order mark says it
 * (UTF-32: FF FE 00 00 or 00 00 FE FF; UTF-16: FF FE or FE FF; each FF/FE byte decodes as
 * U+FFFD); without one, NULs give it away (JSON text never contains a raw NUL): among the
 * first 1,000 characters, ASCII in UTF-32 has three NULs per character, in UTF-16 one.
 */
export function wideEncoding(text: string): 'UTF-16' | 'UTF-32' | null {
  if (text.startsWith('\ufffd\ufffd\u0000\u0000') || text.startsWith('\u0000\u0000\ufffd\ufffd'))
    return 'UTF-32';
  if (text.startsWith('\ufffd\ufffd')) return 'UTF-16';
  const head = text.slice(0, 1000);
  let nuls = 0;
  for (let i = 0; i < head.length; i++) if (head.charCodeAt(i) === 0) nuls++;
  if (nuls === 0) return null;
  if (nuls * 10 >= head.length * 6) return 'UTF-32';
  return nuls * 10 >= head.length ? 'UTF-16' : null;
}

/** Whether text decoded as UTF-8 was UTF-16 or UTF-32 (see wideEncoding). */
export function looksLikeUtf16(text: string): boolean {
  return wideEncoding(text) !== null;
}

export interface DuplicateKey {
  /** Where the key is: the object's path, then the key. */
  path: (string | number)[];
  /** How often the key appears in that object (2 or more). */
  count: number;
}

/**
 * Keys that appear more than once in one object of `text`, which must be valid JSON (run it
 * after JSON.parse accepted it: JSON.parse keeps the last of duplicate keys without a word).
 * At most `max` keys are reported, in the order their second occurrence appears. One pass
 * over the text, no tree: 50 MB take a fraction of a second.
 */
export function findDuplicateKeys(text: string, max = 10): DuplicateKey[] {
  const found: DuplicateKey[] = [];
  // One entry per open object or array: the keys an object has had (null for an array),
  // the current key or array index, and the duplicates found in that object.
  const keys: (Set<string> | null)[] = [];
  const at: (string | number)[] = [];
  const dups: (Map<string, DuplicateKey> | null)[] = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      let end = text.indexOf('"', i + 1);
      while (end > 0 && isEscaped(text, end)) end = text.indexOf('"', end + 1);
      if (end < 0) break; // an unterminated string: not JSON, JSON.parse says so
      if (expectKey) {
        const top = keys.length - 1;
        const raw = text.slice(i + 1, end);
        const key = raw.includes('\\') ? (JSON.parse(text.slice(i, end + 1)) as string) : raw;
        const seen = keys[top]!;
        if (seen.has(key)) {
          const map = (dups[top] ??= new Map<string, DuplicateKey>());
          const dup = map.get(key);
          if (dup) dup.count++;
          else if (found.length < max) {
            const entry = { path: [...at.slice(0, top), key], count: 2 };
            map.set(key, entry);
            found.push(entry);
          }
        } else seen.add(key);
        at[top] = key;
        expectKey = false;
      }
      i = end;
    } else if (c === OPEN_BRACE) {
      keys.push(new Set());
      at.push('');
      dups.push(null);
      expectKey = true;
    } else if (c === OPEN_BRACKET) {
      keys.push(null);
      at.push(0);
      dups.push(null);
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      keys.pop();
      at.pop();
      dups.pop();
      expectKey = false;
    } else if (c === COMMA) {
      const top = keys.length - 1;
      if (keys[top] === null) at[top] = (at[top] as number) + 1;
      else expectKey = true;
    }
  }
  return found;
}

const QUOTE = 0x22;
const COMMA = 0x2c;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/** Whether the quote at `index` is escaped (an odd number of backslashes before it). */
function isEscaped(text: string, index: number): boolean {
  let k = index - 1;
  while (text.charCodeAt(k) === BACKSLASH) k--;
  return (index - 1 - k) % 2 === 1;
}
