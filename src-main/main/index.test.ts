/**
 * The main process wiring (index.ts) against a fake electron: app:// is registered before the
 * app is ready and served after, the window loads it, IPC checks the sender, importBook
 * resolves only ids of staged files, and plan files the operating system opens (command line,
 * macOS open-file, a second launch) reach the window as ids. There is no Electron binary here.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { OP_NAMES } from '@shared/contract';
import { planFileJson } from '@shared/planFile';
import { samplePlan } from '../testing/plans';

type Listener = (...args: unknown[]) => unknown;

const fake = vi.hoisted(() => {
  const calls: string[] = [];
  let markReady: () => void = () => {};
  const ready = new Promise<void>((r) => (markReady = r));
  const appListeners = new Map<string, Listener>();
  const ipcHandlers = new Map<string, Listener>();
  /** What main sent to the window: [channel, value]. */
  const sent: [string, unknown][] = [];
  /** What the native open dialog answers. */
  const openDialog = { filePaths: [] as string[] };
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
    isDestroyed = () => false;
    send(channel: string, value: unknown) {
      sent.push([channel, value]);
    }
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
    sent,
    openDialog,
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
    showOpenDialog: () =>
      Promise.resolve({
        canceled: fake.openDialog.filePaths.length === 0,
        filePaths: fake.openDialog.filePaths,
      }),
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

// Plan files the operating system hands over: on the command line at start, by macOS's
// open-file before the app is ready, and on a second launch's command line.
const plansDir = mkdtempSync(join(tmpdir(), 'op-main-plans-'));
afterAll(() => rmSync(plansDir, { recursive: true, force: true }));
const planAt = (name: string, text: string) => {
  writeFileSync(join(plansDir, name), text);
  return join(plansDir, name);
};
const onCommandLine = planAt('Buy FROG.orderplan', planFileJson(samplePlan({ name: 'From argv' })));
const broken = planAt('broken.orderplan', '{ "name": "Broken", ');
planAt('Second.plan.json', planFileJson(samplePlan({ name: 'From a second launch' })));
const notAPlan = planAt('notes.txt', 'hello');

describe('main process', () => {
  it('registers app:// as privileged and sandboxes every renderer before the app is ready', async () => {
    delete process.env.ELECTRON_RENDERER_URL;
    const argv = process.argv;
    // Unpackaged: [electron, app path, ...arguments].
    process.argv = ['/usr/bin/electron', '.', '--inspect', onCommandLine, notAPlan];
    try {
      await import('./index');
    } finally {
      process.argv = argv;
    }
    expect(fake.calls).toEqual(['registerSchemesAsPrivileged app', 'enableSandbox']);
    expect(fake.appListeners.has('second-instance')).toBe(true);
  });

  it('macOS open-file before the app is ready: taken (preventDefault) and kept for the window', () => {
    const preventDefault = vi.fn();
    fake.appListeners.get('open-file')!({ preventDefault }, broken);
    fake.appListeners.get('open-file')!({ preventDefault }, notAPlan);
    expect(preventDefault).toHaveBeenCalledTimes(2);
    expect(fake.windows).toHaveLength(0);
    expect(fake.sent).toEqual([]);
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

  it('open-plan-file: the files opened before the window listened reach it as ids, and import', async () => {
    const contents = fake.windows[0].webContents;
    const own = { sender: contents, senderFrame: contents.mainFrame };
    const listen = fake.ipcHandlers.get('planner:file:open-plans')!;
    const importPlanFile = fake.ipcHandlers.get('planner:importPlanFile')!;

    const stranger = { sender: {}, senderFrame: contents.mainFrame };
    expect(await listen(stranger, {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });

    const r = (await listen(own, {})) as { ok: true; value: { ref: string; fileName: string }[] };
    // The command line's plan file, then open-file's; not the .txt, not the flag.
    expect(r).toEqual({
      ok: true,
      value: [
        { ref: expect.stringMatching(/^file-[0-9a-f]{32}$/), fileName: 'Buy FROG.orderplan' },
        { ref: expect.stringMatching(/^file-[0-9a-f]{32}$/), fileName: 'broken.orderplan' },
      ],
    });
    expect(JSON.stringify(r)).not.toContain(plansDir);
    const [good, bad] = r.value;

    expect(await importPlanFile(own, { file: good.ref })).toMatchObject({
      ok: true,
      value: { plan: { name: 'From argv' } },
    });
    // Each id is single use.
    expect(await importPlanFile(own, { file: good.ref })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });

    // A bad file the OS handed over fails as the same file picked in the dialog does.
    const handedOver = await importPlanFile(own, { file: bad.ref, fileName: bad.fileName });
    fake.openDialog.filePaths = [broken];
    const picked = await importPlanFile(own, {});
    fake.openDialog.filePaths = [];
    expect(picked).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', message: expect.stringMatching(/^broken\.orderplan: /) },
    });
    expect(handedOver).toEqual(picked);
  });

  it('second-instance: a second launch restores and focuses the running window and opens its plan file', () => {
    const argv = ['/usr/bin/electron', '.', '--allow-file-access-from-files', 'Second.plan.json'];
    fake.appListeners.get('second-instance')!({}, argv, plansDir);
    expect(fake.calls.slice(-2)).toEqual(['restore', 'focus']);
    expect(fake.windows).toHaveLength(1);
    // The window listens already: the file goes to it at once, as an id.
    expect(fake.sent.at(-1)).toEqual([
      'planner:file:open-plan',
      { ref: expect.stringMatching(/^file-[0-9a-f]{32}$/), fileName: 'Second.plan.json' },
    ]);
  });

  it('second-instance without plan files only focuses; a bad argv is no crash', () => {
    const before = fake.sent.length;
    fake.appListeners.get('second-instance')!({}, ['/usr/bin/electron', '.', notAPlan], plansDir);
    fake.appListeners.get('second-instance')!({}, undefined, undefined);
    expect(fake.sent).toHaveLength(before);
    expect(fake.calls.at(-1)).toBe('focus');
  });

  it('registers one IPC handler per operation plus file staging and the opened plan files', () => {
    expect([...fake.ipcHandlers.keys()].sort()).toEqual(
      [
        ...OP_NAMES.map((op) => `planner:${op}`),
        'planner:file:stage',
        'planner:file:open-plans',
      ].sort(),
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
