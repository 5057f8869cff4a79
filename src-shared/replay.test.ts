import { describe, expect, it } from 'vitest';
import {
  otherSymbol,
  povBaseline,
  povSchedule,
  replaySchedule,
  tcaRows,
  type ReplayDay,
} from './replay';

/**
 * A tiny day of three periods, arrival mid 10.00. Each ladder lists (offset from the mid, size).
 * Hand-computed for the schedule [150, 100, 50] bought:
 *   period 1: 100 × 0.01 + 50 × 0.02 = 2.00, drift 150 × (10.00 − 10.00) = 0
 *   period 2:  50 × 0.01 + 50 × 0.03 = 2.00, drift 100 × (10.05 − 10.00) = 5.00
 *   period 3:  50 × 0.02             = 1.00, drift  50 × ( 9.98 − 10.00) = −1.00
 * impact 5.00, drift 4.00, shortfall 9.00 on 300 × 10.00 = $3,000: 30 bps (16.67 + 13.33).
 */
const day: ReplayDay = {
  ladders: [
    [
      [0.01, 100],
      [0.02, 100],
    ],
    [
      [0.01, 50],
      [0.03, 200],
    ],
    [[0.02, 300]],
  ],
  mids: [10, 10.05, 9.98],
  arrival: 10,
};

describe('TCA of a replay (implementation shortfall against the arrival mid)', () => {
  it('gives the hand-computed shortfall of a buy in $ and bps, split into impact and drift', () => {
    const row = replaySchedule('Optimal', [150, 100, 50], day, 'buy');
    expect(row.impactCost).toBeCloseTo(5, 12);
    expect(row.shortfall).toBeCloseTo(9, 12);
    const [tca] = tcaRows([row], day.arrival);
    expect(tca.priced).toBe(300);
    expect(tca.shortfall).toBeCloseTo(9, 12);
    expect(tca.shortfallBps).toBeCloseTo(30, 9);
    expect(tca.impactBps).toBeCloseTo(50 / 3, 9);
    expect(tca.drift).toBeCloseTo(4, 12);
    expect(tca.driftBps).toBeCloseTo(40 / 3, 9);
  });

  it('signs the drift for a sell: a rising mid helps the seller', () => {
    const [tca] = tcaRows([replaySchedule('x', [150, 100, 50], day, 'sell')], day.arrival);
    // impact 5.00, drift −4.00: shortfall 1.00 on $3,000.
    expect(tca.shortfall).toBeCloseTo(1, 12);
    expect(tca.shortfallBps).toBeCloseTo(10 / 3, 9);
    expect(tca.driftBps).toBeCloseTo(-40 / 3, 9);
  });

  it('takes the bps on the shares priced and has none without an arrival mid', () => {
    const gap: ReplayDay = { ...day, ladders: [day.ladders[0], [], day.ladders[2]] };
    const row = replaySchedule('x', [150, 100, 50], gap, 'buy');
    const [tca] = tcaRows([row], gap.arrival);
    // 100 shares in period 2 have no book: 200 priced, impact 3.00, drift −1.00.
    expect(tca.priced).toBe(200);
    expect(tca.shortfall).toBeCloseTo(2, 12);
    expect(tca.shortfallBps).toBeCloseTo(10, 9); // 2.00 on 200 × 10.00
    const [none] = tcaRows(
      [replaySchedule('x', [150, 100, 50], { ...day, arrival: null }, 'buy')],
      null,
    );
    expect(none.shortfall).toBeNull();
    expect(none.shortfallBps).toBeNull();
    expect(none.impact).toBeCloseTo(5, 12);
    expect(none.impactBps).toBeNull();
  });
});

describe('POV baseline', () => {
  it('trades rate = order ÷ expected volume of each period’s realised volume', () => {
    // 300 of an expected 4,000: 7.5% of 1,000, 2,000, 1,000.
    const pov = povSchedule(300, [1000, 2000, 1000], 4000);
    expect(pov).toMatchObject({ ok: true, shares: [75, 150, 75], rate: 0.075 });
  });

  it('rounds the running total to lots, so no share is lost', () => {
    // Targets 1.5 and 4.5 lots of 50 round to 2 and 5 lots: 100, 250, then the rest.
    const pov = povSchedule(300, [1000, 2000, 1000], 4000, 50);
    expect(pov).toMatchObject({ ok: true, shares: [100, 150, 50] });
  });

  it('puts what a quiet day leaves in the last period, and stops once a busy day is done', () => {
    const quiet = povSchedule(300, [500, 500, 500], 4000);
    // The last period's own 7.5% of 500 is 38 shares: 187 more are what the quiet day left.
    expect(quiet).toMatchObject({ ok: true, shares: [38, 37, 225], lastPeriodRemainder: 187 });
    const busy = povSchedule(300, [4000, 4000, 4000], 4000);
    expect(busy).toMatchObject({ ok: true, shares: [300, 0, 0], lastPeriodRemainder: 0 });
  });

  it('says why there is none: a day without trades, or no expected volume', () => {
    expect(povSchedule(300, [1000, null, 1000], 4000)).toEqual({
      ok: false,
      problem: 'the day has no traded volume per period (its file has no trades)',
    });
    expect(povSchedule(300, [0, 0, 0], 0)).toMatchObject({ ok: false });
  });

  it('takes the plan’s volume profile, else the day’s own volume', () => {
    const fromPlan = povBaseline(
      { shares: 300, volumeProfile: [1000, 1000, 2000] },
      [1000, 2000, 1000],
    );
    expect(fromPlan).toMatchObject({ ok: true, basis: 'plan', label: 'POV 7.5%' });
    const fromDay = povBaseline({ shares: 300 }, [1000, 1000, 1000]);
    expect(fromDay).toMatchObject({
      ok: true,
      basis: 'day',
      label: 'POV 10%',
      shares: [100, 100, 100],
    });
  });
});

describe('replay identity', () => {
  it('compares the plan’s source symbol, else its own symbol, without case', () => {
    expect(otherSymbol({ symbol: 'FROG' }, 'ARL')).toBe('FROG');
    expect(otherSymbol({ symbol: 'frog' }, 'FROG')).toBeNull();
    expect(otherSymbol({ symbol: 'X', source: { symbol: 'FROG' } }, 'frog')).toBeNull();
    expect(otherSymbol({ symbol: 'FROG', source: { symbol: 'FROG' } }, 'ARL')).toBe('FROG');
  });
});
