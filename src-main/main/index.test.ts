/**
 * The main process wiring (index.ts) against a fake electron: app:// is registered before the
 * app is ready and served after, the window loads it, IPC checks the sender and importBook
 * resolves only ids of staged files. There is no Electron binary here.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { OP_NAMES } from '@shared/contract';

type Listener = (...args: unknown[]) => unknown;

const fake = vi.hoisted(() => {
  const calls: string[] = [];
  let markReady: () => void = () => {};
  const ready = new Promise<void>((r) => (markReady = r));
  const appListeners = new Map<string, Listener>();
  const ipcHandlers = new Map<string, Listener>();
  const windows: {
    options: Record<string, unknown>;
    loaded: string[];
    webContents: { mainFrame: { url: string } };
  }[] = [];

  class Emitter {
    private readonly listeners = new Map<string, Listener[]>();
    on(event: string, l: Listener) {
      this.listeners.set(event, [...(this.listeners.get(event) ?? []), l]);
      return this;
    }
    once(event: string, l: Listener) {
      return this.on(event, l);
    }
    emit(event: string, ...args: unknown[]) {
      for (const l of this.listeners.get(event) ?? []) l(...args);
    }
  }
  const noSession = {
    setPermissionRequestHandler() {},
    setPermissionCheckHandler() {},
    setDevicePermissionHandler() {},
    setDisplayMediaRequestHandler() {},
  };
  class WebContents extends Emitter {
    readonly mainFrame = { url: '' };
    readonly session = noSession;
    setWindowOpenHandler() {}
    send() {}
  }
  class BrowserWindow extends Emitter {
    static getAllWindows = () => windows;
    readonly webContents = new WebContents();
    readonly loaded: string[] = [];
    constructor(readonly options: Record<string, unknown>) {
      super();
      windows.push(this);
      appListeners.get('web-contents-created')?.({}, this.webContents);
    }
    loadURL(url: string) {
      calls.push(`loadURL ${url}`);
      this.loaded.push(url);
      this.webContents.mainFrame.url = url;
      return Promise.resolve();
    }
    isDestroyed = () => false;
    maximize() {}
    isMaximized = () => false;
    minimized = true;
    isMinimized = () => this.minimized;
    restore() {
      calls.push('restore');
      this.minimized = false;
    }
    focus() {
      calls.push('focus');
    }
    show() {}
    getNormalBounds = () => ({ x: 0, y: 0, width: 1280, height: 820 });
  }
  /** A utility process that starts and exits when told to. */
  function fork() {
    const child = new Emitter() as Emitter & Record<string, unknown>;
    child.pid = 4242;
    child.postMessage = () => {};
    child.kill = () => child.emit('exit', 0);
    return child;
  }
  return {
    calls,
    ready,
    markReady,
    appListeners,
    ipcHandlers,
    windows,
    BrowserWindow,
    fork,
    dataDir: '',
  };
});

fake.dataDir = mkdtempSync(join(tmpdir(), 'op-main-'));
afterAll(() => rmSync(fake.dataDir, { recursive: true, force: true }));

vi.mock('electron', () => ({
  app: {
    isPackaged: false,
    whenReady: () => fake.ready,
    getPath: () => fake.dataDir,
    getVersion: () => '0.1.0',
    on: (event: string, l: Listener) => fake.appListeners.set(event, l),
    requestSingleInstanceLock: () => true,
    enableSandbox: () => fake.calls.push('enableSandbox'),
    quit: () => fake.calls.push('quit'),
    exit: () => fake.calls.push('exit'),
    showAboutPanel: () => {},
  },
  protocol: {
    registerSchemesAsPrivileged: (schemes: { scheme: string }[]) =>
      fake.calls.push(`registerSchemesAsPrivileged ${schemes.map((s) => s.scheme)}`),
    handle: (scheme: string) => fake.calls.push(`protocol.handle ${scheme}`),
  },
  net: { fetch: () => Promise.reject(new Error('not here')) },
  session: {
    defaultSession: {
      setPermissionRequestHandler: () => fake.calls.push('setPermissionRequestHandler'),
      setPermissionCheckHandler: () => {},
      setDevicePermissionHandler: () => fake.calls.push('setDevicePermissionHandler'),
      setDisplayMediaRequestHandler: () => fake.calls.push('setDisplayMediaRequestHandler'),
    },
  },
  BrowserWindow: fake.BrowserWindow,
  screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
  dialog: {
    showErrorBox: (title: string, message: string) =>
      fake.calls.push(`showErrorBox ${title}: ${message}`),
    showMessageBoxSync: () => 1,
    showOpenDialog: () => Promise.resolve({ canceled: true, filePaths: [] }),
    showSaveDialog: () => Promise.resolve({ canceled: true }),
  },
  ipcMain: {
    handle: (channel: string, l: Listener) => fake.ipcHandlers.set(channel, l),
    removeHandler: (channel: string) => fake.ipcHandlers.delete(channel),
  },
  Menu: { buildFromTemplate: (t: unknown) => t, setApplicationMenu: () => {} },
  shell: { openPath: () => Promise.resolve('') },
  utilityProcess: { fork: fake.fork },
}));

describe('main process', () => {
  it('registers app:// as privileged and sandboxes every renderer before the app is ready', async () => {
    delete process.env.ELECTRON_RENDERER_URL;
    await import('./index');
    expect(fake.calls).toEqual(['registerSchemesAsPrivileged app', 'enableSandbox']);
    expect(fake.appListeners.has('second-instance')).toBe(true);
  });

  it('once ready: hardens the session, guards every web contents, serves app:// and loads the window from it', async () => {
    fake.markReady();
    await vi.waitFor(() => expect(fake.windows).toHaveLength(1));
    expect(fake.calls.slice(2)).toEqual([
      'setPermissionRequestHandler',
      'setDevicePermissionHandler',
      'setDisplayMediaRequestHandler',
      'protocol.handle app',
      'loadURL app://renderer/index.html',
    ]);
    expect(fake.appListeners.has('web-contents-created')).toBe(true);
  });

  it('second-instance: a second launch restores and focuses the running window', () => {
    fake.appListeners.get('second-instance')!();
    expect(fake.calls.slice(-2)).toEqual(['restore', 'focus']);
    expect(fake.windows).toHaveLength(1);
  });

  it('registers one IPC handler per operation plus file staging', () => {
    expect([...fake.ipcHandlers.keys()].sort()).toEqual(
      [...OP_NAMES.map((op) => `planner:${op}`), 'planner:file:stage'].sort(),
    );
  });

  it('importBook-accepts-any-path: main resolves only ids staged from its own window', async () => {
    const contents = fake.windows[0].webContents;
    const own = { sender: contents, senderFrame: contents.mainFrame };
    const stage = fake.ipcHandlers.get('planner:file:stage')!;
    const importBook = fake.ipcHandlers.get('planner:importBook')!;

    const byPath = await importBook(own, { file: '/etc/passwd', periodMinutes: 1 });
    expect(byPath).toMatchObject({ ok: false, error: { code: 'not_found' } });

    const staged = await stage(own, { path: '/home/me/AAPL.csv' });
    expect(staged).toEqual({ ok: true, value: { ref: expect.stringMatching(/^file-[0-9a-f]+$/) } });

    const stranger = { sender: {}, senderFrame: contents.mainFrame };
    expect(await stage(stranger, { path: '/home/me/AAPL.csv' })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(await importBook(stranger, { file: 'file-x', periodMinutes: 1 })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
  });

  it('closes the backend before quitting', async () => {
    const preventDefault = vi.fn();
    fake.appListeners.get('will-quit')!({ preventDefault });
    expect(preventDefault).toHaveBeenCalled();
    await vi.waitFor(() => expect(fake.calls).toContain('quit'));
    expect(fake.calls.filter((c) => c.startsWith('showErrorBox'))).toEqual([]);
  });
});
