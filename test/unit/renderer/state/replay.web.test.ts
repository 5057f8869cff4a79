/** ReplayState: which imported days a result can be replayed on, and the replay itself. */
import { describe, expect, it } from 'vitest';
import type { Replay } from '@shared/contract';
import { povBaseline } from '@shared/replay';
import { BookState } from '../../../../src-renderer/src/state/book.svelte';
import { ReplayState, sampleOf } from '../../../../src-renderer/src/state/replay.svelte';
import { fakeBackendEachTest, ok, until } from './fakeBackend.web';
import { day, detail, plan, solved } from './fixtures.web';

const backend = fakeBackendEachTest();

const frog1 = day('d1', 'FROG', '2026-01-05');
const frog2 = day('d2', 'frog', '2026-01-06');
const toad = day('d3', 'TOAD', '2026-01-05');
const long = day('d4', 'FROG', '2026-01-07', { periods: 390 });
const average = day('avg', 'FROG', '2026-01-05', { days: ['2026-01-05', '2026-01-06'] });

async function replayState(): Promise<ReplayState> {
  backend.reply('listBooks', [frog1, frog2, toad, long, average]);
  const r = new ReplayState(new BookState());
  await r.refresh();
  return r;
}

const p = plan({ volumeProfile: [1000, 1000, 1000, 1000] });
const result = solved(p);
const replay: Replay = {
  id: 'd1',
  symbol: 'FROG',
  date: '2026-01-05',
  fileName: 'FROG-2026-01-05.csv',
  side: 'buy',
  periods: 4,
  arrivalMid: 10,
  rows: [],
};

describe('ReplayState', () => {
  it('offers single days of the plan’s symbol (any case) and period count', async () => {
    const r = await replayState();
    expect(r.eligible(p).map((b) => b.id)).toEqual(['d1', 'd2']);
  });

  it('says why the other datasets are left out', async () => {
    const r = await replayState();
    expect(r.unlisted(p)).toEqual([
      { name: 'TOAD 2026-01-05', why: 'another symbol: the plan is of FROG' },
      { name: 'FROG 2026-01-07', why: '390 periods of 1 min, the plan has 4' },
      { name: 'FROG average of 2 days', why: 'an average, not a real day' },
    ]);
    const fromBooks = plan({ source: { symbol: 'TOAD', dates: ['2026-01-05'] } });
    expect(r.unlisted(fromBooks)[0].why).toBe('another symbol: the plan was made from TOAD');
  });

  it('replays on the picked day while it is eligible, else on the first', async () => {
    const r = await replayState();
    expect(r.chosen(p)?.id).toBe('d1');
    r.datasetId = 'd2';
    expect(r.chosen(p)?.id).toBe('d2');
    r.datasetId = 'd3'; // another symbol
    expect(r.chosen(p)?.id).toBe('d1');
  });

  it('replays the optimum, the baselines and a POV baseline from the day’s volumes', async () => {
    const r = await replayState();
    backend.reply('getBook', detail(frog1, [500, 1500, 1000, 1000])).hold('replayBook');
    const running = r.run(p, result);
    await until(() => backend.held('replayBook').length === 1, 'the replay call');
    expect(r.running).toBe(true);
    const input = backend.held('replayBook')[0].input;
    expect(input.id).toBe('d1');
    expect(input.side).toBe('buy');
    const labels = input.schedules.map((s) => s.label);
    expect(labels[0]).toBe('Optimal');
    expect(labels).toContain('Naive (TWAP)');
    expect(labels[labels.length - 1]).toBe('POV 25%');
    // The day's volumes, not the plan's: the POV schedule leans to the busy second period.
    const pov = input.schedules[labels.length - 1].shares;
    const fromDay = povBaseline(p, [500, 1500, 1000, 1000]);
    expect(fromDay.ok && pov).toEqual(fromDay.ok && fromDay.shares);
    expect(pov.reduce((a, x) => a + x, 0)).toBe(1000);
    expect(pov[1]).toBeGreaterThan(pov[0]);
    backend.answer('replayBook', ok(replay));
    await running;
    expect(r.running).toBe(false);
    expect(r.replay).toBe(replay);
    expect(r.planned.map((s) => s.label)).toEqual(labels.slice(0, -1));
    expect(r.pov).toMatchObject({ ok: true, basis: 'plan', rate: 0.25 });
    expect(r.isFor(result)).toBe(true);
    expect(r.isFor(solved(plan({ shares: 2000 })))).toBe(false);
  });

  it('without the day’s volumes the replay goes on without POV, saying why', async () => {
    const r = await replayState();
    backend.refuse('getBook', 'not_found', 'no dataset d1').reply('replayBook', replay);
    await r.run(p, result);
    const [input] = backend.inputs('replayBook');
    expect(input.schedules.some((s) => s.label.startsWith('POV'))).toBe(false);
    expect(r.pov).toEqual({
      ok: false,
      problem: "the day's volumes could not be read (no dataset d1)",
    });
  });

  it('a refused replay names the day; clear forgets the replay', async () => {
    const r = await replayState();
    backend.reply('getBook', detail(frog1, [1000, 1000, 1000, 1000]));
    backend.reply('replayBook', replay);
    await r.run(p, result);
    backend.refuse('replayBook', 'internal', 'the book is unreadable');
    await r.run(p, result);
    expect(r.error).toBe('Could not replay against FROG 2026-01-05: the book is unreadable');
    expect(r.replay).toBe(replay); // the last good one stays until cleared
    r.clear();
    expect(r.replay).toBeNull();
    expect(r.error).toBeNull();
    expect(r.isFor(result)).toBe(false);
  });

  it('nothing runs without an eligible day', async () => {
    backend.reply('listBooks', [toad]);
    const r = new ReplayState(new BookState());
    await r.refresh();
    await r.run(p, result);
    expect(backend.calls.map((c) => c.op)).toEqual(['listBooks']);
  });
});

describe('sampleOf', () => {
  it('goes by the dates the plan records', () => {
    const fromDays = plan({ source: { symbol: 'FROG', dates: ['2026-01-05'] } });
    expect(sampleOf(fromDays, frog1)).toBe('in');
    expect(sampleOf(fromDays, frog2)).toBe('out');
  });

  it('else by the note a book plan starts with; else null', () => {
    const single = plan({ notes: 'From FROG-2026-01-05.csv, 2026-01-05, ask side, 4 periods' });
    expect(sampleOf(single, frog1)).toBe('in');
    expect(sampleOf(single, frog2)).toBe('out');
    const range = plan({ notes: 'From 2 days, 2026-01-05…2026-01-06, ask side' });
    expect(sampleOf(range, frog2)).toBe('in');
    expect(sampleOf(range, long)).toBe('out');
    expect(sampleOf(plan(), frog1)).toBeNull();
  });
});
