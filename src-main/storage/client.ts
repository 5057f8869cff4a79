/**
 * The services' side of the storage thread: `openStorageThread` starts the worker thread that
 * owns the database (thread.ts), waits for it to have opened the database (synchronously, like
 * opening it here did: start-up keeps its order and its errors), and returns a StorageClient
 * whose every call is one request to that thread, answered by a promise. A save's promise
 * resolves only once the thread's transaction has committed; errors arrive as the same
 * PlannerError (code and message) the storage functions threw there.
 */
import { existsSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { Worker, MessageChannel, receiveMessageOnPort } from 'node:worker_threads';
import { PlannerError } from '@shared/contract';
import { rememberPacked } from '@shared/resultBinary';
import type { SolveResultColumns } from '@shared/resultColumns';
import {
  fromWireError,
  type CloseRequest,
  type OpenResponse,
  type StorageClient,
  type StorageOp,
  type StorageOps,
  type StorageRequest,
  type StorageResponse,
} from './protocol';
import type { StorageThreadData } from './thread';

/** Where the storage thread's code is and how to run it. */
export interface StorageWorkerEntry {
  filename: string;
  execArgv?: string[];
  env?: NodeJS.ProcessEnv;
}

/**
 * The storage thread's entry for this build: out/main/storageWorker.js, beside the entry
 * points (this code itself may sit in out/main/chunks, where the build puts what several
 * entries share); from the TypeScript sources (tests, tsx), the .ts entry run through tsx
 * with the `@shared` alias of tsconfig.node.json.
 */
export function defaultStorageWorker(): StorageWorkerEntry {
  if (!__filename.endsWith('.ts')) {
    const out = basename(__dirname) === 'chunks' ? dirname(__dirname) : __dirname;
    return { filename: resolve(out, 'storageWorker.js') };
  }
  const root = resolve(__dirname, '../..');
  return {
    filename: resolve(root, 'src-main/workers/storageWorker.ts'),
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, TSX_TSCONFIG_PATH: resolve(root, 'tsconfig.node.json') },
  };
}

export interface StorageThreadOptions {
  /** What this process is, for the message a refused second instance shows. */
  kind?: string;
  entry?: StorageWorkerEntry;
  /** How long to wait for the thread to start and open the database (default 60 s). */
  openTimeoutMs?: number;
}

/**
 * Start the storage thread on the database at `path` (or ':memory:') and wait until it has
 * opened it. Throws what opening threw (the lock's DatabaseInUse, a newer schema, a read-only
 * file: the same PlannerError as openDatabase). The thread holds the database's lock until
 * `close()`.
 */
export function openStorageThread(
  path: string,
  options: StorageThreadOptions = {},
): { storage: StorageClient; notices: string[] } {
  const entry = options.entry ?? defaultStorageWorker();
  // A missing file would only be reported to the event loop this call blocks: say it now.
  if (!existsSync(entry.filename)) {
    throw new PlannerError(
      'storage',
      `Could not open the database ${path}: the storage thread's code ${entry.filename} is missing. Reinstall Order Planner.`,
    );
  }
  const signal = new SharedArrayBuffer(4);
  const { port1, port2 } = new MessageChannel();
  const data: StorageThreadData = { path, kind: options.kind, signal, openPort: port2 };
  const worker = new Worker(entry.filename, {
    workerData: data,
    transferList: [port2],
    execArgv: entry.execArgv,
    env: entry.env,
  });
  const timeout = options.openTimeoutMs ?? 60_000;
  // Opening was synchronous before the thread, and start-up depends on its outcome (refusing a
  // second instance before anything else starts): block until the thread has answered.
  const answered = waitForFlag(new Int32Array(signal), timeout);
  const answer = receiveMessageOnPort(port1)?.message as OpenResponse | undefined;
  port1.close();
  if (!answered || answer === undefined) {
    void worker.terminate();
    throw new PlannerError(
      'storage',
      `Could not open the database ${path}: the storage thread did not start within ${timeout / 1000} s (${entry.filename}).`,
    );
  }
  if (!answer.ok) {
    void worker.terminate();
    throw fromWireError(answer.error);
  }
  return { storage: threadClient(worker, path), notices: answer.notices };
}

/**
 * Block this thread until `flag[0]` is no longer 0 (true) or `timeoutMs` has passed (false).
 * Atomics.wait sleeps; where the embedder does not let this thread block in it (it throws),
 * the flag is polled instead: only while start-up waits for the database anyway.
 */
export function waitForFlag(
  flag: Int32Array,
  timeoutMs: number,
  wait: typeof Atomics.wait = Atomics.wait,
): boolean {
  try {
    return wait(flag, 0, 0, timeoutMs) !== 'timed-out';
  } catch {
    const end = performance.now() + timeoutMs;
    while (Atomics.load(flag, 0) === 0) {
      if (performance.now() > end) return false;
    }
    return true;
  }
}

type Pending = { resolve: (value: unknown) => void; reject: (e: Error) => void };

function threadClient(worker: Worker, path: string): StorageClient {
  const pending = new Map<number, Pending>();
  let nextId = 1;
  /** Set once the thread has stopped or been closed: every later call fails with it. */
  let stopped: Error | null = null;
  /** Set when close() is called: later calls fail with it, and so does the thread's exit. */
  let closed: Error | null = null;
  let closing: Promise<void> | null = null;
  // The thread keeps the process alive only while an answer is awaited.
  worker.unref();

  const stop = (e: Error) => {
    stopped ??= e;
    for (const p of pending.values()) p.reject(stopped);
    pending.clear();
    worker.unref();
  };
  worker.on('message', (m: StorageResponse) => {
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    if (pending.size === 0) worker.unref();
    if (m.ok && m.packed) {
      // The stored bytes of an opened plan's result go with it to its binary answer.
      const result = (m.value as { result?: SolveResultColumns }).result;
      if (result) rememberPacked(result, m.packed);
    }
    if (m.ok) p.resolve(m.value);
    else p.reject(fromWireError(m.error));
  });
  worker.on('error', (e) => stop(threadStopped(path, e.message)));
  worker.on('exit', (code) => stop(closed ?? threadStopped(path, `exit code ${code}`)));

  function send(request: StorageRequest | CloseRequest): Promise<unknown> {
    if (stopped) return Promise.reject(stopped);
    if (closed && request.op !== 'close') return Promise.reject(closed);
    return new Promise((resolve, reject) => {
      pending.set(request.id, { resolve, reject });
      worker.ref();
      worker.postMessage(request);
    });
  }

  function call<K extends StorageOp>(op: K) {
    return (...args: Parameters<StorageOps[K]>) =>
      send({ id: nextId++, op, args } as StorageRequest) as Promise<ReturnType<StorageOps[K]>>;
  }

  return {
    savePlan: call('savePlan'),
    getPlan: call('getPlan'),
    listPlans: call('listPlans'),
    renamePlan: call('renamePlan'),
    duplicatePlan: call('duplicatePlan'),
    deletePlan: call('deletePlan'),
    listRevisions: call('listRevisions'),
    listBooks: call('listBooks'),
    getBook: call('getBook'),
    deleteBook: call('deleteBook'),
    saveBookOnce: call('saveBookOnce'),
    setOwnerUrl: call('setOwnerUrl'),
    close() {
      closing ??= (async () => {
        closed = new PlannerError('storage', `The database ${path} is closed.`);
        try {
          // Answered after every request sent before it (the thread takes them in order).
          if (!stopped) await send({ id: nextId++, op: 'close' });
        } finally {
          stop(closed);
          await worker.terminate();
        }
      })();
      return closing;
    },
  };
}

function threadStopped(path: string, why: string): PlannerError {
  return new PlannerError(
    'storage',
    `The storage thread of the database ${path} stopped unexpectedly (${why}); nothing more can be saved. Restart Order Planner.`,
  );
}
