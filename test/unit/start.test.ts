/**
 * `npm start` (build/start.mjs): the desktop app when the Electron runtime is there, else a few
 * plain lines and browser mode, never a stack trace.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(__dirname, '..', '..');
const script = join(root, 'build', 'start.mjs');
const dir = mkdtempSync(join(tmpdir(), 'op-start-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A fake node_modules/electron: its package.json, and optionally path.txt and the binary. */
function electronDir(name: string, parts: { pathTxt?: string; binary?: string }): string {
  const d = join(dir, name);
  mkdirSync(join(d, 'dist'), { recursive: true });
  writeFileSync(join(d, 'package.json'), '{"name":"electron"}');
  if (parts.pathTxt !== undefined) writeFileSync(join(d, 'path.txt'), parts.pathTxt);
  if (parts.binary !== undefined) writeFileSync(join(d, 'dist', parts.binary), '');
  return d;
}

function check(electron: string) {
  const env: NodeJS.ProcessEnv = { ...process.env, ORDER_PLANNER_ELECTRON_DIR: electron };
  delete env.ELECTRON_OVERRIDE_DIST_PATH;
  return spawnSync(process.execPath, [script], {
    env: { ...env, ORDER_PLANNER_START_CHECK: '1' },
    encoding: 'utf8',
  });
}

describe('npm start: is the Electron runtime there?', () => {
  it('finds the binary that path.txt names', () => {
    const r = check(electronDir('ok', { pathTxt: 'electron', binary: 'electron' }));
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`electron: ${join(dir, 'ok', 'dist', 'electron')}\n`);
  });

  it('says why when it was never downloaded or its binary is gone', () => {
    const never = check(electronDir('never', {}));
    expect(never.status).toBe(1);
    expect(never.stdout).toBe(
      'no electron: its binary was never downloaded, node_modules/electron has no path.txt\n',
    );
    const gone = check(electronDir('gone', { pathTxt: 'electron' }));
    expect(gone.status).toBe(1);
    expect(gone.stdout).toBe(
      `no electron: its binary ${join(dir, 'gone', 'dist', 'electron')} is missing\n`,
    );
  });
});

describe('npm start without the Electron runtime', () => {
  it('says so in a few lines, names npm run serve and starts browser mode, printing its URL', async () => {
    const child = spawn(
      process.execPath,
      [script, '--port', '0', '--data-dir', join(dir, 'data')],
      {
        env: { ...process.env, ORDER_PLANNER_ELECTRON_DIR: electronDir('missing', {}) },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL; stderr:\n${stderr}`)), 120_000);
      child.stdout.on('data', (b: Buffer) => {
        stdout += b.toString();
        const m = /Order Planner \(browser mode\): (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(
          stdout,
        );
        if (m) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
      child.on('exit', (code) => reject(new Error(`exited with ${code}; stderr:\n${stderr}`)));
    });
    const page = await fetch(url);
    expect(page.status).toBe(200);
    const exited = new Promise((resolve) => child.on('exit', resolve));
    child.kill('SIGTERM');
    await exited;
    const lines = stderr.split('\n');
    expect(lines[0]).toBe(
      'The desktop window cannot open here: the Electron runtime is missing: its binary was never downloaded, node_modules/electron has no path.txt.',
    );
    expect(stderr).toContain('`npm run serve`');
    // No Node stack trace anywhere.
    expect(stderr).not.toMatch(/^\s+at /m);
    expect(stderr).not.toContain('Error:');
  }, 180_000);
});
