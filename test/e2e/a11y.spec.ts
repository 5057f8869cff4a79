/**
 * Accessibility: axe-core finds no violations on the main screens, in light and in dark; the
 * skip link reaches the plan form from the keyboard.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures';
import type { PlannerPage } from './pages/planner';
import { GLOSSARY } from '../../src-shared/glossary';
import { mbp10Csv, syntheticDay } from '../fixtures/mbp10';

/** Every WCAG 2.x A/AA rule axe knows, plus its best practices. */
async function violations(page: Page): Promise<string[]> {
  const r = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'])
    .analyze();
  return r.violations.map(
    (v) =>
      `${v.id} (${v.impact}) ${v.help}\n` +
      v.nodes
        .slice(0, 5)
        .map((n) => `    ${n.target.join(' ')} — ${n.failureSummary?.split('\n').join(' ')}`)
        .join('\n'),
  );
}

/**
 * Fill and solve the plan the screens below show (with a volume profile and timing risk), over
 * `periods` periods of the day: axe takes half a minute over a 390-row schedule table.
 */
async function solvedPlan(planner: PlannerPage, periods = 390): Promise<void> {
  await planner.fill({
    name: 'Buy FROG',
    symbol: 'FROG',
    shares: '100000',
    lotSize: '100',
    referencePrice: '31.5',
    beta: '0.00002',
    periods: String(periods),
  });
  await planner.field('Volume profile').selectOption('u');
  await planner.field('Daily volume').fill('4000000');
  await planner.fillRisk({ annualPct: '30' });
  await planner.solve(periods);
}

// One test per screen and scheme: axe reads every node, and a solved page has thousands.
for (const scheme of ['light', 'dark'] as const) {
  test.describe(`axe finds no violations (${scheme})`, () => {
    test.beforeEach(async ({ page }) => {
      test.setTimeout(120_000);
      await page.emulateMedia({ colorScheme: scheme });
    });

    test('empty planner', async ({ planner, page }) => {
      await expect(planner.field('Name')).toBeVisible();
      expect(await violations(page)).toEqual([]);
    });

    test('solved plan', async ({ planner, page }) => {
      await solvedPlan(planner);
      expect(await violations(page)).toEqual([]);
    });

    test('changed plan with history and problems', async ({ planner, page }) => {
      await solvedPlan(planner, 13);
      await planner.button('Save').click();
      await expect(planner.unsavedMarker).toBeHidden();
      await planner.libraryItem('Buy FROG').getByRole('button', { name: 'History' }).click();
      await expect(planner.library.getByRole('list', { name: 'Revisions' })).toBeVisible();
      // The stale-result and unsaved texts, and a problem, are on screen.
      await planner.fill({ shares: '1050' });
      await expect(planner.unsavedMarker).toBeVisible();
      await expect(planner.problems).toBeVisible();
      expect(await violations(page)).toEqual([]);
    });

    test('order book with an imported day', async ({ planner, page }) => {
      await planner.openBook();
      expect(await violations(page)).toEqual([]);
      const panel = planner.bookPanel;
      await panel.getByLabel('Session end', { exact: true }).fill('10:00');
      const csv = mbp10Csv(
        syntheticDay({
          fromMs: Date.parse('2025-04-03T13:30:00Z'),
          toMs: Date.parse('2025-04-03T14:00:00Z'),
          rows: 3000,
          tradeProbability: 0.2,
        }),
        { symbol: 'FROG' },
      );
      await planner.chooseBookFile('FROG-mbp10.csv', csv);
      await expect(panel.getByRole('region', { name: 'FROG 2025-04-03' })).toContainText(
        '30 of 30',
      );
      expect(await violations(page)).toEqual([]);
    });

    test('validation with its per-day results', async ({ planner, page }) => {
      await planner.openBook();
      await planner.bookPanel.getByLabel('Session end', { exact: true }).fill('10:00');
      const day = (date: string) =>
        mbp10Csv(
          syntheticDay({
            fromMs: Date.parse(`${date}T13:30:00Z`),
            toMs: Date.parse(`${date}T14:00:00Z`),
            rows: 1500,
            tradeProbability: 0.2,
          }),
          { symbol: 'FROG' },
        );
      await planner.chooseBookFiles([
        { name: 'FROG-2025-04-02.csv', csv: day('2025-04-02') },
        { name: 'FROG-2025-04-03.csv', csv: day('2025-04-03') },
      ]);
      await expect(
        planner.bookPanel.getByRole('status').filter({ hasText: /^Imported/ }),
      ).toBeVisible();
      await page.getByRole('tab', { name: 'Validation' }).click();
      const validation = page.getByRole('region', { name: /^Validation/ });
      expect(await violations(page)).toEqual([]);
      for (const date of ['2025-04-02', '2025-04-03'])
        await validation.getByRole('checkbox', { name: new RegExp(date) }).check();
      await validation.getByLabel('Shares', { exact: true }).fill('2000');
      await validation.getByLabel('Lot size', { exact: true }).fill('100');
      await validation.getByLabel('Model').selectOption('book');
      await validation.getByRole('button', { name: 'Validate' }).click();
      await expect(validation.getByTestId('validation-days')).toBeVisible();
      expect(await violations(page)).toEqual([]);
    });
  });
}

test('the skip link moves the keyboard to the plan form', async ({ planner, page }) => {
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to the plan form' });
  await expect(skip).toBeFocused();
  await expect(skip).toBeVisible();
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab');
  // The first field of the form takes the focus next, past the toolbar and the library.
  await expect(planner.field('Name')).toBeFocused();
});

test('the glossary opens from the toolbar and F1, at the entry of a term pressed', async ({
  planner,
  page,
}) => {
  const glossary = page.getByRole('dialog', { name: 'Glossary' });
  await planner.button('Glossary').click();
  await expect(glossary).toBeVisible();
  await expect(glossary.getByRole('term')).toHaveCount(GLOSSARY.length);
  await expect(glossary).toContainText('Front-loaded');
  await page.keyboard.press('Escape');
  await expect(glossary).toBeHidden();

  await page.keyboard.press('F1');
  await expect(glossary).toBeVisible();
  await glossary.getByRole('button', { name: 'Close' }).click();
  await expect(glossary).toBeHidden();

  // A "?" beside a label opens the glossary at its word (β: an advanced model's coefficient).
  await planner.field('Impact model').selectOption('power');
  await page.getByRole('button', { name: 'What is β (impact coefficient)?' }).click();
  const beta = glossary.getByRole('term').filter({ hasText: 'β (impact coefficient)' });
  await expect(beta).toBeFocused();
  await expect(glossary.getByRole('definition').first()).toBeVisible();
});
