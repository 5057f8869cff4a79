import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { forkTs } from '../testing/forkTs';
import { openDatabase } from './db';
import { getPlan, listPlans, listRevisions } from './plans';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'op-kill-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

interface Saved {
  id: string;
  revision: number;
  name: string;
}

it('a process killed in the middle of a save loop loses no acknowledged save (the storage thread answers after the commit) and leaves no half plan', async () => {
  const path = join(dir, 'planner.db');
  const child = forkTs('src-main/storage/saveLoop.testchild.ts', [path], { stdio: 'inherit' });
  const saved: Saved[] = [];
  const enough = new Promise<void>((resolve) => {
    child.on('message', (m) => {
      saved.push(m as Saved);
      if (saved.length === 40) resolve();
    });
  });
  await enough;
  // The child is still saving (it never waits for the parent): kill it hard mid-loop.
  child.kill('SIGKILL');
  const [, signal] = (await once(child, 'exit')) as [number | null, string | null];
  expect(signal).toBe('SIGKILL');

  const { db, notices } = openDatabase(path);
  expect(notices).toEqual([]); // not corrupt
  expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  // Every save the child reported as committed is there, exactly as saved.
  for (const s of saved) {
    const stored = getPlan(db, s.id, s.revision);
    expect(stored.plan.name).toBe(s.name);
    expect(stored.plan.periods).toBe(390);
  }
  // Every head is complete and has its full, gap-free history (no half-written save).
  for (const summary of listPlans(db)) {
    const head = getPlan(db, summary.id);
    expect(head.plan.impact.model).toBe('table');
    const revisions = listRevisions(db, summary.id).map((r) => r.revision);
    expect(revisions).toEqual(Array.from({ length: head.revision }, (_, i) => head.revision - i));
    expect(getPlan(db, summary.id, head.revision).plan).toEqual(head.plan);
  }
  expect(listPlans(db).length).toBeGreaterThanOrEqual(new Set(saved.map((s) => s.id)).size);
  db.close();
}, 120_000);
