/** LibraryState: the saved-plan list and the operations on stored plans, with a fake backend. */
import { describe, expect, it } from 'vitest';
import { LibraryState } from '../../../../src-renderer/src/state/library.svelte';
import { fakeBackendEachTest, ok } from './fakeBackend.web';
import { plan, revisions, stored, summary } from './fixtures.web';

const backend = fakeBackendEachTest();

describe('LibraryState', () => {
  it('lists the saved plans; the search text goes trimmed, an empty one not at all', async () => {
    const plans = [summary('a', 'Buy FROG'), summary('b', 'Sell TOAD')];
    backend.reply('listPlans', plans);
    const lib = new LibraryState();
    expect(lib.loaded).toBe(false);
    await lib.refresh();
    expect(lib.loaded).toBe(true);
    expect(lib.plans).toEqual(plans);
    lib.query = '  frog ';
    await lib.refresh();
    lib.query = '   ';
    await lib.refresh();
    expect(backend.inputs('listPlans')).toEqual([{}, { query: 'frog' }, {}]);
  });

  it('a failed listing keeps the list and says why; the next success clears it', async () => {
    backend.reply('listPlans', [summary('a', 'Buy FROG')]);
    const lib = new LibraryState();
    await lib.refresh();
    backend.refuse('listPlans', 'storage', 'the database is locked');
    await lib.refresh();
    expect(lib.error).toBe('the database is locked');
    expect(lib.plans).toHaveLength(1);
    backend.reply('listPlans', []);
    await lib.refresh();
    expect(lib.error).toBeNull();
    expect(lib.plans).toEqual([]);
  });

  it('an older search answering last does not replace the newer one’s list', async () => {
    backend.hold('listPlans');
    const lib = new LibraryState();
    lib.query = 'f';
    const older = lib.refresh();
    lib.query = 'frog';
    const newer = lib.refresh();
    const frog = [summary('a', 'Buy FROG')];
    const [first, second] = backend.held('listPlans');
    second.answer(ok(frog));
    await newer;
    first.answer(ok(frog.concat(summary('b', 'Buy FISH'))));
    await older;
    expect(lib.plans).toEqual(frog);
  });

  it('get opens a plan (a revision when asked), or says why not', async () => {
    const s = stored('a', plan(), 2);
    backend.reply('getPlan', s);
    const lib = new LibraryState();
    expect(await lib.get('a')).toBe(s);
    await lib.get('a', 1);
    expect(backend.inputs('getPlan')).toEqual([{ id: 'a' }, { id: 'a', revision: 1 }]);
    backend.refuse('getPlan', 'not_found', 'no plan with id a');
    expect(await lib.get('a')).toBe('no plan with id a');
  });

  it('rename returns the new revision and refreshes the list and an open history', async () => {
    backend
      .reply('renamePlan', { id: 'a', revision: 3 })
      .reply('listPlans', [summary('a', 'New name', 3)])
      .reply('listRevisions', revisions(1, 2));
    const lib = new LibraryState();
    await lib.loadHistory('a');
    backend.reply('listRevisions', revisions(1, 2, 3));
    expect(await lib.rename('a', 'New name')).toEqual({ revision: 3 });
    expect(backend.inputs('renamePlan')).toEqual([{ id: 'a', name: 'New name' }]);
    expect(lib.plans[0].name).toBe('New name');
    expect(lib.history.a.map((r) => r.revision)).toEqual([1, 2, 3]);
  });

  it('a refused rename returns its message and leaves closed histories closed', async () => {
    backend.refuse('renamePlan', 'invalid_input', 'name: must not be empty').reply('listPlans', []);
    const lib = new LibraryState();
    expect(await lib.rename('a', '')).toBe('name: must not be empty');
    expect(backend.inputs('listRevisions')).toEqual([]);
  });

  it('delete refreshes the list and closes the plan’s history', async () => {
    backend
      .reply('listRevisions', revisions(1))
      .reply('deletePlan', { id: 'a' })
      .reply('listPlans', [summary('b', 'Other')]);
    const lib = new LibraryState();
    await lib.loadHistory('a');
    expect(lib.history.a).toHaveLength(1);
    expect(await lib.remove('a')).toBeNull();
    expect(lib.history.a).toBeUndefined();
    expect(lib.plans.map((p) => p.id)).toEqual(['b']);
  });

  it('a refused delete returns the reason', async () => {
    backend.refuse('deletePlan', 'storage', 'disk full').reply('listPlans', []);
    const lib = new LibraryState();
    expect(await lib.remove('a')).toBe('disk full');
  });

  it('duplicate returns the copy’s id and refreshes', async () => {
    backend.reply('duplicatePlan', { id: 'copy' }).reply('listPlans', [summary('copy', 'Copy')]);
    const lib = new LibraryState();
    expect(await lib.duplicate('a')).toEqual({ id: 'copy' });
    expect(lib.plans.map((p) => p.id)).toEqual(['copy']);
  });

  it('latestRevision: the highest revision stored, null for a deleted plan', async () => {
    backend.reply('listRevisions', revisions(1, 4, 2));
    const lib = new LibraryState();
    expect(await lib.latestRevision('a')).toBe(4);
    expect(lib.history.a).toBeUndefined(); // a closed history stays closed
    await lib.loadHistory('a');
    backend.reply('listRevisions', revisions(1, 2, 4, 5));
    expect(await lib.latestRevision('a')).toBe(5);
    expect(lib.history.a).toHaveLength(4); // an open one follows
    backend.refuse('listRevisions', 'not_found', 'no plan');
    expect(await lib.latestRevision('a')).toBeNull();
    backend.refuse('listRevisions', 'storage', 'locked');
    expect(await lib.latestRevision('a')).toBe('locked');
  });

  it('history opens and closes', async () => {
    backend.refuse('listRevisions', 'not_found', 'no plan with id x');
    const lib = new LibraryState();
    expect(await lib.loadHistory('x')).toBe('no plan with id x');
    expect(lib.history.x).toBeUndefined();
    backend.reply('listRevisions', revisions(1));
    expect(await lib.loadHistory('x')).toBeNull();
    lib.closeHistory('x');
    expect(lib.history).toEqual({});
  });
});
