/**
 * The one window factory. Every window of the app is created here with its security settings
 * (window.test.ts runs it against a fake electron and checks them): context isolation,
 * sandbox, no Node in the renderer, web security on, IPC only from the window's own main
 * frame. And one guard for every web contents the app ever has (the window's, devtools', any
 * other): no window.open, no navigation away from the app's origin, no webviews, no
 * permissions, no devices, no screen capture.
 */
import {
  app,
  BrowserWindow,
  dialog,
  screen,
  session,
  type IpcMainInvokeEvent,
  type Session,
  type WebContents,
} from 'electron';
import { join } from 'node:path';
import { isAppUrl } from './appUrl';
import { restoreBounds, type SettingsFile } from './settings';

export interface AppWindow {
  window: BrowserWindow;
  /** True when an IPC call comes from this window's own main frame showing the app. */
  isTrustedSender(event: IpcMainInvokeEvent): boolean;
}

/** Deny every permission (camera, notifications, geolocation, …), every device (HID, serial,
 *  USB) and every screen capture (getDisplayMedia) for `target`. */
export function denyPermissions(target: Session): void {
  target.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  target.setPermissionCheckHandler(() => false);
  target.setDevicePermissionHandler(() => false);
  target.setDisplayMediaRequestHandler((_request, callback) => callback(null));
}

/** The app's session denies everything (see denyPermissions). */
export function hardenSession(): void {
  denyPermissions(session.defaultSession);
}

/**
 * Install, once and before any window exists, the guard every web contents gets when it is
 * created (app 'web-contents-created'): window.open denied, navigation and redirects away from
 * `appUrl`'s origin (main frame or any subframe) prevented, webviews never attached, and its
 * session's permission, device and display-media requests denied.
 */
export function guardAllWebContents(appUrl: string): void {
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents, appUrl));
}

function guardWebContents(contents: WebContents, appUrl: string): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url, appUrl)) event.preventDefault();
  });
  contents.on('will-frame-navigate', (details) => {
    if (!isAppUrl(details.url, appUrl)) details.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url, appUrl)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  denyPermissions(contents.session);
}

/** `appUrl`: the page to show (startUrl: app://renderer/index.html, or the dev server).
 *  guardAllWebContents(appUrl) must have been installed first. */
export function createMainWindow(settings: SettingsFile, appUrl: string): AppWindow {
  const saved = settings.get().window;
  const bounds = restoreBounds(
    saved,
    screen.getAllDisplays().map((d) => d.workArea),
  );
  const window = new BrowserWindow({
    ...bounds,
    minWidth: 800,
    minHeight: 560,
    show: false,
    title: 'Order Planner',
    backgroundColor: '#1e1e1e',
    webPreferences: {
      preload: join(__dirname, '../preload/index.js'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  });
  const contents = window.webContents;

  // No new windows, no navigation away from the app, no webviews: guardAllWebContents did
  // that when the window's web contents was created.

  // The window's beforeunload handler objects while the plan has unsaved changes: ask the user
  // natively. preventDefault() here means "unload anyway" (close or reload loses the edits).
  contents.on('will-prevent-unload', (event) => {
    const choice = dialog.showMessageBoxSync(window, {
      type: 'question',
      buttons: ['Discard changes', 'Keep editing'],
      defaultId: 1,
      cancelId: 1,
      message: 'The current plan has unsaved changes.',
      detail: 'Closing the window discards them. Save the plan first to keep them.',
    });
    if (choice === 0) event.preventDefault();
  });

  if (saved?.maximized) window.maximize();
  window.once('ready-to-show', () => window.show());
  window.on('close', () => {
    const b = window.getNormalBounds();
    settings.update({ window: { ...b, maximized: window.isMaximized() } });
  });

  void window.loadURL(appUrl);

  return {
    window,
    isTrustedSender(event) {
      const frame = event.senderFrame;
      return (
        !window.isDestroyed() &&
        event.sender === contents &&
        frame !== null &&
        frame === contents.mainFrame &&
        isAppUrl(frame.url, appUrl)
      );
    },
  };
}
