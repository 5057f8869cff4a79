/** importBook's `file` is an id of a file the user chose, never a path from the renderer. */
import { describe, expect, it } from 'vitest';
import { PlannerError } from '@shared/contract';
import { PickedFiles } from './pickedFiles';

function errorOf(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (e) {
    if (e instanceof PlannerError) return { code: e.code, message: e.message };
    throw e;
  }
  throw new Error('expected a PlannerError');
}

describe('picked files', () => {
  it('resolves the id it handed out to the path and file name', () => {
    const files = new PickedFiles();
    const ref = files.stage('/home/me/books/AAPL 2025-04-03.csv');
    expect(files.resolve(ref)).toEqual({
      path: '/home/me/books/AAPL 2025-04-03.csv',
      fileName: 'AAPL 2025-04-03.csv',
    });
  });

  it('hands out random, unguessable ids that do not reveal the path', () => {
    const files = new PickedFiles();
    const a = files.stage('/home/me/a.csv');
    const b = files.stage('/home/me/a.csv');
    expect(a).toMatch(/^file-[0-9a-f]{32}$/);
    expect(b).not.toBe(a);
    expect(a).not.toContain('a.csv');
  });

  it('importBook given a path instead of an id: refused with not_found', () => {
    const files = new PickedFiles();
    files.stage('/home/me/a.csv');
    for (const ref of ['/home/me/a.csv', '/etc/passwd', 'C:\\Users\\me\\a.csv', 'a.csv'])
      expect(errorOf(() => files.resolve(ref)).code, ref).toBe('not_found');
  });

  it('refuses an unknown id with not_found, naming what to do', () => {
    const files = new PickedFiles();
    expect(errorOf(() => files.resolve('file-00000000000000000000000000000000'))).toEqual({
      code: 'not_found',
      message: 'file: unknown file reference (pick or drop the file again)',
    });
  });

  it('an id is single use: released once its import has ended', () => {
    const files = new PickedFiles();
    const ref = files.stage('/home/me/a.csv');
    files.release(ref);
    expect(errorOf(() => files.resolve(ref)).code).toBe('not_found');
    files.release(ref);
    files.release('never-staged');
    expect(files.size).toBe(0);
  });

  it('keeps at most maxPending ids, forgetting the oldest', () => {
    const files = new PickedFiles(2);
    const first = files.stage('/a/1.csv');
    const second = files.stage('/a/2.csv');
    const third = files.stage('/a/3.csv');
    expect(files.size).toBe(2);
    expect(errorOf(() => files.resolve(first)).code).toBe('not_found');
    expect(files.resolve(second).fileName).toBe('2.csv');
    expect(files.resolve(third).fileName).toBe('3.csv');
  });

  it('stages only absolute paths (what getPathForFile gives for a file on disk)', () => {
    const files = new PickedFiles();
    expect(errorOf(() => files.stage('books/a.csv')).code).toBe('invalid_input');
    expect(files.size).toBe(0);
  });
});
