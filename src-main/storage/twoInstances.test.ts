/**
 * Two real browser-mode servers on one data folder, under a storm of saves: the second is
 * refused with one line naming the first, and every save the first acknowledged is in the live
 * database. And a server killed mid-storm leaves no lock behind.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { killedStorm, twoInstanceStorm } from '../testing/saveStorm';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'op-two-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it('second-instance-moves-live-db: a second server on a data folder in use is refused and no acknowledged save is lost', async () => {
  const report = await twoInstanceStorm(join(dir, 'data'), { before: 10, total: 100 });
  expect(report.second.refused).toBe(true);
  expect(report.second.code).not.toBe(0);
  // One line naming the other process (kind, pid, address), and no stack trace.
  const lines = report.second.stderr.trim().split('\n');
  expect(lines.filter((l) => !l.startsWith('removed the uploads'))).toEqual([
    expect.stringMatching(
      new RegExp(
        `^order-planner serve: The database .* is in use by another Order Planner \\(browser-mode server, process ${report.firstPid}, started [^,]+, at ${report.firstOrigin.replace(/\./g, '\\.')}\\)\\. `,
      ),
    ),
  ]);
  expect(report.acknowledged).toBeGreaterThanOrEqual(100);
  expect(report.lost).toEqual([]);
  expect(report.found).toBe(report.acknowledged);
  expect(report.movedAside).toEqual([]);
}, 120_000);

it('a server killed mid-storm leaves no lock behind: a new server starts and finds every acknowledged save', async () => {
  const report = await killedStorm(join(dir, 'data'), { total: 40 });
  expect(report.restarted, report.restartStderr).toBe(true);
  expect(report.acknowledged).toBeGreaterThanOrEqual(40);
  expect(report.lost).toEqual([]);
  expect(report.movedAside).toEqual([]);
}, 120_000);
