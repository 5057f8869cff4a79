/**
 * Intraday shapes for the editor: flat and U-shaped, and per-period values read from CSV.
 * Pure functions; the editor turns a shape into plan.impact.profile (multipliers, mean 1) or
 * plan.volumeProfile (shares per period, summing to the daily volume).
 */
import Papa from 'papaparse';
import {
  numberMarks,
  parseNumber as parseNumberIn,
  parseShares as parseSharesIn,
  type NumberMarks,
  type ParsedNumber,
} from '@shared/numbers';

export { numberMarks, type NumberMarks, type ParsedNumber };

export type ShapeKind = 'flat' | 'u';

/** Raw U curve: 3× at the open and the close, 1× at midday. */
function uRaw(n: number): number[] {
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) out[i] = uAt(i, n);
  return out;
}

function uAt(i: number, n: number): number {
  const t = ((i + 0.5) / n) * 2 - 1; // -1 .. 1
  return 1 + 2 * t * t;
}

/** shape(kind, n)[i] without building the array (the same arithmetic, so the same numbers). */
function shapeAt(kind: ShapeKind, n: number): (i: number) => number {
  if (kind === 'flat') return () => 1;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += uAt(i, n);
  const mean = sum / n;
  return (i) => uAt(i, n) / mean;
}

/** Multipliers with mean 1. */
export function shape(kind: ShapeKind, n: number): number[] {
  if (kind === 'flat') return new Array<number>(n).fill(1);
  const raw = uRaw(n);
  const mean = raw.reduce((a, b) => a + b, 0) / n;
  return raw.map((v) => v / mean);
}

/**
 * Whole shares per period, proportional to the shape, summing exactly to `daily` (a typed day
 * volume of 4,000,000 is 4,000,000 in every total, not 4,000,004): each period gets the
 * rounded cumulative volume at its end minus the one at its start, as the baselines round.
 */
export function volumes(kind: ShapeKind, n: number, daily: number): number[] {
  const w = shape(kind, n);
  const out = new Array<number>(n);
  let cumulative = 0;
  let before = 0;
  for (let i = 0; i < n; i++) {
    cumulative += w[i];
    const upTo = i === n - 1 ? Math.round(daily) : Math.round((daily * cumulative) / n);
    out[i] = upTo - before;
    before = upTo;
  }
  return out;
}

/** Which preset (if any) reproduces these values exactly. */
export function detectShape(values: readonly number[]): ShapeKind | null {
  const n = values.length;
  for (const kind of ['flat', 'u'] as const) {
    const s = shape(kind, n);
    if (s.every((v, i) => v === values[i])) return kind;
  }
  return null;
}

/** Which preset volume curve reproduces these values exactly, and its daily volume. */
export function detectVolumes(
  values: readonly number[],
): { kind: ShapeKind; daily: number } | null {
  const total = values.reduce((a, b) => a + b, 0);
  for (const kind of ['flat', 'u'] as const)
    if (sameVolumes(kind, values, total)) return { kind, daily: total };
  return null;
}

/**
 * `volumes(kind, values.length, daily)` equals `values`: the same sums, compared as they are
 * made, so that a long profile that is no preset stops at its first difference.
 */
function sameVolumes(kind: ShapeKind, values: readonly number[], daily: number): boolean {
  const n = values.length;
  const w = shapeAt(kind, n);
  let cumulative = 0;
  let before = 0;
  for (let i = 0; i < n; i++) {
    cumulative += w(i);
    const upTo = i === n - 1 ? Math.round(daily) : Math.round((daily * cumulative) / n);
    if (upTo - before !== values[i]) return false;
    before = upTo;
  }
  return true;
}

export type ParsedValues = { ok: true; values: number[] } | { ok: false; error: string };

/**
 * Per-period values from CSV text: one value per line, or the last numeric column of each
 * row; a header row is skipped. Numbers are read by parseNumber's rules (the user's locale; an
 * ambiguous comma is refused with its line).
 */
export function parseValuesCsv(text: string): ParsedValues {
  const parsed = Papa.parse<string[]>(text.trim(), { skipEmptyLines: 'greedy' });
  const rows = parsed.data;
  if (rows.length === 0) return { ok: false, error: 'the file has no values' };
  const values: number[] = [];
  // A one-column file with a header: commas in a row are part of the number ("1,000" or, in
  // a decimal-comma locale, "1,5"), read by parseNumber's rules.
  const oneColumn = rows[0].length === 1 && toNumber(rows[0][0]) === null;
  for (let r = 0; r < rows.length; r++) {
    const cell = oneColumn ? rows[r].join(',') : lastCell(rows[r]);
    const read = parseNumber(cell);
    if (!read.ok) {
      if (r === 0 && !read.ambiguous) continue; // header
      if (read.ambiguous) return { ok: false, error: `line ${r + 1}: ${read.error}` };
      return { ok: false, error: `line ${r + 1}: "${cell}" is not a number` };
    }
    const v = read.value;
    if (v < 0) return { ok: false, error: `line ${r + 1}: ${v} is negative (0 is allowed)` };
    values.push(v);
  }
  if (values.length === 0) return { ok: false, error: 'the file has no numeric values' };
  return { ok: true, values };
}

/**
 * The first intraday-profile value the plan format refuses, as "period 3: must not be
 * negative (got -2; …)", or null. 0 is allowed: a period without impact, such as a crossing.
 * Negative and non-finite values are not. The editor puts the field's label in front.
 */
export function profileValueProblem(values: readonly number[]): string | null {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) return `period ${i + 1}: must be a finite number (got ${v})`;
    if (v < 0)
      return `period ${i + 1}: must not be negative (got ${v}; 0 is allowed: no impact in that period)`;
  }
  return null;
}

export type ParsedCurve = { ok: true; points: [number, number][] } | { ok: false; error: string };

/** An impact curve from CSV text: rows "shares, impact per share" (or ";"); a header row is skipped. */
export function parseCurveCsv(text: string): ParsedCurve {
  // "shares; impact" is how decimal-comma locales write two columns.
  const delimiter = text.includes(';') ? ';' : '';
  const parsed = Papa.parse<string[]>(text.trim(), { skipEmptyLines: 'greedy', delimiter });
  const points: [number, number][] = [];
  for (let r = 0; r < parsed.data.length; r++) {
    const row = parsed.data[r].map((c) => c.trim()).filter((c) => c !== '');
    const x = toNumber(row[0] ?? '');
    const g = toNumber(row[1] ?? '');
    const unclear = row
      .slice(0, 2)
      .map((c) => parseNumber(c))
      .find((p) => !p.ok && p.ambiguous);
    if (unclear && !unclear.ok && row.length === 2)
      return { ok: false, error: `line ${r + 1}: ${unclear.error}` };
    if (x === null || g === null || row.length !== 2) {
      if (r === 0 && points.length === 0 && (x === null || g === null)) continue; // header
      return {
        ok: false,
        error: `line ${r + 1}: expected "shares, impact per share", got "${parsed.data[r].join(',')}"`,
      };
    }
    points.push([x, g]);
  }
  if (points.length === 0) return { ok: false, error: 'needs at least one "shares, impact" line' };
  return { ok: true, points };
}

export function curveToCsv(points: readonly (readonly [number, number])[]): string {
  return points.map(([x, g]) => `${x}, ${g}`).join('\n');
}

function lastCell(row: string[]): string {
  for (let i = row.length - 1; i >= 0; i--) if (row[i].trim() !== '') return row[i].trim();
  return '';
}

let marks: NumberMarks = numberMarks(
  typeof navigator !== 'undefined' && navigator.language ? navigator.language : 'en-US',
);

/** Read numbers as `locale` does from now on (null: the browser's language). For tests. */
export function setNumberLocale(locale: string | null): void {
  marks = numberMarks(
    locale ??
      (typeof navigator !== 'undefined' && navigator.language ? navigator.language : 'en-US'),
  );
}

/** How every numeric field is read: see parseNumber in src-shared/numbers.ts (this locale). */
export function parseNumber(text: string, m: NumberMarks = marks): ParsedNumber {
  return parseNumberIn(text, m);
}

/** A share count, with "k" and "m" (see parseShares in src-shared/numbers.ts; this locale). */
export function parseShares(text: string, m: NumberMarks = marks): ParsedNumber {
  return parseSharesIn(text, m);
}

/** A share count as parseShares reads it; null when empty, junk, ambiguous or not whole. */
export function toShares(text: string, m: NumberMarks = marks): number | null {
  const r = parseShares(text, m);
  return r.ok ? r.value : null;
}

/** A number as parseNumber reads it; null when empty, junk or ambiguous. */
export function toNumber(text: string, m: NumberMarks = marks): number | null {
  const r = parseNumber(text, m);
  return r.ok ? r.value : null;
}

/** A value as field text that parseNumber reads back as exactly that value in this locale. */
export function numberText(v: number, m: NumberMarks = marks): string {
  const plain = String(v);
  if (toNumber(plain, m) === v) return plain;
  const local = plain.replace('.', m.decimal);
  return toNumber(local, m) === v ? local : plain;
}

/** Text written with "," groups and a "." decimal (fmtCoef) that this locale reads back. */
export function localizeText(text: string, m: NumberMarks = marks): string {
  if (parseNumber(text, m).ok) return text;
  const local = text.split(',').join('').replace('.', m.decimal);
  return parseNumber(local, m).ok ? local : text;
}
