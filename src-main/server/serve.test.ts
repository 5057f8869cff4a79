import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { forkTs } from '../testing/forkTs';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'op-serve-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function collect(stream: NodeJS.ReadableStream | null): { text: string } {
  const out = { text: '' };
  stream?.setEncoding('utf8');
  stream?.on('data', (chunk: string) => (out.text += chunk));
  return out;
}

it('serve prints exactly one URL line, answers with the token, and stops cleanly on SIGTERM', async () => {
  const dataDir = join(dir, 'data');
  const child = forkTs('src-main/server/serve.ts', ['--port', '0', '--data-dir', dataDir], {
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const stdout = collect(child.stdout);
  const stderr = collect(child.stderr);
  while (!stdout.text.includes('\n')) {
    const [exited] = await Promise.race([once(child.stdout!, 'data'), once(child, 'exit')]);
    if (typeof exited !== 'string' && child.exitCode !== null) throw new Error(stderr.text);
  }
  const m =
    /^Order Planner \(browser mode\): (http:\/\/127\.0\.0\.1:(\d+)\/\?token=([A-Za-z0-9_-]+))\n$/.exec(
      stdout.text,
    );
  expect(m, stdout.text).not.toBeNull();
  const [, , port, token] = m!;
  const info = await fetch(`http://127.0.0.1:${port}/api/appInfo`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}` },
  });
  expect(await info.json()).toMatchObject({
    ok: true,
    value: { mode: 'browser', dataDir, databasePath: join(dataDir, 'planner.db'), notices: [] },
  });
  expect((await fetch(`http://127.0.0.1:${port}/api/appInfo`, { method: 'POST' })).status).toBe(
    401,
  );
  child.kill('SIGTERM');
  const [code] = await once(child, 'exit');
  expect(code).toBe(0);
  expect(stdout.text.split('\n')).toHaveLength(2); // one line and its newline, nothing else
});

it('serve refuses a bad --port with a clear message', async () => {
  const child = forkTs('src-main/server/serve.ts', ['--port', 'abc'], {
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const stdout = collect(child.stdout);
  const stderr = collect(child.stderr);
  const [code] = await once(child, 'exit');
  expect(code).toBe(2);
  expect(stdout.text).toBe('');
  expect(stderr.text).toMatch(/--port: must be a whole number 0\.\.65535/);
});
