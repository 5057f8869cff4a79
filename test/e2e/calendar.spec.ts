/**
 * The CSV's trading day follows the NYSE calendar: the default is the next trading day in the
 * session's time zone, and a weekend, a holiday or an early close the session runs past is
 * refused with the day named, as `solve --csv --date` refuses it.
 */
import Papa from 'papaparse';
import type { Download } from '@playwright/test';
import { test, expect } from './fixtures';

async function text(d: Download): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of await d.createReadStream()) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

test('csv trading day: the next trading day by default, weekends, holidays and early closes refused', async ({
  planner,
  page,
}) => {
  // Saturday 2026-12-05, 10:00 in New York: the next trading day is Monday 2026-12-07.
  await page.clock.setFixedTime(new Date('2026-12-05T15:00:00Z'));
  await page.reload();
  await expect(planner.library).toBeVisible();
  await planner.newPlan();
  await planner.fill({
    name: 'Buy FROG',
    symbol: 'FROG',
    shares: '100000',
    periods: '390',
    referencePrice: '31.5',
    model: 'linear',
    beta: '0.0000123',
  });
  await planner.solve(390);
  await page.getByText('CSV options').click();
  const day = page.getByLabel('Trading day');
  const note = page.locator('#csv-date-note');
  await expect(note).toHaveText(
    'Empty: the next trading day in the session’s time zone (2026-12-07).',
  );
  await expect(day).toHaveAttribute('aria-invalid', 'false');

  for (const [date, reason] of [
    ['2026-12-25', '2026-12-25 is a market holiday (Christmas Day)'],
    ['2026-12-05', '2026-12-05 is a Saturday'],
    [
      '2027-06-18',
      '2027-06-18 is a market holiday (Juneteenth National Independence Day (observed))',
    ],
    [
      '2026-11-27',
      '2026-11-27 is an early close: the exchange closes at 13:00 New York time and the session runs to 16:00; end the session by 13:00 or pick another day',
    ],
  ] as const) {
    await day.fill(date);
    await expect(note).toHaveText(reason);
    await expect(day).toHaveAttribute('aria-invalid', 'true');
    await expect(day).toHaveAccessibleDescription(reason);
    await planner.button('Export CSV').click();
    await expect(page.getByRole('alert').filter({ hasText: 'Not exported' })).toContainText(
      `Not exported: trading day: ${reason}`,
    );
    // The options may close when the export is pressed: open them again.
    if (!(await day.isVisible())) await page.getByText('CSV options').click();
  }

  // New Year's Day 2028 is a Saturday: Friday 2027-12-31 stays a trading day.
  await day.fill('2027-12-31');
  await expect(day).toHaveAttribute('aria-invalid', 'false');
  await expect(note).toHaveText('');

  // Empty again: the export goes out on the default day, Monday.
  await day.fill('');
  await expect(note).toContainText('(2026-12-07)');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    planner.button('Export CSV').click(),
  ]);
  expect(download.suggestedFilename()).toBe('FROG-buy-2026-12-07.csv');
  const csv = await text(download);
  expect(csv).toContain('# date: 2026-12-07\n');
  const rows = Papa.parse<Record<string, string>>(csv, {
    comments: '#',
    header: true,
    skipEmptyLines: true,
  }).data;
  expect(rows[0].start).toBe('2026-12-07T09:30:00-05:00');
});

test('csv trading day: today while the session is still to come, the next day after it', async ({
  planner,
  page,
}) => {
  // Friday 2026-11-27 (closes at 13:00) at 09:00 New York with a 09:30–12:00 session: today.
  await page.clock.setFixedTime(new Date('2026-11-27T14:00:00Z'));
  await page.reload();
  await expect(planner.library).toBeVisible();
  // A reload opens the worked example: start from an empty form, as the other scenarios do.
  await planner.newPlan();
  await planner.fill({ name: 'Morning', symbol: 'FROG', shares: '10000', periods: '10' });
  await planner.fill({ model: 'linear', beta: '0.0001' });
  await planner.field('End').fill('12:00');
  await page.getByText('CSV options').click();
  const note = page.locator('#csv-date-note');
  await expect(note).toHaveText(
    'Empty: the next trading day in the session’s time zone (2026-11-27).',
  );
  // A session to 16:00 runs past the early close: the default day itself is refused.
  await planner.field('End').fill('16:00');
  await expect(note).toHaveText(
    /^Empty: the next trading day in the session’s time zone \(2026-11-27\)\. 2026-11-27 is an early close: the exchange closes at 13:00 .* pick another day\.$/,
  );
  await expect(page.getByLabel('Trading day')).toHaveAttribute('aria-invalid', 'true');
});
