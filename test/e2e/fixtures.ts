/**
 * Test fixtures: a fresh browser-mode server per test (built app, temp data folder, free
 * port, URL read from its one stdout line), a page opened on it, and a guard that fails the
 * test on any uncaught page error or console error.
 */
import { test as base, expect, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { PlannerPage } from './pages/planner';

const ROOT = resolve(__dirname, '../..');
const SERVE = join(ROOT, 'out/main/serve.js');
const URL_LINE = /^Order Planner \(browser mode\): (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)$/;

export interface Server {
  url: string;
  dataDir: string;
  stderr: string[];
}

async function startServer(): Promise<{ server: Server; child: ChildProcess }> {
  if (!existsSync(SERVE)) throw new Error(`${SERVE} is missing: run "npm run build" first`);
  const dataDir = mkdtempSync(join(tmpdir(), 'order-planner-e2e-'));
  const child = spawn(process.execPath, [SERVE, '--port', '0', '--data-dir', dataDir], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stderr: string[] = [];
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => stderr.push(chunk));
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`server printed no URL within 20 s\n${stderr.join('')}`)),
      20_000,
    );
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => {
      clearTimeout(timer);
      const m = URL_LINE.exec(line.trim());
      if (m) resolveUrl(m[1]);
      else reject(new Error(`unexpected first stdout line: ${line}`));
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}\n${stderr.join('')}`));
    });
  });
  return { server: { url, dataDir, stderr }, child };
}

async function stopServer(child: ChildProcess, dataDir: string): Promise<void> {
  if (child.exitCode === null) {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }
  rmSync(dataDir, { recursive: true, force: true });
}

/** Collects what would be a crash or a bug the user sees in the console. */
function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('response', (r) => {
    if (r.status() >= 500) errors.push(`HTTP ${r.status()} from ${new URL(r.url()).pathname}`);
  });
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    // The API answers a refused operation (cancelled, infeasible…) with a 4xx status, which
    // Chromium logs as a failed resource; the app handles and shows those itself.
    const apiStatus =
      m.text().startsWith('Failed to load resource: the server responded with a status of 4') &&
      m.location().url.includes('/api/');
    if (!apiStatus) errors.push(`console.error: ${m.text()}`);
  });
  return errors;
}

export const test = base.extend<{ server: Server; planner: PlannerPage }>({
  // Playwright needs the (empty) destructuring pattern to see the fixture's dependencies.
  // eslint-disable-next-line no-empty-pattern
  server: async ({}, use) => {
    const { server, child } = await startServer();
    await use(server);
    await stopServer(child, server.dataDir);
  },
  planner: async ({ page, server }, use) => {
    const errors = watchErrors(page);
    const planner = new PlannerPage(page, server.url);
    await planner.open();
    // Scenarios build their plans from a new, empty form; the first screen itself (the worked
    // example, or the plan opened last) is firstscreen.spec.ts's.
    await planner.newPlan();
    await use(planner);
    expect(errors, 'page errors and console errors').toEqual([]);
  },
});

export { expect };
