import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PlannerError } from '@shared/contract';
import { mbp10Csv, syntheticDay } from '../../test/fixtures/mbp10';
import { createBackend, type Backend } from '../backend/backend';
import { dispatch } from '../backend/dispatch';
import { forkTs, tsWorkerSpawner } from '../testing/forkTs';
import { removeStaleUploadDirs, UploadStore } from './uploads';

let root: string;
const cleanup: (() => Promise<void> | void)[] = [];
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'op-uploads-'));
});
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
  rmSync(root, { recursive: true, force: true });
});

/** The id of a process that has exited (ids are not reused that quickly). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  expect(child.status).toBe(0);
  return child.pid;
}

async function rejection(p: Promise<unknown>): Promise<PlannerError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(PlannerError);
    return e as PlannerError;
  }
  throw new Error('expected a PlannerError');
}

describe('upload folders of servers that are gone', () => {
  it('stale-upload-folders: those of dead servers go; live ones, old-style recent ones and others stay', () => {
    const dead = deadPid();
    const folder = (name: string) => {
      mkdirSync(join(root, name));
      writeFileSync(join(root, name, 'upload-1'), 'a,b\n');
      return join(root, name);
    };
    const ofDead = folder(`order-planner-uploads-${dead}-a1B2c3`);
    const ofUs = folder(`order-planner-uploads-${process.pid}-d4E5f6`);
    const ofParent = folder(`order-planner-uploads-${process.ppid}-g7H8i9`);
    const oldStyleOld = folder('order-planner-uploads-Zz9Yy8');
    const oldStyleNew = folder('order-planner-uploads-Xx7Ww6');
    const other = folder('something-else');
    writeFileSync(join(root, `order-planner-uploads-${dead}-fIlE00`), 'not a folder');
    const now = Date.now();
    const twoDaysAgo = (now - 2 * 24 * 3600 * 1000) / 1000;
    utimesSync(oldStyleOld, twoDaysAgo, twoDaysAgo);

    const removed = removeStaleUploadDirs(root, now);
    expect(removed.sort()).toEqual([ofDead, oldStyleOld].sort());
    expect(existsSync(ofDead)).toBe(false);
    expect(existsSync(oldStyleOld)).toBe(false);
    for (const kept of [ofUs, ofParent, oldStyleNew, other]) expect(existsSync(kept)).toBe(true);
    expect(existsSync(join(root, `order-planner-uploads-${dead}-fIlE00`))).toBe(true);
  });

  it("stale-upload-folders: a store's folder carries its server's process id", () => {
    const store = new UploadStore(10, { root });
    cleanup.push(() => store.dispose());
    expect(basename(store.dir)).toMatch(
      new RegExp(`^order-planner-uploads-${process.pid}-[A-Za-z0-9]{6}$`),
    );
    expect(removeStaleUploadDirs(root)).toEqual([]);
  });

  it('stale-upload-folders: serve removes them when it starts, and its own when it stops', async () => {
    const stale = join(root, `order-planner-uploads-${deadPid()}-Qq1Rr2`);
    mkdirSync(stale);
    writeFileSync(join(stale, 'upload-1'), 'left by a crash');
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = root; // the child's os.tmpdir()
    const child = forkTs('src-main/server/serve.ts', ['--data-dir', join(root, 'data')], {
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const line = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
        out += chunk;
        if (out.includes('\n')) resolve(out);
      });
      child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${stderr}`)));
    });
    const [, url, token] = /^Order Planner \(browser mode\): (\S+)\?token=(\S+)\n$/.exec(line)!;
    // Answered: start-up has finished (the signal handlers are in place).
    const info = await fetch(`${url}api/appInfo`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(info.status).toBe(200);
    expect(existsSync(stale)).toBe(false);
    expect(stderr).toContain(`removed the uploads a stopped server left behind: ${stale}`);
    const own = `order-planner-uploads-${child.pid}-`;
    expect(readdirSync(root).filter((n) => n.startsWith(own))).toHaveLength(1);
    child.kill('SIGTERM');
    const [code, signal] = await once(child, 'exit');
    expect([code, signal], stderr).toEqual([0, null]);
    expect(readdirSync(root).filter((n) => n.startsWith(own))).toEqual([]);
  });
});

describe('pending uploads', () => {
  const session = { start: '09:30', end: '09:50', timeZone: 'America/New_York' };
  const day = mbp10Csv(
    syntheticDay({
      fromMs: Date.parse('2025-04-03T13:33:00Z'),
      toMs: Date.parse('2025-04-03T13:51:00Z'),
      rows: 200,
      seed: 3,
    }),
    { symbol: 'ACME' },
  );

  function backendWith(uploads: UploadStore): Backend {
    const backend = createBackend({
      mode: 'browser',
      version: '1.0.0',
      dataDir: ':memory:',
      spawn: tsWorkerSpawner('src-main/solver/fakeWorker.testchild.ts'),
      resolveFile: (ref) => uploads.resolve(ref),
      releaseFile: (ref) => uploads.discard(ref),
    });
    cleanup.push(() => backend.close());
    return backend;
  }

  it('upload-deleted-after-import: an upload is deleted once imported, and when its import fails', async () => {
    const uploads = new UploadStore(1_000_000, { root });
    cleanup.push(() => uploads.dispose());
    const backend = backendWith(uploads);
    const good = await uploads.save(Readable.from([day]), 'ACME.csv');
    const bad = await uploads.save(Readable.from(['not,an,order,book\n1,2,3,4\n']), 'bad.csv');
    expect(readdirSync(uploads.dir).sort()).toEqual([bad, good].sort());
    expect(uploads.pendingBytes).toBeGreaterThan(day.length);

    const imported = await dispatch(backend.services, 'importBook', {
      file: good,
      periodMinutes: 1,
      session,
    });
    expect(imported).toMatchObject({ ok: true, value: { symbol: 'ACME', fileName: 'ACME.csv' } });
    expect(readdirSync(uploads.dir)).toEqual([bad]);
    expect(() => uploads.resolve(good)).toThrow(/no uploaded file/);

    const failed = await dispatch(backend.services, 'importBook', {
      file: bad,
      periodMinutes: 1,
      session,
    });
    expect(failed.ok).toBe(false);
    expect(readdirSync(uploads.dir)).toEqual([]);
    expect(uploads.pendingBytes).toBe(0);
  });

  it('pending-uploads-cap: uploads waiting to be imported are capped in total, with the limit named', async () => {
    const uploads = new UploadStore(100, { root, maxPendingBytes: 150 });
    cleanup.push(() => uploads.dispose());
    const first = await uploads.save(Readable.from(['x'.repeat(80)]), 'a.csv');
    const e = await rejection(uploads.save(Readable.from(['y'.repeat(80)]), 'b.csv'));
    expect(e.code).toBe('too_large');
    expect(e.message).toBe(
      'file: uploads waiting to be imported are limited to 150 bytes in total; import the files already uploaded, then upload this one again',
    );
    expect(readdirSync(uploads.dir)).toEqual([first]); // nothing of the refused one kept
    expect(uploads.pendingBytes).toBe(80);
    // The per-file limit still applies on its own.
    const big = await rejection(uploads.save(Readable.from(['z'.repeat(101)]), 'c.csv'));
    expect(big.message).toBe('file: uploads are limited to 100 bytes');
    // Once the first is imported (and so deleted), there is room again.
    uploads.discard(first);
    expect(uploads.pendingBytes).toBe(0);
    const second = await uploads.save(Readable.from(['y'.repeat(80)]), 'b.csv');
    expect(uploads.resolve(second)).toMatchObject({ fileName: 'b.csv', bytes: 80 });
  });
});
