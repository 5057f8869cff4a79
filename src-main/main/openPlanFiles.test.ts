/**
 * Plan files the operating system hands the app: which command-line arguments are plan files,
 * and how files wait for the window and reach it as picked-file ids, never as paths.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { OpenedPlanFile } from '@shared/contract';
import { OpenPlanFiles, planFilePath, planPathsFromArgv } from './openPlanFiles';
import { PickedFiles } from './pickedFiles';

const dir = mkdtempSync(join(tmpdir(), 'op-open-plans-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string) => {
  const path = join(dir, name);
  writeFileSync(path, '{}');
  return path;
};
const plan = file('Buy FROG.orderplan');
const old = file('Sell FROG.plan.json');
const upper = file('SHOUT.ORDERPLAN');
const notes = file('notes.txt');
mkdirSync(join(dir, 'folder.orderplan'));

describe('planPathsFromArgv', () => {
  const packaged = { cwd: dir, isPackaged: true };

  it('packaged: skips the executable and every switch, keeps the plan files in order', () => {
    const argv = [
      '/opt/Order Planner/order-planner',
      '--no-sandbox',
      plan,
      '--original-process-start-time=13370000',
      '-psn_0_12345',
      old,
    ];
    expect(planPathsFromArgv(argv, packaged)).toEqual([plan, old]);
  });

  it('unpackaged (electron .): skips the app path too', () => {
    expect(
      planPathsFromArgv(['/usr/bin/electron', '.', plan], { cwd: dir, isPackaged: false }),
    ).toEqual([plan]);
    // The same argv packaged would take "." for an argument: it is no plan file either.
    expect(planPathsFromArgv(['/usr/bin/electron', old], { cwd: dir, isPackaged: false })).toEqual(
      [],
    );
  });

  it('only existing files with a plan extension: not a missing file, a folder, a .txt', () => {
    const argv = [
      'app',
      join(dir, 'missing.orderplan'),
      join(dir, 'folder.orderplan'),
      notes,
      upper,
    ];
    expect(planPathsFromArgv(argv, packaged)).toEqual([upper]);
  });

  it('a relative path is taken from the launching working directory; a file:// URL is its path', () => {
    expect(planPathsFromArgv(['app', 'Buy FROG.orderplan'], packaged)).toEqual([plan]);
    expect(planPathsFromArgv(['app', pathToFileURL(old).href], packaged)).toEqual([old]);
    expect(planPathsFromArgv(['app', 'file://remote-host/x.orderplan'], packaged)).toEqual([]);
  });

  it('each file once; empty or odd arguments are skipped', () => {
    expect(planPathsFromArgv(['app', plan, '', plan, './Buy FROG.orderplan'], packaged)).toEqual([
      plan,
    ]);
    expect(planPathsFromArgv(['app'], packaged)).toEqual([]);
    expect(planPathsFromArgv([], packaged)).toEqual([]);
  });

  it('planFilePath (macOS open-file) applies the same test', () => {
    expect(planFilePath(plan, { cwd: '/' })).toBe(plan);
    expect(planFilePath(notes, { cwd: '/' })).toBeNull();
    expect(planFilePath(join(dir, 'missing.json'), { cwd: '/' })).toBeNull();
  });
});

describe('OpenPlanFiles', () => {
  it('files opened before the window listens wait, then reach it as ids that resolve to them', () => {
    const picked = new PickedFiles();
    const opened = new OpenPlanFiles(picked);
    opened.open([plan]);
    opened.open([old]);
    expect(opened.pending).toBe(2);
    expect(picked.size).toBe(0);

    const sent: OpenedPlanFile[] = [];
    const waiting = opened.listen((f) => sent.push(f));
    expect(waiting).toEqual([
      { ref: expect.stringMatching(/^file-[0-9a-f]{32}$/), fileName: 'Buy FROG.orderplan' },
      { ref: expect.stringMatching(/^file-[0-9a-f]{32}$/), fileName: 'Sell FROG.plan.json' },
    ]);
    expect(JSON.stringify(waiting)).not.toContain(dir);
    expect(waiting.map((f) => picked.resolve(f.ref).path)).toEqual([plan, old]);
    expect(opened.pending).toBe(0);
    expect(sent).toEqual([]);

    // Listening: the next file goes to the window at once.
    opened.open([upper]);
    expect(sent).toEqual([{ ref: expect.any(String), fileName: 'SHOUT.ORDERPLAN' }]);
    expect(picked.resolve(sent[0].ref).path).toBe(upper);
  });

  it('after the window closed (or reloads), files wait for the next one', () => {
    const opened = new OpenPlanFiles(new PickedFiles());
    const first: OpenedPlanFile[] = [];
    opened.listen((f) => first.push(f));
    opened.stopListening();
    opened.open([plan]);
    expect(first).toEqual([]);
    expect(opened.pending).toBe(1);
    expect(opened.listen(() => {})).toEqual([
      { ref: expect.any(String), fileName: 'Buy FROG.orderplan' },
    ]);
    expect(opened.listen(() => {})).toEqual([]);
  });
});
