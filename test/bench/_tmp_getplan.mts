import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { windowPlan } from '/work/wt/reopen/test/bench/windowPlan';
const out = process.env.OUT ?? '/work/wt/reopen/out';
const dir = mkdtempSync(join(tmpdir(), 'reopen-gp-'));
const args = (process.env.NODE_ARGS ?? '').split(' ').filter(Boolean);
const child = spawn(process.execPath, [...args, join(out, 'main/serve.js'), '--data-dir', dir], { stdio: ['ignore', 'pipe', 'inherit'] });
const line: string = await new Promise((ok) => createInterface({ input: child.stdout! }).once('line', ok));
const url = new URL(/(http\S+)/.exec(line)![1]);
const auth = { Authorization: `Bearer ${url.searchParams.get('token')}`, 'Content-Type': 'application/json' };
const post = (op: string, body: unknown, accept?: string) => fetch(`${url.origin}/api/${op}`, { method: 'POST', headers: { ...auth, ...(accept ? { Accept: accept } : {}) }, body: JSON.stringify(body) });
const plan = windowPlan(100000);
const r = (await (await post('solve', { plan, curve: true })).json()) as { value: unknown };
const saved = (await (await post('savePlan', { plan, result: r.value })).json()) as { value: { id: string } };
const ms: number[] = [];
for (let k = 0; k < Number(process.env.N ?? 30); k++) {
  const t0 = performance.now();
  const res = await post('getPlan', { id: saved.value.id }, 'application/vnd.order-planner.columns');
  await res.arrayBuffer();
  ms.push(performance.now() - t0);
}
ms.sort((a, b) => a - b);
console.log(`getPlan binary: median ${ms[ms.length >> 1].toFixed(1)} ms, min ${ms[0].toFixed(1)}`);
child.kill('SIGINT');
await new Promise((r) => child.once('exit', r));
