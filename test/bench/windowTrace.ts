/**
 * `npx tsx --tsconfig tsconfig.node.json test/bench/windowTrace.ts [N]` (after `npm run build`):
 * records a Chromium performance trace (devtools.timeline and the V8 sampler) of opening a
 * saved plan of N periods (100,000 by default) in the built app, and prints what the renderer's
 * main thread did between the getPlan response's last byte and the `table-visible` mark: the
 * top-level tasks by kind, and the JavaScript functions by self time. A tool for finding what
 * delays the first frame; it prints figures and asserts nothing.
 */
import { rmSync } from 'node:fs';
import { chromium } from '@playwright/test';
import { api, startServer } from './window';
import { windowPlan } from './windowPlan';

interface TraceEvent {
  name: string;
  cat: string;
  ph: string;
  ts: number;
  dur?: number;
  /** Thread (CPU) time of a complete event, µs. */
  tdur?: number;
  pid: number;
  tid: number;
  id?: string;
  args?: { data?: Record<string, unknown> } & Record<string, unknown>;
}

interface ProfileNode {
  id: number;
  parent?: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

const N = Number(process.argv[2] ?? 100_000);
const REPEAT = Number(process.env.TRACE_REPEAT ?? 3);

async function main(): Promise<void> {
  const { url, child, dataDir } = await startServer();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run'],
  });
  try {
    // TRACE_BEFORE=M: the plan opened just before the traced one (default N itself), e.g. a
    // long plan before a short one to see what replacing its result costs.
    const before = Number(process.env.TRACE_BEFORE ?? N);
    for (const n of new Set([390, N, before])) {
      const plan = windowPlan(n);
      const result = await api<unknown>(url, 'solve', { plan, curve: true });
      await api(url, 'savePlan', { plan, result });
    }
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(url);
    // A string, not a function: tsx would wrap a named inner function in a helper the page lacks.
    const open = async (n: number) => {
      const name = JSON.stringify(`Open ${windowPlan(n).name}`);
      await page.getByRole('button', { name: `Open ${windowPlan(n).name}` }).waitFor();
      await page.evaluate(`new Promise((done) => {
        const b = document.querySelector('button[aria-label=' + JSON.stringify(${name}) + ']');
        const t0 = performance.now();
        performance.mark('bench-click');
        b.click();
        const poll = () => performance.getEntriesByName('results-drawn').some((m) => m.startTime > t0)
          ? done() : setTimeout(poll, 50);
        poll();
      })`);
    };
    await open(390);
    await open(N);
    // As the window bench does with one size: the plan itself is opened again first.
    for (let k = 0; k < REPEAT; k++) {
      await open(before);
      await browser.startTracing(page, {
        categories: [
          'devtools.timeline',
          'disabled-by-default-devtools.timeline',
          'disabled-by-default-v8.cpu_profiler',
          'blink.user_timing',
          'v8.execute',
          'loading',
        ],
      });
      await open(N);
      const buffer = await browser.stopTracing();
      report(JSON.parse(buffer.toString('utf8')) as { traceEvents: TraceEvent[] });
    }
  } finally {
    await browser.close();
    child.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function report(trace: { traceEvents: TraceEvent[] }): void {
  const events = trace.traceEvents;
  const mark = events.find((e) => e.name === 'table-visible' && e.cat.includes('user_timing'));
  const drawn = events.find((e) => e.name === 'results-drawn' && e.cat.includes('user_timing'));
  const send = events.find(
    (e) => e.name === 'ResourceSendRequest' && String(e.args?.data?.url).includes('/api/getPlan'),
  );
  const requestId = send?.args?.data?.requestId;
  const finish = events.find(
    (e) => e.name === 'ResourceFinish' && e.args?.data?.requestId === requestId,
  );
  const received = events.filter(
    (e) => e.name === 'ResourceReceiveResponse' && e.args?.data?.requestId === requestId,
  )[0];
  if (!mark || !finish || !send) {
    console.log('trace: no table-visible mark or no getPlan request in the trace');
    return;
  }
  const end = Number(finish.args!.data!.finishTime) * 1e6;
  const click = events.find((e) => e.name === 'bench-click' && e.cat.includes('user_timing'));
  const { pid, tid } = mark;
  console.log(
    `\nclick→send ${click ? ((send.ts - click.ts) / 1000).toFixed(1) : '?'} ms; send→response ${((Number(received?.ts) - send.ts) / 1000).toFixed(1)} ms; ` +
      `send→last byte ${((end - send.ts) / 1000).toFixed(1)} ms; last byte→table-visible ${((mark.ts - end) / 1000).toFixed(1)} ms; ` +
      `→results-drawn ${drawn ? ((drawn.ts - end) / 1000).toFixed(1) : '?'} ms; bytes ${String(finish.args!.data!.encodedDataLength)}`,
  );
  // Top-level tasks on the renderer's main thread, by kind, in [send, mark].
  const main = events.filter((e) => e.pid === pid && e.tid === tid && e.ph === 'X' && e.dur);
  const inside = (e: TraceEvent, from: number, to: number) => e.ts >= from && e.ts < to;
  const byName = new Map<string, number>();
  for (const e of main)
    if (
      inside(e, end, mark.ts) &&
      e.name !== 'RunTask' &&
      e.name !== 'ThreadControllerImpl::RunTask'
    )
      byName.set(e.name, (byName.get(e.name) ?? 0) + e.dur! / 1000);
  const tasks = main.filter((e) => e.name === 'RunTask' && inside(e, send.ts, mark.ts));
  console.log(
    `  main-thread tasks send→mark: ${tasks.length}, busy ${(tasks.reduce((a, e) => a + e.dur!, 0) / 1000).toFixed(1)} ms; ` +
      `after last byte: ${(tasks.filter((e) => e.ts >= end).reduce((a, e) => a + e.dur!, 0) / 1000).toFixed(1)} ms`,
  );
  // Tasks that ended before the mark (the mark's own task goes on to build the charts).
  const cpu = (from: number) =>
    tasks
      .filter((e) => e.ts >= from && e.ts + e.dur! <= mark.ts)
      .reduce((a, e) => a + (e.tdur ?? 0), 0) / 1000;
  console.log(
    `  SUMMARY last byte→table-visible ${((mark.ts - end) / 1000).toFixed(1)} ms; main-thread CPU after last byte ${cpu(end).toFixed(1)} ms, from the request ${cpu(send.ts).toFixed(1)} ms; send→last byte ${((end - send.ts) / 1000).toFixed(1)} ms`,
  );
  for (const t of tasks.filter((e) => e.dur! > 3000))
    console.log(
      `    task at ${((t.ts - end) / 1000).toFixed(1)} ms (from last byte), ${(t.dur! / 1000).toFixed(1)} ms`,
    );
  const top = [...byName].sort((a, b) => b[1] - a[1]).slice(0, 12);
  console.log(
    `  events after last byte: ${top.map(([n, ms]) => `${n} ${ms.toFixed(1)}`).join(', ')}`,
  );
  // The layouts over 5 ms: how many layout objects each had to lay out, of how many.
  for (const e of main) {
    if (e.name !== 'Layout' || !inside(e, end, mark.ts) || (e.dur ?? 0) < 5000) continue;
    const begin = (
      e.args as {
        beginData?: {
          dirtyObjects?: number;
          totalObjects?: number;
          stackTrace?: { functionName: string; lineNumber: number }[];
        };
      }
    )?.beginData;
    // A layout forced by script names the function that asked for it.
    const forcedBy = begin?.stackTrace
      ?.slice(0, 3)
      .map((f) => `${f.functionName || '(anonymous)'}:${f.lineNumber}`)
      .join(' < ');
    console.log(
      `  layout at ${((e.ts - end) / 1000).toFixed(1)} ms: ${((e.dur ?? 0) / 1000).toFixed(1)} ms, ` +
        `${begin?.dirtyObjects ?? '?'} of ${begin?.totalObjects ?? '?'} objects dirty` +
        (forcedBy ? `, forced by ${forcedBy}` : ''),
    );
  }
  // V8 samples on the main thread in [end, mark].
  const nodes = new Map<number, ProfileNode>();
  const samples: { t: number; node: number }[] = [];
  const profiles = new Map<string, number>();
  for (const e of events) {
    if (e.name === 'Profile' && e.pid === pid) profiles.set(e.id!, Number(e.args!.data!.startTime));
  }
  const clock = new Map<string, number>();
  for (const e of events) {
    if (e.name !== 'ProfileChunk' || e.pid !== pid) continue;
    const data = e.args!.data as {
      cpuProfile?: { nodes?: ProfileNode[]; samples?: number[] };
      timeDeltas?: number[];
    };
    for (const node of data.cpuProfile?.nodes ?? []) nodes.set(node.id, node);
    let t = clock.get(e.id!) ?? profiles.get(e.id!) ?? 0;
    const ss = data.cpuProfile?.samples ?? [];
    ss.forEach((s, i) => {
      t += data.timeDeltas?.[i] ?? 0;
      samples.push({ t, node: s });
    });
    clock.set(e.id!, t);
  }
  samples.sort((a, b) => a.t - b.t);
  /** ms per function between two trace times: on top of the stack (self) and anywhere on it
   *  (total, a function counted once per sample however often it recurs). */
  const tally = (from: number, to: number) => {
    const self = new Map<string, number>();
    const total = new Map<string, number>();
    let prev: number | null = null;
    for (const s of samples) {
      const dt = prev === null ? 0 : s.t - prev;
      prev = s.t;
      if (s.t < from || s.t > to) continue;
      const node = nodes.get(s.node);
      if (!node) continue;
      const name = label(node);
      self.set(name, (self.get(name) ?? 0) + dt / 1000);
      const seen = new Set<string>();
      for (
        let n: ProfileNode | undefined = node;
        n;
        n = n.parent ? nodes.get(n.parent) : undefined
      ) {
        const l = label(n);
        if (seen.has(l)) continue;
        seen.add(l);
        total.set(l, (total.get(l) ?? 0) + dt / 1000);
      }
    }
    return { self, total };
  };
  const { self, total } = tally(end, mark.ts);
  // Each long task after the last byte: its own top functions (self and total).
  if (process.env.TRACE_TASKS)
    for (const t of tasks.filter((e) => e.ts >= end - 1000 && e.dur! > 3000)) {
      const { self: s2, total: t2 } = tally(t.ts, t.ts + t.dur!);
      const kinds = new Map<string, number>();
      for (const e of main)
        if (e !== t && e.ts >= t.ts && e.ts < t.ts + t.dur! && e.name !== 'RunTask')
          kinds.set(e.name, (kinds.get(e.name) ?? 0) + e.dur! / 1000);
      console.log(
        `  task at ${((t.ts - end) / 1000).toFixed(1)} ms, ${(t.dur! / 1000).toFixed(1)} ms: ` +
          [...kinds]
            .sort((a, b) => b[1] - a[1])
            .slice(0, 8)
            .map(([n, ms]) => `${n} ${ms.toFixed(1)}`)
            .join(', '),
      );
      console.log(
        [...t2]
          .sort((a, b) => b[1] - a[1])
          .slice(0, Number(process.env.TRACE_TASKS))
          .map(
            ([n, ms]) =>
              `      ${ms.toFixed(1).padStart(6)} (self ${(s2.get(n) ?? 0).toFixed(1)})  ${n}`,
          )
          .join('\n'),
      );
    }
  const fmt = (m: Map<string, number>, k: number) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, k)
      .map(([n, ms]) => `    ${ms.toFixed(1).padStart(7)}  ${n}`)
      .join('\n');
  console.log(`  self time after last byte (ms):\n${fmt(self, 25)}`);
  console.log(`  total time after last byte (ms):\n${fmt(total, 40)}`);
}

function label(node: ProfileNode): string {
  const f = node.callFrame;
  const file = (f.url ?? '').split('/').at(-1) ?? '';
  return `${f.functionName || '(anonymous)'} ${file}:${(f.lineNumber ?? -1) + 1}`;
}

void main();
