/** The app:// scheme against a fake electron (there is no Electron binary here). */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

const electron = vi.hoisted(() => ({
  registerSchemesAsPrivileged: vi.fn(),
  handle: vi.fn(),
  fetch: vi.fn(),
}));
vi.mock('electron', () => ({
  protocol: {
    registerSchemesAsPrivileged: electron.registerSchemesAsPrivileged,
    handle: electron.handle,
  },
  net: { fetch: electron.fetch },
}));

const { appRequestHandler, registerAppScheme, serveAppScheme } = await import('./appProtocol');

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'op-renderer-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html>');
  writeFileSync(join(dir, 'assets', 'app.js'), 'export {}');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Reads through a fake net.fetch that records the file: URLs asked for. */
function handler() {
  const asked: string[] = [];
  const serve = appRequestHandler(dir, async (url) => {
    asked.push(url);
    return new Response(`contents of ${url}`, { status: 200 });
  });
  return { serve, asked };
}

describe('app:// scheme', () => {
  it('is registered as a standard, secure scheme', () => {
    registerAppScheme();
    expect(electron.registerSchemesAsPrivileged).toHaveBeenCalledWith([
      {
        scheme: 'app',
        privileges: expect.objectContaining({ standard: true, secure: true }),
      },
    ]);
    const privileges = electron.registerSchemesAsPrivileged.mock.calls[0][0][0].privileges;
    expect(privileges).not.toHaveProperty('bypassCSP');
    expect(privileges).not.toHaveProperty('allowServiceWorkers');
  });

  it('serves the renderer folder through net.fetch of each file: URL', async () => {
    serveAppScheme(dir);
    expect(electron.handle).toHaveBeenCalledWith('app', expect.any(Function));
    electron.fetch.mockResolvedValueOnce(new Response('js'));
    const serve = electron.handle.mock.lastCall![1] as (r: Request) => Promise<Response>;
    const r = await serve(new Request('app://renderer/assets/app.js'));
    expect(await r.text()).toBe('js');
    expect(electron.fetch).toHaveBeenCalledWith(pathToFileURL(join(dir, 'assets/app.js')).href);
  });

  it('serves index.html for the root', async () => {
    const { serve, asked } = handler();
    expect((await serve(new Request('app://renderer/'))).status).toBe(200);
    expect(asked).toEqual([pathToFileURL(join(dir, 'index.html')).href]);
  });

  it('refuses path traversal and encoded dots without touching a file', async () => {
    const { serve, asked } = handler();
    for (const url of [
      'app://renderer/..%2f..%2fetc%2fpasswd',
      'app://renderer/%2e%2e%2f%2e%2e%2fetc%2fpasswd',
      'app://renderer/assets/..%5c..%5csecret',
    ])
      expect((await serve(new Request(url))).status, url).toBe(404);
    expect(asked).toEqual([]);
  });

  it('refuses an unknown host and methods other than GET and HEAD', async () => {
    const { serve, asked } = handler();
    expect((await serve(new Request('app://other/index.html'))).status).toBe(404);
    const post = await serve(new Request('app://renderer/index.html', { method: 'POST' }));
    expect(post.status).toBe(405);
    expect(asked).toEqual([]);
  });

  it('answers 404 when the file cannot be read', async () => {
    const serve = appRequestHandler(dir, () =>
      Promise.reject(new Error('net::ERR_FILE_NOT_FOUND')),
    );
    expect((await serve(new Request('app://renderer/missing.js'))).status).toBe(404);
  });
});
