/** The plan file's name and extensions: what the export writes and what the app opens. */
import { describe, expect, it } from 'vitest';
import {
  hasPlanFileExtension,
  PLAN_FILE_ACCEPT,
  PLAN_FILE_EXTENSION,
  planFileName,
} from './planFile';

describe('plan file names', () => {
  it('plan-file-extension: an export is <stem>.orderplan, one extension the OS can associate', () => {
    expect(PLAN_FILE_EXTENSION).toBe('orderplan');
    expect(planFileName('Buy FROG')).toBe('Buy FROG.orderplan');
  });

  it('opens .orderplan and the .json / .plan.json files of earlier versions, in any case', () => {
    for (const name of ['Buy FROG.orderplan', 'x.ORDERPLAN', 'Buy FROG.plan.json', 'plan.JSON'])
      expect(hasPlanFileExtension(name)).toBe(true);
    for (const name of ['orderplan', 'plan.json.txt', 'x.orderplan.bak', 'book.csv', 'json'])
      expect(hasPlanFileExtension(name)).toBe(false);
  });

  it('a file input offers both extensions', () => {
    expect(PLAN_FILE_ACCEPT.split(',')).toEqual(
      expect.arrayContaining(['.orderplan', '.json', 'application/json']),
    );
  });
});
