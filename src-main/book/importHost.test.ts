/**
 * The order-book import in a worker process: the real worker entry (importWorker.ts) forked
 * through tsx, against files from the MBP-10 generator, compared with importMbp10File run in
 * this process. A few host-only cases use an in-memory fake worker handle.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { syntheticDay, writeMbp10File } from '../../test/fixtures/mbp10';
import { writeMbp10DbnFile } from '../../test/fixtures/mbp10Dbn';
import type { WorkerHandle } from '../platform/spawner';
import { nodeSpawner } from '../platform/nodeSpawner';
import { REPO_ROOT, forkTs } from '../testing/forkTs';
import { isAlive, rejection } from '../testing/outcomes';
import {
  createImportRunner,
  type ImportHostToWorker,
  type ImportOptions,
  type ImportSpawner,
} from './importHost';
import { importMbp10File, type ImportFileResult, type ReadProgress } from './mbp10';

const WORKER = 'src-main/workers/importWorker.ts';
const NY = 'America/New_York';
const SESSION: ImportOptions = {
  periodMinutes: 1,
  session: { start: '09:30', end: '09:40', timeZone: NY },
};

const dir = mkdtempSync(join(tmpdir(), 'import-host-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A spawned worker as the test sees it: its handle and how it ended. */
interface Spawned {
  handle: WorkerHandle<ImportHostToWorker>;
  exit: Promise<{ code: number | null; signal: string | null }>;
}

/** Every worker a test started; whatever is left running is killed after the test. */
const started: Spawned[] = [];
afterEach(async () => {
  for (const s of started.splice(0)) {
    s.handle.kill('SIGKILL');
    await s.exit;
  }
});

/** The real worker through tsx, recording every process it starts. */
function recordingSpawner(): { spawn: ImportSpawner; spawned: Spawned[] } {
  const base = nodeSpawner<ImportHostToWorker>({
    modulePath: resolve(REPO_ROOT, WORKER),
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, TSX_TSCONFIG_PATH: resolve(REPO_ROOT, 'tsconfig.node.json') },
  });
  const spawned: Spawned[] = [];
  const spawn: ImportSpawner = () => {
    const handle = base();
    const exit = new Promise<{ code: number | null; signal: string | null }>((r) =>
      handle.onExit((code, signal) => r({ code, signal })),
    );
    spawned.push({ handle, exit });
    started.push({ handle, exit });
    return handle;
  };
  return { spawn, spawned };
}

const small = join(dir, 'XYZ-mbp10.csv');
// 09:29–09:41 New York on 2025-04-03; a few MB (several 1 MB chunks, so several progress
// reports).
beforeAll(async () => {
  await writeMbp10File(
    small,
    syntheticDay({
      fromMs: Date.parse('2025-04-03T13:29:00Z'),
      toMs: Date.parse('2025-04-03T13:41:00Z'),
      rows: 12_000,
      seed: 3,
    }),
  );
});

describe('order-book import in a worker process', () => {
  const large = join(dir, 'BIG-mbp10.csv');

  beforeAll(async () => {
    // A large file (~80 MB) that takes a while to read.
    await writeMbp10File(
      large,
      syntheticDay({
        fromMs: Date.parse('2025-04-03T13:29:00Z'),
        toMs: Date.parse('2025-04-03T13:41:00Z'),
        rows: 200_000,
        seed: 4,
      }),
    );
  });

  it('returns what importMbp10File returns in process, with progress', async () => {
    const { spawn, spawned } = recordingSpawner();
    const run = createImportRunner(spawn);
    const progress: ReadProgress[] = [];
    const viaWorker = await run(small, {
      ...SESSION,
      fileName: 'XYZ-mbp10.csv',
      onProgress: (p) => progress.push(p),
    });
    const inProcess = await importMbp10File(small, { ...SESSION, fileName: 'XYZ-mbp10.csv' });
    expect(viaWorker).toEqual(inProcess);
    expect(viaWorker.usableRows).toBe(12_000);
    expect(viaWorker.symbol).toBe('TEST');

    expect(progress.length).toBeGreaterThan(1);
    const bytes = progress.map((p) => p.bytes);
    expect(bytes).toEqual([...bytes].sort((a, b) => a - b));
    expect(progress.at(-1)).toEqual({ bytes: inProcess.bytes, totalBytes: inProcess.bytes });

    // One process for the import, stopped afterwards.
    expect(spawned).toHaveLength(1);
    const { handle, exit } = spawned[0];
    await exit;
    expect(isAlive(handle.pid!)).toBe(false);
  });

  it('passes the options through (the session changes the result)', async () => {
    const { spawn, spawned } = recordingSpawner();
    const run = createImportRunner(spawn);
    const options: ImportOptions = {
      periodMinutes: 2,
      session: { start: '09:32', end: '09:38', timeZone: NY },
      date: '2025-04-03',
    };
    const viaWorker = await run(small, options);
    expect(viaWorker).toEqual(await importMbp10File(small, options));
    expect(viaWorker.periods).toBe(3);
    await Promise.all(spawned.map((s) => s.exit));
  });

  it('re-throws the worker’s PlannerError with the same code and message', async () => {
    const garbage = join(dir, 'garbage.csv');
    writeFileSync(garbage, 'hello,world\n1,2\n3,4\n');
    const run = createImportRunner(recordingSpawner().spawn);
    const viaWorker = await rejection(run(garbage, SESSION));
    const inProcess = await rejection(importMbp10File(garbage, SESSION));
    expect(viaWorker.code).toBe('invalid_input');
    expect(viaWorker.message).toMatch(/^not a Databento MBP-10 CSV file: /);
    expect([viaWorker.code, viaWorker.message]).toEqual([inProcess.code, inProcess.message]);

    const missing = join(dir, 'nope.csv');
    const gone = await rejection(run(missing, SESSION));
    expect([gone.code, gone.message]).toEqual(['invalid_input', `${missing}: no such file`]);
  });

  it('imports a .dbn.zst in the worker as in this process, and passes a DbnError message on', async () => {
    const zst = join(dir, 'day.dbn.zst');
    await writeMbp10DbnFile(
      zst,
      syntheticDay({
        fromMs: Date.parse('2025-04-03T13:28:00Z'),
        toMs: Date.parse('2025-04-03T13:42:00Z'),
        rows: 400,
      }),
      { symbol: 'ACME', zstd: true },
    );
    const { spawn, spawned } = recordingSpawner();
    const run = createImportRunner(spawn);
    const viaWorker = await run(zst, { ...SESSION, fileName: 'day.dbn.zst' });
    expect(viaWorker).toEqual(await importMbp10File(zst, { ...SESSION, fileName: 'day.dbn.zst' }));
    expect(viaWorker).toMatchObject({ symbol: 'ACME', rows: 400, priceFormat: 'fixed' });
    const noise = join(dir, 'noise.dbn');
    writeFileSync(noise, 'definitely not DBN');
    const bad = await rejection(run(noise, SESSION));
    expect([bad.code, bad.message]).toEqual([
      'invalid_input',
      'noise.dbn: not a DBN file (it does not start with "DBN")',
    ]);
    await Promise.all(spawned.map((s) => s.exit));
  });

  it('kills the worker at once when cancelled mid-import', async () => {
    const { spawn, spawned } = recordingSpawner();
    const run = createImportRunner(spawn);
    const controller = new AbortController();
    const progress: ReadProgress[] = [];
    const error = await rejection(
      run(large, {
        ...SESSION,
        signal: controller.signal,
        onProgress: (p) => {
          progress.push(p);
          controller.abort();
        },
      }),
    );
    expect([error.code, error.message]).toEqual(['cancelled', 'the import was cancelled']);
    // It was stopped while reading, not after.
    expect(progress.length).toBeGreaterThan(0);
    expect(progress[0].bytes).toBeLessThan(progress[0].totalBytes);
    expect(spawned).toHaveLength(1);
    const { handle, exit } = spawned[0];
    expect(await exit).toEqual({ code: null, signal: 'SIGKILL' });
    expect(isAlive(handle.pid!)).toBe(false);
  });

  it('never starts a worker for an already-aborted signal', async () => {
    const { spawn, spawned } = recordingSpawner();
    const error = await rejection(
      createImportRunner(spawn)(small, { ...SESSION, signal: AbortSignal.abort() }),
    );
    expect(error.code).toBe('cancelled');
    expect(spawned).toHaveLength(0);
  });

  it('rejects with worker_crashed when the worker is killed from outside', async () => {
    const { spawn, spawned } = recordingSpawner();
    const run = createImportRunner(spawn);
    const error = await rejection(
      run(large, {
        ...SESSION,
        fileName: 'BIG-mbp10.csv',
        onProgress: () => {
          const pid = spawned[0].handle.pid!;
          if (isAlive(pid)) process.kill(pid, 'SIGKILL');
        },
      }),
    );
    expect(error.code).toBe('worker_crashed');
    expect(error.message).toBe(
      'The import process stopped while reading BIG-mbp10.csv: it was killed (SIGKILL).',
    );
  });

  it('rejects with worker_crashed when the worker cannot start', async () => {
    const spawn = nodeSpawner<ImportHostToWorker>({
      modulePath: join(dir, 'no-such-worker.js'),
      stderr: 'ignore',
    });
    const error = await rejection(createImportRunner(spawn)(small, SESSION));
    expect(error.code).toBe('worker_crashed');
    expect(error.message).toBe('The import process could not start: it exited with code 1.');
  });
});

describe('the worker when its parent goes away', () => {
  /** The worker with its stderr captured, and a promise of how it ended. */
  function forkWorker(): { child: ChildProcess; stderr: () => string; exit: Promise<unknown> } {
    const child = forkTs(WORKER, [], {
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const exit = new Promise((r) => child.on('exit', (code, signal) => r({ code, signal })));
    return { child, stderr: () => stderr, exit };
  }
  const nextMessage = (child: ChildProcess) =>
    new Promise<{ type: string }>((r) => child.once('message', (m) => r(m as { type: string })));

  it('exits quietly when disconnected while idle', async () => {
    const w = forkWorker();
    expect(await nextMessage(w.child)).toEqual({ type: 'ready' });
    w.child.disconnect();
    expect(await w.exit).toEqual({ code: 0, signal: null });
    expect(w.stderr()).toBe('');
  });

  it('exits quietly when disconnected mid-import', async () => {
    const w = forkWorker();
    expect(await nextMessage(w.child)).toEqual({ type: 'ready' });
    w.child.send({ type: 'import', path: join(dir, 'BIG-mbp10.csv'), options: SESSION });
    expect((await nextMessage(w.child)).type).toBe('progress');
    w.child.disconnect();
    expect(await w.exit).toEqual({ code: 0, signal: null });
    expect(w.stderr()).toBe('');
  });
});

describe('the host with a fake worker', () => {
  /** A well-formed import result: what importMbp10File returns for a small day. */
  let sample: ImportFileResult;
  const sampleResult = () => structuredClone(sample);
  beforeAll(async () => {
    sample = await importMbp10File(small, SESSION);
  });

  /** A worker handle driven by the test. */
  function fakeWorker() {
    const sent: ImportHostToWorker[] = [];
    const kills: string[] = [];
    let onMessage: (m: unknown) => void = () => {};
    let onExit: (code: number | null, signal: string | null) => void = () => {};
    const handle: WorkerHandle<ImportHostToWorker> = {
      pid: 1234,
      postMessage: (m) => sent.push(m),
      onMessage: (l) => (onMessage = l),
      onExit: (l) => (onExit = l),
      kill: (signal = 'SIGTERM') => kills.push(signal),
    };
    return {
      spawn: () => handle,
      sent,
      kills,
      emit: (m: unknown) => onMessage(m),
      exit: (code: number | null, signal: string | null) => onExit(code, signal),
    };
  }

  it('sends the job after ready, without the signal and callback, then stops the worker', async () => {
    const w = fakeWorker();
    const controller = new AbortController();
    const seen: ReadProgress[] = [];
    const run = createImportRunner(w.spawn)('/data/a.csv', {
      ...SESSION,
      fileName: 'a.csv',
      signal: controller.signal,
      onProgress: (p) => seen.push(p),
    });
    expect(w.sent).toEqual([]);
    w.emit({ type: 'ready' });
    expect(w.sent).toEqual([
      {
        type: 'import',
        job: 1,
        heartbeatMs: 1000,
        path: '/data/a.csv',
        options: { ...SESSION, fileName: 'a.csv' },
      },
    ]);
    w.emit({ type: 'progress', bytes: 5, totalBytes: 10 });
    const result = sampleResult();
    w.emit({ type: 'result', result });
    await expect(run).resolves.toEqual(result);
    expect(seen).toEqual([{ bytes: 5, totalBytes: 10 }]);
    expect(w.kills).toEqual(['SIGTERM']);
    // Late events change nothing.
    controller.abort();
    w.exit(0, null);
    expect(w.kills).toEqual(['SIGTERM']);
  });

  it('rejects a malformed message with internal and kills the worker', async () => {
    const w = fakeWorker();
    const run = createImportRunner(w.spawn)('/data/a.csv', SESSION);
    w.emit({ type: 'ready' });
    w.emit({ type: 'progress', bytes: -1 });
    const error = await rejection(run);
    expect(error.code).toBe('internal');
    expect(error.message).toMatch(/^the import process sent a malformed message: /);
    expect(w.kills).toEqual(['SIGKILL']);
  });

  it('rejects a malformed result with internal naming the field, and stops the worker', async () => {
    const w = fakeWorker();
    const run = createImportRunner(w.spawn)('/data/a.csv', SESSION);
    w.emit({ type: 'ready' });
    w.emit({ type: 'result', result: { ...sampleResult(), sha256: 'ab', rows: -1 } });
    const error = await rejection(run);
    expect(error.code).toBe('internal');
    expect(error.message).toBe(
      'the import process returned a malformed result: sha256: must be a SHA-256 in hex; ' +
        'rows: Too small: expected number to be >=0',
    );
    expect(w.kills).toEqual(['SIGTERM']);
  });

  it('rejects a result with a malformed ladder level, naming the period and the level', async () => {
    for (const [level, path] of [
      [[0.01, Number.NaN], 'ladders.buy[2][1]'],
      [[0.01], 'ladders.buy[2][1]'],
      ['0.01,100', 'ladders.buy[2][1]'],
    ] as const) {
      const w = fakeWorker();
      const run = createImportRunner(w.spawn)('/data/a.csv', SESSION);
      w.emit({ type: 'ready' });
      const good = sampleResult();
      const ladder: unknown[][] = [
        [0.01, 100],
        [0.02, 50],
      ];
      ladder[1] = level as unknown as unknown[];
      const buy = [[[0.01, 10]], [], ladder];
      w.emit({ type: 'result', result: { ...good, ladders: { ...good.ladders, buy } } });
      const error = await rejection(run);
      expect(error.code).toBe('internal');
      expect(error.message).toBe(
        `the import process returned a malformed result: ${path}: must be a level [offset, size] of two finite numbers`,
      );
    }
    const w = fakeWorker();
    const run = createImportRunner(w.spawn)('/data/a.csv', SESSION);
    w.emit({ type: 'ready' });
    const good = sampleResult();
    w.emit({ type: 'result', result: { ...good, replayLadders: { ...good.ladders, sell: [7] } } });
    expect((await rejection(run)).message).toBe(
      'the import process returned a malformed result: replayLadders.sell[0]: must be an array of levels',
    );
  });

  it('rejects an error with an unknown code as malformed', async () => {
    const w = fakeWorker();
    const run = createImportRunner(w.spawn)('/data/a.csv', SESSION);
    w.emit({ type: 'ready' });
    w.emit({ type: 'error', code: 'oops', message: 'x' });
    expect((await rejection(run)).code).toBe('internal');
  });
});
