/**
 * A 100,000-period plan in the window: the result travels in columns, the table renders only
 * the rows in view, and what it shows agrees with the CLI's solve of the same plan file (first
 * and last rows, the total, the cost-by-size curve's own point, the charts drawn). Timing is
 * the bench's (`npm run bench -- window`), never asserted here.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { SolveResult } from '../../src-shared/result';
import { windowPlan } from '../bench/windowPlan';
import { test, expect } from './fixtures';

const CLI = resolve(__dirname, '../../out/main/cli.js');
const N = 100_000;

/** The CLI's JSON for the plan: `node out/main/cli.js solve PLAN.json`. */
function cliSolve(plan: unknown): SolveResult {
  const dir = mkdtempSync(join(tmpdir(), 'order-planner-big-'));
  try {
    const file = join(dir, 'plan.json');
    writeFileSync(file, JSON.stringify(plan));
    const out = execFileSync(process.execPath, [CLI, 'solve', file], {
      maxBuffer: 512 * 1024 * 1024,
      encoding: 'utf8',
    });
    return JSON.parse(out) as SolveResult;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The canvas calls used here (this file has no DOM lib). */
interface Canvas {
  width: number;
  height: number;
  getContext(kind: '2d'): {
    getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray };
  };
}

const int = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 0 });
/** As the window writes them (src-renderer/src/lib/format.ts, en-US). */
const money = (n: number) =>
  n.toLocaleString('en-US', {
    style: 'currency',
    currency: 'USD',
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  });
const pct = (n: number) =>
  `${n.toLocaleString('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 })}%`;

test('a 100,000-period schedule: first and last rows, total, charts and cost curve as the CLI has them', async ({
  planner,
  page,
  server,
}) => {
  test.setTimeout(300_000);
  const plan = windowPlan(N);
  const cli = cliSolve(plan);
  expect(cli.schedule).toHaveLength(N);
  // Stored through the API (the form cannot type 100,000 volumes), opened from the list.
  const u = new URL(server.url);
  const saved = await fetch(`${u.origin}/api/savePlan`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Authorization: `Bearer ${u.searchParams.get('token')}`,
    },
    body: JSON.stringify({ plan }),
  });
  expect(((await saved.json()) as { ok: boolean }).ok).toBe(true);
  await planner.open();
  await page.getByRole('button', { name: `Open ${plan.name}` }).click();
  await expect(planner.field('Name')).toHaveValue(plan.name);
  // data-drawn counts the results drawn: wait for the next one.
  const before = await planner.results.getAttribute('data-drawn');
  await planner.button('Solve').click();
  await expect(planner.results).not.toHaveAttribute('data-drawn', before ?? '', {
    timeout: 240_000,
  });

  // The table says how many rows it has, and holds only the rows in view.
  const table = planner.schedule;
  await expect(table).toHaveAttribute('aria-rowcount', String(N + 1));
  const rendered = await table.locator('tbody tr:not(.spacer)').count();
  expect(rendered).toBeGreaterThan(10);
  expect(rendered).toBeLessThan(200);
  const row = (period: number) => table.locator(`tbody tr[aria-rowindex="${period + 1}"]`);
  const cells = async (period: number) =>
    (await row(period).locator('td').allTextContents()).map((t) => t.trim());
  const first = await cells(1);
  expect(first[0]).toBe('1');
  expect(first[2]).toBe(int(cli.schedule[0].shares));
  expect(first[5]).toBe(int(plan.shares - cli.schedule[0].shares));
  expect(first[7]).toBe(money(cli.schedule[0].cost));

  // Scrolled to the end: the last period, nothing left to trade.
  const box = page.getByRole('region', { name: 'Schedule table, scrollable' });
  await box.evaluate((el) => (el.scrollTop = el.scrollHeight));
  await expect(row(N)).toBeVisible();
  const last = await cells(N);
  expect(last[0]).toBe(int(N));
  expect(last[2]).toBe(int(cli.schedule[N - 1].shares));
  expect(last[5]).toBe('0');
  expect(last[7]).toBe(money(cli.schedule[N - 1].cost));
  await expect(row(1)).toHaveCount(0);
  // And one in the middle, reached by scrolling back.
  const mid = N / 2;
  await box.evaluate((el, y) => (el.scrollTop = y), (mid - 5) * 26);
  await expect(row(mid)).toBeVisible();
  expect((await cells(mid))[2]).toBe(int(cli.schedule[mid - 1].shares));

  // The summary's total and the baselines' savings are the CLI's.
  await expect(planner.totalCost).toHaveText(money(cli.totalCost));
  const savings = page.getByRole('table', { name: 'Savings against baselines' });
  await expect(savings).toContainText(pct(cli.baselines.naive.savingPct));

  // The charts are drawn: each canvas has painted pixels.
  for (const name of [
    /^Shares per period/,
    /^Cumulative percentage executed/,
    /^Total cost per strategy/,
  ]) {
    const chart = planner.results.getByRole('img', { name });
    await expect(chart).toBeVisible();
    const painted = await chart.locator('canvas').evaluate((node) => {
      const c = node as unknown as Canvas;
      const { data } = c.getContext('2d').getImageData(0, 0, c.width, c.height);
      let n = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
      return n;
    });
    expect(painted).toBeGreaterThan(500);
  }
  // The cost-by-size curve ends at the plan itself, at the CLI's cost.
  await expect(planner.costCurve).toContainText(
    `This plan: ${int(plan.shares)} shares, ${money(cli.totalCost)}`,
  );
});
