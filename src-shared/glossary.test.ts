/**
 * The glossary covers every word a trader meets on screen, and says what the controls say:
 * the U-shaped profiles as the dropdowns label them, and a permanent impact γ that can change
 * the plan (the glossary once said it could not).
 */
import { describe, expect, it } from 'vitest';
import { GLOSSARY, SCREEN_TERMS, glossaryEntry } from './glossary';

describe('glossary', () => {
  it('has an entry naming every on-screen term', () => {
    for (const [word, id] of SCREEN_TERMS) {
      const entry = glossaryEntry(id);
      expect(entry, word).toBeDefined();
      expect(entry.term.toLowerCase(), `${word} → ${id}`).toContain(word.toLowerCase());
    }
  });

  it('has unique ids and no empty text', () => {
    expect(new Set(GLOSSARY.map((e) => e.id)).size).toBe(GLOSSARY.length);
    for (const e of GLOSSARY) expect(e.text.length, e.id).toBeGreaterThan(40);
  });

  it('describes the U-shaped profiles as the dropdowns do (costlier, busier at the ends)', () => {
    // ProfileFields: "U-shaped (costlier at open and close)"; LimitFields: "busier".
    expect(glossaryEntry('profile').text).toMatch(/U-shaped.*costlier to trade/);
    expect(glossaryEntry('profile').text).not.toMatch(/cheaper to trade/);
    expect(glossaryEntry('volume-profile').text).toMatch(/U-shaped.*busier/);
  });

  it('says permanent impact γ can change the plan, and when it makes a block trade', () => {
    const text = glossaryEntry('permanent').text;
    expect(text).toContain('γ·(S² − Σx²)/2');
    expect(text).toMatch(/change the plan/);
    expect(text).toContain('γ ≥ 2β');
    expect(text).not.toMatch(/cannot change/);
  });
});
