/**
 * The server's share of Solve and of opening a saved plan at N = 100,000 periods: the built
 * browser-mode server (out/main/serve.js; `npm run build` first, this builds nothing) is
 * started, and each call is made over HTTP from this process, without a browser. For each it
 * prints the wall time to the response's last byte and the CPU time (user + system) the
 * server's process tree spent on it (serve.js with its storage thread, plus the solver
 * worker processes), read from /proc, so a loaded machine inflates the first, not the second.
 * Solve is given less the solver's own time (the result's `solver.millis`, which is wall time
 * and leaves out the rest of solvePlan: baselines, metrics, warnings); serve.js's own share
 * is printed beside it.
 * BENCH_WIRE_OUT=<folder> runs another build's out/ (e.g. main's, for an A/B run);
 * BENCH_WIRE_SIZES (default 100000) and BENCH_WIRE_REPEAT (default 5); BENCH_WIRE_NODE_ARGS
 * (e.g. "--cpu-prof") is given to serve.js's node. Each call is made twice: with the JSON
 * answer, and with the binary answer the window asks for (Accept: COLUMNS_MEDIA_TYPE).
 * Figures only.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { COLUMNS_MEDIA_TYPE, answerFromBinary } from '../../src-shared/resultBinary';
import { windowPlan } from './windowPlan';
import type { BenchSection } from './index';

const ROOT = resolve(import.meta.dirname ?? __dirname, '../..');
const URL_LINE = /^Order Planner \(browser mode\): (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)$/;
const REPEAT = Number(process.env.BENCH_WIRE_REPEAT ?? 5);
/** Clock ticks per second of /proc's utime and stime (USER_HZ, 100 on Linux). */
const TICKS = 100;

async function startServe(out: string): Promise<{ url: URL; child: ChildProcess; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-wire-'));
  const nodeArgs = process.env.BENCH_WIRE_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const child = spawn(
    process.execPath,
    [...nodeArgs, join(out, 'main/serve.js'), '--data-dir', dir],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const line = await new Promise<string>((ok, fail) => {
    child.once('exit', (code) => fail(new Error(`serve exited with ${code}`)));
    createInterface({ input: child.stdout! }).once('line', ok);
  });
  const m = URL_LINE.exec(line.trim());
  if (!m) throw new Error(`unexpected first stdout line: ${line}`);
  return { url: new URL(m[1]), child, dir };
}

/** CPU ms (user + system) of `pid` (`own`) and of every process below it (`workers`). */
function treeCpuMs(pid: number): { own: number; workers: number } {
  const stats = new Map<number, { ppid: number; ticks: number }>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const text = readFileSync(`/proc/${name}/stat`, 'utf8');
      const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
      // After the name: state ppid … utime (14th field overall, 12th here) stime.
      stats.set(Number(name), { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) });
    } catch {
      // gone meanwhile
    }
  }
  const inTree = (p: number): boolean => {
    for (let q = p, hops = 0; q > 1 && hops < 10; hops++) {
      if (q === pid) return true;
      q = stats.get(q)?.ppid ?? 0;
    }
    return false;
  };
  let own = 0;
  let workers = 0;
  for (const [p, s] of stats) {
    if (p === pid) own += s.ticks;
    else if (inTree(p)) workers += s.ticks;
  }
  return { own: (own * 1000) / TICKS, workers: (workers * 1000) / TICKS };
}

interface Call {
  wallMs: number;
  cpuMs: number;
  /** Of cpuMs, serve.js's own (its main and storage threads); the rest is the workers'. */
  serverMs: number;
  bytes: number;
  body: { ok: boolean; value?: unknown; error?: { message: string } };
}

async function call(
  url: URL,
  pid: number,
  op: string,
  input: unknown,
  binary = false,
): Promise<Call> {
  const body = JSON.stringify(input);
  const cpu0 = treeCpuMs(pid);
  const t0 = performance.now();
  const res = await fetch(`${url.origin}/api/${op}`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Authorization: `Bearer ${url.searchParams.get('token')}`,
      ...(binary ? { Accept: `${COLUMNS_MEDIA_TYPE}, application/json` } : {}),
    },
    body,
  });
  const bytes = new Uint8Array(await res.arrayBuffer());
  const wallMs = performance.now() - t0;
  const cpu1 = treeCpuMs(pid);
  const serverMs = cpu1.own - cpu0.own;
  const cpuMs = serverMs + cpu1.workers - cpu0.workers;
  const isBinary = res.headers.get('content-type') === COLUMNS_MEDIA_TYPE;
  if (binary !== isBinary)
    throw new Error(`${op}: asked binary=${binary}, got ${res.headers.get('content-type')}`);
  const parsed = (
    isBinary ? binaryBody(bytes) : JSON.parse(new TextDecoder().decode(bytes))
  ) as Call['body'];
  if (!parsed.ok) throw new Error(`${op}: ${parsed.error?.message}`);
  return { wallMs, cpuMs, serverMs, bytes: bytes.length, body: parsed };
}

/** A binary answer, decoded; another build's earlier layout ("OPC1", A/B runs): its header. */
function binaryBody(bytes: Uint8Array): unknown {
  if (String.fromCharCode(...bytes.subarray(0, 4)) === 'OPC2')
    return answerFromBinary(bytes.buffer as ArrayBuffer);
  const headLength = new DataView(bytes.buffer).getUint32(4, true);
  return JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headLength)));
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (ms: number) => ms.toLocaleString('en-US', { maximumFractionDigits: 0 });

export const wireBench: BenchSection = {
  name: 'wire',
  run: async () => {
    const out = resolve(process.env.BENCH_WIRE_OUT ?? join(ROOT, 'out'));
    if (!existsSync(join(out, 'main/serve.js'))) {
      console.log(`wire: ${out}/main/serve.js is missing: run "npm run build" first.`);
      return;
    }
    const sizes = (process.env.BENCH_WIRE_SIZES ?? '100000').split(',').map(Number);
    const { url, child, dir } = await startServe(out);
    const pid = child.pid!;
    console.log(`server: ${out}; load average ${readFileSync('/proc/loadavg', 'utf8').trim()}`);
    console.log('| what | wall ms | CPU ms (serve.js + workers) | of which serve.js | body |');
    console.log('| ---- | ------- | --------------------------- | ----------------- | ---- |');
    try {
      for (const n of sizes) {
        const plan = windowPlan(n);
        const N = n.toLocaleString('en-US');
        // A first solve warms the worker and the server up; it is not counted.
        const first = await call(url, pid, 'solve', { plan });
        const saved = await call(url, pid, 'savePlan', { plan, result: first.body.value });
        const id = (saved.body.value as { id: string }).id;
        await call(url, pid, 'getPlan', { id });
        await call(url, pid, 'getPlan', { id }, true);
        // JSON answers, then the binary ones the window asks for (Accept: COLUMNS_MEDIA_TYPE).
        for (const binary of [false, true]) {
          const solves: Call[] = [];
          const solverMs: number[] = [];
          const opens: Call[] = [];
          for (let k = 0; k < REPEAT; k++) {
            const s = await call(url, pid, 'solve', { plan }, binary);
            solves.push(s);
            solverMs.push((s.body.value as { solver: { millis: number } }).solver.millis);
            opens.push(await call(url, pid, 'getPlan', { id }, binary));
          }
          const mb = (c: Call[]) => `${(c[0].bytes / 1e6).toFixed(1)} MB`;
          const solver = median(solverMs);
          const how = binary ? 'binary' : 'JSON';
          console.log(
            `| Solve N=${N} ${how}, less solver (solver ${fmt(solver)} ms) | ` +
              `${fmt(median(solves.map((c) => c.wallMs)) - solver)} | ` +
              `${fmt(median(solves.map((c) => c.cpuMs)) - solver)} | ` +
              `${fmt(median(solves.map((c) => c.serverMs)))} | ${mb(solves)} |`,
          );
          console.log(
            `| getPlan N=${N} ${how} | ${fmt(median(opens.map((c) => c.wallMs)))} | ` +
              `${fmt(median(opens.map((c) => c.cpuMs)))} | ` +
              `${fmt(median(opens.map((c) => c.serverMs)))} | ${mb(opens)} |`,
          );
        }
      }
      console.log(`(median of ${REPEAT}; CPU from /proc in 10 ms ticks)`);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode === null ? child.once('exit', r) : r(null)));
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
