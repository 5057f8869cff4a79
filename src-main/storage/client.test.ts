/**
 * The storage thread (client.ts ↔ thread.ts): a save is acknowledged only once another
 * connection can read it, errors thrown on the thread arrive as the same PlannerError (code,
 * message, class) as the storage functions throw in this thread, and the thread owns the
 * database's lock until it is closed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PlannerError, toApiError } from '@shared/contract';
import { answerFromBinary, binaryAnswer, packedOf } from '@shared/resultBinary';
import { samplePlan, sampleColumns } from '../testing/plans';
import { openStorageThread, waitForFlag } from './client';
import { openDatabase } from './db';
import { acquireDatabaseLock, DatabaseInUse } from './lock';
import { directStorage } from './operations';
import type { StorageClient } from './protocol';
import type { SaveInput } from './plans';

let dir: string;
let path: string;
let open: StorageClient[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'op-thread-'));
  path = join(dir, 'planner.db');
});
afterEach(async () => {
  for (const s of open) await s.close();
  open = [];
  rmSync(dir, { recursive: true, force: true });
});

function start(): StorageClient {
  const { storage } = openStorageThread(path);
  open.push(storage);
  return storage;
}

/** What a rejection is, as the window would see it. */
async function failure(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

describe('storage thread', () => {
  it("hands an opened plan's stored result over with its stored bytes, which its binary answer sends", async () => {
    const storage = start();
    const plan = samplePlan({ name: 'Packed', periods: 250 });
    const result = sampleColumns(plan);
    const { id } = await storage.savePlan({ plan, result });
    const stored = await storage.getPlan(id);
    expect(stored.result).toEqual(result);
    const packed = packedOf(stored.result);
    expect(packed).toBeDefined();
    // The columns part as stored: the row's bytes after its header.
    const reader = new Database(path, { readonly: true });
    try {
      const row = reader
        .prepare('SELECT CAST(result_json AS BLOB) AS r FROM plans WHERE id = ?')
        .get(id) as { r: Buffer };
      const at = 40 + row.r.readUInt32LE(4);
      expect(Buffer.from(packed!.packed.bytes).equals(row.r.subarray(at))).toBe(true);
    } finally {
      reader.close();
    }
    const answer = answerFromBinary(binaryAnswer('getPlan', stored).slice().buffer) as {
      value: { result: unknown };
    };
    expect(answer.value.result).toEqual(result);
  });

  it('acknowledges a save only when it is committed: another connection reads it at once', async () => {
    const storage = start();
    const plan = samplePlan({ name: 'Durable', periods: 250 });
    const saved = await storage.savePlan({ plan, result: sampleColumns(plan) });
    // A separate connection (as after a crash: nothing of the thread's memory), read-only.
    const reader = new Database(path, { readonly: true });
    try {
      expect(reader.pragma('journal_mode', { simple: true })).toBe('wal');
      const row = reader
        .prepare('SELECT revision, plan_json FROM plans WHERE id = ?')
        .get(saved.id) as { revision: number; plan_json: string };
      expect(row.revision).toBe(1);
      expect(JSON.parse(row.plan_json)).toEqual(plan);
      const again = await storage.savePlan({ id: saved.id, plan, baseRevision: 1 });
      expect(again.revision).toBe(2);
      expect(
        reader.prepare('SELECT COUNT(*) AS n FROM plan_revisions WHERE plan_id = ?').get(saved.id),
      ).toEqual({ n: 2 });
    } finally {
      reader.close();
    }
    const stored = await storage.getPlan(saved.id, 1);
    expect(stored.plan).toEqual(plan);
    expect(stored.result).toEqual(sampleColumns(plan));
  });

  it('storage-error-crosses-thread: errors arrive as the PlannerError the storage functions throw here', async () => {
    const storage = start();
    const { id } = await storage.savePlan({ plan: samplePlan({ name: 'Busy' }) });
    const other = new Database(path);
    try {
      // The same failures in this thread, on a second connection, for the expected errors.
      const here = directStorage(other);
      const cases: [string, (s: StorageClient) => Promise<unknown>][] = [
        ['not_found', (s) => s.getPlan('no-such-id')],
        ['conflict', (s) => s.savePlan({ id, plan: samplePlan(), baseRevision: 0 })],
        ['plan_gone', (s) => s.savePlan({ id: 'gone', plan: samplePlan({ name: 'Gone' }) })],
        ['invalid_input', (s) => s.savePlan(resultOfAnotherPlan())],
        ['not_found', (s) => s.getBook('no-such-book')],
      ];
      for (const [code, run] of cases) {
        const there = await failure(run(storage));
        expect(there).toBeInstanceOf(PlannerError);
        expect((there as PlannerError).code).toBe(code);
        expect((there as PlannerError).message).toBe(((await failure(run(here))) as Error).message);
      }

      // A damaged stored plan: 'storage', naming it.
      other.prepare("UPDATE plans SET plan_json = '{' WHERE id = ?").run(id);
      const damaged = await failure(storage.getPlan(id));
      expect(damaged).toMatchObject({
        code: 'storage',
        message: expect.stringMatching(/"Busy" .* is damaged/),
      });

      // SQLite's own error on the thread (SQLITE_BUSY behind another writer), in words.
      other.exec('BEGIN IMMEDIATE');
      const busy = await failure(storage.savePlan({ plan: samplePlan() }));
      other.exec('ROLLBACK');
      expect(busy).toBeInstanceOf(PlannerError);
      expect(toApiError(busy)).toEqual({
        code: 'storage',
        message:
          'Could not save the plan: the database is busy (another Order Planner may be using it). Try again in a moment.',
      });
    } finally {
      other.close();
    }
    // A bug (not a PlannerError) stays one: 'internal' with its message, never a stack.
    const bug = await failure(storage.savePlan({ plan: null } as unknown as SaveInput));
    expect(bug).not.toBeInstanceOf(PlannerError);
    expect(toApiError(bug).code).toBe('internal');
    // The thread carries on after every one of them.
    expect((await storage.listPlans({})).map((p) => p.name)).toEqual(['Busy']);
  });

  it('refuses a database in use as DatabaseInUse naming the holder, and holds the lock until closed', async () => {
    const held = acquireDatabaseLock(path, 'browser-mode server');
    let refused: unknown;
    try {
      openStorageThread(path);
    } catch (e) {
      refused = e;
    } finally {
      held.release();
    }
    expect(refused).toBeInstanceOf(DatabaseInUse);
    expect((refused as DatabaseInUse).owner).toMatchObject({
      pid: process.pid,
      kind: 'browser-mode server',
    });
    expect((refused as DatabaseInUse).message).toMatch(
      /is in use by another Order Planner \(browser-mode server, process \d+/,
    );

    const storage = start();
    expect(() => acquireDatabaseLock(path)).toThrow(DatabaseInUse);
    await storage.close();
    await storage.close(); // idempotent
    expect(await failure(storage.listPlans({}))).toMatchObject({
      code: 'storage',
      message: expect.stringMatching(/is closed/),
    });
    acquireDatabaseLock(path).release(); // the thread let go of the lock
  });

  it('refuses a database written by a newer version with the same message as opening it here', () => {
    const newer = new Database(path);
    newer.pragma('user_version = 999999');
    newer.close();
    let here: unknown;
    try {
      openDatabase(path);
    } catch (e) {
      here = e;
    }
    expect(here).toBeInstanceOf(PlannerError);
    const { message } = here as PlannerError;
    expect(message).toMatch(/written by a newer version of Order Planner/);
    expect(() => openStorageThread(path)).toThrow(new PlannerError('storage', message));
  });
});

/** A save whose result has another number of periods than its plan. */
function resultOfAnotherPlan(): SaveInput {
  const plan = samplePlan({ periods: 5 });
  return { plan, result: sampleColumns(samplePlan({ periods: 6 })) };
}

describe('waitForFlag', () => {
  it('still waits where Atomics.wait may not block the thread (it throws): the flag is polled', () => {
    const cannot = () => {
      throw new TypeError('Atomics.wait cannot be called in this context');
    };
    const set = new Int32Array(new SharedArrayBuffer(4));
    Atomics.store(set, 0, 1);
    expect(waitForFlag(set, 1000, cannot)).toBe(true);
    expect(waitForFlag(new Int32Array(new SharedArrayBuffer(4)), 5, cannot)).toBe(false);
    expect(waitForFlag(set, 1000)).toBe(true);
  });
});
