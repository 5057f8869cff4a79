/** Saved plans: save, reload, find and reopen; unsaved changes; revisions; delete. */
import { readFileSync } from 'node:fs';
import { test, expect } from './fixtures';

test('save, reload the page, find the plan and reopen it with the same schedule', async ({
  planner,
  page,
}) => {
  await planner.fill({ name: 'Buy FROG morning', symbol: 'FROG', shares: '20000', periods: '390' });
  await planner.solve(390);
  const before = await planner.scheduleShares();
  const total = await planner.totalCost.textContent();
  await expect(planner.unsavedMarker).toBeVisible();
  await planner.button('Save').click();
  await expect(planner.unsavedMarker).toBeHidden();
  await expect(planner.libraryItem('Buy FROG morning')).toBeVisible();

  await page.reload();
  // The first screen is the plan saved last, with its schedule; New starts an empty form.
  await expect(planner.field('Name')).toHaveValue('Buy FROG morning');
  await expect(planner.schedule.locator('tbody tr')).toHaveCount(390);
  await planner.newPlan();
  await expect(planner.schedule).toBeHidden();
  // Another plan so that the search has something to filter out.
  await planner.fill({ name: 'Sell OTHER', symbol: 'OTHR', shares: '1000', periods: '10' });
  await planner.button('Save').click();
  await expect(planner.libraryItem('Sell OTHER')).toBeVisible();

  await planner.search('frog');
  await expect(planner.libraryItem('Sell OTHER')).toBeHidden();
  await planner.libraryItem('Buy FROG morning').getByRole('button', { name: /^Open/ }).click();
  await expect(planner.field('Name')).toHaveValue('Buy FROG morning');
  await expect(planner.schedule.locator('tbody tr')).toHaveCount(390);
  expect(await planner.scheduleShares()).toEqual(before);
  await expect(planner.totalCost).toHaveText(total!);
  await expect(planner.unsavedMarker).toBeHidden();
});

test('edits are marked unsaved and are not lost without asking', async ({ planner }) => {
  await planner.fill({ name: 'Buy KEEP', symbol: 'KEEP', shares: '3000', periods: '30' });
  await planner.page.keyboard.press('Control+s');
  await expect(planner.unsavedMarker).toBeHidden();

  await planner.field('Shares').fill('4000');
  await expect(planner.unsavedMarker).toBeVisible();
  // Ctrl+N asks before dropping the changes; Ctrl+O goes to the saved-plans search.
  await planner.page.keyboard.press('Control+n');
  await planner.confirm('Keep editing');
  await planner.page.keyboard.press('Control+o');
  await expect(planner.library.getByRole('searchbox', { name: 'Search plans' })).toBeFocused();
  await expect(planner.field('Shares')).toHaveValue('4000');

  // Save a second revision, then reopen the first from the history.
  await planner.button('Save').click();
  await expect(planner.unsavedMarker).toBeHidden();
  const item = planner.libraryItem('Buy KEEP');
  await item.getByRole('button', { name: 'History' }).click();
  const revisions = item.getByRole('list', { name: 'Revisions' });
  await expect(revisions.getByRole('listitem')).toHaveCount(2);
  await revisions.getByRole('button', { name: 'Revision 1' }).click();
  await expect(planner.field('Shares')).toHaveValue('3000');

  await planner.field('Name').fill('Buy KEEP changed');
  await planner.button('New').click();
  await planner.confirm('Discard changes');
  await expect(planner.field('Name')).toHaveValue('');
  await expect(planner.unsavedMarker).toBeHidden();
});

test('rename, duplicate, export and import a plan file, delete saved plans', async ({
  planner,
  page,
}) => {
  await planner.fill({ name: 'Buy TEMP', symbol: 'TEMP', shares: '1000', periods: '10' });
  await planner.button('Save').click();
  const item = planner.libraryItem('Buy TEMP');
  await expect(item).toBeVisible();
  const openButtons = planner.library.getByRole('button', { name: /^Open / });

  await item.getByRole('button', { name: 'Rename' }).click();
  await planner.library.getByRole('textbox', { name: 'New name' }).fill('Buy TEMP renamed');
  await planner.library.getByRole('textbox', { name: 'New name' }).press('Enter');
  await expect(planner.libraryItem('Buy TEMP renamed')).toBeVisible();
  await expect(planner.field('Name')).toHaveValue('Buy TEMP renamed');

  await planner.libraryItem('Buy TEMP renamed').getByRole('button', { name: 'Duplicate' }).click();
  await expect(openButtons).toHaveCount(2);

  // The plan file round-trips: export it (<name>.orderplan, JSON inside), import it back as a
  // third plan; the file input offers .orderplan files as well as .json ones.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    planner.button('Export plan').click(),
  ]);
  expect(download.suggestedFilename()).toBe('Buy TEMP renamed.orderplan');
  const content = readFileSync(await download.path());
  const exported = JSON.parse(content.toString('utf8')) as { name: string; shares: number };
  expect(exported).toMatchObject({ name: 'Buy TEMP renamed', shares: 1000, periods: 10 });
  const input = page.getByLabel('Plan file to import');
  await expect(input).toHaveAttribute('accept', /(^|,)\.orderplan(,|$)/);
  await expect(input).toHaveAttribute('accept', /(^|,)\.json(,|$)/);
  await input.setInputFiles({
    name: download.suggestedFilename(),
    mimeType: 'application/x-order-planner+json',
    buffer: content,
  });
  await expect(openButtons).toHaveCount(3);
  await expect(planner.field('Name')).toHaveValue('Buy TEMP renamed');

  // Delete asks first; keeping the plan changes nothing.
  const first = planner.library.getByRole('listitem').first();
  await first.getByRole('button', { name: 'Delete' }).click();
  await planner.confirm('Keep plan');
  await expect(openButtons).toHaveCount(3);
  for (const left of [2, 1, 0]) {
    await planner.library
      .getByRole('listitem')
      .first()
      .getByRole('button', { name: 'Delete' })
      .click();
    await planner.confirm('Delete');
    await expect(openButtons).toHaveCount(left);
  }
  await expect(planner.library).toContainText('No saved plans yet.');
});

test('Open goes to the saved plans; an old revision saved again becomes the newest', async ({
  planner,
  page,
}) => {
  await planner.fill({ name: 'Buy REV', symbol: 'REV', shares: '3000', periods: '30' });
  await planner.solve(30);
  await planner.button('Save').click();
  await planner.field('Shares').fill('6000');
  await planner.button('Save').click();
  await expect(page.getByText('Saved "Buy REV" (revision 2)')).toBeVisible();

  await planner.button('Open').click();
  await expect(planner.library.getByRole('searchbox', { name: 'Search plans' })).toBeFocused();

  const item = planner.libraryItem('Buy REV');
  await item.getByRole('button', { name: 'History' }).click();
  const revisions = item.getByRole('list', { name: 'Revisions' });
  await revisions.getByRole('button', { name: 'Revision 1' }).click();
  // Revision 1 comes back with the schedule it was saved with.
  await expect(planner.field('Shares')).toHaveValue('3000');
  await expect(page.getByText('revision 1', { exact: true })).toBeVisible();
  await expect(planner.schedule.locator('tbody tr')).toHaveCount(30);
  expect((await planner.scheduleShares()).reduce((a, b) => a + b, 0)).toBe(3000);

  // Saving it makes it revision 3, and the open history shows it at once.
  await planner.button('Save').click();
  await expect(revisions.getByRole('listitem')).toHaveCount(3);
  await expect(revisions.getByRole('listitem').first()).toContainText('Revision 3');
  await expect(revisions.getByRole('listitem').first()).toContainText('3,000 shares');

  // Renaming a solved plan keeps its result current, and the next save keeps the cost with it.
  await planner.field('Name').fill('Buy REV renamed');
  await expect(page.getByText(/The plan has changed since it was solved/)).toBeHidden();
  await planner.button('Save').click();
  await expect(revisions.getByRole('listitem').first()).toContainText('Revision 4');
  await expect(revisions.getByRole('listitem').first()).toContainText('$');

  // A plan needs a name: an empty one is refused where it is typed.
  await item.getByRole('button', { name: 'Rename', exact: true }).click();
  const newName = planner.library.getByRole('textbox', { name: 'New name' });
  await newName.fill('   ');
  await newName.press('Enter');
  await expect(newName).toHaveAccessibleDescription(/A plan needs a name/);
  await newName.press('Escape');
  await expect(planner.libraryItem('Buy REV renamed')).toBeVisible();
  await expect(planner.field('Name')).toHaveValue('Buy REV renamed');
});
