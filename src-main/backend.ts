/**
 * Everything behind the window, assembled once: the database, the solver host, the book
 * service and the services object. The Electron main process and the browser-mode server
 * both start the app through here, so they differ only in spawner, dialogs and transport.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AppInfo, ProgressEvent } from '@shared/contract';
import { createImportRunner, type ImportSpawner } from './book/importHost';
import { createBookService } from './book/service';
import { createServices, type NativeDialogs } from './services';
import { SolverHost, type Spawner } from './solver/host';
import { openDatabase, type Db } from './storage/db';

export const DATABASE_FILE = 'order-planner.sqlite';

export interface BackendOptions {
  mode: AppInfo['mode'];
  version: string;
  /** Folder for the database (created if missing); ':memory:' keeps everything in memory. */
  dataDir: string;
  spawn: Spawner;
  /** Starts an order-book import worker (one per import); without it, files are read in
   *  this process. */
  importSpawn?: ImportSpawner;
  resolveFile: (ref: string) => { path: string; fileName: string };
  dialogs?: NativeDialogs;
  memoryBudgetBytes?: number;
}

export interface Backend {
  services: ReturnType<typeof createServices>;
  db: Db;
  solverHost: SolverHost;
  notices: string[];
  /** Progress of solves and imports; returns the unsubscribe function. */
  onProgress(listener: (event: ProgressEvent) => void): () => void;
  /** Kill the worker (with a deadline) and close the database. */
  close(): Promise<void>;
}

export function createBackend(options: BackendOptions): Backend {
  const inMemory = options.dataDir === ':memory:';
  if (!inMemory) mkdirSync(options.dataDir, { recursive: true });
  const databasePath = inMemory ? ':memory:' : join(options.dataDir, DATABASE_FILE);
  const { db, notices } = openDatabase(databasePath);

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
    db,
    emitProgress,
    resolveFile: (ref) => options.resolveFile(ref).path,
    importFile: options.importSpawn ? createImportRunner(options.importSpawn) : undefined,
  });
  const services = createServices({
    db,
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

  let closed = false;
  return {
    services,
    db,
    solverHost,
    notices,
    onProgress(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      if (closed) return;
      closed = true;
      listeners.clear();
      await solverHost.dispose();
      db.close();
    },
  };
}
