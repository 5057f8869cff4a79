import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { watch } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { DATABASE_FILE } from '../backend/backend';
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

/** Run serve with `args` until it exits on its own: its exit code and what it printed. */
async function serveUntilExit(args: string[]) {
  const child = forkTs('src-main/server/serve.ts', args, {
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const stdout = collect(child.stdout);
  const stderr = collect(child.stderr);
  const [code] = await once(child, 'exit');
  return { code, stdout: stdout.text, stderr: stderr.text };
}

it('serve prints exactly one URL line, answers with the token, and stops cleanly on SIGTERM', async () => {
  const dataDir = join(dir, 'data');
  const child = forkTs('src-main/server/serve.ts', ['--port', '0', '--data-dir', dataDir], {
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const stderr = collect(child.stderr);
  child.stdout!.setEncoding('utf8');
  let stdout = '';
  const firstLine = new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk: string) => {
      stdout += chunk;
      if (stdout.includes('\n')) resolve(stdout);
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${stderr.text}`)));
  });
  const m =
    /^Order Planner \(browser mode\): (http:\/\/127\.0\.0\.1:(\d+)\/\?token=([A-Za-z0-9_-]+))\n$/.exec(
      await firstLine,
    );
  expect(m, stdout).not.toBeNull();
  const [, , port, token] = m!;
  const info = await fetch(`http://127.0.0.1:${port}/api/appInfo`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}` },
  });
  expect(await info.json()).toMatchObject({
    ok: true,
    value: { mode: 'browser', dataDir, databasePath: join(dataDir, DATABASE_FILE), notices: [] },
  });
  expect((await fetch(`http://127.0.0.1:${port}/api/appInfo`, { method: 'POST' })).status).toBe(
    401,
  );
  child.kill('SIGTERM');
  const [code] = await once(child, 'exit');
  expect(code).toBe(0);
  expect(stdout.split('\n')).toHaveLength(2); // one line and its newline, nothing else
});

it('serve refuses a bad --port with a clear message', async () => {
  const { code, stdout, stderr } = await serveUntilExit(['--port', 'abc']);
  expect(code).toBe(2);
  expect(stdout).toBe('');
  expect(stderr).toMatch(/--port: must be a whole number 0\.\.65535/);
});

it('serve refuses a database from a newer version with a clear message and leaves it alone', async () => {
  const dataDir = join(dir, 'data');
  mkdirSync(dataDir);
  const raw = new Database(join(dataDir, DATABASE_FILE));
  raw.pragma('user_version = 999999');
  raw.close();
  const { code, stdout, stderr } = await serveUntilExit(['--data-dir', dataDir]);
  expect(code).toBe(2);
  expect(stdout).toBe('');
  expect(stderr).toMatch(/written by a newer version of Order Planner \(schema 999999/);
  const again = new Database(join(dataDir, DATABASE_FILE), { readonly: true });
  expect(again.pragma('user_version', { simple: true })).toBe(999999);
  again.close();
});

it('sigterm-at-start: a SIGTERM as soon as the upload folder exists still removes it', async () => {
  const root = join(dir, 'tmp');
  mkdirSync(root);
  const saved = process.env.TMPDIR;
  process.env.TMPDIR = root; // the child's os.tmpdir()
  const child = forkTs('src-main/server/serve.ts', ['--data-dir', join(dir, 'data')], {
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  if (saved === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = saved;
  const stderr = collect(child.stderr);
  const exited = once(child, 'exit');
  const own = `order-planner-uploads-${child.pid}-`;
  // Signal the moment the folder appears: before the server has printed its URL.
  const watcher = watch(root);
  try {
    for await (const event of watcher) {
      if (event.filename?.startsWith(own)) break;
    }
  } finally {
    child.kill('SIGTERM');
  }
  const [code, signal] = await exited;
  expect([code, signal], stderr.text).toEqual([0, null]);
  expect(readdirSync(root).filter((n) => n.startsWith(own))).toEqual([]);
});
