import { describe, expect, it } from 'vitest';
import { parsePlan, parsePlanJson, parseJsonText } from './plan';
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
