/** Where the window's page comes from, and which URLs and files count as the app's. */
import { join, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_START_URL, isAppUrl, resolveAppPath, startUrl } from './appUrl';

const dir = resolve('/opt/order-planner/out/renderer');

describe('startUrl', () => {
  const dev = { isPackaged: false, isDevBuild: true };

  it('loads the built renderer from app://, not file://', () => {
    expect(startUrl({ ...dev, devServerUrl: undefined })).toBe('app://renderer/index.html');
    expect(APP_START_URL.startsWith('app://')).toBe(true);
  });

  it('uses the dev server only in a development build that is not packaged', () => {
    expect(startUrl({ ...dev, devServerUrl: 'http://localhost:5173' })).toBe(
      'http://localhost:5173/',
    );
    expect(startUrl({ ...dev, isPackaged: true, devServerUrl: 'http://localhost:5173' })).toBe(
      APP_START_URL,
    );
  });

  it('renderer-url-in-production: a production build ignores ELECTRON_RENDERER_URL, even unpackaged', () => {
    expect(
      startUrl({ isPackaged: false, isDevBuild: false, devServerUrl: 'http://localhost:5173' }),
    ).toBe(APP_START_URL);
  });

  it("renderer-url-in-production: accepts only the dev server's loopback origin", () => {
    for (const devServerUrl of [
      'https://evil.example/',
      'http://192.168.1.10:5173/',
      'https://localhost:5173/', // the dev server speaks plain http
      'http://localhost/', // no port: not a dev server
      'http://user:pw@localhost:5173/',
      'http://localhost:5173/evil.html',
      'http://localhost:5173/?next=https://evil.example/',
      'http://localhost.evil.example:5173/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'not a url',
      '',
    ])
      expect(startUrl({ ...dev, devServerUrl }), devServerUrl).toBe(APP_START_URL);
    expect(startUrl({ ...dev, devServerUrl: 'http://127.0.0.1:5173/' })).toBe(
      'http://127.0.0.1:5173/',
    );
    expect(startUrl({ ...dev, devServerUrl: 'http://[::1]:5173' })).toBe('http://[::1]:5173/');
  });
});

describe('isAppUrl', () => {
  it('accepts the app page with any path, query or hash', () => {
    expect(isAppUrl('app://renderer/index.html#/plans?x=1', APP_START_URL)).toBe(true);
    expect(isAppUrl('app://renderer/', APP_START_URL)).toBe(true);
  });

  it('refuses an unknown host, another custom scheme, file:// and remote pages', () => {
    expect(isAppUrl('app://evil/index.html', APP_START_URL)).toBe(false);
    expect(isAppUrl('app:///index.html', APP_START_URL)).toBe(false);
    // Node gives every non-special URL the origin "null": comparing origins would accept this.
    expect(isAppUrl('evil://renderer/index.html', APP_START_URL)).toBe(false);
    expect(isAppUrl('file:///opt/order-planner/out/renderer/index.html', APP_START_URL)).toBe(
      false,
    );
    expect(isAppUrl('https://evil.example/index.html', APP_START_URL)).toBe(false);
    expect(isAppUrl('about:blank', APP_START_URL)).toBe(false);
    expect(isAppUrl('not a url', APP_START_URL)).toBe(false);
  });

  it('compares the dev server by scheme, host and port', () => {
    expect(isAppUrl('http://localhost:5173/x', 'http://localhost:5173/')).toBe(true);
    expect(isAppUrl('http://localhost:5174/', 'http://localhost:5173/')).toBe(false);
    expect(isAppUrl('https://localhost:5173/', 'http://localhost:5173/')).toBe(false);
  });
});

describe('resolveAppPath', () => {
  it('maps app:// paths to files inside the renderer folder', () => {
    expect(resolveAppPath('app://renderer/index.html', dir)).toBe(join(dir, 'index.html'));
    expect(resolveAppPath('app://renderer/', dir)).toBe(join(dir, 'index.html'));
    expect(resolveAppPath('app://renderer', dir)).toBe(join(dir, 'index.html'));
    expect(resolveAppPath('app://renderer/assets/index-1.js?v=2#top', dir)).toBe(
      join(dir, 'assets', 'index-1.js'),
    );
    expect(resolveAppPath('app://renderer/assets/a%20b.css', dir)).toBe(
      join(dir, 'assets', 'a b.css'),
    );
  });

  it('never leaves the folder through .. (plain or %2e%2e: the URL parser removes them)', () => {
    for (const url of [
      'app://renderer/../../etc/passwd',
      'app://renderer/%2e%2e/%2e%2e/etc/passwd',
      'app://renderer/assets/.%2E/.%2e/.%2e/etc/passwd',
    ]) {
      const file = resolveAppPath(url, dir);
      expect(file === null || file.startsWith(dir + sep), url).toBe(true);
    }
  });

  it('refuses encoded separators and dots that would climb out once decoded', () => {
    for (const url of [
      'app://renderer/..%2f..%2fetc%2fpasswd',
      'app://renderer/%2e%2e%2fsecret',
      'app://renderer/assets/..%2F..%2F..%2F..%2Fetc%2Fpasswd',
      'app://renderer/a/..%5c..%5cwindows%5cwin.ini',
      'app://renderer/index.html%00.js',
      'app://renderer/%E0%A4%A',
      'app://renderer/.%2f',
    ])
      expect(resolveAppPath(url, dir), url).toBeNull();
  });

  it('refuses an unknown host, another scheme and the empty host', () => {
    expect(resolveAppPath('app://evil/index.html', dir)).toBeNull();
    expect(resolveAppPath('app://renderer:8080/index.html', dir)).toBeNull();
    expect(resolveAppPath('app:///index.html', dir)).toBeNull();
    expect(resolveAppPath('file:///opt/order-planner/out/renderer/index.html', dir)).toBeNull();
    expect(resolveAppPath('https://renderer/index.html', dir)).toBeNull();
    expect(resolveAppPath('not a url', dir)).toBeNull();
  });
});
