/**
 * The storage thread's side (run by src-main/workers/storageWorker.ts in a worker_threads
 * Worker): it opens the database (lock, checks, migrations: db.ts), answers the opener once
 * through a port the opener reads synchronously, then runs each request of the protocol in
 * arrival order on its own connection and posts the answer after the operation has returned,
 * i.e. after its transaction has committed (WAL, synchronous = FULL: durable).
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { packedOf, type PackedResult } from '@shared/resultBinary';
import { isColumns } from '@shared/resultColumns';
import { openDatabase, type Db } from './db';
import { storageOperations } from './operations';
import {
  toWireError,
  type CloseRequest,
  type OpenResponse,
  type StorageOps,
  type StorageRequest,
  type StorageResponse,
} from './protocol';

/** What the opener hands the thread (workerData). */
export interface StorageThreadData {
  path: string;
  /** What this process is, for a refused second instance ("desktop app", …). */
  kind?: string;
  /** Int32Array over it: set to 1 and notified once the open answer is on `openPort`. */
  signal: SharedArrayBuffer;
  openPort: MessagePort;
}

export function serveStorageThread(): void {
  if (!parentPort) throw new Error('the storage thread must be started as a worker thread');
  const port = parentPort;
  const data = workerData as StorageThreadData;
  let db: Db | null = null;
  let answer: OpenResponse;
  let ops: StorageOps | null = null;
  try {
    const opened = openDatabase(data.path, { kind: data.kind });
    db = opened.db;
    ops = storageOperations(opened.db, opened.lock);
    answer = { ok: true, notices: opened.notices };
  } catch (e) {
    answer = { ok: false, error: toWireError(e) };
  }
  data.openPort.postMessage(answer);
  data.openPort.close();
  const flag = new Int32Array(data.signal);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
  if (!ops || !db) {
    port.close();
    return;
  }
  const run = ops as unknown as Record<string, (...args: unknown[]) => unknown>;
  const open = db;
  port.on('message', (request: StorageRequest | CloseRequest) => {
    if (request.op === 'close') {
      try {
        open.close();
        port.postMessage({ id: request.id, ok: true, value: undefined });
      } catch (e) {
        port.postMessage({ id: request.id, ok: false, error: toWireError(e) });
      }
      port.close();
      return;
    }
    let response: StorageResponse;
    try {
      const value = run[request.op](...request.args) as never;
      const packed = packedOf((value as { result?: unknown } | null)?.result);
      response = { id: request.id, ok: true, value, ...(packed ? { packed } : {}) };
    } catch (e) {
      response = { id: request.id, ok: false, error: toWireError(e) };
    }
    port.postMessage(response, response.ok ? resultBuffers(response.value, response.packed) : []);
  });
}

/**
 * The buffers of an opened plan's result columns (and of its stored bytes, which its double
 * columns view), handed over to the services' thread instead of copied: each was made for
 * this answer.
 */
export function resultBuffers(value: unknown, packed?: PackedResult): ArrayBuffer[] {
  const result = (value as { result?: unknown } | null)?.result;
  if (!isColumns(result)) return [];
  const s = result.schedule;
  const b = result.baselines;
  const columns = [
    s.shares,
    s.impactPerShare,
    s.cost,
    s.costBps,
    s.remaining,
    s.riskVariance,
    s.expectedVolume,
    s.participation,
    b.naive.shares,
    b.aggressive.shares,
    b.conservative.shares,
    b.vwap?.shares,
  ];
  const buffers = new Set<ArrayBuffer>();
  if (packed) buffers.add(packed.packed.bytes.buffer as ArrayBuffer);
  for (const c of columns) if (c instanceof Float64Array) buffers.add(c.buffer as ArrayBuffer);
  return [...buffers];
}
