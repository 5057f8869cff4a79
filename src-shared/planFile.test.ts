/** The plan file's name and extensions: what the export writes and what the app opens. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  escapeControlChars,
  escapeControlCharsKeepingLines,
  hasPlanFileExtension,
  PLAN_FILE_ACCEPT,
  PLAN_FILE_EXTENSION,
  planFileName,
} from './planFile';

describe('plan file names', () => {
  it('plan-file-extension: an export is <stem>.orderplan, one extension the OS can associate', () => {
    expect(PLAN_FILE_EXTENSION).toBe('orderplan');
    expect(planFileName('Buy FROG')).toBe('Buy FROG.orderplan');
  });

  it('opens .orderplan and the .json / .plan.json files of earlier versions, in any case', () => {
    for (const name of ['Buy FROG.orderplan', 'x.ORDERPLAN', 'Buy FROG.plan.json', 'plan.JSON'])
      expect(hasPlanFileExtension(name)).toBe(true);
    for (const name of ['orderplan', 'plan.json.txt', 'x.orderplan.bak', 'book.csv', 'json'])
      expect(hasPlanFileExtension(name)).toBe(false);
  });

  it('a file input offers both extensions', () => {
    expect(PLAN_FILE_ACCEPT.split(',')).toEqual(
      expect.arrayContaining(['.orderplan', '.json', 'application/json']),
    );
  });
});

describe('escapeControlCharsKeepingLines', () => {
  /** The replace alone, as it ran before the quick test for a control character. */
  const replaceOnly = (text: string) =>
    text.replace(/\r\n|[^\P{Cc}\n\t]/gu, (c) => (c === '\r\n' ? c : escapeControlChars(c)));

  it('gives what the replace alone gives, for any text (C0, DEL, C1, CR LF, surrogates)', () => {
    const unit = fc.constantFrom(
      'a',
      ' ',
      '\n',
      '\r',
      '\t',
      '\u0000',
      '\u001b',
      '\u007f',
      '\u0080',
      '\u009b',
      '\u009f',
      '\u00a0',
      'é',
      '\u2028',
      '😀',
      '\ud800',
      '\udfff',
    );
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit }), fc.string({ unit: 'binary' })), (text) => {
        expect(escapeControlCharsKeepingLines(text)).toBe(replaceOnly(text));
      }),
      { numRuns: 2000 },
    );
    for (let c = 0; c < 0x2000; c++) {
      const text = `x${String.fromCharCode(c)}\r\ny`;
      expect(escapeControlCharsKeepingLines(text)).toBe(replaceOnly(text));
    }
  });
});
