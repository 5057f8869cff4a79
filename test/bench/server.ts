/**
 * Browser-mode server under load (loopback only). Starts `serve` (the TypeScript source
 * through tsx) in a child process and measures its process tree's RSS from /proc while
 *   1. eight concurrent ~49 MB JSON bodies (importPlanFile of the largest plan file),
 *   2. eight concurrent ~49 MB uploads (POST /api/files),
 * are in flight, then
 *   3. 1,100 idle sockets (nothing sent, or half a request line) are open;
 * during each, a small authenticated request (appInfo) must still be answered. Prints idle,
 * peak, peak − idle against the target (≤ 300 MB above idle), the statuses the large requests
 * got (200, or 503/413 refused), and how long the small request took.
 * BENCH_SERVER_MB overrides the body size, BENCH_SERVER_SOCKETS the idle socket count.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { BenchSection } from './index';

const ROOT = resolve(import.meta.dirname ?? __dirname, '../..');
const TARGET_MB = 300;
const URL_LINE = /^Order Planner \(browser mode\): (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)$/;

interface Served {
  child: ChildProcess;
  port: number;
  token: string;
  cleanup: () => void;
}

async function startServe(): Promise<Served> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-server-'));
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'src-main/server/serve.ts'), '--data-dir', join(dir, 'data')],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        TMPDIR: dir,
        TSX_TSCONFIG_PATH: join(ROOT, 'tsconfig.node.json'),
      },
    },
  );
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const line = await new Promise<string>((ok, fail) => {
    child.once('exit', (code) => fail(new Error(`serve exited with ${code}: ${stderr}`)));
    createInterface({ input: child.stdout! }).once('line', ok);
  });
  const m = URL_LINE.exec(line.trim());
  if (!m) throw new Error(`unexpected first stdout line: ${line}`);
  const url = new URL(m[1]);
  return {
    child,
    port: Number(url.port),
    token: url.searchParams.get('token')!,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** RSS of `pid` and all its descendants, in bytes (Linux /proc). */
function treeRss(pid: number): number {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(name));
      children.set(ppid, list);
    } catch {
      // exited meanwhile
    }
  }
  let total = 0;
  const queue = [pid];
  while (queue.length) {
    const p = queue.pop()!;
    try {
      const status = readFileSync(`/proc/${p}/status`, 'utf8');
      total += Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
    } catch {
      // exited meanwhile
    }
    queue.push(...(children.get(p) ?? []));
  }
  return total;
}

/** Samples the tree's RSS every 25 ms until stopped; returns the peak. */
function sampler(pid: number): { stop: () => number } {
  let peak = treeRss(pid);
  const timer = setInterval(() => (peak = Math.max(peak, treeRss(pid))), 25);
  return {
    stop: () => {
      clearInterval(timer);
      return Math.max(peak, treeRss(pid));
    },
  };
}

/** One POST; resolves to its status, or to the socket error's code when it was cut off. */
function post(
  s: Served,
  path: string,
  body: Buffer,
  headers: Record<string, string> = {},
): Promise<string> {
  return new Promise((ok) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: s.port,
        path,
        method: 'POST',
        agent: false,
        headers: {
          Authorization: `Bearer ${s.token}`,
          'Content-Length': body.length,
          ...headers,
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => ok(String(res.statusCode)));
        res.on('error', () => ok(String(res.statusCode)));
      },
    );
    req.on('error', (e: NodeJS.ErrnoException) => ok(e.code ?? 'error'));
    req.end(body);
  });
}

/** ms for an authenticated appInfo, and its status. */
async function probe(s: Served): Promise<string> {
  const t0 = performance.now();
  const status = await post(s, '/api/appInfo', Buffer.from('{}'));
  return `${status} in ${(performance.now() - t0).toFixed(0)} ms`;
}

const mb = (bytes: number) => (bytes / 1e6).toFixed(0);

function count(statuses: string[]): string {
  const n = new Map<string, number>();
  for (const s of statuses) n.set(s, (n.get(s) ?? 0) + 1);
  return [...n].map(([s, k]) => `${k}× ${s}`).join(', ');
}

/** Eight concurrent large requests; prints the tree's RSS and the small request's answer. */
async function eightLarge(
  s: Served,
  label: string,
  send: () => Promise<string>,
  log: (line: string) => void,
): Promise<void> {
  await new Promise((r) => setTimeout(r, 500));
  const idle = treeRss(s.child.pid!);
  const sampling = sampler(s.child.pid!);
  const large = Array.from({ length: 8 }, send);
  await new Promise((r) => setTimeout(r, 150)); // the bodies are on their way
  const small = await probe(s);
  const statuses = await Promise.all(large);
  const peak = sampling.stop();
  const over = peak - idle;
  log(
    `server (${label}): idle ${mb(idle)} MB, peak ${mb(peak)} MB, peak − idle ${mb(over)} MB ` +
      `(target ≤ ${TARGET_MB} MB: ${over <= TARGET_MB * 1e6 ? 'ok' : 'MISSED'}); ` +
      `large requests: ${count(statuses)}; appInfo during them: ${small}`,
  );
}

/** `sockets` idle loopback sockets (half of them with half a request line). */
async function idleSockets(s: Served, sockets: number, log: (line: string) => void) {
  const open: Socket[] = [];
  let refused = 0;
  for (let i = 0; i < sockets; i++) {
    const socket = connect(s.port, '127.0.0.1');
    socket.on('error', () => {});
    try {
      await once(socket, 'connect');
      if (i % 2) socket.write('GET /api/even');
      open.push(socket);
    } catch {
      refused++;
    }
  }
  await new Promise((r) => setTimeout(r, 200));
  const small = await probe(s);
  const stillOpen = open.filter((x) => !x.closed).length;
  log(
    `server (idle sockets): ${sockets} opened (${refused} refused), ${stillOpen} still open ` +
      `(the cap closes the oldest idle ones); appInfo: ${small}`,
  );
  for (const x of open) x.destroy();
}

export async function runServerBench(log: (line: string) => void = (l) => console.log(l)) {
  const bytes = Number(process.env.BENCH_SERVER_MB ?? 49) * 1e6;
  const sockets = Number(process.env.BENCH_SERVER_SOCKETS ?? 1100);
  // The largest plan file: a plan, then blanks up to the size (valid JSON, imported whole).
  const plan = JSON.stringify({
    name: 'Bench',
    symbol: 'BENCH',
    side: 'buy',
    shares: 1000,
    periods: 5,
    impact: { model: 'linear', beta: 1e-6 },
  });
  const text = plan.slice(0, -1) + ' '.repeat(bytes - plan.length - 200) + '}';
  const json = Buffer.from(JSON.stringify({ text, fileName: 'big.plan.json' }));
  const file = Buffer.alloc(bytes, 'a,b,c,d\n');
  const s = await startServe();
  try {
    await eightLarge(
      s,
      `8 × ${mb(json.length)} MB JSON`,
      () => post(s, '/api/importPlanFile', json, { 'Content-Type': 'application/json' }),
      log,
    );
    await eightLarge(
      s,
      `8 × ${mb(file.length)} MB uploads`,
      () => post(s, '/api/files', file, { 'X-File-Name': 'book.csv' }),
      log,
    );
    await idleSockets(s, sockets, log);
  } finally {
    s.child.kill('SIGTERM');
    await once(s.child, 'exit');
    s.cleanup();
  }
}

export const serverBench: BenchSection = {
  name: 'server',
  run: () => runServerBench(),
};
