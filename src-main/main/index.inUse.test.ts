/**
 * The desktop app started while a browser-mode server holds its data folder (index.ts against
 * a fake electron): a dialog names the server, the app quits, and nothing in the folder moves.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it, vi } from 'vitest';
import { DATABASE_FILE } from '../backend/backend';
import { acquireDatabaseLock } from '../storage/lock';

const fake = vi.hoisted(() => ({
  calls: [] as string[],
  dataDir: '',
  listeners: new Map<string, (...args: unknown[]) => unknown>(),
}));

fake.dataDir = mkdtempSync(join(tmpdir(), 'op-main-in-use-'));
const held = acquireDatabaseLock(join(fake.dataDir, DATABASE_FILE), 'browser-mode server');
held.setUrl('http://127.0.0.1:41234');
afterAll(() => {
  held.release();
  rmSync(fake.dataDir, { recursive: true, force: true });
});

const noop = () => {};
vi.mock('electron', () => ({
  app: {
    isPackaged: false,
    whenReady: () => Promise.resolve(),
    getPath: () => fake.dataDir,
    getVersion: () => '0.1.0',
    on: (event: string, l: (...args: unknown[]) => unknown) => fake.listeners.set(event, l),
    requestSingleInstanceLock: () => true,
    enableSandbox: noop,
    quit: () => fake.calls.push('quit'),
    exit: (code: number) => fake.calls.push(`exit ${code}`),
  },
  protocol: { registerSchemesAsPrivileged: noop, handle: noop },
  net: { fetch: () => Promise.reject(new Error('not here')) },
  session: {
    defaultSession: {
      setPermissionRequestHandler: noop,
      setPermissionCheckHandler: noop,
      setDevicePermissionHandler: noop,
      setDisplayMediaRequestHandler: noop,
    },
  },
  dialog: {
    showErrorBox: (title: string, message: string) =>
      fake.calls.push(`showErrorBox ${title}: ${message}`),
  },
  utilityProcess: { fork: noop },
}));

it('data folder held by a browser-mode server: the app names it in a dialog and quits, touching nothing', async () => {
  const before = readdirSync(fake.dataDir).sort();
  await import('./index');
  await vi.waitFor(() => expect(fake.calls.at(-1)).toBe('exit 1'));
  expect(fake.calls).toEqual([
    expect.stringMatching(
      new RegExp(
        `^showErrorBox Order Planner is already running: The database .* is in use by another Order Planner \\(browser-mode server, process ${process.pid}, started [^,]+, at http://127\\.0\\.0\\.1:41234\\)`,
      ),
    ),
    'exit 1',
  ]);
  expect(readdirSync(fake.dataDir).sort()).toEqual(before);
});
