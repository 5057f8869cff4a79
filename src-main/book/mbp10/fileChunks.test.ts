/**
 * The reader thread: the same import result and SHA-256 as reading inline, on a file larger
 * than its ring of slots (so slots are reused while the parser holds others), with progress,
 * cancel and a missing file as before. A thread started before its file (`readerThread.ts`)
 * is taken by the next threaded read, gives the same result and hash, and lets the process
 * end when no file comes.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticDay, writeMbp10File } from '../../../test/fixtures/mbp10';
import { parseSlowly } from '../../../test/unit/book/helpers';
import { hashedChunks } from './fileChunks';
import { importMbp10File } from './importFile';
import { Mbp10Parser } from './parser';
import { readerThreadsStarted, startReaderThread } from './readerThread';
import type { SampleOptions } from './types';

const OPTS: SampleOptions = {
  periodMinutes: 1,
  session: { start: '09:30', end: '09:40', timeZone: 'America/New_York' },
};
const dir = mkdtempSync(join(tmpdir(), 'file-chunks-'));
const path = join(dir, 'RING-mbp10.csv');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeAll(async () => {
  // ~9 MB: more than the ring's four 1 MB slots.
  await writeMbp10File(
    path,
    syntheticDay({
      fromMs: Date.parse('2025-04-03T13:29:00Z'),
      toMs: Date.parse('2025-04-03T13:41:00Z'),
      rows: 24_000,
      seed: 9,
      tradeProbability: 0.1,
    }),
  );
});

describe('reading a CSV on the reader thread', () => {
  it('gives the inline reader’s result and the file’s SHA-256, with progress to the end', async () => {
    const progress: number[] = [];
    const threaded = await importMbp10File(path, {
      ...OPTS,
      readThread: true,
      onProgress: (p) => progress.push(p.bytes),
    });
    const inline = await importMbp10File(path, { ...OPTS, readThread: false });
    const reference = await importMbp10File(path, { ...OPTS, method: 'reference' });
    expect(threaded).toStrictEqual(inline);
    expect(threaded).toStrictEqual(reference);
    expect(threaded.sha256).toBe(createHash('sha256').update(readFileSync(path)).digest('hex'));
    expect(threaded.bytes).toBeGreaterThan(4 << 20);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(progress.at(-1)).toBe(threaded.bytes);
  });

  it('gives the reference result from lines the reader thread parsed ahead', async () => {
    const bytes = readFileSync(path);
    const reference = new Mbp10Parser(OPTS, 'reference');
    reference.push(bytes);
    const { file, parsed, ahead } = await parseSlowly(path, OPTS);
    // A slow parser: the reader thread fills its ring and parses most chunks ahead.
    expect(ahead).toBeGreaterThan(1);
    expect(parsed).toStrictEqual(reference.finish());
    expect(file.sha256()).toBe(createHash('sha256').update(bytes).digest('hex'));
  });

  it('hands out every byte once and hashes all of them when this thread reads the first chunks itself', async () => {
    const bytes = readFileSync(path);
    const sha = createHash('sha256').update(bytes).digest('hex');
    // 3: the reader thread takes over after them (or later, if it starts late); 1000: more
    // chunks than the file has, so this thread reads it all and the thread only hashes.
    for (const lead of [0, 3, 1000, false] as const) {
      const file = hashedChunks(path, true, lead);
      const parser = new Mbp10Parser(OPTS, 'fast');
      parser.onProgram((prog) => file.share(prog));
      const seen: Buffer[] = [];
      for await (const chunk of file.chunks) {
        seen.push(Buffer.from(chunk));
        parser.push(chunk, file.ahead);
      }
      expect(Buffer.concat(seen).equals(bytes)).toBe(true);
      expect(file.sha256()).toBe(sha);
      const reference = new Mbp10Parser(OPTS, 'reference');
      reference.push(bytes);
      expect(parser.finish()).toStrictEqual(reference.finish());
    }
  });

  it('stops when cancelled', async () => {
    const controller = new AbortController();
    const run = importMbp10File(path, {
      ...OPTS,
      readThread: true,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.bytes > 0) controller.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ code: 'cancelled' });
  });

  it('names a missing file in words', async () => {
    await expect(
      importMbp10File(join(dir, 'nope.csv'), { ...OPTS, readThread: true }),
    ).rejects.toThrow(/nope\.csv: no such file$/);
  });
});

describe('a reader thread started before its file', () => {
  it('is taken by the next threaded read, which gives the reference result and hash', async () => {
    const reference = await importMbp10File(path, { ...OPTS, method: 'reference' });
    const before = readerThreadsStarted();
    startReaderThread();
    // Let it start and wait for its file, as it does while a process loads its code.
    await new Promise((r) => setTimeout(r, 300));
    const first = await importMbp10File(path, { ...OPTS, readThread: true });
    expect(readerThreadsStarted()).toBe(before + 1);
    // Nothing started ahead this time: the read starts its own thread.
    const second = await importMbp10File(path, { ...OPTS, readThread: true });
    expect(readerThreadsStarted()).toBe(before + 2);
    expect(first).toStrictEqual(reference);
    expect(second).toStrictEqual(reference);
    expect(first.sha256).toBe(createHash('sha256').update(readFileSync(path)).digest('hex'));
  });

  it('is taken even while it is still starting', async () => {
    const before = readerThreadsStarted();
    startReaderThread();
    startReaderThread(); // one is waiting already: no second thread
    expect(readerThreadsStarted()).toBe(before + 1);
    const threaded = await importMbp10File(path, { ...OPTS, readThread: true });
    const inline = await importMbp10File(path, { ...OPTS, readThread: false });
    expect(threaded).toStrictEqual(inline);
    expect(readerThreadsStarted()).toBe(before + 1);
  });

  it('names a missing file in words and leaves the thread started ahead to the next read', async () => {
    const before = readerThreadsStarted();
    startReaderThread();
    await expect(
      importMbp10File(join(dir, 'gone.csv'), { ...OPTS, readThread: true }),
    ).rejects.toThrow(/gone\.csv: no such file$/);
    // The import stops at the missing file before it reads: the next read takes the thread.
    const again = await importMbp10File(path, { ...OPTS, readThread: true });
    expect(again.rows).toBeGreaterThan(20_000);
    expect(readerThreadsStarted()).toBe(before + 1);
  });

  it('lets the process end when no file comes', () => {
    const script = join(dir, 'spare.mts');
    writeFileSync(
      script,
      `import { startReaderThread } from ${JSON.stringify(resolve(__dirname, 'readerThread.ts'))};\n` +
        `startReaderThread();\nsetTimeout(() => process.stdout.write('done'), 200);\n`,
    );
    const root = resolve(__dirname, '../../..');
    const r = spawnSync(process.execPath, ['--import', 'tsx', script], {
      cwd: root,
      env: { ...process.env, TSX_TSCONFIG_PATH: join(root, 'tsconfig.node.json') },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(r.error).toBeUndefined();
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('done');
  });
});
