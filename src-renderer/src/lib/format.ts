/** Number formatting for the window: one place, Intl-based, thousands separators. */
import { zonedParts } from '@shared/book';

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

/** A price ($): small prices need more digits than money. Per-share costs: fmtPerShare. */
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

const significant6 = new Intl.NumberFormat(LOCALE, { maximumSignificantDigits: 6 });
const cents = new Intl.NumberFormat(LOCALE, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const price4 = new Intl.NumberFormat(LOCALE, {
  style: 'currency',
  currency: 'USD',
  minimumFractionDigits: 4,
  maximumFractionDigits: 4,
});

/**
 * A coefficient such as λ for display and for its input field: six significant digits, with
 * thousands separators ("1,234.57") in the everyday range and an exponent ("2.34568e-7")
 * outside it. toNumber() (lib/profiles) reads both forms back.
 */
export function fmtCoef(v: number): string {
  if (!Number.isFinite(v)) return '';
  if (v === 0) return '0';
  const abs = Math.abs(v);
  if (abs >= 1e-3 && abs < 1e9) return significant6.format(v);
  const [mantissa, exponent] = v.toExponential(5).split('e');
  return `${String(Number(mantissa))}e${Number(exponent)}`;
}

/** Cents per share ("1.23¢"). */
export const fmtCents = (v: number): string => `${cents.format(v)}¢`;

const centsSmall = new Intl.NumberFormat(LOCALE, { maximumSignificantDigits: 3 });
/**
 * A per-share figure given in $ (impact per share, a spread), in cents as every per-share figure
 * of the window: two decimals from 1¢ up ("1.23¢"), three significant digits below ("0.075¢").
 * Prices (a mid, an average execution price) stay in $; totals in $; relative costs in bps.
 */
export function fmtPerShare(dollars: number): string {
  const c = dollars * 100;
  if (c === 0) return '0¢';
  return `${Math.abs(c) >= 1 ? cents.format(c) : centsSmall.format(c)}¢`;
}

/** A chart tick of a per-share axis in cents (the axis title carries "¢"). */
export function fmtCentsTick(dollars: number): string {
  return centsSmall.format(dollars * 100);
}
/** An average execution price: four decimals, since the cost is a fraction of a cent. */
export const fmtPrice4 = (v: number): string => price4.format(v);

const money0 = new Intl.NumberFormat(LOCALE, {
  style: 'currency',
  currency: 'USD',
  maximumFractionDigits: 0,
});
/** Money for dense tables: whole dollars from $1,000 up, cents below. */
export const fmtMoneyShort = (v: number): string =>
  Math.abs(v) >= 1000 ? money0.format(v) : money.format(v);

const sig3 = new Intl.NumberFormat(LOCALE, { maximumSignificantDigits: 3 });
/** A small price with three significant digits ("$0.0123", "$1.23"). */
export const fmtPrice3 = (v: number): string => `${v < 0 ? '-' : ''}$${sig3.format(Math.abs(v))}`;

const oneDecimal = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 1 });
/** A length of time in minutes: "252.5 min", or seconds below a minute ("30 s"). */
export function fmtMinutes(minutes: number): string {
  if (minutes >= 1) return `${oneDecimal.format(minutes)} min`;
  return `${Math.round(minutes * 60)} s`;
}

/** Date and clock time of an ISO instant in a time zone: { date "2025-04-03", time "09:30:05" }. */
export function zonedDateTime(iso: string, timeZone: string): { date: string; time: string } {
  const p = zonedParts(Date.parse(iso), timeZone);
  const pad = (n: number) => String(n).padStart(2, '0');
  return {
    date: `${p.year}-${pad(p.month)}-${pad(p.day)}`,
    time: `${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}`,
  };
}

/** A signed percentage ("+12.3%", "−4.0%"; "0.0%" when it rounds to zero). */
export function fmtSignedPct(v: number): string {
  const text = percent1.format(Math.abs(v));
  const zero = Math.abs(v) < 0.05;
  return `${zero ? '' : v > 0 ? '+' : '−'}${text}%`;
}

/** A percentage with three significant digits ("2.15%", "0.0431%"). */
export const fmtPct3 = (v: number): string => `${sig3.format(v)}%`;

/** The current instant as ISO 8601 UTC (for timestamps the backend keeps or writes). */
export function nowIso(): string {
  return new Date().toISOString();
}
