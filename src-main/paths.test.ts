import { join } from 'node:path';
import { expect, it } from 'vitest';
import { defaultDataDir } from './paths';

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
