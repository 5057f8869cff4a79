/**
 * Everything behind the window, assembled once: the database, the solver host, the book
 * service and the services object. The Electron main process and the browser-mode server
 * both start the app through here, so they differ only in spawner, dialogs and transport.
 */
import { join } from 'node:path';
import type { AppInfo, ProgressEvent } from '@shared/contract';
import { createImportRunner, type ImportSpawner } from '../book/importHost';
import { createBookService } from '../book/service';
import { preparePrivateDir, SETTINGS_FILE } from '../platform/paths';
import { createServices, type NativeDialogs } from './services';
import { SolverHost, type Spawner } from '../solver/host';
import { openStorageThread, type StorageWorkerEntry } from '../storage/client';
import type { StorageClient } from '../storage/protocol';

export const DATABASE_FILE = 'order-planner.sqlite';

export interface BackendOptions {
  mode: AppInfo['mode'];
  version: string;
  /** Folder for the database (created 0700 if missing, tightened if not); ':memory:' keeps
   *  everything in memory. */
  dataDir: string;
  spawn: Spawner;
  /** Starts an order-book import worker (one per import); without it, files are read in
   *  this process. */
  importSpawn?: ImportSpawner;
  resolveFile: (ref: string) => { path: string; fileName: string };
  /** Called with importBook's or importPlanFile's `file` reference once that import has
   *  ended, however it ended (browser mode: delete the upload; Electron: forget the picked
   *  file's id). */
  releaseFile?: (ref: string) => void;
  dialogs?: NativeDialogs;
  memoryBudgetBytes?: number;
  /** The storage thread's entry; by default the one of this build (storage/client.ts). */
  storageWorker?: StorageWorkerEntry;
}

export interface Backend {
  services: ReturnType<typeof createServices>;
  /** The database, owned by the storage thread (docs/storage.md). */
  storage: StorageClient;
  solverHost: SolverHost;
  notices: string[];
  /** Record where this instance can be reached (the server's address, without its token),
   *  for the message a refused second instance shows. */
  setOwnerUrl(url: string): void;
  /** Progress of solves and imports; returns the unsubscribe function. */
  onProgress(listener: (event: ProgressEvent) => void): () => void;
  /** Kill the worker (with a deadline) and close the database (the storage thread ends). */
  close(): Promise<void>;
}

export function createBackend(options: BackendOptions): Backend {
  const inMemory = options.dataDir === ':memory:';
  if (!inMemory) preparePrivateDir(options.dataDir, isOwnFile);
  const databasePath = inMemory ? ':memory:' : join(options.dataDir, DATABASE_FILE);
  // The storage thread takes the database's lock first: a second instance on this data folder
  // stops here with a message naming the first (see storage/lock.ts).
  const { storage, notices } = openStorageThread(databasePath, {
    kind: options.mode === 'electron' ? 'desktop app' : 'browser-mode server',
    entry: options.storageWorker,
  });

  const listeners = new Set<(event: ProgressEvent) => void>();
  const emitProgress = (event: ProgressEvent) => {
    for (const l of listeners) l(event);
  };
  const solverHost = new SolverHost({
    spawn: options.spawn,
    eager: true,
    memoryBudgetBytes: options.memoryBudgetBytes,
  });
  const books = createBookService({
    storage,
    emitProgress,
    resolveFile: (ref) => options.resolveFile(ref).path,
    importFile: options.importSpawn ? createImportRunner(options.importSpawn) : undefined,
  });
  const shared = createServices({
    storage,
    solverHost,
    books,
    mode: options.mode,
    version: options.version,
    dataDir: options.dataDir,
    databasePath,
    notices,
    emitProgress,
    resolveFile: options.resolveFile,
    dialogs: options.dialogs,
  });
  const services: typeof shared = {
    ...shared,
    async importBook(input) {
      try {
        return await shared.importBook(input);
      } finally {
        if (input.file !== undefined) options.releaseFile?.(input.file);
      }
    },
    async importPlanFile(input) {
      try {
        return await shared.importPlanFile(input);
      } finally {
        if (input.file !== undefined) options.releaseFile?.(input.file);
      }
    },
  };

  let closed = false;
  return {
    services,
    storage,
    solverHost,
    notices,
    setOwnerUrl(url) {
      void storage.setOwnerUrl(url).catch(() => {
        // Only a hint for a refused second instance (lock.ts): the lock is held either way.
      });
    },
    onProgress(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      if (closed) return;
      closed = true;
      listeners.clear();
      await solverHost.dispose();
      await storage.close();
    },
  };
}

/** The files in the data folder that this app writes: the database, its -wal/-shm files, its
 *  lock and owner files and the copies moved aside, the settings (and the temp file it is written through). */
function isOwnFile(name: string): boolean {
  return name.startsWith(DATABASE_FILE) || name.startsWith(SETTINGS_FILE);
}
