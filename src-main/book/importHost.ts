/**
 * Order-book file import in a separate process (out/main/importWorker.js), so streaming a
 * 2 GB CSV never blocks the main process or the server. How the process is started is the
 * solver's pluggable Spawner (Electron utilityProcess in the app, child_process.fork
 * elsewhere), typed with this file's messages.
 *
 * - createImportRunner(spawn) has the signature of importMbp10File: the book service takes it
 *   as its `importFile` dependency and cannot tell the difference.
 * - Each import starts a fresh worker (imports are rare, and a fresh process bounds memory);
 *   it is stopped once the result or error is in.
 * - Cancel (options.signal): the worker is killed at once and the call rejects with
 *   PlannerError('cancelled'); an already-aborted signal never starts a process.
 * - A PlannerError in the worker is re-thrown here with its code and message; a worker that
 *   dies mid-import rejects with 'worker_crashed'.
 */
import { z } from 'zod';
import { ERROR_CODES, PlannerError, type ErrorCode } from '@shared/contract';
import type { Spawner, WorkerHandle } from '../platform/spawner';
import type { importMbp10File } from './mbp10';

/** What runs an import: importMbp10File itself, or the runner made here. */
export type ImportFn = typeof importMbp10File;
export type ImportOptions = Parameters<ImportFn>[1];
/** The options as sent to the worker: plain data (the signal and callback stay here). */
export type WorkerImportOptions = Omit<ImportOptions, 'signal' | 'onProgress'>;
/** Passed through from the worker unchanged. */
export type ImportResult = Awaited<ReturnType<ImportFn>>;

/** Host → worker: import one file (a worker runs exactly one). */
export interface ImportJobMessage {
  type: 'import';
  path: string;
  options: WorkerImportOptions;
}
export type ImportHostToWorker = ImportJobMessage;

/** Worker → host, as the worker sends it. */
export type ImportWorkerToHost =
  | { type: 'ready' }
  | { type: 'progress'; bytes: number; totalBytes: number }
  | { type: 'result'; result: ImportResult }
  | { type: 'error'; code: ErrorCode; message: string };

/**
 * What the host accepts from the worker (another process: parsed from `unknown`). The result
 * must be an object; its fields are importMbp10File's, passed on as they are.
 */
export const ImportWorkerToHostSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({
    type: z.literal('progress'),
    bytes: z.number().nonnegative(),
    totalBytes: z.number().nonnegative(),
  }),
  z.object({
    type: z.literal('result'),
    result: z.custom<ImportResult>(
      (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
      'expected an object',
    ),
  }),
  z.object({ type: z.literal('error'), code: z.enum(ERROR_CODES), message: z.string() }),
]);

export type ImportSpawner = Spawner<ImportHostToWorker>;

/** An importMbp10File that runs each import in a fresh worker process from `spawn`. */
export function createImportRunner(spawn: ImportSpawner): ImportFn {
  return (path, options) => runImport(spawn, path, options);
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || '(message)'}: ${i.message}`)
    .join('; ');
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
    let handle: WorkerHandle<ImportHostToWorker>;
    try {
      handle = spawn();
    } catch (e) {
      reject(
        new PlannerError(
          'worker_crashed',
          `The import process could not start: ${e instanceof Error ? e.message : String(e)}`,
        ),
      );
      return;
    }
    let settled = false;
    let started = false;
    let exited = false;

    /** Settle once; stop the worker unless it is already gone. */
    const finish = (outcome: () => void, kill: 'SIGTERM' | 'SIGKILL' | null) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      if (kill && !exited) handle.kill(kill);
      outcome();
    };
    const fail = (error: unknown, kill: 'SIGTERM' | 'SIGKILL' | null) =>
      finish(() => reject(error), kill);
    const onAbort = () => fail(cancelled(), 'SIGKILL');
    signal?.addEventListener('abort', onAbort, { once: true });

    handle.onMessage((raw) => {
      if (settled) return;
      const parsed = ImportWorkerToHostSchema.safeParse(raw);
      if (!parsed.success) {
        fail(
          new PlannerError(
            'internal',
            `the import process sent a malformed message: ${describeIssues(parsed.error)}`,
          ),
          'SIGKILL',
        );
        return;
      }
      const message = parsed.data;
      switch (message.type) {
        case 'ready':
          if (started) return;
          started = true;
          handle.postMessage({ type: 'import', path, options: workerOptions });
          return;
        case 'progress':
          try {
            onProgress?.({ bytes: message.bytes, totalBytes: message.totalBytes });
          } catch (e) {
            fail(e, 'SIGKILL');
          }
          return;
        case 'result':
          finish(() => resolve(message.result), 'SIGTERM');
          return;
        case 'error':
          fail(new PlannerError(message.code, message.message), 'SIGTERM');
          return;
      }
    });

    handle.onExit((code, exitSignal) => {
      exited = true;
      const how = exitSignal ? `was killed (${exitSignal})` : `exited with code ${code}`;
      fail(
        new PlannerError(
          'worker_crashed',
          started
            ? `The import process stopped while reading ${name}: it ${how}.`
            : `The import process could not start: it ${how}.`,
        ),
        null,
      );
    });
  });
}
