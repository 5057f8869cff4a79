/**
 * The one window factory, run against a fake electron (there is no Electron binary here):
 * the webPreferences it really passes, the handlers it really installs and the URL it loads.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { IpcMainInvokeEvent } from 'electron';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { REPO_ROOT } from '../testing/forkTs';
import type { SettingsFile } from './settings';

type Listener = (...args: unknown[]) => unknown;

const fake = vi.hoisted(() => {
  class FakeEmitter {
    readonly listeners = new Map<string, Listener[]>();
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
    count(event: string) {
      return this.listeners.get(event)?.length ?? 0;
    }
  }
  /** A session's handlers, as set. */
  class FakeSession {
    request?: (wc: unknown, permission: string, callback: (granted: boolean) => void) => void;
    check?: (...args: unknown[]) => boolean;
    device?: (details: unknown) => boolean;
    displayMedia?: (request: unknown, callback: (streams: unknown) => void) => void;
    setPermissionRequestHandler(h: FakeSession['request']) {
      this.request = h;
    }
    setPermissionCheckHandler(h: FakeSession['check']) {
      this.check = h;
    }
    setDevicePermissionHandler(h: FakeSession['device']) {
      this.device = h;
    }
    setDisplayMediaRequestHandler(h: FakeSession['displayMedia']) {
      this.displayMedia = h;
    }
  }
  const appEvents = new FakeEmitter();
  class FakeWebContents extends FakeEmitter {
    readonly mainFrame = { url: '' };
    readonly session = new FakeSession();
    openHandler: ((details: { url: string }) => unknown) | null = null;
    setWindowOpenHandler(h: (details: { url: string }) => unknown) {
      this.openHandler = h;
    }
  }
  class FakeBrowserWindow extends FakeEmitter {
    static created: FakeBrowserWindow[] = [];
    readonly webContents = new FakeWebContents();
    loaded: string[] = [];
    destroyed = false;
    maximized = false;
    constructor(readonly options: Record<string, unknown>) {
      super();
      FakeBrowserWindow.created.push(this);
      // As Electron does for every web contents it creates.
      appEvents.emit('web-contents-created', {}, this.webContents);
    }
    loadURL(url: string) {
      this.loaded.push(url);
      this.webContents.mainFrame.url = url;
      return Promise.resolve();
    }
    isDestroyed() {
      return this.destroyed;
    }
    maximize() {
      this.maximized = true;
    }
    isMaximized() {
      return this.maximized;
    }
    show() {}
    getNormalBounds() {
      return { x: 1, y: 2, width: 1000, height: 700 };
    }
  }
  const permissions = new FakeSession();
  return {
    FakeBrowserWindow,
    FakeWebContents,
    appEvents,
    permissions,
    showMessageBoxSync: vi.fn((): number => 1),
  };
});

vi.mock('electron', () => ({
  app: { on: (event: string, l: Listener) => fake.appEvents.on(event, l) },
  BrowserWindow: fake.FakeBrowserWindow,
  dialog: { showMessageBoxSync: fake.showMessageBoxSync },
  screen: {
    getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }],
  },
  session: { defaultSession: fake.permissions },
}));

const { createMainWindow, guardAllWebContents, hardenSession } = await import('./window');

const APP = 'app://renderer/index.html';
// As index.ts does before the window exists.
guardAllWebContents(APP);

function settings(): SettingsFile & { updates: unknown[] } {
  const updates: unknown[] = [];
  return {
    updates,
    get: () => ({}),
    update: (patch: unknown) => void updates.push(patch),
  } as unknown as SettingsFile & { updates: unknown[] };
}

function open(url = APP) {
  const s = settings();
  const app = createMainWindow(s, url);
  const win = fake.FakeBrowserWindow.created.at(-1)!;
  return { app, win, contents: win.webContents, settings: s };
}

/** Call the listeners of `event` with a fake event; true when one of them prevented it. */
function prevented(
  target: { emit(event: string, ...args: unknown[]): void },
  event: string,
  ...args: unknown[]
): boolean {
  const e = { preventDefault: vi.fn() };
  target.emit(event, e, ...args);
  return e.preventDefault.mock.calls.length > 0;
}

function frameNavigationPrevented(
  contents: { emit(event: string, ...args: unknown[]): void },
  url: string,
): boolean {
  const details = { url, isMainFrame: false, preventDefault: vi.fn() };
  contents.emit('will-frame-navigate', details);
  return details.preventDefault.mock.calls.length > 0;
}

beforeEach(() => {
  fake.FakeBrowserWindow.created.length = 0;
  fake.showMessageBoxSync.mockReset();
});

describe('window factory', () => {
  it('creates the window with the secure webPreferences and nothing weaker', () => {
    const { win } = open();
    const prefs = win.options.webPreferences as Record<string, unknown>;
    expect(prefs).toEqual({
      preload: expect.stringMatching(/[\\/]preload[\\/]index\.js$/),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    });
    expect(win.options.show).toBe(false);
  });

  it('loads the page it is given: app://, never file://', () => {
    const { win } = open();
    expect(win.loaded).toEqual([APP]);
    const dev = open('http://localhost:5173/');
    expect(dev.win.loaded).toEqual(['http://localhost:5173/']);
  });

  it('denies window.open for any URL', () => {
    const { contents } = open();
    for (const url of ['https://evil.example/', APP, 'file:///etc/passwd'])
      expect(contents.openHandler!({ url })).toEqual({ action: 'deny' });
  });

  it('blocks navigation and redirects away from the app, in the main frame and subframes', () => {
    const { contents } = open();
    const away = [
      'https://evil.example/',
      'file:///etc/passwd',
      'app://evil/index.html',
      'evil://renderer/index.html',
      'about:blank',
    ];
    for (const url of away) {
      expect(prevented(contents, 'will-navigate', url), url).toBe(true);
      expect(prevented(contents, 'will-redirect', url), url).toBe(true);
      expect(frameNavigationPrevented(contents, url), url).toBe(true);
    }
    expect(prevented(contents, 'will-navigate', 'app://renderer/index.html#/plans')).toBe(false);
    expect(prevented(contents, 'will-redirect', 'app://renderer/index.html')).toBe(false);
    expect(frameNavigationPrevented(contents, 'app://renderer/index.html')).toBe(false);
  });

  it('refuses to attach webviews', () => {
    const { contents } = open();
    expect(contents.count('will-attach-webview')).toBe(1);
    expect(prevented(contents, 'will-attach-webview', {}, { src: 'https://evil.example/' })).toBe(
      true,
    );
  });

  it('asks natively before an unload would discard unsaved changes', () => {
    const { contents } = open();
    fake.showMessageBoxSync.mockReturnValueOnce(1);
    expect(prevented(contents, 'will-prevent-unload')).toBe(false);
    fake.showMessageBoxSync.mockReturnValueOnce(0);
    expect(prevented(contents, 'will-prevent-unload')).toBe(true);
    expect(fake.showMessageBoxSync).toHaveBeenCalledTimes(2);
  });

  it('remembers the window bounds when it closes', () => {
    const { win, settings: s } = open();
    win.emit('close');
    expect(s.updates).toEqual([
      { window: { x: 1, y: 2, width: 1000, height: 700, maximized: false } },
    ]);
  });
});

describe('isTrustedSender', () => {
  const event = (sender: unknown, senderFrame: unknown) =>
    ({ sender, senderFrame }) as unknown as IpcMainInvokeEvent;

  it('trusts only the main frame of its own window showing the app', () => {
    const { app, contents } = open();
    expect(app.isTrustedSender(event(contents, contents.mainFrame))).toBe(true);
    expect(app.isTrustedSender(event(contents, { url: APP }))).toBe(false); // a subframe
    expect(app.isTrustedSender(event(contents, null))).toBe(false);
    const other = open();
    expect(app.isTrustedSender(event(other.contents, other.contents.mainFrame))).toBe(false);
  });

  it('refuses the main frame once it shows anything but the app', () => {
    const { app, contents } = open();
    for (const url of ['https://evil.example/', 'file:///index.html', 'app://evil/', '']) {
      contents.mainFrame.url = url;
      expect(app.isTrustedSender(event(contents, contents.mainFrame)), url).toBe(false);
    }
  });

  it('refuses everything once the window is destroyed', () => {
    const { app, win, contents } = open();
    win.destroyed = true;
    expect(app.isTrustedSender(event(contents, contents.mainFrame))).toBe(false);
  });

  it('in development trusts the dev server page only', () => {
    const { app, contents } = open('http://localhost:5173/');
    expect(app.isTrustedSender(event(contents, contents.mainFrame))).toBe(true);
    contents.mainFrame.url = 'http://localhost:5174/';
    expect(app.isTrustedSender(event(contents, contents.mainFrame))).toBe(false);
  });
});

/** Every permission, device and screen-capture request of `s` is denied. */
function expectAllDenied(s: InstanceType<typeof fake.FakeWebContents>['session']) {
  for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read']) {
    const callback = vi.fn();
    s.request!({}, permission, callback);
    expect(callback).toHaveBeenCalledWith(false);
    expect(s.check!({}, permission, 'app://renderer', {})).toBe(false);
  }
  for (const deviceType of ['hid', 'serial', 'usb'])
    expect(s.device!({ deviceType, origin: 'app://renderer' })).toBe(false);
  const streams = vi.fn();
  s.displayMedia!({ securityOrigin: 'app://renderer', videoRequested: true }, streams);
  expect(streams).toHaveBeenCalledWith(null);
}

describe('hardenSession', () => {
  it('devices-and-screen-capture: denies every permission, device and display-media request', () => {
    hardenSession();
    expectAllDenied(fake.permissions);
  });
});

describe('guardAllWebContents', () => {
  it('every-web-contents: any web contents (not only the main window) is denied windows, navigation, webviews and permissions', () => {
    // A web contents the factory never saw (devtools, a future helper window, …).
    const other = new fake.FakeWebContents();
    fake.appEvents.emit('web-contents-created', {}, other);
    expect(other.openHandler!({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(prevented(other, 'will-navigate', 'https://evil.example/')).toBe(true);
    expect(prevented(other, 'will-redirect', 'file:///etc/passwd')).toBe(true);
    expect(frameNavigationPrevented(other, 'https://evil.example/')).toBe(true);
    expect(prevented(other, 'will-attach-webview', {}, { src: 'https://evil.example/' })).toBe(
      true,
    );
    expect(prevented(other, 'will-navigate', 'app://renderer/index.html#/plans')).toBe(false);
    expectAllDenied(other.session);
  });

  it("the window's own web contents gets the guard once", () => {
    const { contents } = open();
    for (const event of ['will-navigate', 'will-redirect', 'will-attach-webview'])
      expect(contents.count(event), event).toBe(1);
    expectAllDenied(contents.session);
  });
});

/** The one check that must read sources: no other module bypasses the factory. */
it('window.ts is the only module that creates a BrowserWindow or loads content', () => {
  const sources = readdirSync(join(REPO_ROOT, 'src-main'), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.test.ts'))
    .map((e) => join(e.parentPath, e.name));
  const offenders = sources
    .filter((f) => !f.endsWith(join('main', 'window.ts')))
    .filter((f) => /new BrowserWindow\(|\.loadURL\(|\.loadFile\(/.test(readFileSync(f, 'utf8')));
  expect(offenders).toEqual([]);
});
