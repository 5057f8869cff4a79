/** CompareState: two stored plans (or revisions) side by side, with a fake backend. */
import { describe, expect, it } from 'vitest';
import type { StoredPlan } from '@shared/contract';
import { CompareSide, CompareState } from '../../../../src-renderer/src/state/compare.svelte';
import { fakeBackendEachTest, ok } from './fakeBackend.web';
import { plan, revisions, solved, stored, summary } from './fixtures.web';

const backend = fakeBackendEachTest();

/** getPlan answers from this table: id → revision → stored plan (no revision: the highest). */
function storedPlans(table: Record<string, StoredPlan[]>): void {
  backend.on('getPlan', (input) => {
    const list = table[input.id];
    if (!list) return { ok: false, error: { code: 'not_found', message: `no plan ${input.id}` } };
    const found =
      'revision' in input && input.revision !== undefined
        ? list.find((s) => s.revision === input.revision)
        : list[list.length - 1];
    return found ? ok(found) : { ok: false, error: { code: 'not_found', message: 'no revision' } };
  });
  backend.on('listRevisions', (input) =>
    ok(revisions(...(table[input.id] ?? []).map((s) => s.revision))),
  );
}

const a1 = stored('a', plan({ name: 'A' }), 1, { latestRevision: 2 });
const a2 = stored('a', plan({ name: 'A', shares: 2000 }), 2);
const b1 = stored('b', plan({ name: 'B', side: 'sell' }), 1);

describe('CompareSide', () => {
  it('picking a plan loads its latest revision and the revision list', async () => {
    storedPlans({ a: [a1, a2] });
    const side = new CompareSide();
    const picking = side.pick('a');
    expect(side.loading).toBe(true);
    await picking;
    expect(side.loading).toBe(false);
    expect(side.stored).toBe(a2);
    expect(side.revisions.map((r) => r.revision)).toEqual([1, 2]);
    expect(backend.inputs('getPlan')).toEqual([{ id: 'a' }]);
  });

  it('picking a revision loads that revision', async () => {
    storedPlans({ a: [a1, a2] });
    const side = new CompareSide();
    await side.pick('a');
    await side.pickRevision(1);
    expect(side.stored).toBe(a1);
    expect(backend.inputs('getPlan')[1]).toEqual({ id: 'a', revision: 1 });
  });

  it('picking nothing empties the side without calling the backend', async () => {
    storedPlans({ a: [a1] });
    const side = new CompareSide();
    await side.pick('a');
    await side.pick(null);
    expect(side.stored).toBeNull();
    expect(side.revisions).toEqual([]);
    expect(backend.inputs('getPlan')).toHaveLength(1);
  });

  it('a plan that cannot be loaded says why', async () => {
    storedPlans({});
    const side = new CompareSide();
    await side.pick('zz');
    expect(side.error).toBe('Could not load the plan: no plan zz');
    expect(side.stored).toBeNull();
  });

  it('an earlier pick answering last is dropped', async () => {
    backend.hold('getPlan').reply('listRevisions', revisions(1));
    const side = new CompareSide();
    const first = side.pick('a');
    const second = side.pick('b');
    const [forA, forB] = backend.held('getPlan');
    forB.answer(ok(b1));
    await second;
    forA.answer(ok(a2));
    await first;
    expect(side.stored).toBe(b1);
  });

  it('a revision saved without a result is solved here, not saved', async () => {
    storedPlans({ b: [b1] });
    const result = solved(b1.plan);
    backend.reply('solve', result);
    const side = new CompareSide();
    await side.pick('b');
    expect(side.result).toBeNull();
    await side.solve();
    expect(backend.inputs('solve')).toEqual([{ plan: b1.plan }]);
    expect(side.result).toBe(result);
    expect(backend.inputs('savePlan')).toEqual([]);
    await side.solve(); // it has a result now
    expect(backend.inputs('solve')).toHaveLength(1);
  });

  it('a stored result is shown as is: nothing to solve', async () => {
    const withResult = stored('c', plan(), 1, { result: solved(plan()) });
    storedPlans({ c: [withResult] });
    const side = new CompareSide();
    await side.pick('c');
    expect(side.result).toBe(withResult.result);
    await side.solve();
    expect(backend.inputs('solve')).toEqual([]);
  });

  it('a failed solve says why, in the form’s words', async () => {
    storedPlans({ b: [b1] });
    backend.refuse('solve', 'too_large', 'lotSize: too small for the solver');
    const side = new CompareSide();
    await side.pick('b');
    await side.solve();
    expect(side.error).toBe('Could not solve: Lot size: too small for the solver');
    backend.refuse('solve', 'cancelled', 'cancelled');
    await side.solve();
    expect(side.error).toBe('Solve cancelled.');
  });

  it('a solve answering after another pick is dropped', async () => {
    storedPlans({ a: [a1, a2], b: [b1] });
    backend.hold('solve');
    const side = new CompareSide();
    await side.pick('b');
    const solving = side.solve();
    await side.pick('a');
    backend.answer('solve', ok(solved(b1.plan)));
    await solving;
    expect(side.solved).toBeNull();
    expect(side.stored).toBe(a2);
  });
});

describe('CompareState', () => {
  it('compares a plan with its previous revision when it has one', async () => {
    storedPlans({ a: [a1, a2], b: [b1] });
    backend.reply('listPlans', [summary('a', 'A', 2), summary('b', 'B')]);
    const c = new CompareState();
    await c.compareWith('a');
    expect(c.a.stored).toBe(a2);
    expect(c.b.stored).toBe(a1);
    expect(c.same).toBe(false);
    const shares = c.diff.find((d) => d.key === 'shares');
    expect(shares?.differs).toBe(true);
    expect(c.diff.find((d) => d.key === 'symbol')?.differs).toBe(false);
  });

  it('else with the next other plan, else with nothing', async () => {
    storedPlans({ a: [a1, a2], b: [b1] });
    backend.reply('listPlans', [summary('b', 'B'), summary('a', 'A', 2)]);
    const c = new CompareState();
    await c.compareWith('b');
    expect(c.a.stored).toBe(b1);
    expect(c.b.stored).toBe(a2);
    backend.reply('listPlans', [summary('b', 'B')]);
    await c.compareWith('b');
    expect(c.b.planId).toBeNull();
    expect(c.b.stored).toBeNull();
    expect(c.diff).toEqual([]);
  });

  it('the same revision on both sides is marked', async () => {
    storedPlans({ b: [b1] });
    const c = new CompareState();
    await c.a.pick('b');
    await c.b.pick('b');
    expect(c.same).toBe(true);
    expect(c.diff.every((d) => !d.differs)).toBe(true);
  });

  it('refresh empties a side whose plan was deleted and reloads the other', async () => {
    storedPlans({ a: [a1, a2], b: [b1] });
    const c = new CompareState();
    await c.a.pick('a');
    await c.b.pick('b');
    backend.reply('listPlans', [summary('a', 'A', 2)]);
    const before = backend.inputs('getPlan').length;
    await c.refresh();
    expect(c.b.planId).toBeNull();
    expect(c.b.stored).toBeNull();
    expect(c.a.stored).toBe(a2);
    expect(backend.inputs('getPlan').length).toBe(before + 1);
  });

  it('a failed listing says why', async () => {
    backend.refuse('listPlans', 'storage', 'locked');
    const c = new CompareState();
    await c.refresh();
    expect(c.error).toBe('Could not list the saved plans: locked');
  });
});
