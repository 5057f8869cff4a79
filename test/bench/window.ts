/**
 * Window benchmark: the built app in browser mode (out/main/serve.js; run `npm run build`
 * first, this builds nothing), driven in Debian's Chromium with Playwright's library API.
 * Plans of N = 390, 2,000, 23,400 and 100,000 periods are solved and saved through the HTTP
 * API, then the bench times what a user waits for: Solve → results drawn (less the solver's
 * own time), switching tabs, opening a saved plan, and the latency of a keystroke in a form
 * field.
 * "Drawn" is the `results-drawn` performance mark the results panel sets once the frame that
 * shows a new result (charts included) has been painted; "table visible" is its `table-visible`
 * mark, set once the frame that first shows the new result's schedule table has been painted
 * (a long result's charts are drawn after it). Figures only; nothing here asserts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { chromium, type Locator, type Page } from '@playwright/test';
import { windowPlan } from './windowPlan';
import { serialize, deserialize } from 'node:v8';
import { SolveResultSchema } from '../../src-shared/result';
import {
  columnsFromJson,
  columnsToJson,
  fromColumns,
  type SolveResultColumns,
} from '../../src-shared/resultColumns';
import { encodeResult, readResult } from '../../src-main/storage/plans';
import type { BenchSection } from './index';
import { rawCdpRun, type CdpTimed } from './windowCdp';

export { windowPlan };

const ROOT = resolve(import.meta.dirname ?? __dirname, '../..');
/** The built server; BENCH_SERVE points at another build's (an A/B run against main's). */
const SERVE = resolve(process.env.BENCH_SERVE ?? join(ROOT, 'out/main/serve.js'));
const URL_LINE = /^Order Planner \(browser mode\): (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)$/;
/** Same switches as playwright.config.ts. */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
/** How many times each timing is taken; the median is printed. */
const REPEAT = Number(process.env.BENCH_WINDOW_REPEAT ?? 3);

export async function startServer(): Promise<{
  url: string;
  child: ChildProcess;
  dataDir: string;
}> {
  const dataDir = mkdtempSync(join(tmpdir(), 'order-planner-bench-'));
  const child = spawn(process.execPath, [SERVE, '--port', '0', '--data-dir', dataDir], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stderr: string[] = [];
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => stderr.push(chunk));
  const url = await new Promise<string>((ok, fail) => {
    const timer = setTimeout(
      () => fail(new Error(`server printed no URL\n${stderr.join('')}`)),
      20_000,
    );
    createInterface({ input: child.stdout! }).once('line', (line) => {
      clearTimeout(timer);
      const m = URL_LINE.exec(line.trim());
      if (m) ok(m[1]);
      else fail(new Error(`unexpected first stdout line: ${line}`));
    });
  });
  return { url, child, dataDir };
}

export async function api<T>(url: string, op: string, body: unknown): Promise<T> {
  const u = new URL(url);
  const res = await fetch(`${u.origin}/api/${op}`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Authorization: `Bearer ${u.searchParams.get('token')}`,
    },
    body: JSON.stringify(body),
  });
  const r = (await res.json()) as { ok: boolean; value?: T; error?: { message: string } };
  if (!r.ok) throw new Error(`${op}: ${r.error?.message}`);
  return r.value!;
}

/**
 * ms from a click on `target` (done in the page, after the element has been found, so that
 * Playwright's search is not timed) to the next `results-drawn` mark, and of that the part
 * after the last byte of the API call `op` arrived (the window's own share).
 */
async function untilDrawn(target: Locator): Promise<number> {
  return (await drawnAfter(target)).ms;
}

interface Timed {
  /** Click → results drawn, and of that the part after the response's last byte. */
  ms: number;
  windowMs: number;
  /** Click → table visible, and of that the part after the response's last byte. */
  tableMs: number;
  tableWindowMs: number;
}

async function drawnAfter(target: Locator, op?: string): Promise<Timed> {
  const page = target.page();
  const el = await target.elementHandle();
  const t0 = await el!.evaluate((node) => {
    performance.clearResourceTimings();
    const t = performance.now();
    (node as unknown as { click(): void }).click();
    return t;
  });
  const handle = await page.waitForFunction(
    (since) => {
      const marks = performance.getEntriesByName('results-drawn');
      const m = marks.at(-1);
      return m && m.startTime > since ? m.startTime : null;
    },
    t0,
    { timeout: 120_000, polling: 100 },
  );
  const drawn = (await handle.jsonValue())!;
  const table = await page.evaluate(
    (since) =>
      performance
        .getEntriesByName('table-visible')
        .map((m) => m.startTime)
        .find((t) => t > since) ?? NaN,
    t0,
  );
  const responseEnd = op
    ? await page.evaluate(
        (name) =>
          performance
            .getEntriesByType('resource')
            .filter((e) => e.name.includes(`/api/${name}`))
            .map((e) => (e as unknown as { responseEnd: number }).responseEnd)
            .at(-1) ?? NaN,
        op,
      )
    : NaN;
  return {
    ms: drawn - t0,
    windowMs: drawn - responseEnd,
    tableMs: table - t0,
    tableWindowMs: table - responseEnd,
  };
}

/** Click the element in the page and return ms until the frame after it has been painted. */
async function clickToFrame(page: Page, role: 'tab' | 'button', name: string): Promise<number> {
  const el = await page.getByRole(role, { name, exact: true }).elementHandle();
  return el!.evaluate(
    (node) =>
      new Promise<number>((done) => {
        const t0 = performance.now();
        (node as unknown as { click(): void }).click();
        (globalThis as unknown as PageGlobals).requestAnimationFrame(() =>
          setTimeout(() => done(performance.now() - t0)),
        );
      }),
  );
}

/** Mean ms from each keydown to the frame after it, over `text` typed into `label`. */
async function keystrokes(page: Page, label: string, text: string): Promise<number> {
  const field = page.getByLabel(label, { exact: true });
  await field.click();
  await field.press('End');
  await page.evaluate(() => {
    const w = globalThis as unknown as PageGlobals;
    w.__keyMs = [];
    w.document.addEventListener(
      'keydown',
      () => {
        const t0 = performance.now();
        w.requestAnimationFrame(() => setTimeout(() => w.__keyMs.push(performance.now() - t0)));
      },
      { capture: true },
    );
  });
  for (let i = 0; i < text.length; i++) {
    await page.keyboard.type(text[i]);
    await page.waitForFunction(
      (k) => (globalThis as unknown as PageGlobals).__keyMs.length > k,
      i,
      { timeout: 60_000 },
    );
  }
  const ms = await page.evaluate(() => (globalThis as unknown as PageGlobals).__keyMs);
  return ms.reduce((a, b) => a + b, 0) / ms.length;
}

/** The solver's own time as the summary shows it ("Time 270.3 ms"). */
async function solverMillis(page: Page): Promise<number> {
  const text = await page
    .getByRole('region', { name: 'Summary' })
    .locator('dt:text-is("Time") + dd')
    .textContent();
  return Number((text ?? '').replace(/[^\d.]/g, ''));
}

/**
 * The page globals the measurements use, cast to inline: this file has no DOM lib, and a
 * function sent to the page cannot call a helper of this file.
 */
interface PageGlobals {
  requestAnimationFrame(cb: () => void): number;
  document: { addEventListener(type: string, cb: () => void, o: { capture: boolean }): void };
  __keyMs: number[];
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

interface Line {
  what: string;
  ms: number;
  target: number;
  note?: string;
}

export const windowBench: BenchSection = {
  name: 'window',
  run: async () => {
    if (!existsSync(SERVE)) {
      console.log(
        `window: ${SERVE} is missing: run "npm run build" first (this bench builds nothing).`,
      );
      return;
    }
    const sizes = (process.env.BENCH_WINDOW_SIZES ?? '390,2000,23400,100000')
      .split(',')
      .map(Number);
    const { url, child, dataDir } = await startServer();
    const lines: Line[] = [];
    const transport: Line[] = [];
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: CHROMIUM_ARGS,
    });
    try {
      const ids = new Map<number, string>();
      for (const n of sizes) {
        const plan = windowPlan(n);
        const json = await api<unknown>(url, 'solve', { plan, curve: true });
        ids.set(n, (await api<{ id: string }>(url, 'savePlan', { plan, result: json })).id);
        if (n === Math.max(...sizes)) transport.push(...transportLines(n, columnsFromJson(json)));
      }
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      page.on('pageerror', (e) => console.log(`  page error: ${e.message}`));
      await page.goto(url);
      for (const n of sizes) {
        const name = windowPlan(n).name;
        const open = page.getByRole('button', { name: `Open ${name}` });
        const opens: Timed[] = [];
        const solves: (Timed & { solver: number })[] = [];
        for (let k = 0; k < REPEAT; k++) {
          // Open another plan first so that each open draws a result anew.
          if (k > 0 || n !== sizes[0]) {
            const other = sizes.find((m) => m !== n) ?? n;
            await untilDrawn(page.getByRole('button', { name: `Open ${windowPlan(other).name}` }));
          }
          opens.push(await drawnAfter(open, 'getPlan'));
          const solved = await drawnAfter(
            page.getByRole('button', { name: 'Solve', exact: true }),
            'solve',
          );
          solves.push({ ...solved, solver: await solverMillis(page) });
        }
        const solverMs = median(solves.map((x) => x.solver));
        const solveTarget = n <= 390 ? 150 : n >= 100_000 ? 500 : NaN;
        const m = (f: (x: Timed & { solver: number }) => number) => median(solves.map(f));
        lines.push({
          what: `Solve → schedule table visible, N=${n.toLocaleString('en-US')} (less solver)`,
          ms: m((x) => x.tableMs - x.solver),
          target: solveTarget,
          note:
            `total ${fmt(m((x) => x.tableMs))} ms, solver ${fmt(solverMs)} ms; ` +
            `after the response's last byte ${fmt(m((x) => x.tableWindowMs))} ms`,
        });
        lines.push({
          what: `Solve → results drawn, N=${n.toLocaleString('en-US')} (less solver)`,
          ms: m((x) => x.ms - x.solver),
          target: solveTarget,
          note:
            `total ${fmt(m((x) => x.ms))} ms, solver ${fmt(solverMs)} ms; ` +
            `after the response's last byte ${fmt(m((x) => x.windowMs))} ms`,
        });
        if (n === Math.max(...sizes)) {
          const toBook: number[] = [];
          const toPlan: number[] = [];
          for (let k = 0; k < REPEAT; k++) {
            toBook.push(await clickToFrame(page, 'tab', 'Order book'));
            toPlan.push(await clickToFrame(page, 'tab', 'Planner'));
          }
          await page.getByRole('region', { name: 'Results', exact: true }).waitFor();
          const N = n.toLocaleString('en-US');
          lines.push({
            what: `Tab switch Planner → Order book, N=${N}`,
            ms: median(toBook),
            target: 500,
          });
          lines.push({
            what: `Tab switch Order book → Planner, N=${N}`,
            ms: median(toPlan),
            target: 500,
          });
          lines.push({
            what: `Open a saved plan → table visible, N=${N}`,
            ms: median(opens.map((o) => o.tableMs)),
            target: 250,
            note: openNote(opens, true),
          });
          lines.push({
            what: `Open a saved plan → results drawn, N=${N}`,
            ms: median(opens.map((o) => o.ms)),
            target: 250,
            note: openNote(opens),
          });
          lines.push({
            what: `Keystroke in Name, N=${N} (mean of 10)`,
            ms: await keystrokes(page, 'Name', 'abcdefghij'),
            target: 30,
          });
          lines.push({
            what: `Keystroke in Shares, N=${N} (mean of 10)`,
            ms: await keystrokes(page, 'Shares', '0000000000'),
            target: 30,
          });
        } else {
          lines.push({
            what: `Open a saved plan → table visible, N=${n.toLocaleString('en-US')}`,
            ms: median(opens.map((o) => o.tableMs)),
            target: NaN,
            note: openNote(opens, true),
          });
          lines.push({
            what: `Open a saved plan → results drawn, N=${n.toLocaleString('en-US')}`,
            ms: median(opens.map((o) => o.ms)),
            target: NaN,
            note: openNote(opens),
          });
        }
      }
      await browser.close();
      if (process.env.BENCH_WINDOW_CDP !== '0')
        lines.push(...cdpLines(await rawCdpRun(url, names(sizes), REPEAT, CHROMIUM_ARGS)));
    } finally {
      if (browser.isConnected()) await browser.close();
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode === null ? child.once('exit', r) : r(null)));
      rmSync(dataDir, { recursive: true, force: true });
    }
    printTable([...lines, ...transport]);
  },
};

/**
 * The result's way from the solver to the table and back from storage, in this process, the
 * row-wise form (before) beside the columnar one (now): JSON both ways (browser mode's HTTP),
 * structured clone (Electron IPC, the worker threads), and what reopening a stored result
 * costs (before: JSON.parse and the zod schema over every row; now: the hash and JSON.parse).
 */
function transportLines(n: number, columns: SolveResultColumns): Line[] {
  const rows = fromColumns(columns);
  const N = n.toLocaleString('en-US');
  const time = (f: () => unknown) => {
    const ms: number[] = [];
    for (let k = 0; k < REPEAT; k++) {
      const t0 = performance.now();
      f();
      ms.push(performance.now() - t0);
    }
    return median(ms);
  };
  const rowsJson = JSON.stringify(rows);
  const colsJson = JSON.stringify(columnsToJson(columns));
  const stored = encodeResult(columns);
  const mb = (s: { length: number }) => `${(s.length / 1e6).toFixed(1)} MB`;
  const line = (what: string, before: number, now: number, note: string): Line => ({
    what: `${what}, N=${N}`,
    ms: now,
    target: NaN,
    note: `rows (before): ${fmt(before)} ms; ${note}`,
  });
  return [
    line(
      'Result as JSON, write + read',
      time(() => JSON.parse(JSON.stringify(rows))),
      time(() => columnsFromJson(JSON.parse(JSON.stringify(columnsToJson(columns))))),
      `text ${mb(rowsJson)} → ${mb(colsJson)}`,
    ),
    line(
      'Result by structured clone (IPC)',
      time(() => deserialize(serialize(rows))),
      time(() => deserialize(serialize(columns))),
      `${(serialize(rows).length / 1e6).toFixed(1)} MB → ${(serialize(columns).length / 1e6).toFixed(1)} MB`,
    ),
    line(
      'Stored result read on reopen',
      time(() => SolveResultSchema.parse(JSON.parse(rowsJson))),
      time(() => readResult(stored)),
      'before: JSON.parse + zod over every row; now: format 4, SHA-256 checked, then the columns viewed in the stored bytes',
    ),
  ];
}

function names(sizes: number[]): Map<number, string> {
  return new Map(sizes.map((n) => [n, windowPlan(n).name]));
}

/** The raw-CDP rows: what a user sees, without DevTools' network tracking. */
function cdpLines(run: { opens: Map<number, CdpTimed[]>; solves: Map<number, CdpTimed[]> }) {
  const out: Line[] = [];
  const what = "without the test harness's network tracking";
  for (const [n, solves] of run.solves) {
    const N = n.toLocaleString('en-US');
    const m = (f: (x: CdpTimed) => number, xs: CdpTimed[]) => median(xs.map(f));
    out.push({
      what: `Solve → table visible, N=${N} (less solver), ${what}`,
      ms: m((x) => x.tableMs - x.solver, solves),
      target: n <= 390 ? 150 : n >= 100_000 ? 500 : NaN,
      note: `after the response's last byte ${fmt(m((x) => x.tableWindowMs, solves))} ms`,
    });
    const opens = run.opens.get(n)!;
    out.push({
      what: `Open a saved plan → table visible, N=${N}, ${what}`,
      ms: m((x) => x.tableMs, opens),
      target: n >= 100_000 ? 250 : NaN,
      note: `after the getPlan response's last byte ${fmt(m((x) => x.tableWindowMs, opens))} ms`,
    });
  }
  return out;
}

function openNote(opens: Timed[], table = false): string {
  const ms = median(opens.map((o) => (table ? o.tableWindowMs : o.windowMs)));
  return `after the getPlan response's last byte ${fmt(ms)} ms`;
}

function fmt(ms: number): string {
  return ms.toLocaleString('en-US', { maximumFractionDigits: ms < 100 ? 1 : 0 });
}

function printTable(lines: Line[]): void {
  const w = Math.max(...lines.map((l) => l.what.length));
  console.log(`| ${'what'.padEnd(w)} | ${'ms'.padStart(8)} | target | met | notes`);
  console.log(`| ${'-'.repeat(w)} | ${'-'.repeat(8)} | ------ | --- | -----`);
  for (const l of lines) {
    const target = Number.isNaN(l.target) ? '—' : `≤ ${l.target}`;
    const met = Number.isNaN(l.target) ? '' : l.ms <= l.target ? 'yes' : 'no';
    console.log(
      `| ${l.what.padEnd(w)} | ${fmt(l.ms).padStart(8)} | ${target.padEnd(6)} | ${met.padEnd(3)} | ${l.note ?? ''}`,
    );
  }
  console.log(`(median of ${REPEAT} runs each; ${lines.length} figures)`);
}
