import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { homedir } from 'node:os';
import { compileCacheDir } from './compileCache';

describe('compileCacheDir', () => {
  it('is NODE_COMPILE_CACHE when set', () => {
    expect(compileCacheDir({ NODE_COMPILE_CACHE: '/x/cache' }, 'linux', '/home/u')).toBe(
      '/x/cache',
    );
  });

  it("is the user's own cache folder, never the shared temp folder", () => {
    expect(compileCacheDir({}, 'linux', '/home/u')).toBe(
      join('/home/u', '.cache', 'order-planner', 'compile-cache'),
    );
    expect(compileCacheDir({ XDG_CACHE_HOME: '/c' }, 'linux', '/home/u')).toBe(
      join('/c', 'order-planner', 'compile-cache'),
    );
    expect(compileCacheDir({}, 'darwin', '/Users/u')).toBe(
      join('/Users/u', 'Library', 'Caches', 'Order Planner', 'compile-cache'),
    );
    expect(compileCacheDir({ LOCALAPPDATA: 'C:\\L' }, 'win32', 'C:\\U')).toBe(
      join('C:\\L', 'Order Planner', 'compile-cache'),
    );
  });

  it('finds the home folder as os.homedir() does: HOME (USERPROFILE on Windows), else the account', () => {
    expect(compileCacheDir({ HOME: '/h' }, 'linux')).toBe(
      join('/h', '.cache', 'order-planner', 'compile-cache'),
    );
    expect(compileCacheDir({ USERPROFILE: 'C:\\U', HOME: '/h' }, 'win32')).toBe(
      join('C:\\U', 'AppData', 'Local', 'Order Planner', 'compile-cache'),
    );
    expect(compileCacheDir({}, 'linux')).toBe(
      join(homedir(), '.cache', 'order-planner', 'compile-cache'),
    );
  });
});
