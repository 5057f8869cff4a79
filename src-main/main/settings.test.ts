import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SIZE, SettingsFile, restoreBounds } from './settings';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'op-settings-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('settings file', () => {
  it('remembers window state and last folder across instances', () => {
    const path = join(dir, 'settings.json');
    new SettingsFile(path).update({
      window: { x: 10, y: 20, width: 900, height: 700, maximized: true },
    });
    const again = new SettingsFile(path);
    again.update({ lastFolder: '/home/me/exports' });
    expect(new SettingsFile(path).get()).toEqual({
      window: { x: 10, y: 20, width: 900, height: 700, maximized: true },
      lastFolder: '/home/me/exports',
    });
    expect(JSON.parse(readFileSync(path, 'utf8')).lastFolder).toBe('/home/me/exports');
  });

  it('settings-file-permissions: is written readable by the user only (0600)', () => {
    const path = join(dir, 'sub', 'settings.json');
    new SettingsFile(path).update({ lastFolder: '/home/me' });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'sub')).mode & 0o777).toBe(0o700);
  });

  it('falls back to defaults for a damaged or invalid file, keeping the valid parts', () => {
    const path = join(dir, 'settings.json');
    writeFileSync(path, '{not json');
    expect(new SettingsFile(path).get()).toEqual({});
    writeFileSync(path, JSON.stringify({ window: { width: -5 }, lastFolder: '/x' }));
    expect(new SettingsFile(path).get()).toEqual({ window: undefined, lastFolder: '/x' });
  });
});

describe('restoreBounds', () => {
  const screen = [{ x: 0, y: 0, width: 1920, height: 1080 }];
  it('keeps bounds that are on a display', () => {
    const s = { x: 100, y: 50, width: 1000, height: 800, maximized: false };
    expect(restoreBounds(s, screen)).toEqual({ x: 100, y: 50, width: 1000, height: 800 });
  });
  it('drops the position of a window left on a display that is gone', () => {
    const s = { x: 3000, y: 50, width: 1000, height: 800, maximized: false };
    expect(restoreBounds(s, screen)).toEqual({ width: 1000, height: 800 });
  });
  it('uses the default size without saved state', () => {
    expect(restoreBounds(undefined, screen)).toEqual(DEFAULT_SIZE);
  });
});
