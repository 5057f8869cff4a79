/**
 * PlannerState: the window's actions over a fake backend: the "Saved" marker, a result going
 * stale after an edit, save/open/new with their guards, conflicts, export, import, rename,
 * delete, the blockers and the first screen.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PlanSchema, type Plan } from '@shared/plan';
import { workedExamplePlan } from '@shared/traderTerms';
import { PlannerState } from '../../../../src-renderer/src/state/planner.svelte';
import { fakeBackendEachTest, ok, until } from './fakeBackend.web';
import { plan, revisions, riskPlan, solved, stored, summary } from './fixtures.web';

const backend = fakeBackendEachTest();
beforeEach(() => {
  // Status messages clear after a while, and the CSV's default day is today: a fixed clock
  // (Tuesday 2026-01-06, 10:00 in New York).
  vi.useFakeTimers({ now: new Date('2026-01-06T15:00:00Z') });
  backend.reply('listPlans', []);
});
afterEach(() => vi.useRealTimers());

/** A planner showing stored plan 'p1' at revision `revision` (the latest: `latest`). */
async function opened(p: Plan = plan(), revision = 2, latest = revision): Promise<PlannerState> {
  backend.reply('getPlan', stored('p1', p, revision, { latestRevision: latest }));
  const planner = new PlannerState();
  await planner.open('p1', revision === latest ? undefined : revision);
  return planner;
}

describe('PlannerState: the Saved marker', () => {
  it('a plan opened at its latest revision is Saved', async () => {
    const planner = await opened();
    expect(planner.savedMarker).toEqual({ kind: 'saved', text: 'Saved' });
    expect(planner.unsaved).toBe(false);
    expect(planner.title).toBe('Buy FROG — Order Planner');
  });

  it('clears on an edit and comes back after a save', async () => {
    const planner = await opened();
    planner.editor.draft.shares = '2000';
    expect(planner.savedMarker).toEqual({ kind: 'unsaved', text: '● Unsaved changes' });
    expect(planner.title).toBe('• Buy FROG — Order Planner');
    backend.reply('savePlan', { id: 'p1', revision: 3 });
    await planner.save();
    expect(backend.inputs('savePlan')).toEqual([
      { plan: plan({ shares: 2000 }), id: 'p1', baseRevision: 2 },
    ]);
    expect(planner.savedMarker).toEqual({ kind: 'saved', text: 'Saved' });
    expect(planner.latestRevision).toBe(3);
    expect(planner.editor.revision).toBe(3);
    expect(planner.status.message).toBe('Saved "Buy FROG" (revision 3)');
  });

  it('after an edit made while saving, the form is compared with what was saved, not with what was opened', async () => {
    const planner = await opened();
    planner.editor.draft.shares = '2000';
    backend.hold('savePlan');
    const saving = planner.save();
    planner.editor.draft.shares = '3000';
    backend.answer('savePlan', ok({ id: 'p1', revision: 3 }));
    await saving;
    expect(planner.savedMarker?.kind).toBe('unsaved'); // the edit made while saving
    planner.editor.draft.shares = '1000'; // revision 2's content: not what is stored now
    expect(planner.savedMarker?.kind).toBe('unsaved');
    planner.editor.draft.shares = '2000'; // revision 3's content
    expect(planner.savedMarker).toEqual({ kind: 'saved', text: 'Saved' });
  });

  it('an older revision reopened is never Saved', async () => {
    const planner = await opened(plan(), 1, 3);
    expect(planner.editor.viewingRevision).toBe(1);
    expect(planner.savedMarker).toEqual({
      kind: 'older',
      text: 'Revision 1, not the latest (3): saving makes it revision 4',
    });
  });

  it('says when another window saved a newer revision', async () => {
    const planner = await opened();
    backend.reply('listPlans', [summary('p1', 'Buy FROG', 4)]);
    await planner.library.refresh();
    expect(planner.savedMarker).toEqual({
      kind: 'older',
      text: 'Saved · revision 4 was saved elsewhere',
    });
    planner.editor.draft.shares = '2000';
    expect(planner.savedMarker?.text).toBe('● Unsaved changes · revision 4 was saved elsewhere');
  });

  it('a plan never saved has no marker until it changes', async () => {
    const planner = new PlannerState();
    expect(planner.savedMarker).toBeNull();
    planner.editor.draft.name = 'x';
    expect(planner.savedMarker?.kind).toBe('unsaved');
  });
});

describe('PlannerState: a result after an edit', () => {
  it('goes stale when the order changes, not when the plan is renamed', async () => {
    const planner = await opened();
    backend.on('solve', ({ plan: p }) => ok(solved(PlanSchema.parse(p))));
    await planner.solve();
    expect(planner.solver.result).not.toBeNull();
    expect(planner.stale).toBe(false);
    planner.editor.draft.name = 'Renamed';
    expect(planner.stale).toBe(false);
    planner.editor.draft.shares = '2000';
    expect(planner.stale).toBe(true);
    planner.editor.draft.shares = '1000';
    expect(planner.stale).toBe(false);
  });

  it('a save sends the result only while it is current', async () => {
    const planner = await opened();
    const result = solved(plan());
    backend.reply('solve', result).reply('savePlan', { id: 'p1', revision: 3 });
    await planner.solve();
    planner.editor.draft.name = 'Renamed';
    await planner.save();
    expect(backend.inputs('savePlan')[0].result).toBe(result);
    planner.editor.draft.shares = '2000';
    await planner.save();
    expect(backend.inputs('savePlan')[1]).not.toHaveProperty('result');
  });

  it('an opened plan shows its stored result, current for the form', async () => {
    const p = plan();
    const result = solved(p);
    backend.reply('getPlan', stored('p1', p, 1, { result }));
    const planner = new PlannerState();
    await planner.open('p1');
    expect(planner.solver.result).toBe(result);
    expect(planner.stale).toBe(false);
    expect(planner.status.message).toBe('Opened "Buy FROG"');
  });
});

describe('PlannerState: solve', () => {
  it('a form with problems is not solved: the problems show and the status says why', async () => {
    const planner = await opened();
    planner.editor.draft.shares = '1050';
    await planner.solve();
    expect(backend.inputs('solve')).toEqual([]);
    expect(planner.editor.revealAll).toBe(true);
    expect(planner.solveBlocker).toBe('Shares: must be a multiple of lot size 100 (got 1,050)');
    expect(planner.status).toMatchObject({ kind: 'error', message: planner.solveBlocker });
  });

  it('one solve at a time', async () => {
    const planner = await opened();
    backend.hold('solve');
    const running = planner.solve();
    expect(planner.solveBlocker).toBe('A solve is running.');
    await planner.solve();
    expect(backend.inputs('solve')).toHaveLength(1);
    backend.answer('solve', ok(solved(plan())));
    await running;
    expect(planner.solveBlocker).toBeNull();
  });

  it('urgency presets wait for a solve with a volatility', async () => {
    const planner = await opened(riskPlan());
    expect(planner.urgencyBlocker).toMatch(/^Presets need a solve first/);
    backend.on('solve', ({ plan: p }) => ok(solved(PlanSchema.parse(p))));
    await planner.solve();
    expect(planner.riskScale).toBeGreaterThan(0);
    expect(planner.urgencyBlocker).toBeNull();
    expect(planner.riskScaleStale).toBe(false);
    planner.editor.setAversion(5e-6); // λ only: the scale holds
    expect(planner.riskScaleStale).toBe(false);
    planner.editor.draft.volatility = '0.08';
    expect(planner.riskScaleStale).toBe(true);
  });
});

describe('PlannerState: the efficient frontier', () => {
  const frontier = {
    points: [
      { aversion: 0, expectedCost: 1, timingRiskSd: 3, objective: 1, shares: [250, 250, 250, 250] },
      {
        aversion: 1e-5,
        expectedCost: 2,
        timingRiskSd: 1,
        objective: 2,
        shares: [700, 200, 100, 0],
      },
    ],
    scale: 1e-6,
    baselines: [],
  };

  it('needs a plan with a volatility above 0', async () => {
    const planner = await opened();
    expect(planner.frontierBlocker).toBe(
      'Set a volatility in the Risk section to trade cost against risk.',
    );
    await planner.computeFrontier();
    expect(backend.inputs('frontier')).toEqual([]);
    expect(planner.status.message).toBe(planner.frontierBlocker);
    planner.editor.draft.volatility = '0';
    planner.editor.draft.volatilityMode = 'period';
    expect(planner.frontierBlocker).toBe(
      'The volatility is 0: there is no timing risk to trade off.',
    );
  });

  it('is computed for the plan without λ, and goes stale when σ changes', async () => {
    const planner = await opened(riskPlan());
    backend.reply('frontier', frontier);
    await planner.computeFrontier();
    expect(backend.inputs('frontier')[0].plan).toEqual(riskPlan());
    expect(planner.frontierStale).toBe(false);
    planner.editor.setAversion(2e-6);
    expect(planner.frontierStale).toBe(false);
    planner.editor.draft.volatility = '0.09';
    expect(planner.frontierStale).toBe(true);
  });

  it('picking a point sets λ and solves with it', async () => {
    const planner = await opened(riskPlan());
    backend.on('solve', ({ plan: p }) => ok(solved(PlanSchema.parse(p))));
    backend.reply('frontier', frontier);
    await planner.computeFrontier();
    await planner.useAversion(1e-5);
    expect(planner.editor.draft.aversion).toBe('1e-5');
    expect(backend.inputs('solve')[0].plan.risk?.aversion).toBe(1e-5);
    expect(planner.frontierCurrent).toMatchObject({ aversion: 1e-5 });
    expect(planner.frontier.frontier).not.toBeNull();
  });
});

describe('PlannerState: unsaved changes are asked about', () => {
  it('a new plan over changes asks; keeping them keeps the form', async () => {
    const planner = await opened();
    planner.editor.draft.shares = '2000';
    const asking = planner.newPlan();
    expect(planner.confirm.request?.title).toBe('Discard unsaved changes?');
    planner.confirm.answer(false);
    await asking;
    expect(planner.editor.draft.shares).toBe('2000');
    expect(planner.editor.planId).toBe('p1');
  });

  it('discarding them starts an empty plan and forgets the result', async () => {
    const planner = await opened();
    backend.reply('solve', solved(plan()));
    await planner.solve();
    planner.editor.draft.shares = '2000';
    const asking = planner.newPlan();
    planner.confirm.answer(true);
    await asking;
    expect(planner.editor.planId).toBeNull();
    expect(planner.editor.draft.shares).toBe('');
    expect(planner.solver.result).toBeNull();
    expect(planner.latestRevision).toBeNull();
    expect(planner.savedMarker).toBeNull();
  });

  it('opening another plan over changes asks first; no answer, no load', async () => {
    const planner = await opened();
    planner.editor.draft.shares = '2000';
    const asking = planner.open('p2');
    expect(backend.inputs('getPlan')).toHaveLength(1); // the first open only
    planner.confirm.answer('cancel');
    await asking;
    expect(backend.inputs('getPlan')).toHaveLength(1);
  });

  it('a plan that cannot be opened is said in the status line', async () => {
    backend.refuse('getPlan', 'not_found', 'no plan with id zz');
    const planner = new PlannerState();
    await planner.open('zz');
    expect(planner.status).toMatchObject({
      kind: 'error',
      message: 'Could not open: no plan with id zz',
    });
  });
});

describe('PlannerState: saving', () => {
  it('a new plan is stored without an id and becomes that plan', async () => {
    backend.reply('savePlan', { id: 'new', revision: 1 });
    const planner = new PlannerState();
    planner.editor.load(plan(), null);
    await planner.save();
    expect(backend.inputs('savePlan')).toEqual([{ plan: plan() }]);
    expect(planner.editor.planId).toBe('new');
    expect(planner.savedMarker).toEqual({ kind: 'saved', text: 'Saved' });
    expect(backend.inputs('listPlans').length).toBeGreaterThan(0);
  });

  it('a form with problems is not saved', async () => {
    const planner = await opened();
    planner.editor.draft.shares = '';
    await planner.save();
    expect(backend.inputs('savePlan')).toEqual([]);
    expect(planner.status.message).toBe('Cannot save: fix the problems in the plan first.');
  });

  it('a refused save keeps the form unsaved and says why', async () => {
    const planner = await opened();
    planner.editor.draft.shares = '2000';
    backend.refuse('savePlan', 'storage', 'disk full');
    await planner.save();
    expect(planner.status.message).toBe('Could not save: disk full');
    expect(planner.savedMarker?.kind).toBe('unsaved');
  });

  it('save as stores a copy under the name asked for', async () => {
    const planner = await opened();
    backend.reply('savePlan', { id: 'copy', revision: 1 });
    const saving = planner.saveAs();
    expect(planner.confirm.value).toBe('Buy FROG (copy)');
    planner.confirm.value = '  ';
    planner.confirm.answer(true);
    expect(planner.confirm.problem).toBe('A plan needs a name.');
    planner.confirm.value = 'Buy FROG later';
    planner.confirm.answer(true);
    await saving;
    expect(backend.inputs('savePlan')).toEqual([{ plan: plan({ name: 'Buy FROG later' }) }]);
    expect(planner.editor.planId).toBe('copy');
    expect(planner.editor.draft.name).toBe('Buy FROG later');
  });

  it('a conflict offers to overwrite: the save goes again on the latest revision', async () => {
    const planner = await opened();
    planner.editor.draft.shares = '2000';
    let first = true;
    backend.on('savePlan', () => {
      if (!first) return ok({ id: 'p1', revision: 6 });
      first = false;
      return { ok: false, error: { code: 'conflict', message: 'revision 5 was saved since' } };
    });
    backend.reply('listRevisions', revisions(1, 2, 3, 4, 5));
    const saving = planner.save();
    await until(() => planner.confirm.request !== null, 'the conflict question');
    expect(planner.confirm.request?.confirmLabel).toBe('Overwrite (becomes revision 6)');
    planner.confirm.answer('confirm');
    await saving;
    expect(backend.inputs('savePlan').map((i) => i.baseRevision)).toEqual([2, 5]);
    expect(planner.savedMarker).toEqual({ kind: 'saved', text: 'Saved' });
  });

  it('a conflict left alone is not saved', async () => {
    const planner = await opened();
    planner.editor.draft.shares = '2000';
    backend.refuse('savePlan', 'conflict', 'saved since');
    backend.reply('listRevisions', revisions(1, 2, 3));
    const saving = planner.save();
    await until(() => planner.confirm.request !== null, 'the conflict question');
    planner.confirm.answer('cancel');
    await saving;
    expect(planner.status.message).toBe('Not saved: the other window’s revision is the latest.');
    expect(planner.savedMarker?.kind).toBe('unsaved');
  });

  it('a plan deleted elsewhere: the marker says so until saved as a new plan', async () => {
    const planner = await opened();
    backend.refuse('savePlan', 'plan_gone', 'the plan was deleted');
    const saving = planner.save();
    await until(() => planner.confirm.request !== null, 'the deleted-plan question');
    expect(planner.planGone).toBe(true);
    expect(planner.savedMarker).toEqual({
      kind: 'unsaved',
      text: '● Not saved: the plan was deleted (Save As keeps it)',
    });
    planner.confirm.answer(true); // Save As…
    await until(() => planner.confirm.request?.title === 'Save as a new plan', 'Save As');
    backend.reply('savePlan', { id: 'again', revision: 1 });
    planner.confirm.answer(true);
    await saving;
    expect(planner.planGone).toBe(false);
    expect(planner.editor.planId).toBe('again');
    expect(planner.savedMarker).toEqual({ kind: 'saved', text: 'Saved' });
  });
});

describe('PlannerState: export and import', () => {
  const file = { fileName: 'a.csv', mimeType: 'text/csv', content: 'x', savedTo: '/tmp/a.csv' };

  it('nothing to export before a solve', async () => {
    const planner = await opened();
    await planner.exportCsv();
    expect(planner.status.message).toBe('Nothing to export yet: solve the plan first.');
  });

  it('exports the current result under the form’s name on the default trading day', async () => {
    const planner = await opened();
    const result = solved(plan());
    backend.reply('solve', result).reply('exportScheduleCsv', file);
    await planner.solve();
    planner.editor.draft.name = 'Renamed';
    await planner.exportCsv();
    const [input] = backend.inputs('exportScheduleCsv');
    expect(input).toMatchObject({ result, date: '2026-01-06' });
    expect('plan' in input && input.plan.name).toBe('Renamed');
    expect(input).not.toHaveProperty('stale');
    expect(planner.status.message).toBe('Exported /tmp/a.csv');
  });

  it('a stale result is exported only when asked, and marked so', async () => {
    const planner = await opened();
    backend.reply('solve', solved(plan())).reply('exportScheduleCsv', file);
    await planner.solve();
    planner.editor.draft.shares = '2000';
    const exporting = planner.exportCsv();
    await until(() => planner.confirm.request !== null, 'the stale question');
    planner.confirm.answer('alternative');
    await exporting;
    const [input] = backend.inputs('exportScheduleCsv');
    expect(input).toMatchObject({ stale: true });
    expect('plan' in input && input.plan.shares).toBe(1000);
    expect(planner.status.kind).toBe('error');
    expect(planner.status.message).toMatch(/NOT the current form$/);
  });

  it('a trading day the session cannot run on is refused', async () => {
    const planner = await opened();
    backend.reply('solve', solved(plan())).reply('exportScheduleCsv', file);
    await planner.solve();
    planner.csvDate = '2026-01-10';
    await planner.exportCsv();
    expect(backend.inputs('exportScheduleCsv')).toEqual([]);
    expect(planner.status.message).toBe('Not exported: trading day: 2026-01-10 is a Saturday');
  });

  it('an imported file becomes revision 1 of a new stored plan', async () => {
    const p = plan({ name: 'Imported' });
    backend.reply('importPlanFile', { id: 'imp', plan: p });
    const planner = new PlannerState();
    await planner.importPlanFile(new File(['{}'], 'plan.json'));
    expect(backend.inputs('importPlanFile')).toEqual([{ text: '{}', fileName: 'plan.json' }]);
    expect(planner.editor.planId).toBe('imp');
    expect(planner.editor.plan).toEqual(p);
    expect(planner.savedMarker).toEqual({ kind: 'saved', text: 'Saved' });
    expect(planner.status.message).toBe('Imported "Imported" into the library');
  });

  it('a refused import names the file once', async () => {
    backend.refuse('importPlanFile', 'invalid_input', 'plan.json: shares: must be a number');
    const planner = new PlannerState();
    await planner.importPlanFile(new File(['{}'], 'plan.json'));
    expect(planner.status.message).toBe('Could not import plan.json: shares: must be a number');
  });
});

describe('PlannerState: plan files the operating system opens', () => {
  const opened1 = { ref: 'ref-1', fileName: 'Buy FROG.orderplan' };

  it('a file the OS hands over is imported by its reference, like Import plan', async () => {
    const p = plan({ name: 'From Finder' });
    backend.reply('importPlanFile', { id: 'os1', plan: p });
    const planner = new PlannerState();
    const stop = planner.start();
    backend.openPlanFile(opened1);
    await until(() => planner.editor.planId === 'os1', 'the opened plan');
    stop();
    expect(backend.inputs('importPlanFile')).toEqual([
      { file: 'ref-1', fileName: 'Buy FROG.orderplan' },
    ]);
    expect(planner.editor.plan).toEqual(p);
    expect(planner.savedMarker).toEqual({ kind: 'saved', text: 'Saved' });
  });

  it('unsaved changes are asked about first; keeping them imports nothing', async () => {
    const planner = await opened();
    planner.editor.draft.shares = '2000';
    backend.reply('importPlanFile', { id: 'os1', plan: plan({ name: 'From Finder' }) });
    const importing = planner.importOpenedPlanFile(opened1);
    await until(() => planner.confirm.request !== null, 'the unsaved-changes question');
    expect(planner.confirm.request?.message).toContain('Open Buy FROG.orderplan anyway?');
    planner.confirm.answer(false);
    await importing;
    expect(backend.inputs('importPlanFile')).toEqual([]);
    expect(planner.editor.planId).toBe('p1');
    expect(planner.editor.draft.shares).toBe('2000');
  });

  it('two files opened at once are imported one after the other, the last one shown', async () => {
    backend.hold('importPlanFile');
    const planner = new PlannerState();
    const first = planner.importOpenedPlanFile(opened1);
    const second = planner.importOpenedPlanFile({ ref: 'ref-2', fileName: 'Sell.orderplan' });
    await until(() => backend.held('importPlanFile').length === 1, 'the first import');
    expect(backend.inputs('importPlanFile').map((i) => 'file' in i && i.file)).toEqual(['ref-1']);
    backend.answer('importPlanFile', ok({ id: 'a', plan: plan({ name: 'A' }) }));
    await first;
    await until(() => backend.held('importPlanFile').length === 1, 'the second import');
    backend.answer('importPlanFile', ok({ id: 'b', plan: plan({ name: 'B' }) }));
    await second;
    expect(backend.inputs('importPlanFile').map((i) => 'file' in i && i.file)).toEqual([
      'ref-1',
      'ref-2',
    ]);
    expect(planner.editor.planId).toBe('b');
  });

  it('a bad file ends in the same message as one picked in the dialog', async () => {
    backend.refuse(
      'importPlanFile',
      'invalid_input',
      'Buy FROG.orderplan: shares: must be a number',
    );
    const planner = new PlannerState();
    await planner.importOpenedPlanFile(opened1);
    expect(planner.status.message).toBe(
      'Could not import Buy FROG.orderplan: shares: must be a number',
    );
  });
});

describe('PlannerState: plans from elsewhere', () => {
  it('an import cancelled in the open dialog changes nothing', async () => {
    const planner = await opened();
    backend.reply('importPlanFile', { cancelled: true });
    await planner.importPlanFile();
    expect(backend.inputs('importPlanFile')).toEqual([{}]);
    expect(planner.editor.planId).toBe('p1');
    expect(planner.savedMarker).toEqual({ kind: 'saved', text: 'Saved' });
  });

  it('a plan from the order book is a new plan, not saved yet', async () => {
    const planner = await opened();
    backend.reply('solve', solved(plan()));
    await planner.solve();
    planner.view = 'book';
    await planner.useBookPlan(plan({ name: 'From the book', shares: 3000 }));
    expect(planner.view).toBe('plan');
    expect(planner.editor.planId).toBeNull();
    expect(planner.solver.result).toBeNull();
    expect(planner.savedMarker).toEqual({ kind: 'unsaved', text: '● Unsaved changes' });
    expect(planner.status.message).toBe(
      'Loaded "From the book" from the order book; solve it or save it.',
    );
  });

  it('duplicate says what came of it', async () => {
    const planner = new PlannerState();
    backend.reply('duplicatePlan', { id: 'copy' });
    await planner.duplicate('p1');
    expect(planner.status.message).toBe('Plan duplicated');
    backend.refuse('duplicatePlan', 'not_found', 'no plan p1');
    await planner.duplicate('p1');
    expect(planner.status.message).toBe('Could not duplicate: no plan p1');
  });

  it('the menu’s Save and Solve run the window’s own actions', async () => {
    const planner = new PlannerState();
    planner.start(); // the worked example, then the plan opened below
    backend.reply('getPlan', stored('p1', plan(), 2));
    await planner.open('p1');
    backend.reply('solve', solved(plan())).reply('savePlan', { id: 'p1', revision: 3 });
    planner.editor.draft.name = 'Renamed';
    backend.menu('solve');
    await until(() => planner.solver.result !== null, 'the solve');
    backend.menu('savePlan');
    await until(() => planner.latestRevision === 3, 'the save');
    expect(backend.inputs('savePlan')[0]).toMatchObject({ id: 'p1', baseRevision: 2 });
    expect(planner.savedMarker).toEqual({ kind: 'saved', text: 'Saved' });
  });
});

describe('PlannerState: rename and delete', () => {
  it('renaming the open plan on its latest revision keeps it Saved, on the new revision', async () => {
    const planner = await opened();
    backend.reply('renamePlan', { id: 'p1', revision: 3 });
    await planner.rename('p1', '  Buy FROG today ');
    expect(planner.editor.draft.name).toBe('Buy FROG today');
    expect(planner.editor.revision).toBe(3);
    expect(planner.latestRevision).toBe(3);
    expect(planner.savedMarker).toEqual({ kind: 'saved', text: 'Saved' });
    expect(planner.status.message).toBe('Renamed to "Buy FROG today" (revision 3)');
  });

  it('renaming the open plan with changes keeps the changes unsaved', async () => {
    const planner = await opened();
    planner.editor.draft.shares = '2000';
    backend.reply('renamePlan', { id: 'p1', revision: 3 });
    await planner.rename('p1', 'Other');
    expect(planner.savedMarker?.kind).toBe('unsaved');
  });

  it('deleting the open plan, once confirmed, empties the form', async () => {
    const planner = await opened();
    backend.reply('deletePlan', { id: 'p1' });
    const deleting = planner.remove('p1', 'Buy FROG');
    expect(planner.confirm.request?.title).toBe('Delete plan?');
    planner.confirm.answer(true);
    await deleting;
    expect(backend.inputs('deletePlan')).toEqual([{ id: 'p1' }]);
    expect(planner.editor.planId).toBeNull();
    expect(planner.status.message).toBe('Deleted "Buy FROG"');
  });

  it('a delete not confirmed does nothing', async () => {
    const planner = await opened();
    const deleting = planner.remove('p1', 'Buy FROG');
    planner.confirm.answer(false);
    await deleting;
    expect(backend.inputs('deletePlan')).toEqual([]);
    expect(planner.editor.planId).toBe('p1');
  });
});

describe('PlannerState: start', () => {
  function storage(initial: Record<string, string> = {}) {
    const items = new Map(Object.entries(initial));
    return {
      items,
      getItem: (k: string) => items.get(k) ?? null,
      setItem: (k: string, v: string) => void items.set(k, v),
      removeItem: (k: string) => void items.delete(k),
    };
  }

  it('opens on the worked example, reports notices and follows menu commands', async () => {
    backend.reply('appInfo', {
      name: 'Order Planner',
      version: '0',
      mode: 'browser',
      dataDir: '/d',
      databasePath: '/d/db',
      notices: ['The database was moved aside.'],
    });
    const planner = new PlannerState();
    const stop = planner.start();
    expect(planner.editor.plan).toEqual(PlanSchema.parse(workedExamplePlan()));
    expect(planner.savedMarker).toBeNull();
    await until(() => planner.mode !== null, 'appInfo');
    expect(planner.mode).toBe('browser');
    expect(planner.status).toMatchObject({
      kind: 'error',
      message: 'The database was moved aside.',
    });
    backend.menu('openPlan');
    expect(planner.focusSearch).toBe(1);
    backend.menu('exportReport');
    expect(planner.reportRequests).toBe(1);
    stop();
    backend.menu('openPlan');
    expect(planner.focusSearch).toBe(1);
  });

  it('reopens the plan opened last, and remembers the one saved', async () => {
    const store = storage({ 'order-planner.last-plan': 'p9' });
    vi.stubGlobal('localStorage', store);
    backend
      .reply('appInfo', {
        name: 'Order Planner',
        version: '0',
        mode: 'electron',
        dataDir: '/d',
        databasePath: '/d/db',
        notices: [],
      })
      .reply('getPlan', stored('p9', plan({ name: 'Last' })))
      .reply('savePlan', { id: 'p10', revision: 1 });
    const planner = new PlannerState();
    planner.start();
    await until(() => planner.editor.planId === 'p9', 'the last plan');
    expect(planner.editor.draft.name).toBe('Last');
    planner.editor.load(plan(), null);
    await planner.save();
    expect(store.items.get('order-planner.last-plan')).toBe('p10');
  });
});
