/**
 * The glossary lists every word the window shows, and says what the controls say.
 */
import { test, expect } from './fixtures';
import { SCREEN_TERMS, glossaryEntry } from '../../src-shared/glossary';

test('the glossary has an entry for each on-screen term, matching the controls', async ({
  planner,
  page,
}) => {
  await planner.button('Glossary').click();
  const glossary = page.getByRole('dialog', { name: 'Glossary' });
  await expect(glossary).toBeVisible();
  for (const [word, id] of SCREEN_TERMS) {
    const term = glossary.getByRole('term').filter({ hasText: glossaryEntry(id).term });
    await expect(term, word).toHaveCount(1);
    await expect(term, word).toContainText(word, { ignoreCase: true });
  }
  // The intraday profile's U shape is costlier at the ends, as its dropdown says.
  await page.keyboard.press('Escape');
  await expect(glossary).toBeHidden();
  // The intraday profile belongs to the advanced power law.
  await planner.fill({ model: 'power' });
  await expect(
    planner.field('Intraday profile').locator('option', { hasText: 'U-shaped' }),
  ).toContainText('costlier at open and close');
  await page.getByRole('button', { name: 'What is Intraday profile?' }).click();
  await expect(glossary.locator('#glossary-profile + dd')).toContainText(
    'makes the open and the close costlier to trade',
  );
  await glossary.getByRole('button', { name: 'Close' }).click();
  await expect(glossary).toBeHidden();
});
