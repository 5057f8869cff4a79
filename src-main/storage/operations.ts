/**
 * The storage operations on one open connection: the table the storage thread serves
 * (thread.ts), and the same table called in this thread by `directStorage` (tools, tests and
 * the benchmark's "before"). Every function here is plans.ts / books.ts with the db bound.
 */
import * as books from './books';
import type { Db } from './db';
import type { DatabaseLock } from './lock';
import * as plans from './plans';
import type { StorageClient, StorageOps } from './protocol';

export function storageOperations(db: Db, lock: DatabaseLock | null = null): StorageOps {
  return {
    savePlan: (input) => plans.savePlan(db, input),
    getPlan: (id, revision) => plans.getPlan(db, id, revision),
    listPlans: (options) => plans.listPlans(db, options),
    renamePlan: (id, name) => plans.renamePlan(db, id, name),
    duplicatePlan: (id) => plans.duplicatePlan(db, id),
    deletePlan: (id) => plans.deletePlan(db, id),
    listRevisions: (id) => plans.listRevisions(db, id),
    listBooks: () => books.listBooks(db),
    getBook: (id) => books.getBook(db, id),
    deleteBook: (id) => books.deleteBook(db, id),
    saveBookOnce: (key, summary, data) => books.saveBookOnce(db, key, summary, data),
    setOwnerUrl: (url) => lock?.setUrl(url),
  };
}

/**
 * A StorageClient that runs every operation synchronously in this thread, on `db` (which it
 * does not own: close() leaves it open). For code that has no event loop to keep free: unit
 * tests of the services' logic, fixtures, and the benchmark's synchronous baseline. The app
 * uses the storage thread (client.ts).
 */
export function directStorage(db: Db, lock: DatabaseLock | null = null): StorageClient {
  const ops = storageOperations(db, lock);
  const client = {} as Record<string, unknown>;
  for (const op of Object.keys(ops) as (keyof StorageOps)[]) {
    const fn = ops[op] as (...args: unknown[]) => unknown;
    client[op] = (...args: unknown[]) => {
      try {
        return Promise.resolve(fn(...args));
      } catch (e) {
        return Promise.reject(e as Error);
      }
    };
  }
  client.close = () => Promise.resolve();
  return client as StorageClient;
}
