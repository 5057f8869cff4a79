/** Number formatting for the window: one place, Intl-based, thousands separators. */

const LOCALE = 'en-US';

const integer = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 0 });
const money = new Intl.NumberFormat(LOCALE, {
  style: 'currency',
  currency: 'USD',
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
});
const percent1 = new Intl.NumberFormat(LOCALE, {
  minimumFractionDigits: 1,
  maximumFractionDigits: 1,
});
const bps = new Intl.NumberFormat(LOCALE, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const compact = new Intl.NumberFormat(LOCALE, { maximumSignificantDigits: 4 });
const millis = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 1 });

export const fmtInt = (v: number): string => integer.format(v);
export const fmtMoney = (v: number): string => money.format(v);
export const fmtPct = (v: number): string => `${percent1.format(v)}%`;
export const fmtBps = (v: number | null): string => (v === null ? '—' : `${bps.format(v)} bps`);
export const fmtMillis = (v: number): string => `${millis.format(v)} ms`;

/** Impact per share: small prices need more digits than money. */
export function fmtPrice(v: number): string {
  if (v === 0) return '0';
  const abs = Math.abs(v);
  if (abs >= 1) return money.format(v);
  return `$${compact.format(v)}`;
}

/** A plain number for an input field (no grouping, no trailing zeros). */
export function fmtInput(v: number | undefined): string {
  if (v === undefined || !Number.isFinite(v)) return '';
  return String(Number(v.toPrecision(12)));
}

/** Local date-time of an ISO timestamp, short. */
export function fmtDateTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(LOCALE, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
}
