/**
 * How a number a person types is read, everywhere the app reads one (the window's fields, the
 * CLI's flags): the locale's decimal and thousands marks, an ambiguous comma refused, and share
 * counts written as a trader writes them ("200,000", "200k", "2m", "1.5m").
 */

/** The marks a locale writes numbers with: the decimal mark and the thousands mark. */
export interface NumberMarks {
  decimal: string;
  group: string;
}

/** The marks of a BCP 47 locale ("en-US", "de-DE"), from Intl. */
export function numberMarks(locale: string): NumberMarks {
  let parts: Intl.NumberFormatPart[];
  try {
    parts = new Intl.NumberFormat(locale).formatToParts(12345.6);
  } catch {
    parts = new Intl.NumberFormat('en-US').formatToParts(12345.6);
  }
  return {
    decimal: parts.find((p) => p.type === 'decimal')?.value ?? '.',
    group: parts.find((p) => p.type === 'group')?.value ?? ',',
  };
}

/** The marks of en-US: what the CLI reads (a point for decimals, a comma for thousands). */
export const EN_US_MARKS: NumberMarks = { decimal: '.', group: ',' };

export type ParsedNumber =
  | { ok: true; value: number }
  | {
      ok: false;
      empty: boolean;
      ambiguous: boolean;
      /** The message says what to type (an ambiguous number, a share suffix refused). */
      specific?: boolean;
      error: string;
    };

/**
 * How every numeric field and every pasted or loaded list of values is read, in the user's
 * locale (its decimal and thousands marks come from Intl):
 * - Spaces, "_" and a locale's own non-comma, non-point thousands mark (no-break space,
 *   apostrophe) are ignored; a leading "+", "-" or "−" is the sign; "1e-6" is accepted.
 * - Both "," and "." in one number ("1,234.5", "1.234,5"): the last of the two is the decimal
 *   mark and the other must group thousands (groups of three digits).
 * - One mark that appears more than once ("1,000,000", "1.000.000"): thousands groups.
 * - One mark once:
 *   - the locale's decimal mark is a decimal ("31,50" is 31.5 in de-DE; "31.50" in en-US);
 *   - "." is otherwise a decimal too (the notation the app writes), except where "." groups
 *     thousands in the locale and a group of three digits follows ("1.000" in de-DE): refused
 *     as ambiguous, since 1 and 1000 are both readings;
 *   - "," where the locale's decimal mark is ".": thousands when a group of three digits
 *     follows ("1,000" is 1000 in en-US), else refused as ambiguous ("31,50" in en-US).
 * Nothing is guessed: an ambiguous number is refused with what to type instead.
 */
export function parseNumber(text: string, m: NumberMarks = EN_US_MARKS): ParsedNumber {
  const junk = (error: string): ParsedNumber => ({
    ok: false,
    empty: false,
    ambiguous: false,
    error,
  });
  let t = text.replace(/[\s_]/g, '');
  if (m.group !== ',' && m.group !== '.' && m.group.trim() !== '') t = t.split(m.group).join('');
  if (t === '') return { ok: false, empty: true, ambiguous: false, error: 'is required' };
  const shown = text.trim();
  t = t.replace(/^[−–]/, '-');
  const sign = /^[+-]/.test(t) ? t[0] : '';
  const body = sign ? t.slice(1) : t;
  const done = (plain: string): ParsedNumber => {
    if (!/^(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(plain)) return junk('must be a number');
    const v = Number(sign + plain);
    return Number.isFinite(v) ? { ok: true, value: v } : junk('must be a finite number');
  };
  const grouped = (s: string, g: string) => new RegExp(`^[1-9]\\d{0,2}(\\${g}\\d{3})+$`).test(s);
  const commas = body.split(',').length - 1;
  const points = body.split('.').length - 1;
  if (commas === 0 && points === 0) return done(body);
  if (commas > 0 && points > 0) {
    const dec = body.lastIndexOf(',') > body.lastIndexOf('.') ? ',' : '.';
    const grp = dec === ',' ? '.' : ',';
    const [whole, frac, ...more] = body.split(dec);
    if (more.length > 0 || !grouped(whole, grp) || !/^\d*$/.test(frac))
      return junk('must be a number');
    return done(`${whole.split(grp).join('')}.${frac}`);
  }
  const mark = commas > 0 ? ',' : '.';
  if (commas + points > 1) {
    return grouped(body, mark) ? done(body.split(mark).join('')) : junk('must be a number');
  }
  const [whole, frac] = body.split(mark);
  const asDecimal = () => done(`${whole}.${frac}`);
  if (mark === m.decimal) return asDecimal();
  const three = grouped(body, mark);
  if (mark === '.') {
    if (m.group === '.' && three)
      return {
        ok: false,
        empty: false,
        ambiguous: true,
        error: `"${shown}" is ambiguous: type ${sign}${whole}${frac} for the whole number or ${sign}${whole}${m.decimal}${frac} for the decimal`,
      };
    return asDecimal();
  }
  // A comma where the decimal mark is a point.
  if (three) return done(whole + frac);
  return {
    ok: false,
    empty: false,
    ambiguous: true,
    error: `"${shown}" is ambiguous: use ${sign}${whole}.${frac} (a point marks decimals; a comma only groups thousands, as in 1,000)`,
  };
}

/** How a share count can be written, for error messages. */
export const SHARES_EXAMPLES = '200,000, 200k or 1.5m';

const SUFFIX_EXPONENT: Record<string, number> = { k: 3, m: 6 };

/**
 * A share count as a trader types it: a number read by parseNumber's rules ("200,000", and
 * the locale's decimal mark), optionally followed by "k" (thousand) or "m" (million), either
 * case: "200k" is 200,000, "1.5m" is 1,500,000. With a suffix the count must come out whole
 * ("1.0005k" is refused, not rounded); "2mm", "1e3k" and "2b" are refused, and "k" or "lots"
 * (no digits) are no number at all, as parseNumber says. Refusals of a
 * written suffix carry `specific: true`: their message says what to type, so it replaces a
 * schema's generic one. Without a suffix the number is returned as parseNumber reads it (the
 * schema that receives it checks that it is whole).
 */
export function parseShares(text: string, m: NumberMarks = EN_US_MARKS): ParsedNumber {
  const shown = text.trim();
  const suffix = /^(.*?)\s*([a-zA-Z]+)$/.exec(shown);
  if (!suffix) return parseNumber(text, m);
  const refuse = (error: string): ParsedNumber => ({
    ok: false,
    empty: false,
    ambiguous: false,
    specific: true,
    error,
  });
  const [, body, letters] = suffix;
  // A word without digits ("lots", "k") is no number at all: parseNumber's plain refusal.
  if (!/\d/.test(body)) return parseNumber(text, m);
  const exponent = SUFFIX_EXPONENT[letters.toLowerCase()];
  // "1e6" has no suffix: its letter is inside. Only a plain number takes a k or an m.
  if (exponent === undefined || /[a-z]/i.test(body))
    return refuse(
      `"${shown}" is not a number of shares: type a number, optionally followed by k (thousand) or m (million), such as ${SHARES_EXAMPLES}`,
    );
  const r = parseNumber(body, m);
  if (!r.ok)
    return r.ambiguous
      ? { ...r, specific: true }
      : refuse(`"${shown}" is not a number of shares: type it as ${SHARES_EXAMPLES}`);
  const plain = String(r.value);
  // Shift the decimal point in the number's shortest text: 8.2 × 10⁶ is 8200000, not 8199999.999999999.
  const value = plain.includes('e') ? r.value * 10 ** exponent : Number(`${plain}e${exponent}`);
  if (!Number.isInteger(value))
    return refuse(`"${shown}" is ${value} shares: a share count must be whole`);
  return { ok: true, value };
}
