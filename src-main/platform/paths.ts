/**
 * Where the app keeps its files, and keeping them private: the data folder is 0700 and every
 * file the app writes there (the database and its -wal/-shm files, settings) is 0600 (group
 * and other bits are removed, never an owner bit added), so other users of the machine cannot read the plans. Windows has no such modes (the per-user
 * AppData folder is private through its ACL), so there nothing is changed.
 */
import { chmodSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** The desktop app's settings file in the data folder (window state, last dialog folder). */
export const SETTINGS_FILE = 'settings.json';

/** Per-user data folder for browser mode (Electron uses app.getPath('userData')). */
export function defaultDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): string {
  if (platform === 'win32')
    return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Order Planner');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Order Planner');
  return join(env.XDG_DATA_HOME || join(home, '.local', 'share'), 'order-planner');
}

/**
 * Remove the group and other permission bits of `path` if it exists and has any (a file or
 * folder an older version created 0644/0755). Only ever removes bits: the owner's own bits are
 * kept as they are, so a file the user made read-only (0400) stays read-only. Failing to (not
 * the owner, a file system without modes) leaves it as it is: the folder's own mode still
 * protects it.
 */
export function tightenMode(path: string, platform: NodeJS.Platform = process.platform): void {
  if (platform === 'win32') return;
  try {
    const mode = statSync(path).mode & 0o7777;
    const tightened = mode & ~0o077;
    if (tightened !== mode) chmodSync(path, tightened);
  } catch {
    // Missing, or not ours to change.
  }
}

/**
 * Create the data folder 0700 (its parents with the usual mode), or tighten an existing one,
 * and tighten the app's own files in it (`isOwnFile(name)`; an Electron data folder also holds
 * Chromium's files, which are left alone).
 */
export function preparePrivateDir(dir: string, isOwnFile: (name: string) => boolean): void {
  mkdirSync(dirname(dir), { recursive: true });
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  tightenMode(dir);
  if (process.platform === 'win32') return;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isFile() && isOwnFile(entry.name)) tightenMode(join(dir, entry.name));
  }
}
