/**
 * Node's module compile cache for the entries that start a process per use (the CLI, the
 * solver and import workers): V8's code for the bundle is kept on disk after its first load, so a later
 * start skips most of parsing and compiling it. It is an optimisation only: a cache folder
 * that cannot be created or written (a read-only home, a full disk) leaves the cache off or
 * unwritten, silently, and the program runs as without it. NODE_COMPILE_CACHE=dir chooses the
 * folder, NODE_DISABLE_COMPILE_CACHE=1 turns the cache off.
 */
import { enableCompileCache } from 'node:module';
import { join } from 'node:path';

/**
 * os.homedir() as it reads: HOME (USERPROFILE on Windows) when set, else the account's entry;
 * node:os is loaded only in the second case, since loading it costs a process start 3–5 ms.
 */
function homeDir(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string {
  const fromEnv = platform === 'win32' ? env.USERPROFILE : env.HOME;
  return fromEnv || process.getBuiltinModule('node:os').homedir();
}

/**
 * The cache folder: NODE_COMPILE_CACHE when set, else a folder of the user's own cache
 * directory (never the shared temp folder, where another user could place entries first).
 * Node keeps one subfolder per Node version inside it.
 */
export function compileCacheDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home?: string,
): string {
  if (env.NODE_COMPILE_CACHE) return env.NODE_COMPILE_CACHE;
  home ??= homeDir(env, platform);
  if (platform === 'win32')
    return join(
      env.LOCALAPPDATA ?? join(home, 'AppData', 'Local'),
      'Order Planner',
      'compile-cache',
    );
  if (platform === 'darwin')
    return join(home, 'Library', 'Caches', 'Order Planner', 'compile-cache');
  return join(env.XDG_CACHE_HOME || join(home, '.cache'), 'order-planner', 'compile-cache');
}

/** Turn the compile cache on for the modules loaded from now on; never throws. */
export function startCompileCache(): void {
  try {
    enableCompileCache?.(compileCacheDir());
  } catch {
    // No home folder or no such API (an older runtime): run without the cache.
  }
}
