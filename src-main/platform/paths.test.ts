import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  defaultDataDir,
  preparePrivateDir,
  PRIVATE_DIR_MODE,
  PRIVATE_FILE_MODE,
  SETTINGS_FILE,
  tightenMode,
} from './paths';

it('picks a per-user data folder for each platform', () => {
  expect(defaultDataDir({}, 'linux', '/home/ann')).toBe('/home/ann/.local/share/order-planner');
  expect(defaultDataDir({ XDG_DATA_HOME: '/data/ann' }, 'linux', '/home/ann')).toBe(
    '/data/ann/order-planner',
  );
  expect(defaultDataDir({}, 'darwin', '/Users/ann')).toBe(
    '/Users/ann/Library/Application Support/Order Planner',
  );
  expect(defaultDataDir({ APPDATA: 'C:/Users/ann/AppData/Roaming' }, 'win32', 'C:/Users/ann')).toBe(
    join('C:/Users/ann/AppData/Roaming', 'Order Planner'),
  );
});

describe('private data folder', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'op-paths-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));
  const modeOf = (path: string) => statSync(path).mode & 0o777;

  it('data-folder-permissions: a new data folder is created 0700, with its missing parents', () => {
    const dir = join(root, 'share', 'order-planner');
    preparePrivateDir(dir, () => true);
    expect(modeOf(dir)).toBe(0o700);
    expect(statSync(join(root, 'share')).isDirectory()).toBe(true);
  });

  it("data-folder-permissions: an older 0755 folder and the app's own 0644 files are tightened, others left alone", () => {
    const dir = join(root, 'order-planner');
    mkdirSync(dir, { mode: 0o755 });
    chmodSync(dir, 0o755);
    for (const name of ['ours.sqlite', 'settings.json', 'Chromium Preferences']) {
      writeFileSync(join(dir, name), '{}');
      chmodSync(join(dir, name), 0o644);
    }
    preparePrivateDir(dir, (name) => name === 'ours.sqlite' || name === SETTINGS_FILE);
    expect(modeOf(dir)).toBe(PRIVATE_DIR_MODE);
    expect(modeOf(join(dir, 'ours.sqlite'))).toBe(PRIVATE_FILE_MODE);
    expect(modeOf(join(dir, 'settings.json'))).toBe(0o600);
    expect(modeOf(join(dir, 'Chromium Preferences'))).toBe(0o644);
  });

  it('data-folder-permissions: nothing is changed on Windows (no such modes there)', () => {
    const file = join(root, 'f');
    writeFileSync(file, '');
    chmodSync(file, 0o644);
    tightenMode(file, 'win32');
    expect(modeOf(file)).toBe(0o644);
    tightenMode(file, 'linux');
    expect(modeOf(file)).toBe(0o600);
  });

  it('read-only-made-writable: tightening only removes group/other bits, never adds an owner bit', () => {
    const dir = join(root, 'order-planner');
    mkdirSync(dir, { mode: 0o500 });
    chmodSync(dir, 0o555);
    const cases: [string, number, number][] = [
      ['ours.sqlite', 0o400, 0o400],
      ['ours.sqlite-wal', 0o444, 0o400],
      ['settings.json', 0o640, 0o600],
    ];
    chmodSync(dir, 0o755);
    for (const [name, mode] of cases) {
      writeFileSync(join(dir, name), '{}');
      chmodSync(join(dir, name), mode);
    }
    chmodSync(dir, 0o555);
    preparePrivateDir(dir, () => true);
    expect(modeOf(dir)).toBe(0o500);
    for (const [name, , after] of cases) expect(modeOf(join(dir, name))).toBe(after);
    chmodSync(dir, 0o700);
  });
});
