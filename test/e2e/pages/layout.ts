/**
 * Layout checks shared by the screenshot scenarios: the page never scrolls sideways, nothing
 * visible pokes out past the window's right edge, and the toolbar and the view tabs are on
 * screen.
 */
import { expect, type Page } from '@playwright/test';

export async function expectNoClipping(page: Page, where: string): Promise<void> {
  const found = await page.evaluate(() => {
    const width = window.innerWidth;
    const doc = document.documentElement;
    const out: string[] = [];
    if (doc.scrollWidth > width) out.push(`page scrolls sideways: ${doc.scrollWidth} > ${width}`);
    // Visible controls and text blocks whose right edge is beyond the window (a clipped
    // parent with its own horizontal scroll, like a wide table, is allowed).
    for (const el of document.querySelectorAll<HTMLElement>(
      'button, input, select, label, h1, h2, h3, [role=tab], canvas, legend, p',
    )) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      if (el.closest('[hidden], dialog:not([open])')) continue;
      let scroller: HTMLElement | null = el.parentElement;
      let inScroller = false;
      while (scroller && scroller !== document.body) {
        const s = getComputedStyle(scroller);
        if (
          (s.overflowX === 'auto' || s.overflowX === 'scroll') &&
          scroller.scrollWidth > scroller.clientWidth
        ) {
          inScroller = true;
          break;
        }
        scroller = scroller.parentElement;
      }
      if (inScroller) continue;
      if (r.right > width + 0.5) {
        const name = (el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 40);
        out.push(`${el.tagName.toLowerCase()} "${name}" ends at ${Math.round(r.right)} > ${width}`);
      }
    }
    return out;
  });
  expect(found, `clipped at ${where}`).toEqual([]);
  for (const name of ['Planner', 'Order book', 'Compare', 'Validation'])
    await expect(page.getByRole('tab', { name }), `${name} tab at ${where}`).toBeInViewport();
  for (const name of ['Save', 'Export CSV', 'Glossary'])
    await expect(page.getByRole('button', { name, exact: true }), `${name} at ${where}`).toBeInViewport();
}
