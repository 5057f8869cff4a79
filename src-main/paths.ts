import { homedir } from 'node:os';
import { join } from 'node:path';

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
