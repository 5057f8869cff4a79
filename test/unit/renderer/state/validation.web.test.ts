/** ValidationState: picking days, the blocker, the run, and which report speaks for a plan. */
import { describe, expect, it } from 'vitest';
import { BookState } from '../../../../src-renderer/src/state/book.svelte';
import { ValidationState } from '../../../../src-renderer/src/state/validation.svelte';
import { fakeBackendEachTest } from './fakeBackend.web';
import { day, plan, validationReport } from './fixtures.web';

const backend = fakeBackendEachTest();

const f6 = day('f6', 'FROG', '2026-01-06');
const f5 = day('f5', 'FROG', '2026-01-05');
const t5 = day('t5', 'TOAD', '2026-01-05');
const avg = day('avg', 'FROG', '2026-01-05', { days: ['2026-01-05', '2026-01-06'] });

async function validationState(): Promise<ValidationState> {
  backend.reply('listBooks', [f6, t5, avg, f5]);
  const v = new ValidationState(new BookState());
  await v.refresh();
  return v;
}

describe('ValidationState', () => {
  it('lists single days by symbol, oldest first (averages cannot be replayed)', async () => {
    const v = await validationState();
    expect(v.days().map((d) => d.id)).toEqual(['f5', 'f6', 't5']);
  });

  it('Validate needs two or more ticked days of one symbol', async () => {
    const v = await validationState();
    expect(v.blocker()).toBe('Tick two or more days of one symbol.');
    v.toggle('f6', true);
    v.toggle('t5', true);
    expect(v.blocker()).toBe(
      'The ticked days are of different symbols (FROG, TOAD): validate one symbol.',
    );
    v.toggle('t5', false);
    v.toggle('f5', true);
    v.toggle('f5', true); // ticked once, whatever the clicks
    expect(v.picked).toEqual(['f6', 'f5']);
    expect(v.blocker()).toBeNull();
  });

  it('a tick of a dataset no longer listed does not count', async () => {
    const v = await validationState();
    v.toggle('f5', true);
    v.toggle('gone', true);
    expect(v.blocker()).toBe('Tick two or more days of one symbol.');
  });

  it('runs on the ticked days, oldest first, with the order typed', async () => {
    const v = await validationState();
    v.toggle('f6', true);
    v.toggle('f5', true);
    v.shares = '20000';
    v.side = 'sell';
    v.lotSize = '50';
    v.model = 'book';
    v.mode = 'walk-forward';
    v.halfLife = '30';
    const report = validationReport('FROG', ['2026-01-05', '2026-01-06']);
    backend.reply('validateBooks', report);
    await v.run();
    expect(backend.inputs('validateBooks')).toEqual([
      {
        ids: ['f5', 'f6'],
        shares: 20000,
        side: 'sell',
        lotSize: 50,
        model: 'book',
        mode: 'walk-forward',
        recoveryHalfLifeSeconds: 30,
      },
    ]);
    expect(v.report).toBe(report);
    expect(v.reportIds).toEqual(['f5', 'f6']);
    expect(v.running).toBe(false);
  });

  it('does not run while blocked; a refusal says why and keeps the last report', async () => {
    const v = await validationState();
    backend.refuse('validateBooks', 'invalid_input', 'days: two days of 2026-01-05');
    await v.run();
    expect(backend.inputs('validateBooks')).toEqual([]);
    v.toggle('f5', true);
    v.toggle('f6', true);
    await v.run();
    expect(v.error).toBe('Could not validate: days: two days of 2026-01-05');
    expect(v.report).toBeNull();
  });

  it('a report speaks for a plan made from its days, for the same order', async () => {
    const v = await validationState();
    v.report = validationReport('FROG', ['2026-01-05', '2026-01-06']);
    const made = plan({ source: { symbol: 'FROG', dates: ['2026-01-05', '2026-01-06'] } });
    expect(v.forPlan(made)).toBe(v.report);
    expect(v.forPlan(plan({ ...made, source: { symbol: 'FROG', dates: ['2026-01-05'] } }))).toBe(
      v.report,
    );
    expect(
      v.forPlan(plan({ source: { symbol: 'FROG', dates: ['2026-01-05', '2026-01-07'] } })),
    ).toBeNull(); // a day the report did not validate
    expect(v.forPlan(plan({ ...made, shares: 2000 }))).toBeNull();
    expect(v.forPlan(plan({ ...made, side: 'sell' }))).toBeNull();
    expect(v.forPlan(plan({ ...made, source: { symbol: 'TOAD', dates: [] } }))).toBeNull();
    expect(v.forPlan(plan())).toBeNull(); // not made from books
  });

  it('a report over no days speaks for nothing', async () => {
    const v = await validationState();
    v.report = validationReport('FROG', []);
    expect(v.forPlan(plan({ source: { symbol: 'FROG', dates: [] } }))).toBeNull();
  });
});
