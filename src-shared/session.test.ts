import { describe, expect, it } from 'vitest';
import { periodLabels, periodSeconds } from './session';

const nyse = { start: '09:30', end: '16:00', timeZone: 'America/New_York' };

describe('periodLabels', () => {
  it('labels 390 one-minute periods 09:30–16:00 as HH:MM', () => {
    const l = periodLabels(nyse, 390)!;
    expect(l).toHaveLength(390);
    expect(l[0]).toEqual({ start: '09:30', end: '09:31' });
    expect(l[30]).toEqual({ start: '10:00', end: '10:01' });
    expect(l[389]).toEqual({ start: '15:59', end: '16:00' });
    expect(periodSeconds(nyse, 390)).toBe(60);
  });

  it('uses HH:MM:SS when periods are not whole minutes', () => {
    const l = periodLabels(nyse, 780)!;
    expect(l[0]).toEqual({ start: '09:30:00', end: '09:30:30' });
    expect(l[779].end).toBe('16:00:00');
    const odd = periodLabels({ ...nyse, end: '09:31' }, 7)!;
    expect(odd[0]).toEqual({ start: '09:30:00', end: '09:30:09' });
    expect(odd[6].end).toBe('09:31:00');
  });

  it('is null without a session', () => {
    expect(periodLabels(undefined, 10)).toBeNull();
    expect(periodSeconds(undefined, 10)).toBeNull();
  });
});
