import { describe, expect, it } from 'vitest';
import {
  addDays,
  closeTime,
  closedReason,
  earlyClose,
  earlyCloses,
  easterSunday,
  holidayName,
  holidays,
  isCalendarDate,
  isTradingDay,
  nextTradingDay,
  tradingDayOnOrAfter,
} from './calendar';

// The exchange's published calendars (nyse.com, "Holidays & Trading Hours") for 2026–2028.
const NYSE_HOLIDAYS: Record<number, [string, string][]> = {
  2026: [
    ['2026-01-01', "New Year's Day"],
    ['2026-01-19', 'Martin Luther King Jr. Day'],
    ['2026-02-16', "Washington's Birthday"],
    ['2026-04-03', 'Good Friday'],
    ['2026-05-25', 'Memorial Day'],
    ['2026-06-19', 'Juneteenth National Independence Day'],
    ['2026-07-03', 'Independence Day (observed)'],
    ['2026-09-07', 'Labor Day'],
    ['2026-11-26', 'Thanksgiving Day'],
    ['2026-12-25', 'Christmas Day'],
  ],
  2027: [
    ['2027-01-01', "New Year's Day"],
    ['2027-01-18', 'Martin Luther King Jr. Day'],
    ['2027-02-15', "Washington's Birthday"],
    ['2027-03-26', 'Good Friday'],
    ['2027-05-31', 'Memorial Day'],
    ['2027-06-18', 'Juneteenth National Independence Day (observed)'],
    ['2027-07-05', 'Independence Day (observed)'],
    ['2027-09-06', 'Labor Day'],
    ['2027-11-25', 'Thanksgiving Day'],
    ['2027-12-24', 'Christmas Day (observed)'],
  ],
  // New Year's Day 2028 is a Saturday and is not observed: nine holidays.
  2028: [
    ['2028-01-17', 'Martin Luther King Jr. Day'],
    ['2028-02-21', "Washington's Birthday"],
    ['2028-04-14', 'Good Friday'],
    ['2028-05-29', 'Memorial Day'],
    ['2028-06-19', 'Juneteenth National Independence Day'],
    ['2028-07-04', 'Independence Day'],
    ['2028-09-04', 'Labor Day'],
    ['2028-11-23', 'Thanksgiving Day'],
    ['2028-12-25', 'Christmas Day'],
  ],
};

const NYSE_EARLY_CLOSES: Record<number, string[]> = {
  // July 4 2026 is a Saturday (observed Friday July 3): no early close in July.
  2026: ['2026-11-27', '2026-12-24'],
  // July 4 2027 is a Sunday; Christmas Eve 2027 is the observed Christmas holiday.
  2027: ['2027-11-26'],
  // Christmas Eve 2028 is a Sunday.
  2028: ['2028-07-03', '2028-11-24'],
};

describe('NYSE holidays 2026–2028', () => {
  for (const y of [2026, 2027, 2028]) {
    it(`lists every holiday of ${y} with its name`, () => {
      expect(holidays(y).map((h) => [h.date, h.name])).toEqual(NYSE_HOLIDAYS[y]);
      for (const [date, name] of NYSE_HOLIDAYS[y]) {
        expect(isTradingDay(date)).toBe(false);
        expect(holidayName(date)).toBe(name);
        expect(closedReason(date)).toBe(`${date} is a market holiday (${name})`);
      }
    });

    it(`lists every early close of ${y} at 13:00`, () => {
      expect(earlyCloses(y)).toEqual(NYSE_EARLY_CLOSES[y]);
      for (const date of NYSE_EARLY_CLOSES[y]) {
        expect(isTradingDay(date)).toBe(true);
        expect(earlyClose(date)).toBe('13:00');
        expect(closeTime(date)).toBe('13:00');
      }
    });
  }

  it('finds Good Friday from Easter', () => {
    expect(easterSunday(2026)).toBe('2026-04-05');
    expect(easterSunday(2027)).toBe('2027-03-28');
    expect(easterSunday(2028)).toBe('2028-04-16');
    // Extremes of the computus: the earliest (March 22) and latest (April 25) Easter.
    expect(easterSunday(2285)).toBe('2285-03-22');
    expect(easterSunday(2038)).toBe('2038-04-25');
    expect(holidayName('2038-04-23')).toBe('Good Friday');
  });

  it('moves a Saturday holiday to the Friday before and a Sunday one to the Monday after', () => {
    expect(holidayName('2027-06-19')).toBeNull(); // Saturday: observed Friday June 18
    expect(holidayName('2027-06-18')).toBe('Juneteenth National Independence Day (observed)');
    expect(holidayName('2027-12-24')).toBe('Christmas Day (observed)');
    expect(earlyClose('2027-12-24')).toBeNull();
    expect(holidayName('2026-07-03')).toBe('Independence Day (observed)');
    expect(holidayName('2027-07-05')).toBe('Independence Day (observed)');
    // New Year's Day on a Sunday (2023) is observed on Monday January 2.
    expect(holidayName('2023-01-02')).toBe("New Year's Day (observed)");
  });

  it("does not close on December 31 for a Saturday New Year's Day", () => {
    expect(isTradingDay('2027-12-31')).toBe(true);
    expect(holidayName('2027-12-31')).toBeNull();
    expect(closedReason('2028-01-01')).toBe('2028-01-01 is a Saturday');
    expect(nextTradingDay('2027-12-30')).toBe('2027-12-31');
    expect(nextTradingDay('2027-12-31')).toBe('2028-01-03');
  });

  it('has Juneteenth from 2022 only', () => {
    expect(holidayName('2021-06-18')).toBeNull();
    expect(holidayName('2022-06-20')).toBe('Juneteenth National Independence Day (observed)');
  });

  it('closes early on July 3 only when July 4 is Tuesday to Friday', () => {
    expect(earlyClose('2025-07-03')).toBe('13:00'); // Friday July 4
    expect(earlyClose('2023-07-03')).toBe('13:00'); // Tuesday July 4
    expect(earlyClose('2022-07-01')).toBeNull(); // Monday July 4: Friday before is a full day
    expect(earlyClose('2026-07-02')).toBeNull(); // Saturday July 4 observed Friday July 3
    expect(earlyClose('2027-07-02')).toBeNull(); // Sunday July 4 observed Monday July 5
  });

  it('computes years without a list that ends', () => {
    expect(holidays(2100)).toHaveLength(10);
    expect(holidayName('2100-11-25')).toBe('Thanksgiving Day');
    expect(earlyClose('2100-11-26')).toBe('13:00');
  });
});

describe('trading days', () => {
  it('names weekends and regular days', () => {
    expect(closedReason('2026-12-05')).toBe('2026-12-05 is a Saturday');
    expect(closedReason('2026-12-06')).toBe('2026-12-06 is a Sunday');
    expect(closedReason('2026-12-07')).toBeNull();
    expect(closeTime('2026-12-07')).toBe('16:00');
    expect(closeTime('2026-12-05')).toBeNull();
    expect(earlyClose('2026-12-07')).toBeNull();
  });

  it('finds the next trading day across weekends and holidays', () => {
    expect(nextTradingDay('2026-12-04')).toBe('2026-12-07'); // Friday → Monday
    expect(nextTradingDay('2026-12-05')).toBe('2026-12-07');
    expect(nextTradingDay('2026-12-24')).toBe('2026-12-28'); // over Christmas and a weekend
    expect(nextTradingDay('2026-04-02')).toBe('2026-04-06'); // over Good Friday
    expect(nextTradingDay('2026-07-02')).toBe('2026-07-06'); // over July 3 (observed)
    expect(nextTradingDay('2027-06-17')).toBe('2027-06-21'); // over Juneteenth (observed)
    expect(nextTradingDay('2026-11-25')).toBe('2026-11-27'); // over Thanksgiving
    expect(nextTradingDay('2026-12-31')).toBe('2027-01-04'); // New Year's Day, weekend
    expect(tradingDayOnOrAfter('2026-12-07')).toBe('2026-12-07');
    expect(tradingDayOnOrAfter('2026-12-25')).toBe('2026-12-28');
  });

  it('checks calendar dates', () => {
    expect(isCalendarDate('2026-02-28')).toBe(true);
    expect(isCalendarDate('2026-02-29')).toBe(false);
    expect(isCalendarDate('2028-02-29')).toBe(true);
    expect(isCalendarDate('2026-2-3')).toBe(false);
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });
});
