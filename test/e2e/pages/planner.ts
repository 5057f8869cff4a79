/**
 * Page helpers for the planner window: every control is found by its accessible name, the
 * same names a screen reader announces. Scenarios live in ../*.spec.ts.
 */
import { expect, type Locator, type Page } from '@playwright/test';

export interface PlanFields {
  name?: string;
  symbol?: string;
  side?: 'Buy' | 'Sell';
  shares?: string;
  lotSize?: string;
  periods?: string;
  referencePrice?: string;
  model?: 'linear' | 'power' | 'table';
  beta?: string;
  exponent?: string;
  curve?: string;
}

/** The Risk section of the form; each value is typed as given. */
export interface RiskFields {
  /** How the volatility is typed: "% a year" (annual) or "$ per period". */
  mode?: 'annual' | 'period';
  annualPct?: string;
  volatility?: string;
  minutesPerYear?: string;
  aversion?: string;
  permanentImpact?: string;
}

export class PlannerPage {
  constructor(
    readonly page: Page,
    readonly url: string,
  ) {}

  async open(): Promise<void> {
    await this.page.goto(this.url);
    await expect(this.library).toBeVisible();
  }

  /** New (Ctrl+N, which leaves the focus where it was): an empty form, no market figures. */
  async newPlan(): Promise<void> {
    await this.page.keyboard.press('Control+n');
    await expect(this.field('Name')).toHaveValue('');
  }

  field(name: string): Locator {
    return this.page.getByLabel(name, { exact: true });
  }
  button(name: string): Locator {
    return this.page.getByRole('button', { name, exact: true });
  }
  get library(): Locator {
    return this.page.getByRole('region', { name: 'Saved plans' });
  }
  get schedule(): Locator {
    return this.page.getByRole('table', { name: 'Schedule' });
  }
  get problems(): Locator {
    return this.page.getByRole('region', { name: 'Problems in the plan' });
  }
  get dialog(): Locator {
    return this.page.getByRole('dialog');
  }
  get unsavedMarker(): Locator {
    return this.page.getByText('Unsaved changes');
  }
  get totalCost(): Locator {
    return this.page.getByTestId('total-cost');
  }
  /** The results panel (summary, charts, schedule). */
  get results(): Locator {
    return this.page.getByRole('region', { name: 'Results', exact: true });
  }
  /** The "Cost by order size" chart of the last solve. */
  get costCurve(): Locator {
    return this.page.getByRole('figure', { name: 'Cost by order size' });
  }
  get bookPanel(): Locator {
    return this.page.getByRole('region', { name: 'Order book', exact: true });
  }

  /** Switch to the Order book tab. */
  async openBook(): Promise<void> {
    await this.page.getByRole('tab', { name: 'Order book' }).click();
    await expect(this.bookPanel).toBeVisible();
  }

  /** Choose `csv` (text, or the bytes of a DBN file) as the order-book file `name` (the
   *  import starts at once). */
  async chooseBookFile(name: string, csv: string | Buffer): Promise<void> {
    await this.chooseBookFiles([{ name, csv }]);
  }

  /** Choose several order-book files at once (imported one after another). */
  async chooseBookFiles(files: { name: string; csv: string | Buffer }[]): Promise<void> {
    await this.bookPanel.getByLabel('Order-book files (Databento MBP-10 CSV or DBN)').setInputFiles(
      files.map((f) => ({
        name: f.name,
        mimeType: typeof f.csv === 'string' ? 'text/csv' : 'application/octet-stream',
        buffer: typeof f.csv === 'string' ? Buffer.from(f.csv) : f.csv,
      })),
    );
  }

  /** The summary of the dataset open in the order-book tab (named by its heading). */
  bookSummary(name: string): Locator {
    return this.bookPanel.getByRole('region', { name, exact: true });
  }

  /** The "Replay against a real day" panel of the results. */
  get replay(): Locator {
    return this.page.getByRole('region', { name: 'Replay against a real day' });
  }

  async fill(f: PlanFields): Promise<void> {
    if (f.name !== undefined) await this.field('Name').fill(f.name);
    if (f.symbol !== undefined) await this.field('Symbol').fill(f.symbol);
    if (f.side !== undefined) await this.field('Side').selectOption({ label: f.side });
    if (f.shares !== undefined) await this.field('Shares').fill(f.shares);
    if (f.lotSize !== undefined) await this.field('Lot size').fill(f.lotSize);
    if (f.periods !== undefined) await this.field('Periods').fill(f.periods);
    if (f.referencePrice !== undefined) await this.field('Reference price').fill(f.referencePrice);
    if (f.model !== undefined) await this.field('Impact model').selectOption(f.model);
    // Coefficients belong to the advanced power law: chosen when the market figures are shown.
    else if (
      (f.beta !== undefined || f.exponent !== undefined) &&
      (await this.field('Impact model').inputValue()) === 'market'
    )
      await this.field('Impact model').selectOption('power');
    if (f.beta !== undefined) await this.field('Beta').fill(f.beta);
    if (f.exponent !== undefined) await this.field('Exponent').fill(f.exponent);
    if (f.curve !== undefined) await this.field('Impact curve').fill(f.curve);
  }

  /** The Risk section of the form. */
  get risk(): Locator {
    return this.page.getByRole('group', { name: 'Risk', exact: true });
  }
  /** An urgency preset (None, Low, Medium, High). */
  urgency(name: 'None' | 'Low' | 'Medium' | 'High'): Locator {
    return this.risk.getByRole('group', { name: 'Urgency' }).getByRole('button', { name });
  }
  get aversion(): Locator {
    return this.field('Risk aversion λ');
  }
  /** The "Pre-trade figures" table of the last solve. */
  get preTrade(): Locator {
    return this.page.getByRole('table', { name: 'Pre-trade figures' });
  }
  /** The efficient frontier (button, chart, points). */
  get frontier(): Locator {
    return this.page.getByRole('figure', { name: 'Efficient frontier' });
  }
  get frontierChart(): Locator {
    return this.frontier.getByRole('img', { name: /^Efficient frontier/ });
  }

  async fillRisk(f: RiskFields): Promise<void> {
    if (f.mode === 'annual') await this.risk.getByRole('button', { name: '% a year' }).click();
    if (f.mode === 'period') await this.risk.getByRole('button', { name: '$ per period' }).click();
    if (f.annualPct !== undefined) await this.field('Annual volatility (%)').fill(f.annualPct);
    if (f.volatility !== undefined)
      await this.field('Volatility ($ per period)').fill(f.volatility);
    if (f.minutesPerYear !== undefined) await this.field('Minutes per year').fill(f.minutesPerYear);
    if (f.aversion !== undefined) await this.aversion.fill(f.aversion);
    if (f.permanentImpact !== undefined)
      await this.field('Permanent impact γ').fill(f.permanentImpact);
  }

  /** Solve a plan that is already on screen and wait until the total cost has changed. */
  async solveAgain(): Promise<void> {
    const before = await this.totalCost.textContent();
    await expect(this.button('Solve')).toBeEnabled();
    await this.button('Solve').click();
    await expect(this.totalCost).not.toHaveText(before ?? '', { timeout: 60_000 });
    await expect(this.button('Solve')).toBeEnabled();
  }

  /** Compute the efficient frontier and wait for its chart. */
  async computeFrontier(): Promise<void> {
    await this.frontier.getByRole('button', { name: /^(Re)?[Cc]ompute frontier$/ }).click();
    await expect(this.frontierChart).toBeVisible({ timeout: 60_000 });
    await expect(this.button('Solve')).toBeEnabled();
  }

  /** Click the frontier chart at a fraction of its width and height (top left is 0, 0). */
  async clickFrontier(fx: number, fy: number): Promise<void> {
    const canvas = this.frontierChart.locator('canvas');
    const box = await canvas.boundingBox();
    if (!box) throw new Error('the frontier chart is not on screen');
    await canvas.click({ position: { x: box.width * fx, y: box.height * fy } });
  }

  /** Click Solve and wait until the schedule of `rows` periods is on screen. */
  async solve(rows: number): Promise<void> {
    await expect(this.button('Solve')).toBeEnabled();
    await this.button('Solve').click();
    await expect(this.schedule.locator('tbody tr')).toHaveCount(rows);
    await expect(this.button('Solve')).toBeEnabled();
  }

  /** The Shares column of the schedule, as numbers. */
  async scheduleShares(): Promise<number[]> {
    const cells = await this.schedule.locator('tbody tr td:nth-child(3)').allTextContents();
    return cells.map((t) => Number(t.replace(/,/g, '')));
  }

  libraryItem(name: string): Locator {
    return this.library.getByRole('listitem').filter({ hasText: name });
  }

  async search(text: string): Promise<void> {
    await this.library.getByRole('searchbox', { name: 'Search plans' }).fill(text);
  }

  /** The toolbar's note on the form against what is stored ("Saved", "● Unsaved changes"…). */
  get savedMarker(): Locator {
    return this.page.getByTestId('saved-marker');
  }

  /** Save As… from the toolbar: type `name` in the dialog (or keep its default) and save. */
  async saveAs(name?: string): Promise<void> {
    await this.button('Save As…').click();
    await expect(this.dialog).toBeVisible();
    if (name !== undefined) await this.dialog.getByLabel('Name of the new plan').fill(name);
    await this.confirm('Save');
  }

  /** Answer the in-app confirmation with the button named `answer`. */
  async confirm(answer: string): Promise<void> {
    await expect(this.dialog).toBeVisible();
    await this.dialog.getByRole('button', { name: answer, exact: true }).click();
    await expect(this.dialog).toBeHidden();
  }
}
