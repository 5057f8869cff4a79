/** How typed and pasted numbers are read: the user's locale, and an ambiguous comma refused. */
import { afterEach, describe, expect, it } from 'vitest';
import {
  numberMarks,
  numberText,
  parseCurveCsv,
  parseNumber,
  parseValuesCsv,
  setNumberLocale,
  toNumber,
} from '../../../src-renderer/src/lib/profiles';

const en = numberMarks('en-US');
const de = numberMarks('de-DE');
const fr = numberMarks('fr-FR');

afterEach(() => setNumberLocale(null));

describe('numbers in an en-US locale', () => {
  it('reads a group of three as thousands and a point as the decimal mark', () => {
    expect(toNumber('1,000', en)).toBe(1000);
    expect(toNumber('12,500', en)).toBe(12_500);
    expect(toNumber('1,234,567.5', en)).toBe(1_234_567.5);
    expect(toNumber('31.50', en)).toBe(31.5);
    expect(toNumber(' 3 ', en)).toBe(3);
    expect(toNumber('1e-6', en)).toBe(1e-6);
    expect(toNumber('2.34568e-7', en)).toBe(2.34568e-7);
    expect(toNumber('-0.5', en)).toBe(-0.5);
    expect(toNumber('1_000', en)).toBe(1000);
  });

  it('reference price "31,50" is refused as ambiguous, not read as 3150', () => {
    const r = parseNumber('31,50', en);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.ambiguous).toBe(true);
    expect(!r.ok && r.error).toBe(
      '"31,50" is ambiguous: use 31.50 (a point marks decimals; a comma only groups thousands, as in 1,000)',
    );
    expect(toNumber('31,50', en)).toBeNull();
    expect(toNumber('0,125', en)).toBeNull();
    expect(toNumber('1,5', en)).toBeNull();
  });

  it('refuses junk and badly grouped numbers', () => {
    for (const text of ['lots', '1,00,000', '1.2.3', '12,5.3', '1e', '--1', 'Infinity'])
      expect(toNumber(text, en), text).toBeNull();
    expect(parseNumber('', en)).toMatchObject({ ok: false, empty: true });
  });
});

describe('numbers in a de-DE locale', () => {
  it('reads the decimal comma', () => {
    expect(toNumber('31,50', de)).toBe(31.5);
    expect(toNumber('1,5', de)).toBe(1.5);
    expect(toNumber('1.234,5', de)).toBe(1234.5);
    expect(toNumber('1.000.000', de)).toBe(1_000_000);
  });

  it('still reads the point decimals the app writes', () => {
    expect(toNumber('0.0001', de)).toBe(0.0001);
    expect(toNumber('31.50', de)).toBe(31.5);
    expect(toNumber('0.125', de)).toBe(0.125);
    expect(toNumber('1,234.57', de)).toBe(1234.57);
  });

  it('refuses "1.000" (one or one thousand) as ambiguous', () => {
    const r = parseNumber('1.000', de);
    expect(!r.ok && r.error).toBe(
      '"1.000" is ambiguous: type 1000 for the whole number or 1,000 for the decimal',
    );
  });

  it('writes field text it reads back exactly', () => {
    expect(numberText(1.125, de)).toBe('1,125');
    expect(toNumber(numberText(1.125, de), de)).toBe(1.125);
    expect(numberText(31.5, de)).toBe('31.5');
    expect(numberText(1.125, en)).toBe('1.125');
  });
});

describe('numbers in a fr-FR locale', () => {
  it('ignores the no-break space that groups thousands', () => {
    expect(toNumber('1\u202f000,5', fr)).toBe(1000.5);
    expect(toNumber('31,50', fr)).toBe(31.5);
  });
});

describe('pasted lists follow the same rules', () => {
  it('refuses an ambiguous comma in a values file with its line', () => {
    setNumberLocale('en-US');
    expect(parseValuesCsv('volume\n"1,000"\n"31,50"\n')).toEqual({
      ok: false,
      error:
        'line 3: "31,50" is ambiguous: use 31.50 (a point marks decimals; a comma only groups thousands, as in 1,000)',
    });
    expect(parseValuesCsv('volume\n1,000\n2,500\n')).toEqual({ ok: true, values: [1000, 2500] });
  });

  it('reads decimal commas in a de-DE values file and curve', () => {
    setNumberLocale('de-DE');
    expect(parseValuesCsv('Faktor\n1,5\n0,75\n')).toEqual({ ok: true, values: [1.5, 0.75] });
    expect(parseCurveCsv('0; 0,01\n1000; 0,02')).toEqual({
      ok: true,
      points: [
        [0, 0.01],
        [1000, 0.02],
      ],
    });
  });
});
