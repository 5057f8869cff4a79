/** Page helpers for the Compare tab: its pickers and tables, found by accessible names. */
import { expect, type Locator, type Page } from '@playwright/test';

export class ComparePage {
  constructor(readonly page: Page) {}

  get tab(): Locator {
    return this.page.getByRole('tab', { name: 'Compare' });
  }
  get panel(): Locator {
    return this.page.getByRole('region', { name: 'Compare plans' });
  }
  /** The plan picker of side "A" or "B". */
  plan(letter: 'A' | 'B'): Locator {
    return this.panel.getByRole('combobox', { name: `Plan ${letter}`, exact: true });
  }
  revision(letter: 'A' | 'B'): Locator {
    return this.panel.getByRole('combobox', { name: `Revision ${letter}`, exact: true });
  }
  side(letter: 'A' | 'B'): Locator {
    return this.panel.getByRole('group', { name: `Plan ${letter}`, exact: true });
  }
  get inputs(): Locator {
    return this.panel.getByRole('table', { name: /^Inputs/ });
  }
  get figures(): Locator {
    return this.panel.getByRole('table', { name: 'Costs and risk' });
  }
  get chart(): Locator {
    return this.panel.getByRole('img', { name: /^Cumulative percentage executed: plan A/ });
  }

  async open(): Promise<void> {
    await this.tab.click();
    await expect(this.panel).toBeVisible();
  }

  /** The row of the inputs table for the input labelled `label`. */
  input(label: string): Locator {
    return this.inputs
      .getByRole('row')
      .filter({ has: this.page.getByRole('rowheader', { name: new RegExp(`^${label}`) }) });
  }

  /** The cells A, B and B − A of the figures row `label`. */
  async figure(label: string): Promise<string[]> {
    const row = this.figures
      .getByRole('row')
      .filter({ has: this.page.getByRole('rowheader', { name: label, exact: true }) });
    return (await row.getByRole('cell').allTextContents()).map((t) => t.trim());
  }
}
