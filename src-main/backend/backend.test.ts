import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createBackend, DATABASE_FILE, type Backend } from './backend';
import { dispatch } from './dispatch';
import { tsWorkerSpawner } from '../testing/forkTs';
import { samplePlan } from '../testing/plans';

let dir: string;
let backend: Backend | null = null;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'op-backend-'));
});
afterEach(async () => {
  await backend?.close();
  backend = null;
  rmSync(dir, { recursive: true, force: true });
});

const modeOf = (path: string) => statSync(path).mode & 0o777;

function start(dataDir: string): Backend {
  backend = createBackend({
    mode: 'browser',
    version: '1.0.0',
    dataDir,
    spawn: tsWorkerSpawner('src-main/solver/fakeWorker.testchild.ts'),
    resolveFile: () => {
      throw new Error('no files here');
    },
  });
  return backend;
}

it('data-folder-permissions: a new data folder is 0700 and the database files in it 0600', async () => {
  const dataDir = join(dir, 'new', 'order-planner');
  const b = start(dataDir);
  expect((await dispatch(b.services, 'savePlan', { plan: samplePlan() })).ok).toBe(true);
  expect(modeOf(dataDir)).toBe(0o700);
  const db = join(dataDir, DATABASE_FILE);
  expect([db, `${db}-wal`, `${db}-shm`].map(modeOf)).toEqual([0o600, 0o600, 0o600]);
});

it('data-folder-permissions: a folder and files an older version made 0755/0644 are tightened', () => {
  const dataDir = join(dir, 'order-planner');
  mkdirSync(dataDir);
  chmodSync(dataDir, 0o755);
  const files = [
    DATABASE_FILE,
    'settings.json',
    `${DATABASE_FILE}.corrupt-2026-01-01T00-00-00-000Z`,
  ];
  new Database(join(dataDir, DATABASE_FILE)).close();
  for (const name of files.slice(1)) writeFileSync(join(dataDir, name), '{}');
  writeFileSync(join(dataDir, 'Local State'), '{}'); // Chromium's, in Electron's folder
  for (const name of [...files, 'Local State']) chmodSync(join(dataDir, name), 0o644);
  start(dataDir);
  expect(modeOf(dataDir)).toBe(0o700);
  expect(files.map((name) => modeOf(join(dataDir, name)))).toEqual([0o600, 0o600, 0o600]);
  expect(modeOf(join(dataDir, 'Local State'))).toBe(0o644);
});

it("locked-database: the services answer a locked database with 'storage' and the busy message, not 'internal'", async () => {
  const b = start(dir);
  const other = new Database(join(dir, DATABASE_FILE));
  other.exec('BEGIN IMMEDIATE');
  const locked = await dispatch(b.services, 'savePlan', { plan: samplePlan() });
  expect(locked).toEqual({
    ok: false,
    error: {
      code: 'storage',
      message:
        'Could not save the plan: the database is busy (another Order Planner may be using it). Try again in a moment.',
    },
  });
  other.exec('ROLLBACK');
  other.close();
  expect(await dispatch(b.services, 'savePlan', { plan: samplePlan() })).toMatchObject({
    ok: true,
  });
});
