/**
 * Layout checks shared by the screenshot scenarios: the page itself never scrolls (the panes do), nothing
 * visible pokes out past the window's right edge (a wide table that scrolls inside its own box
 * is fine), and the toolbar and the view tabs are on screen.
 */
import { expect, type Page } from '@playwright/test';

/**
 * Runs in the page (as text: the e2e tsconfig has no DOM types). Lists what sticks out: the
 * page's own sideways scroll, and visible controls, headings and text ending beyond the
 * window's right edge outside a box that scrolls sideways itself.
 */
const CLIPPED = `(() => {
  const width = window.innerWidth;
  const doc = document.documentElement;
  const out = [];
  if (doc.scrollWidth > width) out.push('page scrolls sideways: ' + doc.scrollWidth + ' > ' + width);
  const selector = 'button, input, select, textarea, label, summary, h1, h2, h3, legend, p, [role=tab], canvas, th';
  for (const el of document.querySelectorAll(selector)) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    let inScroller = false;
    for (let box = el.parentElement; box && box !== document.body; box = box.parentElement) {
      const s = getComputedStyle(box);
      if ((s.overflowX === 'auto' || s.overflowX === 'scroll') && box.scrollWidth > box.clientWidth) {
        inScroller = true;
        break;
      }
    }
    if (inScroller || r.right <= width + 0.5) continue;
    const name = (el.getAttribute('aria-label') || el.textContent || '').trim().slice(0, 40);
    out.push(el.tagName.toLowerCase() + ' "' + name + '" ends at ' + Math.round(r.right) + ' > ' + width);
  }
  return out;
})()`;

/** Runs in the page (as text, like CLIPPED): the page's own height beside the window's. */
const PAGE_EXTENT = `({ height: document.scrollingElement.scrollHeight, window: window.innerHeight })`;

/** Nothing clipped on the right, no sideways page scroll; tabs and file actions on screen. */
export async function expectNoClipping(page: Page, where: string): Promise<void> {
  const found = (await page.evaluate(CLIPPED)) as string[];
  expect(found, `clipped at ${where}`).toEqual([]);
  // The panes scroll, never the page: a page taller than the window would let the wheel or a
  // focus move push the toolbar off screen and show blank space below the app.
  const extent = (await page.evaluate(PAGE_EXTENT)) as { height: number; window: number };
  expect(extent.height, `the page itself scrolls at ${where}`).toBeLessThanOrEqual(extent.window);
  for (const name of ['Planner', 'Order book', 'Compare', 'Validation'])
    await expect(page.getByRole('tab', { name }), `${name} tab at ${where}`).toBeInViewport();
  for (const name of ['Save', 'Export CSV', 'Glossary'])
    await expect(
      page.getByRole('button', { name, exact: true }),
      `${name} at ${where}`,
    ).toBeInViewport();
}

/** A screenshot for a human to look at, and the layout checks on the same screen. */
export async function shotChecked(page: Page, path: string, where = path): Promise<void> {
  await page.screenshot({ path });
  await expectNoClipping(page, where);
}
