/**
 * The window bench's rows "without the test harness's network tracking": Debian's Chromium
 * launched by hand with --remote-debugging-port and driven over a bare CDP WebSocket (Node's
 * global WebSocket) with Page.navigate and Runtime.evaluate only. Playwright enables the
 * Network domain on every page, and DevTools' network tracking then copies the response
 * body: about 80 ms after the last byte of a 10 MB binary answer that a user never pays.
 * Everything is timed inside the page (performance marks and Resource Timing), as in
 * window.ts. Figures only; nothing here asserts.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** One timing: click → table visible, and of that the part after the response's last byte. */
export interface CdpTimed {
  tableMs: number;
  tableWindowMs: number;
  /** The solver's own time as the summary shows it (Solve only; NaN for an open). */
  solver: number;
}

export interface CdpRun {
  opens: Map<number, CdpTimed[]>;
  solves: Map<number, CdpTimed[]>;
}

interface Pending {
  resolve(v: unknown): void;
  reject(e: Error): void;
}

/** A bare CDP session on one page target: send(method, params) → result. */
class Cdp {
  #ws: WebSocket;
  #next = 1;
  #pending = new Map<number, Pending>();
  private constructor(ws: WebSocket) {
    this.#ws = ws;
    ws.addEventListener('message', (m: MessageEvent) => {
      const msg = JSON.parse(String(m.data)) as {
        id?: number;
        result?: unknown;
        error?: { message: string };
      };
      const p = msg.id === undefined ? undefined : this.#pending.get(msg.id);
      if (!p) return;
      this.#pending.delete(msg.id!);
      if (msg.error) p.reject(new Error(msg.error.message));
      else p.resolve(msg.result);
    });
  }
  static open(url: string): Promise<Cdp> {
    return new Promise((ok, fail) => {
      const ws = new WebSocket(url);
      ws.addEventListener('open', () => ok(new Cdp(ws)), { once: true });
      ws.addEventListener('error', () => fail(new Error(`no CDP connection to ${url}`)), {
        once: true,
      });
    });
  }
  send(method: string, params: object = {}): Promise<unknown> {
    const id = this.#next++;
    this.#ws.send(JSON.stringify({ id, method, params }));
    return new Promise((resolve, reject) => this.#pending.set(id, { resolve, reject }));
  }
  /** Runtime.evaluate of an expression (a promise is awaited); its value by JSON. */
  async evaluate<T>(expression: string): Promise<T> {
    const r = (await this.send('Runtime.evaluate', {
      expression,
      awaitPromise: true,
      returnByValue: true,
    })) as { result: { value: T }; exceptionDetails?: { text: string; exception?: unknown } };
    if (r.exceptionDetails)
      throw new Error(
        `page: ${JSON.stringify(r.exceptionDetails.exception ?? r.exceptionDetails)}`,
      );
    return r.result.value;
  }
  close(): void {
    this.#ws.close();
  }
}

/**
 * The page-side helpers, installed once: `__click(selector | text)` clicks and resolves
 * {tableMs, tableWindowMs} once a `table-visible` mark later than the click exists (the
 * part after the last byte from the latest Resource Timing entry of `/api/<op>`).
 */
const PAGE_HELPERS = `
globalThis.__bench = {
  find(name) {
    if (name === 'Solve')
      return [...document.querySelectorAll('button')].find((b) => b.textContent.trim() === 'Solve');
    return document.querySelector('button[aria-label="' + name + '"]');
  },
  async ready(name) {
    for (let k = 0; k < 600 && !this.find(name); k++) await new Promise((r) => setTimeout(r, 100));
    if (!this.find(name)) throw new Error('no button ' + name);
  },
  async click(name, op) {
    const el = this.find(name);
    performance.clearResourceTimings();
    const t0 = performance.now();
    el.click();
    let table;
    for (;;) {
      table = performance.getEntriesByName('table-visible').map((m) => m.startTime).find((t) => t > t0);
      const drawn = performance.getEntriesByName('results-drawn').map((m) => m.startTime).find((t) => t > t0);
      if (table !== undefined && drawn !== undefined) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const end = op
      ? performance.getEntriesByType('resource').filter((e) => e.name.includes('/api/' + op)).map((e) => e.responseEnd).at(-1)
      : NaN;
    const dt = [...document.querySelectorAll('section[aria-label="Summary"] dt')].find((d) => d.textContent.trim() === 'Time');
    const solver = Number((dt?.nextElementSibling?.textContent ?? '').replace(/[^\\d.]/g, ''));
    return { tableMs: table - t0, tableWindowMs: table - (end ?? NaN), solver };
  },
};
true`;

/**
 * Open and Solve timings for each of `names` (plan names by size, already saved on the server
 * at `url`), `repeat` times each, in the same order as the Playwright rows: open another plan,
 * open this one, Solve.
 */
export async function rawCdpRun(
  url: string,
  names: Map<number, string>,
  repeat: number,
  args: string[],
): Promise<CdpRun> {
  const profile = mkdtempSync(join(tmpdir(), 'order-planner-cdp-'));
  const chrome = spawn(
    process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    [
      ...args,
      '--headless=new',
      '--remote-debugging-port=0',
      `--user-data-dir=${profile}`,
      '--window-size=1400,900',
      'about:blank',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  try {
    const browserWs = await new Promise<string>((ok, fail) => {
      const timer = setTimeout(() => fail(new Error('Chromium printed no DevTools URL')), 30_000);
      createInterface({ input: chrome.stderr! }).on('line', (line) => {
        const m = /DevTools listening on (ws:\/\/\S+)/.exec(line);
        if (m) {
          clearTimeout(timer);
          ok(m[1]);
        }
      });
    });
    const port = new URL(browserWs).port;
    const targets = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as {
      type: string;
      webSocketDebuggerUrl: string;
    }[];
    const page = await Cdp.open(targets.find((t) => t.type === 'page')!.webSocketDebuggerUrl);
    try {
      await page.send('Page.navigate', { url });
      const sizes = [...names.keys()];
      const label = (n: number) => JSON.stringify(`Open ${names.get(n)}`);
      for (let k = 0; k < 600; k++) {
        const ok = await page
          .evaluate<boolean>(`${PAGE_HELPERS}`)
          .then(() => page.evaluate<boolean>(`!!__bench.find(${label(sizes[0])})`))
          .catch(() => false);
        if (ok) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const run: CdpRun = { opens: new Map(), solves: new Map() };
      for (const n of sizes) {
        const opens: CdpTimed[] = [];
        const solves: CdpTimed[] = [];
        for (let k = 0; k < repeat; k++) {
          const other = sizes.find((m) => m !== n) ?? n;
          await page.evaluate(`__bench.click(${label(other)})`);
          await page.evaluate(`__bench.ready(${label(n)})`);
          opens.push(await page.evaluate<CdpTimed>(`__bench.click(${label(n)}, 'getPlan')`));
          solves.push(await page.evaluate<CdpTimed>(`__bench.click('Solve', 'solve')`));
        }
        run.opens.set(n, opens);
        run.solves.set(n, solves);
      }
      return run;
    } finally {
      page.close();
    }
  } finally {
    chrome.kill('SIGTERM');
    await new Promise((r) => (chrome.exitCode === null ? chrome.once('exit', r) : r(null)));
    rmSync(profile, { recursive: true, force: true });
  }
}
