/**
 * Page helpers for the printable report: open its preview, print the page to a PDF as a
 * printer would (print media, page.pdf), and read that PDF back with poppler's pdftotext and
 * pdftoppm (text with its layout; one PNG per page).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { expect, type Locator, type Page } from '@playwright/test';

export interface PrintedReport {
  /** pdftotext -layout of the whole PDF. */
  text: string;
  /** The PNG of each page (pdftoppm -png -r 60), in page order. */
  pages: string[];
}

export class ReportPage {
  constructor(readonly page: Page) {}

  get preview(): Locator {
    return this.page.getByRole('dialog', { name: 'Report preview' });
  }

  /** Click "Export report (PDF)" in the results and wait for the preview's pages. */
  async open(): Promise<void> {
    await this.page.getByRole('button', { name: 'Export report (PDF)', exact: true }).click();
    await expect(this.preview).toBeVisible();
    await expect(this.preview.getByRole('region', { name: 'Report page 2' })).toBeVisible();
  }

  /** Print to `dir/<name>.pdf` on `format` paper (12 mm margins, as the app's printToPDF). */
  async print(dir: string, name: string, format: 'A4' | 'Letter'): Promise<PrintedReport> {
    mkdirSync(dir, { recursive: true });
    const pdf = join(dir, `${name}.pdf`);
    await this.page.emulateMedia({ media: 'print' });
    await this.page.pdf({
      path: pdf,
      format,
      printBackground: true,
      margin: { top: '12mm', bottom: '12mm', left: '12mm', right: '12mm' },
    });
    await this.page.emulateMedia({ media: 'screen' });
    const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
    const prefix = join(dir, name);
    for (const f of readdirSync(dir)) {
      if (f.startsWith(`${name}-`) && f.endsWith('.png')) rmSync(join(dir, f));
    }
    execFileSync('pdftoppm', ['-png', '-r', '60', pdf, prefix]);
    const pages = readdirSync(dir)
      .filter((f) => f.startsWith(`${name}-`) && f.endsWith('.png'))
      .sort()
      .map((f) => join(dir, f));
    return { text, pages };
  }
}
