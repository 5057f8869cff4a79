/**
 * The Compare tab: two revisions of one plan, or two plans, side by side (inputs that differ
 * marked, costs from the stored results, a revision saved unsolved solved on request, both
 * schedules on one chart); and the view tabs' keyboard pattern.
 */
import { join, resolve } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { test, expect } from './fixtures';
import { ComparePage } from './pages/compare';
import type { PlannerPage } from './pages/planner';

const SHOTS = resolve(__dirname, '../../test-results/screenshots');

/** Rev 1 solved and saved with its result; rev 2 (more shares, a U profile) saved unsolved;
 *  and a second plan, solved. Returns the total costs shown for rev 1 and the second plan. */
async function savePlans(planner: PlannerPage): Promise<{ rev1: string; other: string }> {
  await planner.fill({
    name: 'Buy FROG',
    symbol: 'FROG',
    shares: '100000',
    lotSize: '100',
    periods: '10',
    referencePrice: '31.5',
    beta: '0.00002',
  });
  await planner.solve(10);
  const rev1 = (await planner.totalCost.textContent())!.trim();
  await planner.button('Save').click();
  await expect(planner.unsavedMarker).toBeHidden();
  await planner.fill({ shares: '150000' });
  await planner.field('Intraday profile').selectOption('u');
  await planner.button('Save').click();
  await expect(planner.page.getByText('Saved "Buy FROG" (revision 2)')).toBeVisible();

  await planner.button('New').click();
  await planner.fill({
    name: 'Sell ACME',
    symbol: 'ACME',
    side: 'Sell',
    shares: '100000',
    lotSize: '100',
    periods: '10',
    referencePrice: '31.5',
    beta: '0.00003',
  });
  await planner.solve(10);
  const other = (await planner.totalCost.textContent())!.trim();
  await planner.button('Save').click();
  await expect(planner.unsavedMarker).toBeHidden();
  // Back to the first plan (latest revision) in the editor.
  await planner.libraryItem('Buy FROG').getByRole('button', { name: 'Open Buy FROG' }).click();
  await expect(planner.field('Shares')).toHaveValue('150000');
  return { rev1, other };
}

test('two revisions side by side: what changed, the stored costs, the unsolved one solved here', async ({
  planner,
  page,
}) => {
  const { rev1, other } = await savePlans(planner);
  const compare = new ComparePage(page);
  await compare.open();
  // The open plan against its previous revision.
  await expect(compare.plan('A')).toHaveValue(/.+/);
  await expect(compare.revision('B')).toHaveValue('1');
  await expect(compare.input('Shares')).toContainText('150,000');
  await expect(compare.input('Shares')).toContainText('100,000');
  await expect(compare.input('Shares')).toContainText('changed');
  await expect(compare.input('Intraday profile')).toContainText('differs');
  await expect(compare.input('Intraday profile')).toContainText('10 values');
  await expect(compare.input('Symbol')).not.toContainText('changed');
  await expect(compare.panel.getByRole('heading', { name: /^Inputs/ })).toHaveText(
    'Inputs 2 differ',
  );

  // Revision 2 was saved unsolved: said, with a Solve button; B's cost is its stored one.
  await expect(compare.side('A')).toContainText('Not solved');
  expect((await compare.figure('Expected cost'))[0]).toBe('not solved');
  expect((await compare.figure('Expected cost'))[1]).toBe(rev1);
  await expect(compare.chart).toBeHidden();
  await compare.side('A').getByRole('button', { name: 'Solve A' }).click();
  await expect(compare.side('A')).toContainText('Solved here (not saved)');
  await expect(compare.chart).toBeVisible();
  const [a, b, diff] = await compare.figure('Expected cost');
  const dollars = (t: string) => Number(t.replace(/[^0-9.]/g, ''));
  expect(dollars(a)).toBeGreaterThan(dollars(b));
  // B − A: revision 1 trades fewer shares, so it costs less.
  expect(diff).toBe(
    `−$${(dollars(a) - dollars(b)).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`,
  );

  // B: the other plan, latest revision.
  await compare.plan('B').selectOption({ label: 'Sell ACME (ACME)' });
  await expect(compare.input('Side')).toContainText('changed');
  await expect(compare.input('Beta')).toContainText('changed');
  expect((await compare.figure('Expected cost'))[1]).toBe(other);

  // The same revision on both sides is said.
  await compare.plan('B').selectOption({ label: 'Buy FROG (FROG)' });
  await expect(compare.panel).toContainText('A and B are the same revision of the same plan.');
  await expect(compare.panel.getByRole('heading', { name: /^Inputs/ })).toHaveText(
    'Inputs all the same',
  );
});

test('view tabs: arrows, Home and End move between the tabs; one tab stop; panels named', async ({
  planner,
  page,
}) => {
  const tabs = page.getByRole('tablist', { name: 'View' }).getByRole('tab');
  await expect(tabs).toHaveText(['Planner', 'Order book', 'Compare', 'Validation']);
  const planTab = page.getByRole('tab', { name: 'Planner' });
  const bookTab = page.getByRole('tab', { name: 'Order book' });
  const compareTab = page.getByRole('tab', { name: 'Compare' });
  const validationTab = page.getByRole('tab', { name: 'Validation' });
  const selected = async () => {
    const out: string[] = [];
    for (const t of await tabs.all())
      if ((await t.getAttribute('aria-selected')) === 'true') out.push((await t.textContent())!);
    return out;
  };

  await planTab.focus();
  await page.keyboard.press('ArrowRight');
  await expect(bookTab).toBeFocused();
  await expect(planner.bookPanel).toBeVisible();
  expect(await selected()).toEqual(['Order book']);
  await page.keyboard.press('ArrowRight');
  await expect(compareTab).toBeFocused();
  await expect(page.getByRole('region', { name: 'Compare plans' })).toBeVisible();
  await page.keyboard.press('End');
  await expect(validationTab).toBeFocused();
  await page.keyboard.press('ArrowRight'); // wraps
  await expect(planTab).toBeFocused();
  await expect(planner.button('Solve')).toBeVisible();
  await page.keyboard.press('ArrowLeft'); // wraps back
  await expect(validationTab).toBeFocused();
  await page.keyboard.press('Home');
  await expect(planTab).toBeFocused();
  expect(await selected()).toEqual(['Planner']);

  // Roving tabindex: only the selected tab is in the tab order.
  expect(await tabs.evaluateAll((ts) => ts.map((t) => t.getAttribute('tabindex')))).toEqual([
    '0',
    '-1',
    '-1',
    '-1',
  ]);
  // Each tab controls its panel, which is named by the tab.
  for (const t of await tabs.all()) {
    const id = await t.getAttribute('aria-controls');
    const panel = page.locator(`[id="${id}"]`);
    await expect(panel).toHaveAttribute('role', 'tabpanel');
    await expect(panel).toHaveAttribute('aria-labelledby', (await t.getAttribute('id'))!);
  }
  await expect(page.getByRole('tabpanel', { name: 'Planner' })).toBeVisible();
});

for (const scheme of ['light', 'dark'] as const) {
  test(`compare view and report preview screens (${scheme})`, async ({ planner, page }) => {
    test.setTimeout(120_000);
    await page.emulateMedia({ colorScheme: scheme });
    await savePlans(planner);
    const compare = new ComparePage(page);
    await compare.open();
    await compare.side('A').getByRole('button', { name: 'Solve A' }).click();
    await expect(compare.chart).toBeVisible();
    for (const [w, h] of [
      [1400, 900],
      [1024, 700],
    ]) {
      await page.setViewportSize({ width: w, height: h });
      await page.screenshot({ path: join(SHOTS, `${scheme}-compare-${w}.png`), fullPage: false });
    }
    const compareAxe = await new AxeBuilder({ page }).include('#panel-compare').analyze();
    expect(compareAxe.violations.map((v) => `${v.id}: ${v.nodes[0]?.target}`)).toEqual([]);
    await page.setViewportSize({ width: 1400, height: 900 });
    await page.getByRole('tab', { name: 'Planner' }).click();
    await planner.solve(10);
    await page.setViewportSize({ width: 1024, height: 700 });
    await page.screenshot({ path: join(SHOTS, `${scheme}-results-1024.png`) });
    await page.getByRole('button', { name: 'Export report (PDF)' }).click();
    const preview = page.getByRole('dialog', { name: 'Report preview' });
    await expect(preview).toBeVisible();
    for (const [w, h] of [
      [1400, 900],
      [1024, 700],
    ]) {
      await page.setViewportSize({ width: w, height: h });
      await page.screenshot({ path: join(SHOTS, `${scheme}-report-preview-${w}.png`) });
    }
    const previewAxe = await new AxeBuilder({ page }).include('.report-preview').analyze();
    expect(previewAxe.violations.map((v) => `${v.id}: ${v.nodes[0]?.target}`)).toEqual([]);
  });
}
