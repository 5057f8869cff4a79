/**
 * Static checks (no Electron binary here): the one window factory keeps every security
 * setting of DESIGN.md §2, no other file creates windows, and index.html has a strict CSP.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../testing/forkTs';
import { isAppUrl } from './appUrl';

const source = readFileSync(join(import.meta.dirname, 'window.ts'), 'utf8');

function sourcesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.test.ts'))
    .map((e) => join(e.parentPath, e.name));
}

describe('window factory security', () => {
  it.each([
    ['contextIsolation: true'],
    ['sandbox: true'],
    ['nodeIntegration: false'],
    ['nodeIntegrationInWorker: false'],
    ['nodeIntegrationInSubFrames: false'],
    ['webSecurity: true'],
    ['allowRunningInsecureContent: false'],
    ['webviewTag: false'],
  ])('webPreferences has %s', (setting) => {
    const prefs = /webPreferences:\s*\{([^}]*)\}/.exec(source)?.[1] ?? '';
    expect(prefs).toContain(setting);
  });

  it('denies window.open, blocks navigation and redirects away, and refuses webviews', () => {
    expect(source).toMatch(/setWindowOpenHandler\(\(\) => \(\{ action: 'deny' \}\)\)/);
    expect(source).toMatch(
      /on\('will-navigate', \(event, url\) => \{\s*if \(!isAppUrl\(url, appUrl\)\) event\.preventDefault\(\);/,
    );
    expect(source).toMatch(
      /on\('will-redirect', \(event, url\) => \{\s*if \(!isAppUrl\(url, appUrl\)\) event\.preventDefault\(\);/,
    );
    expect(source).toMatch(/on\('will-attach-webview', \(event\) => event\.preventDefault\(\)\)/);
  });

  it('denies every permission request and check', () => {
    expect(source).toMatch(
      /setPermissionRequestHandler\(\(_wc, _permission, callback\) =>\s*callback\(false\),?\s*\)/,
    );
    expect(source).toMatch(/setPermissionCheckHandler\(\(\) => false\)/);
    const index = readFileSync(join(import.meta.dirname, 'index.ts'), 'utf8');
    expect(index).toMatch(/hardenSession\(\);/);
  });

  it('asks natively before an unload would discard unsaved changes', () => {
    expect(source).toMatch(/on\('will-prevent-unload', \(event\) => \{[\s\S]*showMessageBoxSync/);
  });

  it('checks the IPC sender is the main frame showing the app', () => {
    expect(source).toMatch(/frame === contents\.mainFrame/);
    expect(source).toMatch(/isAppUrl\(frame\.url, appUrl\)/);
  });

  it('is the only place that creates a BrowserWindow or loads content', () => {
    const offenders = sourcesUnder(join(REPO_ROOT, 'src-main'))
      .filter((f) => !f.endsWith(join('main', 'window.ts')))
      .filter((f) => /new BrowserWindow\(|\.loadURL\(|\.loadFile\(/.test(readFileSync(f, 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('index.html has a strict Content-Security-Policy: no remote origins, no eval', () => {
    const html = readFileSync(join(REPO_ROOT, 'src-renderer', 'index.html'), 'utf8');
    const csp = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1] ?? '';
    expect(csp).toMatch(/default-src 'self'/);
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).toMatch(/object-src 'none'/);
    expect(csp).not.toMatch(/unsafe-eval|https?:|\*/);
  });
});

describe('isAppUrl', () => {
  const app = 'file:///opt/app/out/renderer/index.html';
  it('accepts the app page with any query or hash', () => {
    expect(isAppUrl('file:///opt/app/out/renderer/index.html#/plans?x=1', app)).toBe(true);
  });
  it('refuses other files and remote pages', () => {
    expect(isAppUrl('file:///etc/passwd', app)).toBe(false);
    expect(isAppUrl('https://evil.example/index.html', app)).toBe(false);
    expect(isAppUrl('not a url', app)).toBe(false);
    expect(isAppUrl('http://localhost:5173/x', 'http://localhost:5173/')).toBe(true);
    expect(isAppUrl('http://localhost:5174/', 'http://localhost:5173/')).toBe(false);
  });
});
