/**
 * Saving that never lies or loses work: the saved marker against the stored latest revision,
 * Save As, a plan deleted or saved in another window, the CSV export of a changed plan, and
 * the saved-plans list in a small window.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Papa from 'papaparse';
import type { Download } from '@playwright/test';
import { test, expect } from './fixtures';
import { PlannerPage } from './pages/planner';

const SHOTS = resolve(__dirname, '../../test-results/screenshots');

async function text(download: Download): Promise<string> {
  return readFileSync(await download.path(), 'utf8');
}

test('stale-csv-export: Export CSV of a changed plan offers to solve first, and an old result says so', async ({
  planner,
  page,
}) => {
  await planner.fill({ name: 'Buy FROG', symbol: 'FROG', shares: '10000', periods: '10' });
  await page.getByRole('checkbox', { name: /Session clock/ }).uncheck();
  await planner.solve(10);
  await planner.field('Shares').fill('12000');

  // Cancel exports nothing.
  await planner.button('Export CSV').click();
  await expect(planner.dialog).toContainText('not the current form');
  await planner.confirm('Cancel');

  // The last solved schedule, when asked for, carries a warning in the file and the status.
  const [old] = await Promise.all([
    page.waitForEvent('download'),
    (async () => {
      await planner.button('Export CSV').click();
      await planner.confirm('Export last solved');
    })(),
  ]);
  const oldCsv = await text(old);
  expect(oldCsv.split('\n')[0]).toMatch(
    /^# warning: schedule for the plan as last solved at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d([-+]\d\d:\d\d|Z), not the current form$/,
  );
  expect(oldCsv).toContain('# shares: 10000\n');
  await expect(page.getByRole('alert')).toContainText('NOT the current form');

  // Solve and export: the current form's schedule, without the warning.
  const [fresh] = await Promise.all([
    page.waitForEvent('download'),
    (async () => {
      await planner.button('Export CSV').click();
      await planner.confirm('Solve and export');
    })(),
  ]);
  const csv = await text(fresh);
  expect(csv).not.toContain('# warning: schedule for the plan as last solved');
  // What is left are the plan's own warnings (a typed β is not calibrated), before the plan.
  expect(csv).toMatch(
    /^# warning: The cost model is a raw power-law impact .*\n# plan: Buy FROG\n/,
  );
  expect(csv).toContain('# shares: 12000\n');
  const rows = Papa.parse<Record<string, string>>(csv, {
    comments: '#',
    header: true,
    skipEmptyLines: true,
  }).data;
  expect(rows.at(-1)).toMatchObject({ period: 'total', shares: '12000' });
  await expect(page.getByRole('status')).toContainText('Exported');
});

test('saved-marker-vs-stored-revision: an older revision is never "Saved", and renaming it adds a revision the window knows', async ({
  planner,
  page,
}) => {
  await planner.fill({ name: 'Buy MARK', symbol: 'MARK', shares: '100000', periods: '10' });
  await planner.button('Save').click();
  await expect(planner.savedMarker).toHaveText('Saved');
  await planner.field('Shares').fill('120000');
  await planner.button('Save').click();
  await expect(page.getByText('Saved "Buy MARK" (revision 2)')).toBeVisible();

  const item = planner.libraryItem('Buy MARK');
  await item.getByRole('button', { name: 'History' }).click();
  const revisions = item.getByRole('list', { name: 'Revisions' });
  await revisions.getByRole('button', { name: 'Revision 1' }).click();
  await expect(planner.field('Shares')).toHaveValue('100000');
  await expect(planner.savedMarker).toHaveText(
    'Revision 1, not the latest (2): saving makes it revision 3',
  );

  // Renaming stores the latest (120,000 shares) under the new name as revision 3; the form
  // still holds revision 1's 100,000 shares and says it differs.
  await item.getByRole('button', { name: 'Rename' }).click();
  await planner.library.getByRole('textbox', { name: 'New name' }).fill('Buy MARK renamed');
  await planner.library.getByRole('textbox', { name: 'New name' }).press('Enter');
  await expect(page.getByText('Renamed to "Buy MARK renamed" (revision 3)')).toBeVisible();
  await expect(planner.field('Name')).toHaveValue('Buy MARK renamed');
  await expect(planner.savedMarker).not.toHaveText('Saved');
  await expect(planner.savedMarker).toContainText('Unsaved changes');
  const renamed = planner.libraryItem('Buy MARK renamed');
  const list = renamed.getByRole('list', { name: 'Revisions' });
  await expect(list.getByRole('listitem').first()).toContainText('Revision 3');
  await expect(list.getByRole('listitem').first()).toContainText('120,000 shares');

  // Saving makes the form revision 4 (no conflict with its own rename) and it is the latest.
  await planner.button('Save').click();
  await expect(page.getByText('Saved "Buy MARK renamed" (revision 4)')).toBeVisible();
  await expect(planner.savedMarker).toHaveText('Saved');
  await expect(list.getByRole('listitem').first()).toContainText('100,000 shares');

  // Renaming the plan on screen moves the form to the new revision, still saved.
  await renamed.getByRole('button', { name: 'Rename', exact: true }).click();
  await planner.library.getByRole('textbox', { name: 'New name' }).fill('Buy MARK final');
  await planner.library.getByRole('textbox', { name: 'New name' }).press('Enter');
  await expect(page.getByText('Renamed to "Buy MARK final" (revision 5)')).toBeVisible();
  await expect(planner.savedMarker).toHaveText('Saved');
  await planner.page.keyboard.press('Control+s');
  await expect(page.getByText('Saved "Buy MARK final" (revision 6)')).toBeVisible();
});

test('save-as: Save As… and Ctrl+Shift+S save the form as a new plan under a name asked for', async ({
  planner,
  page,
}) => {
  await planner.fill({ name: 'Buy COPY', symbol: 'COPY', shares: '3000', periods: '10' });
  await planner.button('Save').click();
  await expect(planner.savedMarker).toHaveText('Saved');
  await planner.field('Shares').fill('5000');

  // The default name is "<name> (copy)"; an empty one is refused in the dialog.
  await page.keyboard.press('Control+Shift+S');
  const name = planner.dialog.getByLabel('Name of the new plan');
  await expect(name).toHaveValue('Buy COPY (copy)');
  await name.fill('  ');
  await planner.dialog.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(name).toHaveAccessibleDescription('A plan needs a name.');
  await name.fill('Buy COPY bigger');
  await name.press('Enter');
  await expect(planner.dialog).toBeHidden();
  await expect(page.getByText('Saved "Buy COPY bigger" (revision 1)')).toBeVisible();
  await expect(planner.field('Name')).toHaveValue('Buy COPY bigger');
  await expect(planner.savedMarker).toHaveText('Saved');
  await expect(planner.libraryItem('Buy COPY bigger')).toContainText('5,000');
  // The plan it came from is unchanged.
  await expect(
    planner.library.getByRole('button', { name: 'Open Buy COPY', exact: true }),
  ).toContainText('3,000');

  await planner.saveAs('Buy COPY third');
  await expect(planner.library.getByRole('button', { name: /^Open / })).toHaveCount(3);
});

test('save-to-deleted-plan: a plan deleted in another window offers Save As instead of failing', async ({
  planner,
  page,
  context,
  server,
}) => {
  await planner.fill({ name: 'Buy GONE', symbol: 'GONE', shares: '3000', periods: '10' });
  await planner.button('Save').click();
  await expect(planner.savedMarker).toHaveText('Saved');

  const other = new PlannerPage(await context.newPage(), server.url);
  await other.open();
  await other.libraryItem('Buy GONE').getByRole('button', { name: 'Delete' }).click();
  await other.confirm('Delete');
  await expect(other.library).toContainText('No saved plans yet.');

  await planner.field('Shares').fill('4000');
  await planner.button('Save').click();
  await expect(planner.dialog).toContainText('"Buy GONE" is no longer in the saved plans');
  // The answer opens the Save As dialog at once.
  await planner.dialog.getByRole('button', { name: 'Save As…' }).click();
  const name = planner.dialog.getByLabel('Name of the new plan');
  await expect(name).toHaveValue('Buy GONE (copy)');
  await name.fill('Buy GONE');
  await planner.confirm('Save');
  await expect(page.getByText('Saved "Buy GONE" (revision 1)')).toBeVisible();
  await expect(planner.savedMarker).toHaveText('Saved');
  await expect(planner.libraryItem('Buy GONE')).toContainText('4,000');
});

test('save-conflict-lost-version: two windows save one plan; Save as new or Overwrite, and no version is lost', async ({
  planner,
  page,
  context,
  server,
}) => {
  await planner.fill({ name: 'Buy BOTH', symbol: 'BOTH', shares: '1000', periods: '10' });
  await planner.button('Save').click();
  await expect(planner.savedMarker).toHaveText('Saved');

  // Window B opens the plan and saves revision 2 (2,000 shares).
  const other = new PlannerPage(await context.newPage(), server.url);
  await other.open();
  await other.libraryItem('Buy BOTH').getByRole('button', { name: /^Open/ }).click();
  await other.field('Shares').fill('2000');
  await other.button('Save').click();
  await expect(other.page.getByText('Saved "Buy BOTH" (revision 2)')).toBeVisible();

  // Window A, still on revision 1, saves 3,000 shares: it is asked, nothing is written yet.
  await planner.field('Shares').fill('3000');
  await planner.button('Save').click();
  await expect(planner.dialog).toContainText('the latest is revision 2');
  await planner.confirm('Cancel');
  await expect(page.getByRole('alert')).toContainText('Not saved');
  await expect(planner.savedMarker).toContainText('Unsaved changes');

  // Overwrite: A's form becomes revision 3; B's revision 2 stays in the history.
  await planner.button('Save').click();
  await expect(planner.dialog).toBeVisible();
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.screenshot({ path: join(SHOTS, `${scheme}-saving-conflict-1400.png`) });
  }
  await planner.confirm('Overwrite (becomes revision 3)');
  await expect(page.getByText('Saved "Buy BOTH" (revision 3)')).toBeVisible();
  await expect(planner.savedMarker).toHaveText('Saved');
  const item = planner.libraryItem('Buy BOTH');
  await item.getByRole('button', { name: 'History' }).click();
  const revisions = item.getByRole('list', { name: 'Revisions' });
  await expect(revisions.getByRole('listitem')).toHaveCount(3);
  await expect(revisions.getByRole('listitem').nth(0)).toContainText('3,000 shares');
  await expect(revisions.getByRole('listitem').nth(1)).toContainText('2,000 shares');

  // B, now behind, saves again and picks Save as new plan: both plans exist.
  await other.field('Shares').fill('2500');
  await other.button('Save').click();
  await expect(other.dialog).toContainText('the latest is revision 3');
  await other.dialog.getByRole('button', { name: 'Save as new plan' }).click();
  await other.dialog.getByLabel('Name of the new plan').fill('Buy BOTH (window B)');
  await other.confirm('Save');
  await expect(other.page.getByText('Saved "Buy BOTH (window B)" (revision 1)')).toBeVisible();
  await expect(other.library.getByRole('button', { name: /^Open / })).toHaveCount(2);
  await expect(other.libraryItem('Buy BOTH (window B)')).toContainText('2,500');
});

test('csv-export-format: trading day, ISO times with offset, rounded or full precision, named by symbol, side and date', async ({
  planner,
  page,
}) => {
  await planner.fill({
    name: 'Buy FROG',
    symbol: 'FROG',
    shares: '100000',
    referencePrice: '31.5',
    beta: '0.0000123',
  });
  await planner.solve(390);
  await page.getByText('CSV options').click();
  await page.getByLabel('Trading day').fill('2025-03-07');
  const [rounded] = await Promise.all([
    page.waitForEvent('download'),
    planner.button('Export CSV').click(),
  ]);
  expect(rounded.suggestedFilename()).toBe('FROG-buy-2025-03-07.csv');
  const csv = await text(rounded);
  // The plan's warnings first (a typed β is not calibrated), then the plan.
  expect(csv).toMatch(
    /^# warning: The cost model is a raw power-law impact .*\n# plan: Buy FROG\n# symbol: FROG\n# side: buy\n# shares: 100000\n/,
  );
  expect(csv).toContain('# date: 2025-03-07\n# time zone: America/New_York\n');
  expect(csv).toMatch(/# solved at: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d([-+]\d\d:\d\d|Z)\n/);
  const rows = Papa.parse<Record<string, string>>(csv, {
    comments: '#',
    header: true,
    skipEmptyLines: true,
  }).data;
  expect(rows).toHaveLength(391);
  expect(rows[0].start).toBe('2025-03-07T09:30:00-05:00');
  expect(rows[389].end).toBe('2025-03-07T16:00:00-05:00');
  expect(rows[0]['impact per share']).toMatch(/^\d+(\.\d{1,4})?$/);
  expect(rows[0]['cost bps']).toMatch(/^\d+(\.\d{1,2})?$/);

  // The export closed the options popover: open it again.
  await page.getByText('CSV options').click();
  await page.getByLabel('Full precision (12 significant digits)').check();
  const [raw] = await Promise.all([
    page.waitForEvent('download'),
    planner.button('Export CSV').click(),
  ]);
  const full = await text(raw);
  expect(full).toContain('# precision: full (12 significant digits)');
  const rawRows = Papa.parse<Record<string, string>>(full, {
    comments: '#',
    header: true,
    skipEmptyLines: true,
  }).data;
  expect(rawRows[0]['impact per share']).toMatch(/\.\d{5,}/);
  expect(Number(rawRows[0]['impact per share'])).toBeCloseTo(
    Number(rows[0]['impact per share']),
    4,
  );
});

for (const scheme of ['light', 'dark'] as const) {
  test(`delete-buttons-cut-off: at 1024×700 every Delete button is inside the window and clickable (${scheme})`, async ({
    planner,
    page,
  }) => {
    await page.setViewportSize({ width: 1024, height: 700 });
    await page.emulateMedia({ colorScheme: scheme });
    for (const [name, symbol] of [
      ['Buy FROG with a rather long plan name for the morning', 'FROG'],
      ['Sell TOAD', 'TOAD'],
      ['Buy NEWT', 'NEWT'],
    ]) {
      await planner.field('Name').fill(name);
      await planner.field('Symbol').fill(symbol);
      await planner.fill({ shares: '100000', periods: '390' });
      await planner.saveAs(name);
      await expect(planner.savedMarker).toHaveText('Saved');
    }
    await planner.libraryItem('Sell TOAD').getByRole('button', { name: 'History' }).click();
    await page.screenshot({ path: join(SHOTS, `${scheme}-saving-library-1024.png`) });

    const deletes = planner.library.getByRole('button', { name: 'Delete' });
    await expect(deletes).toHaveCount(3);
    const viewport = page.viewportSize()!;
    const side = (await page.locator('.side').boundingBox())!;
    for (const item of await planner.library.getByRole('listitem').all()) {
      const button = item.getByRole('button', { name: 'Delete' });
      if ((await button.count()) === 0) continue; // a revision row
      const box = (await button.boundingBox())!;
      const card = (await item.boundingBox())!;
      // Inside its card, the side panel and the window, as it is (nothing scrolled sideways).
      for (const outer of [card, side, { x: 0, y: 0, ...viewport }]) {
        expect(box.x).toBeGreaterThanOrEqual(outer.x);
        expect(box.y).toBeGreaterThanOrEqual(outer.y);
        expect(box.x + box.width).toBeLessThanOrEqual(outer.x + outer.width);
        expect(box.y + box.height).toBeLessThanOrEqual(outer.y + outer.height);
      }
      // What is at its centre is the button itself (not clipped, not covered).
      const hit = await button.evaluate(
        (el, [x, y]) => {
          const top = el.ownerDocument.elementFromPoint(x, y);
          return top === el || el.contains(top);
        },
        [box.x + box.width / 2, box.y + box.height / 2],
      );
      expect(hit).toBe(true);
      await button.click({ trial: true });
    }
    // Neither the side panel nor the list scrolls sideways.
    for (const scroller of [page.locator('.side'), planner.library.locator('ul').first()]) {
      const overflow = await scroller.evaluate((el) => el.scrollWidth - el.clientWidth);
      expect(overflow).toBeLessThanOrEqual(0);
    }

    // A real click deletes (after asking); the plan on screen is the first (newest).
    await deletes.first().click();
    await planner.confirm('Delete');
    await expect(deletes).toHaveCount(2);

    // The dialogs of this area, for a human to look at.
    await planner.fill({ name: 'Buy FROG', symbol: 'FROG', shares: '200000', periods: '390' });
    await planner.button('Save As…').click();
    await page.screenshot({ path: join(SHOTS, `${scheme}-saving-save-as-1024.png`) });
    await planner.confirm('Cancel');
    await planner.solve(390);
    await planner.field('Shares').fill('300000');
    await planner.button('Export CSV').click();
    await expect(planner.dialog).toBeVisible();
    await page.screenshot({ path: join(SHOTS, `${scheme}-saving-stale-export-1024.png`) });
    await planner.confirm('Cancel');

    await page.setViewportSize({ width: 1400, height: 900 });
    await page.getByText('CSV options').click();
    await expect(page.getByLabel('Trading day')).toBeVisible();
    await page.screenshot({ path: join(SHOTS, `${scheme}-saving-csv-options-1400.png`) });
  });
}
