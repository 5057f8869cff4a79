import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePlan, parsePlanJson, parseJsonText } from './plan';
import {
  PLAN_FORMAT_VERSION,
  escapeControlChars,
  findDuplicateKeys,
  planFileJson,
  upgradePlanJson,
} from './planFile';
import { testPlan } from './testing/plans';

const plan = testPlan({ impact: { model: 'linear', beta: 1e-6 } });
const text = JSON.stringify(plan);

describe('plan files', () => {
  it('plan-file-with-bom: a byte-order mark (Windows editors) is ignored', () => {
    const r = parsePlanJson(`\ufeff${text}`);
    expect(r.ok).toBe(true);
    expect(r.ok && r.value).toEqual(plan);
  });

  it('empty-plan-file: an empty or blank file is said to be empty', () => {
    expect(parsePlanJson('')).toEqual({ ok: false, errors: ['plan file: is empty'] });
    expect(parsePlanJson('\ufeff \n')).toEqual({ ok: false, errors: ['plan file: is empty'] });
    expect(parseJsonText('{')).toMatchObject({ ok: false, errors: [/^malformed JSON \(/] });
  });

  it('plan-unknown-field-silently-dropped: misspelt or unknown fields are refused by name', () => {
    // "maxPerPeriods" used to be dropped without a word, so the plan ran without its cap.
    const r = parsePlan({ ...plan, maxPerPeriods: 500 });
    expect(r).toEqual({
      ok: false,
      errors: [
        '(plan): unknown field "maxPerPeriods" (not part of the plan format; check the spelling)',
      ],
    });
    const nested = parsePlan({
      ...plan,
      session: { start: '09:30', end: '16:00', tz: 'Europe/London' },
      impact: { model: 'linear', beta: 1e-6, profil: [1], exponent: 2 },
    });
    expect(nested.ok ? [] : nested.errors).toEqual([
      'session: unknown field "tz" (not part of the plan format; check the spelling)',
      'impact: unknown fields "profil", "exponent" (not part of the plan format; check the spelling)',
    ]);
  });
});

describe('plan file format', () => {
  it('plan-file-format: "format": 1 is accepted, a file without it reads as format 1', () => {
    expect(parsePlanJson(JSON.stringify({ format: 1, ...plan }))).toEqual({
      ok: true,
      value: plan,
    });
    expect(parsePlanJson(text)).toEqual({ ok: true, value: plan });
    // The current shape has no `format`: it belongs to the file, not to the plan.
    expect(upgradePlanJson({ format: 1, ...plan })).toEqual({ ok: true, value: plan });
    expect(upgradePlanJson(plan)).toEqual({ ok: true, value: plan });
    expect(PLAN_FORMAT_VERSION).toBe(1);
  });

  it('plan-file-format: the export writes "format" first and reads back as the same plan', () => {
    const written = planFileJson(plan, 2);
    expect(written).toMatch(/^\{\n {2}"format": 1,\n {2}"name": "test",/);
    expect(parsePlanJson(written)).toEqual({ ok: true, value: plan });
  });

  it('plan-file-newer-format: format 2 or 3 is refused as written by a newer version', () => {
    for (const format of [2, 3]) {
      // Its other fields are not judged by this version's schema (they may be new ones).
      expect(parsePlanJson(JSON.stringify({ format, ...plan, newField: true }))).toEqual({
        ok: false,
        errors: [
          `format: this plan file is format ${format}, written by a newer version of Order Planner; this version reads format 1`,
        ],
      });
    }
  });

  it('plan-file-format-not-integer: a format that is no whole number is named as such', () => {
    const errors = (format: unknown) => {
      const r = parsePlan({ ...plan, format });
      return r.ok ? [] : r.errors;
    };
    expect(errors(1.5)).toEqual([
      "format: must be a whole number, the plan file's format version (got 1.5)",
    ]);
    expect(errors('1')).toEqual([
      'format: must be a whole number, the plan file\'s format version (got "1")',
    ]);
    expect(errors(null)).toEqual([
      "format: must be a whole number, the plan file's format version (got null)",
    ]);
    expect(errors([1])).toEqual([
      "format: must be a whole number, the plan file's format version (got an array)",
    ]);
    expect(errors(0)).toEqual(['format: must be 1 or more (got 0)']);
  });

  it('plan-file-format-strict: unknown fields beside "format" are still refused by name', () => {
    expect(parsePlan({ format: 1, ...plan, maxPerPeriods: 500 })).toEqual({
      ok: false,
      errors: [
        '(plan): unknown field "maxPerPeriods" (not part of the plan format; check the spelling)',
      ],
    });
    // `format` is a field of the top level only.
    const nested = parsePlan({ ...plan, impact: { ...plan.impact, format: 1 } });
    expect(nested.ok ? [] : nested.errors).toEqual([
      'impact: unknown field "format" (not part of the plan format; check the spelling)',
    ]);
  });
});

describe('duplicate keys', () => {
  it('duplicate-keys: a cap given twice is refused by name, not the last one kept', () => {
    // JSON.parse keeps the last: a cap of 600 was silently replaced by 1,000,000.
    const twice = text.replace(/\}$/, ', "maxPerPeriod": 600, "maxPerPeriod": 1000000}');
    expect(JSON.parse(twice).maxPerPeriod).toBe(1_000_000);
    expect(parsePlanJson(twice)).toEqual({
      ok: false,
      errors: ['plan file: maxPerPeriod: appears twice in the file'],
    });
  });

  it('duplicate-keys: the path names nested objects and array elements; counts past two', () => {
    const json =
      '{"impact": {"model": "linear", "beta": 1, "beta": 2, "beta": 3}, "a": [{}, {"b": 1, "b": 2}]}';
    expect(parseJsonText(json)).toEqual({
      ok: false,
      errors: ['impact.beta: appears 3 times in the file', 'a[1].b: appears twice in the file'],
    });
  });

  it('duplicate-keys: keys are compared as JSON reads them; strings are skipped whole', () => {
    // "\u0061" is "a"; quotes, braces and backslashes inside strings are no structure.
    const json = String.raw`{"s": "x\"}{,[\\", "b": {"c": ["\\", {"d": "\"", "\u0064": 2}]}, "a": 1, "\u0061": 2}`;
    expect(findDuplicateKeys(json)).toEqual([
      { path: ['b', 'c', 1, 'd'], count: 2 },
      { path: ['a'], count: 2 },
    ]);
    // The same key in sibling objects, or as a value, is no duplicate.
    expect(findDuplicateKeys('[{"a": 1}, {"a": 2}, {"k": "k", "v": {"k": "a"}}]')).toEqual([]);
    expect(parseJsonText('{"a b": 1, "a b": 2}')).toEqual({
      ok: false,
      errors: ['["a b"]: appears twice in the file'],
    });
  });

  it('duplicate-keys: JSON without duplicate keys is never flagged (any JSON value)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(findDuplicateKeys(JSON.stringify(value))).toEqual([]);
        expect(findDuplicateKeys(JSON.stringify(value, null, 2))).toEqual([]);
      }),
    );
  });

  it('duplicate-keys: one key written twice anywhere in random JSON is found at its path', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.string(), (value, key) => {
        // Wrap the value so that it sits at a known path inside an object with the key twice.
        const json = `{"list": [0, ${JSON.stringify(value)}, {${JSON.stringify(key)}: 1, ${JSON.stringify(key)}: ${JSON.stringify(value)}}]}`;
        expect(findDuplicateKeys(json)).toEqual([{ path: ['list', 2, key], count: 2 }]);
      }),
    );
  });
});

describe('file content in messages', () => {
  it('control-characters: text quoted from a file shows control characters escaped', () => {
    const bad = parseJsonText('{"name": \u001b[2J\u009b31m}');
    const message = bad.ok ? '' : bad.errors[0];
    expect(message).toMatch(/^malformed JSON \(Unexpected token '\\u001b'/);
    expect(message).not.toMatch(/\p{Cc}/u);
    const unknown = parsePlan({ ...plan, '\u001b]0;owned\u0007\u007f\u009b': 1 });
    expect(unknown.ok ? [] : unknown.errors).toEqual([
      '(plan): unknown field "\\u001b]0;owned\\u0007\\u007f\\u009b" (not part of the plan format; check the spelling)',
    ]);
    const dup = parseJsonText('{"\\u001bx\u0085": 1, "\\u001bx\u0085": 2}');
    expect(dup).toEqual({ ok: false, errors: ['["\\u001bx\\u0085"]: appears twice in the file'] });
    expect(escapeControlChars('a\tb\nc\rd\u0000e\u007ff\u0080g\u009fh é')).toBe(
      'a\\u0009b\\u000ac\\u000dd\\u0000e\\u007ff\\u0080g\\u009fh é',
    );
  });

  it('utf16-plan-file: UTF-16 text (with or without a byte-order mark) is said to be UTF-16', () => {
    const utf16le = (s: string) => {
      const bytes = new Uint8Array(s.length * 2);
      for (let i = 0; i < s.length; i++) bytes[2 * i] = s.charCodeAt(i);
      return bytes;
    };
    const swap = (b: Uint8Array) => b.map((_, i) => b[i ^ 1]);
    const decode = (...parts: Uint8Array[]) =>
      new TextDecoder().decode(new Uint8Array(parts.flatMap((p) => [...p])));
    const le = utf16le(text);
    const expected = {
      ok: false,
      errors: ['plan file: the file is UTF-16 text; save it as UTF-8'],
    };
    expect(parsePlanJson(decode(new Uint8Array([0xff, 0xfe]), le))).toEqual(expected);
    expect(parsePlanJson(decode(new Uint8Array([0xfe, 0xff]), swap(le)))).toEqual(expected);
    expect(parsePlanJson(decode(le))).toEqual(expected);
    expect(parsePlanJson(decode(swap(le)))).toEqual(expected);
    // One stray NUL in a long UTF-8 file is malformed JSON, not UTF-16.
    const stray = parseJsonText(`${text.slice(0, -1)}\u0000}`);
    expect(stray.ok ? '' : stray.errors[0]).toMatch(/^malformed JSON \(/);
  });
});
