/**
 * Order-book file import in a separate process (out/main/importWorker.js), so streaming a
 * 2 GB CSV never blocks the main process or the server. The process and its messages are the
 * worker channel's (platform/workerChannel.ts); this file owns the import's channel
 * definition (its job, progress and result schema) and the one-import-per-process policy.
 *
 * - createImportRunner(spawn) has the signature of importMbp10File: the book service takes it
 *   as its `importFile` dependency and cannot tell the difference.
 * - Each import starts a fresh worker (imports are rare, and a fresh process bounds memory);
 *   it is stopped once the result or error is in. The result is parsed with
 *   ImportFileResultSchema at the boundary: a malformed one rejects with 'internal' naming
 *   the field.
 * - Cancel (options.signal): the worker is killed at once and the call rejects with
 *   PlannerError('cancelled'); an already-aborted signal never starts a process.
 * - A PlannerError in the worker is re-thrown here with its code and message; a worker that
 *   dies mid-import, or falls silent for the channel's silence limit, rejects with
 *   'worker_crashed'.
 */
import { z } from 'zod';
import { PlannerError } from '@shared/contract';
import type { Spawner } from '../platform/spawner';
import {
  ChannelWorker,
  defineChannel,
  type JobMessage,
  type WorkerMessage,
} from '../platform/workerChannel';
import { ImportFileResultSchema } from './importResult';
import type { ImportFileResult, importMbp10File, ReadProgress } from './mbp10';

/** What runs an import: importMbp10File itself, or the runner made here. */
export type ImportFn = typeof importMbp10File;
export type ImportOptions = Parameters<ImportFn>[1];
/** The options as sent to the worker: plain data (the signal and callback stay here). */
export type WorkerImportOptions = Omit<ImportOptions, 'signal' | 'onProgress'>;
export type ImportResult = ImportFileResult;

/** Import one file (a worker runs exactly one). */
export interface ImportJob {
  type: 'import';
  path: string;
  options: WorkerImportOptions;
}

export const ImportProgressSchema = z.object({
  bytes: z.number().nonnegative(),
  totalBytes: z.number().nonnegative(),
});

export const importChannel = defineChannel<ImportJob, ReadProgress, ImportFileResult>({
  name: 'import',
  jobTypes: ['import'],
  progress: ImportProgressSchema,
  result: () => ImportFileResultSchema,
  failed: 'the import failed',
});

/** The shortest time between two progress messages of the import worker. */
export const PROGRESS_EVERY_MS = 50;

/**
 * `send`, called with the reading's progress at most every `everyMs` (by `now`): the first
 * report (the reading has begun) and the last (every byte read) always go, the ones between
 * only once `everyMs` has passed since the last one sent. The import reports every 1 MB chunk,
 * ~500 times a second; each message costs the host a wake-up, a decode and a check, CPU the
 * import, which uses both cores, pays for. A report every 50 ms is still smooth on a bar and
 * far inside the channel's silence limit.
 */
export function throttleProgress(
  send: (p: ReadProgress) => void,
  everyMs = PROGRESS_EVERY_MS,
  now: () => number = () => performance.now(),
): (p: ReadProgress) => void {
  let last = -Infinity;
  return (p) => {
    const t = now();
    if (t - last < everyMs && p.bytes !== 0 && p.bytes < p.totalBytes) return;
    last = t;
    send(p);
  };
}

/** Host → worker, as sent. */
export type ImportHostToWorker = JobMessage<ImportJob>;
/** Worker → host, as sent. */
export type ImportWorkerToHost = WorkerMessage<ReadProgress, ImportFileResult>;

export type ImportSpawner = Spawner<ImportHostToWorker>;

/** An importMbp10File that runs each import in a fresh worker process from `spawn`. */
export function createImportRunner(spawn: ImportSpawner): ImportFn {
  return (path, options) => runImport(spawn, path, options);
}

function cancelled(): PlannerError {
  return new PlannerError('cancelled', 'the import was cancelled');
}

function runImport(
  spawn: ImportSpawner,
  path: string,
  options: ImportOptions,
): Promise<ImportResult> {
  const { signal, onProgress, ...workerOptions } = options;
  if (signal?.aborted) return Promise.reject(cancelled());
  const name = workerOptions.fileName ?? path;

  return new Promise<ImportResult>((resolve, reject) => {
    let settled = false;
    /** Settle once and end the worker (one already killed or gone is left be). */
    const finish = (outcome: () => void, kill: 'SIGTERM' | 'SIGKILL' = 'SIGTERM') => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      worker.kill(kill);
      outcome();
    };
    const worker = new ChannelWorker(importChannel, spawn, undefined, {
      ready: () =>
        worker
          .run(
            { type: 'import', path, options: workerOptions },
            {
              onProgress,
              doing: `reading ${name}`,
              describe: (failure) =>
                failure.kind === 'exited'
                  ? `The import process stopped while reading ${name}: it ${failure.how}.`
                  : undefined,
            },
          )
          .then(
            (result) => finish(() => resolve(result)),
            (e: unknown) => finish(() => reject(e)),
          ),
      lost: ({ started, how }) => {
        if (!started)
          finish(() =>
            reject(
              new PlannerError('worker_crashed', `The import process could not start: it ${how}.`),
            ),
          );
      },
    });
    const onAbort = () => finish(() => reject(cancelled()), 'SIGKILL');
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
