/** Bad values give messages that name the field and the problem; nothing crashes. */
import { test, expect } from './fixtures';

test('bad values are explained field by field and Solve says why it is disabled', async ({
  planner,
}) => {
  await planner.fill({ name: 'Bad plan', symbol: 'BAD', shares: '1000', periods: '10' });
  await expect(planner.button('Solve')).toBeEnabled();

  await planner.fill({ shares: '1050', lotSize: '100', symbol: 'BA D', beta: '-1' });
  await planner.field('End').fill('09:00');
  await expect(planner.button('Solve')).toBeDisabled();
  const problems = planner.problems;
  // The solve bar names the first problem of the list the fields show.
  await expect(planner.page.locator('#solve-reason')).toHaveText(
    'Symbol: may contain letters, digits and . - _ / only (and 3 more problems)',
  );
  await expect(problems).toContainText('Shares: must be a multiple of lot size 100 (got 1,050)');
  await expect(problems).toContainText('Symbol: may contain letters, digits and . - _ / only');
  await expect(problems).toContainText('Beta: must not be negative');
  await expect(problems).toContainText('Session end: must be after the session start (09:30)');
  // The message also sits under the field, tied to it for screen readers.
  await expect(planner.field('Shares')).toHaveAttribute('aria-invalid', 'true');
  await expect(planner.field('Shares')).toHaveAccessibleDescription(
    /must be a multiple of lot size/,
  );

  await planner.fill({ shares: 'lots', periods: '0' });
  await expect(problems).toContainText('Shares: must be a number');
  await expect(problems).toContainText('Periods: must be at least 1');
  await planner.field('Shares').fill('');
  await expect(problems).toContainText('Shares: is required');

  await planner.fill({ shares: '1000', periods: '10', symbol: 'BAD', beta: '0.0001' });
  await planner.field('End').fill('16:00');
  await expect(problems).toBeHidden();
  await expect(planner.button('Solve')).toBeEnabled();

  // An intraday profile from CSV must have one value per period.
  await planner.field('Intraday profile').selectOption('custom');
  const csv = (text: string) => ({
    name: 'profile.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(text),
  });
  await planner.field('Profile CSV').setInputFiles(csv('multiplier\n1.5\n1\n0.8\n'));
  await expect(planner.page.getByText('3 values loaded')).toBeVisible();
  await expect(problems).toContainText(
    'Intraday profile: must have one profile value per period: expected 10, got 3',
  );
  await planner.field('Profile CSV').setInputFiles(csv('1\n2\nthree\n'));
  await expect(
    planner.page.getByText('profile.csv: line 3: "three" is not a number'),
  ).toBeVisible();
  await planner.field('Profile CSV').setInputFiles(csv(Array(10).fill('1.2').join('\n')));
  await expect(problems).toBeHidden();

  // Table curves: unreadable and decreasing points.
  await planner.fill({ model: 'table', curve: '0, 0.01\nmany, 0.02' });
  await expect(problems).toContainText('Impact curve: line 2: expected "shares, impact per share"');
  await planner.fill({ curve: '0, 0.01\n500, 0.02\n400, 0.03' });
  await expect(problems).toContainText(
    'Impact curve: point 3: shares must increase from point to point',
  );
  await expect(planner.button('Solve')).toBeDisabled();

  // A plan the schema accepts but that cannot be executed: said while typing, with the
  // solver's own check, under the field's label ("Impact curve", not impact.curves).
  await planner.fill({ curve: '0, 0.01\n50, 0.02' });
  await expect(problems).toContainText(
    'Impact curve: the curves end at 0 of 1,000 shares over 10 periods (in whole lots of 100)',
  );
  await expect(planner.button('Solve')).toBeDisabled();
});

test('what cannot be done says why: export before solving, caps too small, bad period inputs', async ({
  planner,
  page,
}) => {
  await planner.button('Export CSV').click();
  await expect(page.getByRole('alert').filter({ hasText: 'Nothing to export yet' })).toContainText(
    'solve the plan first',
  );

  await planner.fill({ name: 'Capped', symbol: 'CAP', shares: '20000', periods: '30' });
  // A period length that cannot set Periods is explained under the field, not ignored.
  await planner.field('Period length (min)').fill('0');
  await expect(planner.field('Period length (min)')).toHaveAccessibleDescription(/minutes above 0/);
  await expect(planner.field('Periods')).toHaveValue('30');
  // A length that does not divide the session says how long the periods really are.
  await planner.field('Period length (min)').fill('7');
  await expect(planner.field('Period length (min)')).toHaveAccessibleDescription(
    /periods are 6\.9\d min \(390 min ÷ 5[56]\)/,
  );
  await planner.field('Period length (min)').fill('13');
  await expect(planner.field('Period length (min)')).not.toHaveAttribute('aria-invalid');
  await expect(planner.field('Period length (min)')).not.toHaveAccessibleDescription(/periods are/);

  // 30 periods × 500 shares cannot hold 20,000 shares: said next to the cap while typing.
  await planner.field('Cap per period').selectOption('shares');
  await planner.field('Cap (shares)').fill('500');
  await expect(planner.field('Cap (shares)')).toHaveAccessibleDescription(
    /^caps allow at most 15,000 of 20,000 shares over 30 periods/,
  );
  await expect(planner.button('Solve')).toBeDisabled();
  await expect(planner.schedule).toBeHidden();

  await planner.field('Cap (shares)').fill('1000');
  await planner.solve(30);
  // Impact-curve periods that name no period get a message instead of a blank chart.
  await planner.field('Curve periods').fill('0, 31, 1.5');
  await expect(planner.field('Curve periods')).toHaveAccessibleDescription(
    'No period to draw: type whole period numbers from 1 to 30, separated by commas.',
  );
  await planner.field('Curve periods').fill('2, 30');
  await expect(planner.field('Curve periods')).not.toHaveAttribute('aria-invalid');
});
