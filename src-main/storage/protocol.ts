/**
 * The storage thread's protocol: what the services ask of the database and how errors cross
 * the thread boundary. Messages are structured-cloned (one process, so no schema: the types
 * are the contract); a plan or result crosses once, as objects, never as JSON on top.
 *
 * `StorageOps` is the table of operations as the thread runs them (synchronously, on its own
 * connection); `StorageRequest` / `StorageResponse` are one message type per operation,
 * derived from it, so adding an operation is one line here and one in operations.ts.
 */
import { PlannerError, type BookSummary, type ErrorCode } from '@shared/contract';
import type { PlanSummary, RevisionSummary, StoredPlan } from '@shared/contract';
import type { PackedResult } from '@shared/resultBinary';
import type { BookData, BookKey, StoredBook } from './books';
import { DatabaseInUse, type LockOwner } from './lock';
import type { SaveInput } from './plans';

export interface StorageOps {
  savePlan(input: SaveInput): { id: string; revision: number };
  getPlan(id: string, revision?: number): StoredPlan;
  listPlans(options: { query?: string; limit?: number }): PlanSummary[];
  renamePlan(id: string, name: string): { id: string; revision: number };
  duplicatePlan(id: string): { id: string };
  deletePlan(id: string): { id: string };
  listRevisions(id: string): RevisionSummary[];
  listBooks(): BookSummary[];
  getBook(id: string): StoredBook;
  deleteBook(id: string): void;
  /** The dataset already stored under `key`, or `summary` after storing it (one transaction). */
  saveBookOnce(key: BookKey, summary: BookSummary, data: BookData): BookSummary;
  /** Record where this instance can be reached, in the lock's owner file. */
  setOwnerUrl(url: string): void;
}

export type StorageOp = keyof StorageOps;

/** What the services call: every operation of StorageOps, answered asynchronously. */
export type StorageClient = {
  [K in StorageOp]: (...args: Parameters<StorageOps[K]>) => Promise<ReturnType<StorageOps[K]>>;
} & {
  /** Close the database (and release its lock); later calls fail. Idempotent. */
  close(): Promise<void>;
};

/** One request per operation: `{ id, op: 'savePlan', args: [input] }`, … */
export type StorageRequest = {
  [K in StorageOp]: { id: number; op: K; args: Parameters<StorageOps[K]> };
}[StorageOp];

/** The last message: close the database, answer, and stop. */
export interface CloseRequest {
  id: number;
  op: 'close';
}

export type StorageResponse<K extends StorageOp = StorageOp> =
  | {
      id: number;
      ok: true;
      value: ReturnType<StorageOps[K]>;
      /** An opened plan's result as stored (format 4), sent to the window as it is. */
      packed?: PackedResult;
    }
  | { id: number; ok: false; error: WireError };

/** The answer to opening the database (sent once, before any request is taken). */
export type OpenResponse = { ok: true; notices: string[] } | { ok: false; error: WireError };

/**
 * An error as it crosses the thread boundary. Structured clone keeps an Error's message but
 * not its class or `code`, so a PlannerError travels as its code and message (and the refusal
 * of a second instance with its holder) and is thrown again as the same class on the other
 * side; anything else (a bug) stays a plain Error, which the contract reports as 'internal'.
 */
export type WireError =
  | { kind: 'planner'; code: ErrorCode; message: string }
  | { kind: 'in_use'; databasePath: string; owner: LockOwner | null }
  | { kind: 'other'; name: string; message: string; stack?: string };

export function toWireError(e: unknown): WireError {
  if (e instanceof DatabaseInUse) {
    return { kind: 'in_use', databasePath: e.databasePath, owner: e.owner };
  }
  if (e instanceof PlannerError) return { kind: 'planner', code: e.code, message: e.message };
  if (e instanceof Error)
    return { kind: 'other', name: e.name, message: e.message, stack: e.stack };
  return { kind: 'other', name: 'Error', message: String(e) };
}

export function fromWireError(w: WireError): Error {
  switch (w.kind) {
    case 'in_use':
      return new DatabaseInUse(w.databasePath, w.owner);
    case 'planner':
      return new PlannerError(w.code, w.message);
    default: {
      const e = new Error(w.message);
      e.name = w.name;
      if (w.stack !== undefined) e.stack = w.stack;
      return e;
    }
  }
}
