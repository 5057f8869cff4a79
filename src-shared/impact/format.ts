/** Whole numbers and fractions as the messages and notes print them. */

export function fmtInt(v: number): string {
  return Math.round(v).toLocaleString('en-US');
}

export function fmtPct(f: number): string {
  return `${Math.round(f * 1e4) / 100}%`;
}
