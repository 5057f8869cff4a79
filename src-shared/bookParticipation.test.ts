/** Plans made from data are capped at a share of each period's volume by default. */
import { describe, expect, it } from 'vitest';
import { buildBookPlan, DEFAULT_MAX_PARTICIPATION, type BookPlanSource } from './book';
import { buildImpactGrid } from './impact';

/** Three 130-minute periods with 4,000, 2,000 and 4,000 shares traded; deep books. */
const source: BookPlanSource = {
  symbol: 'FROG',
  date: '2025-04-03',
  fileName: 'frog.csv',
  periods: 3,
  periodMinutes: 130,
  session: { start: '09:30', end: '16:00', timeZone: 'America/New_York' },
  series: [4000, 2000, 4000].map((volume, i) => ({
    start: ['09:30', '11:40', '13:50'][i],
    mid: 30,
    spread: 0.02,
    bidDepth: 50_000,
    askDepth: 50_000,
    volume,
  })),
  stats: null,
  ladders: {
    buy: [0, 1, 2].map(() => [
      [0.01, 10_000],
      [0.02, 40_000],
    ]),
    sell: [0, 1, 2].map(() => [[0.01, 50_000]]),
  },
};
const opts = { side: 'buy', lotSize: 100, fit: false, model: 'book' } as const;

describe('participation cap of plans made from data', () => {
  it('is 25% of each period’s volume by default, said in the notes', () => {
    expect(DEFAULT_MAX_PARTICIPATION).toBe(0.25);
    const plan = buildBookPlan(source, { ...opts, shares: 2000 });
    expect(plan.volumeProfile).toEqual([4000, 2000, 4000]);
    expect(plan.maxParticipation).toBe(0.25);
    expect(plan.notes).toContain(
      "Each child order is capped at 25% of its period's expected volume (the default for plans made from data",
    );
    // 1,000, 500 and 1,000 shares: the solver's caps in lots of 100.
    expect([...buildImpactGrid(plan).planCaps]).toEqual([10, 5, 10]);
  });

  it('is left out, and said, when the default cannot fill the order', () => {
    // 25% of 10,000 shares is 2,500: an order of 3,000 cannot be filled under it.
    const plan = buildBookPlan(source, { ...opts, shares: 3000 });
    expect(plan.maxParticipation).toBeUndefined();
    expect(plan.notes).toContain(
      "No participation cap: the default of 25% of each period's expected volume allows only 2,500 of the 3,000 shares.",
    );
  });

  it('takes the cap asked for, or none', () => {
    const asked = buildBookPlan(source, { ...opts, shares: 3000, maxParticipation: 0.1 });
    expect(asked.maxParticipation).toBe(0.1);
    expect(asked.notes).toContain("capped at 10% of its period's expected volume.");
    const none = buildBookPlan(source, { ...opts, shares: 2000, maxParticipation: null });
    expect(none.maxParticipation).toBeUndefined();
  });

  it('needs traded volume: a book without trades has no cap', () => {
    const quiet = { ...source, series: source.series.map((p) => ({ ...p, volume: undefined })) };
    expect(buildBookPlan(quiet, { ...opts, shares: 2000 }).maxParticipation).toBeUndefined();
  });
});
