import { afterEach, beforeEach, expect, it } from 'vitest';
import { PlannerError, type BookSummary } from '@shared/contract';
import { BOOK_2001 } from '../../test/fixtures/db/contents';
import { deleteBook, findBook, getBook, insertBook, listBooks, type BookData } from './books';
import { openDatabase, type Db } from './db';

let db: Db;
beforeEach(() => {
  db = openDatabase(':memory:').db;
});
afterEach(() => db.close());

function book(id: string, fileName: string): { summary: BookSummary; data: BookData } {
  return {
    summary: {
      ...JSON.parse(BOOK_2001.summaryJson),
      id,
      symbol: 'ACME',
      date: '2025-04-03',
      fileName,
      sha256: id.padEnd(64, '0'),
      rows: 1200,
      periods: 3,
      periodMinutes: 1,
      sessionStart: '09:30',
      sessionEnd: '09:33',
      timeZone: 'America/New_York',
      importedAt: `2026-01-0${id === 'bad' ? 1 : 2}T09:00:00.000Z`,
      stats: {
        sampling: 'start',
        coveredPeriods: 2,
        partialPeriods: 0,
        largestGap: null,
        dataStart: null,
        dataEnd: null,
        volume: null,
        trades: null,
        sigma: null,
        arrival: null,
        maxLevels: 2,
      },
    },
    data: JSON.parse(BOOK_2001.dataJson),
  };
}

function failure(fn: () => unknown): PlannerError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(PlannerError);
    return e as PlannerError;
  }
  throw new Error('expected a PlannerError');
}

const keyOf = (s: BookSummary) => ({
  sha256: s.sha256,
  periodMinutes: s.periodMinutes,
  sessionStart: s.sessionStart,
  sessionEnd: s.sessionEnd,
  timeZone: s.timeZone,
  date: s.date,
  sampling: s.stats.sampling,
});

it('damaged-book-json: a dataset with a damaged summary is still listed, names itself when opened; others stay usable', () => {
  const bad = book('bad', 'bad.csv');
  const good = book('good', 'good.csv');
  insertBook(db, bad.summary, bad.data);
  insertBook(db, good.summary, good.data);
  db.prepare(`UPDATE books SET summary = '{"usableRows": 11' WHERE id = 'bad'`).run();
  const listed = listBooks(db);
  expect(listed.map((b) => b.id)).toEqual(['good', 'bad']);
  expect(listed[0]).toEqual(good.summary);
  expect(listed[1]).toMatchObject({ id: 'bad', fileName: 'bad.csv', rows: 1200, usableRows: 0 });
  const e = failure(() => getBook(db, 'bad'));
  expect(e.code).toBe('storage');
  expect(e.message).toBe(
    'The stored summary of dataset bad (ACME 2025-04-03, bad.csv) is damaged (not JSON) and cannot be opened: delete it and import the file again.',
  );
  expect(getBook(db, 'good').data).toEqual(good.data);
  // Importing the same file again does not find the damaged copy: a sound one is stored.
  expect(findBook(db, keyOf(bad.summary))).toBeNull();
  expect(findBook(db, keyOf(good.summary))?.id).toBe('good');
  deleteBook(db, 'bad');
  expect(listBooks(db).map((b) => b.id)).toEqual(['good']);
});

it('damaged-book-json: damaged data is a storage error naming the dataset; its summary still lists', () => {
  const bad = book('bad', 'bad.csv');
  insertBook(db, bad.summary, bad.data);
  db.prepare(`UPDATE books SET data = '{"series": [{"start": 3}]' WHERE id = 'bad'`).run();
  expect(listBooks(db)).toEqual([bad.summary]);
  expect(failure(() => getBook(db, 'bad')).message).toMatch(
    /^The stored data of dataset bad \(ACME 2025-04-03, bad\.csv\) is damaged \(not JSON\)/,
  );
  db.prepare(`UPDATE books SET data = '{"series": 3}' WHERE id = 'bad'`).run();
  expect(failure(() => getBook(db, 'bad')).message).toMatch(
    /^The stored data of dataset bad .* is damaged \(series: /,
  );
});
