import { describe, expect, it } from 'vitest';
import { defaultTradingDay, periodLabels, periodSeconds, sessionDayProblem } from './session';

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

describe('defaultTradingDay', () => {
  it('is today before the session ends, the next trading day after', () => {
    // Monday 2026-12-07: 09:00 and 15:59 New York are before the end, 16:00 is not.
    expect(defaultTradingDay(nyse, Date.parse('2026-12-07T14:00:00Z'))).toBe('2026-12-07');
    expect(defaultTradingDay(nyse, Date.parse('2026-12-07T20:59:00Z'))).toBe('2026-12-07');
    expect(defaultTradingDay(nyse, Date.parse('2026-12-07T21:00:00Z'))).toBe('2026-12-08');
    // A session that ends at 11:00 is over at 11:00.
    const morning = { ...nyse, end: '11:00' };
    expect(defaultTradingDay(morning, Date.parse('2026-12-07T16:00:00Z'))).toBe('2026-12-08');
  });

  it('skips weekends and holidays (a Sunday is not a trading day)', () => {
    expect(defaultTradingDay(nyse, Date.parse('2026-12-06T15:00:00Z'))).toBe('2026-12-07');
    expect(defaultTradingDay(nyse, Date.parse('2026-12-25T15:00:00Z'))).toBe('2026-12-28');
    expect(defaultTradingDay(nyse, Date.parse('2026-12-24T22:00:00Z'))).toBe('2026-12-28');
  });

  it('ends the day at an early close', () => {
    // 2026-11-27 closes at 13:00: at 14:00 the next trading day is Monday.
    expect(defaultTradingDay(nyse, Date.parse('2026-11-27T19:00:00Z'))).toBe('2026-11-30');
    expect(defaultTradingDay(nyse, Date.parse('2026-11-27T17:00:00Z'))).toBe('2026-11-27');
  });

  it("reads today in the session's time zone", () => {
    // 03:00 UTC on Tuesday 8 Dec: still Monday evening in New York (after the session), already
    // Tuesday morning in Tokyo (before its 15:00 end).
    const now = Date.parse('2026-12-08T03:00:00Z');
    expect(defaultTradingDay(nyse, now)).toBe('2026-12-08');
    const tokyo = { start: '09:00', end: '15:00', timeZone: 'Asia/Tokyo' };
    expect(defaultTradingDay(tokyo, now)).toBe('2026-12-08');
    expect(defaultTradingDay(tokyo, Date.parse('2026-12-08T07:00:00Z'))).toBe('2026-12-09');
  });
});

describe('sessionDayProblem', () => {
  it('names weekends and holidays', () => {
    expect(sessionDayProblem('2026-12-25', nyse)).toBe(
      '2026-12-25 is a market holiday (Christmas Day)',
    );
    expect(sessionDayProblem('2026-12-05', nyse)).toBe('2026-12-05 is a Saturday');
    expect(sessionDayProblem('2026-12-05', undefined)).toBe('2026-12-05 is a Saturday');
    expect(sessionDayProblem('2026-12-07', nyse)).toBeNull();
  });

  it('refuses a session past an early close and accepts one that ends by it', () => {
    expect(sessionDayProblem('2026-11-27', nyse)).toBe(
      '2026-11-27 is an early close: the exchange closes at 13:00 New York time and the session ' +
        'runs to 16:00; end the session by 13:00 or pick another day',
    );
    expect(sessionDayProblem('2026-11-27', { ...nyse, end: '13:00' })).toBeNull();
    expect(sessionDayProblem('2026-11-27', undefined)).toBeNull();
    // The session's clock is read in its own zone: 18:00 London is 13:00 New York.
    const london = { start: '14:30', end: '18:00', timeZone: 'Europe/London' };
    expect(sessionDayProblem('2026-11-27', london)).toBeNull();
    expect(sessionDayProblem('2026-11-27', { ...london, end: '18:30' })).toMatch(
      /session runs to 18:30 Europe\/London/,
    );
  });
});
