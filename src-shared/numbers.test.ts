import { describe, expect, it } from 'vitest';
import { numberMarks, parseNumber, parseShares } from './numbers';

const en = numberMarks('en-US');
const de = numberMarks('de-DE');
const shares = (text: string, m = en) => {
  const r = parseShares(text, m);
  return r.ok ? r.value : r.error;
};

describe('parseShares: share counts as a trader types them', () => {
  it('reads thousands groups, k and m in either case', () => {
    expect(shares('200,000')).toBe(200_000);
    expect(shares('200k')).toBe(200_000);
    expect(shares('200K')).toBe(200_000);
    expect(shares('200 k')).toBe(200_000);
    expect(shares('2m')).toBe(2_000_000);
    expect(shares('2M')).toBe(2_000_000);
    expect(shares('1.5m')).toBe(1_500_000);
    expect(shares('1.5k')).toBe(1_500);
    expect(shares(' 10000 ')).toBe(10_000);
  });

  it('shifts the decimal point exactly (8.2m is 8,200,000, not 8199999.999999999)', () => {
    expect(8.2 * 1e6).not.toBe(8_200_000);
    expect(shares('8.2m')).toBe(8_200_000);
    expect(shares('1.005k')).toBe(1005);
    expect(shares('1.1m')).toBe(1_100_000);
    expect(shares('0.3k')).toBe(300);
    expect(shares('2.675m')).toBe(2_675_000);
  });

  it('keeps the decimal comma rule of the locale', () => {
    expect(shares('1,5m', de)).toBe(1_500_000);
    expect(shares('200.000', de)).toMatch(/is ambiguous/);
    expect(shares('1.000.000', de)).toBe(1_000_000);
    // In en-US "1,5m" is ambiguous: the comma only groups thousands.
    expect(shares('1,5m')).toMatch(/"1,5" is ambiguous: use 1\.5/);
  });

  it('refuses a count that is not whole, a doubled or unknown suffix, and a bare suffix', () => {
    expect(shares('1.0005k')).toBe('"1.0005k" is 1000.5 shares: a share count must be whole');
    expect(shares('2.5555555m')).toMatch(/is 2555555\.5 shares: a share count must be whole/);
    for (const text of ['2mm', '2b', '1e3k', '2km', '2 shares', '1.5 m m'])
      expect(shares(text), text).toMatch(/is not a number of shares/);
    for (const text of ['2mm', '1.0005k']) {
      const r = parseShares(text, en);
      expect(r.ok, text).toBe(false);
      expect(!r.ok && r.specific, text).toBe(true);
    }
    // No digits at all: no number, said as parseNumber says it.
    for (const text of ['k', 'm', 'kk', 'lots'])
      expect(parseShares(text, en), text).toEqual({
        ok: false,
        empty: false,
        ambiguous: false,
        error: 'must be a number',
      });
  });

  it('leaves a number without a suffix to parseNumber (the schema checks it is whole)', () => {
    expect(parseShares('12.5', en)).toEqual(parseNumber('12.5', en));
    expect(parseShares('', en)).toMatchObject({ ok: false, empty: true });
    expect(parseShares('1e6', en)).toEqual({ ok: true, value: 1_000_000 });
    expect(parseShares('-2k', en)).toEqual({ ok: true, value: -2000 });
  });
});
