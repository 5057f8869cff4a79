/**
 * The one window factory. Every window of the app is created here with its security settings
 * (window.test.ts runs it against a fake electron and checks them): context isolation,
 * sandbox, no Node in the renderer, web security on, no window.open, no navigation away from
 * the app's origin, no permissions, no webviews, IPC only from the window's own main frame.
 */
import { BrowserWindow, dialog, screen, session, type IpcMainInvokeEvent } from 'electron';
import { join } from 'node:path';
import { isAppUrl } from './appUrl';
import { restoreBounds, type SettingsFile } from './settings';

export interface AppWindow {
  window: BrowserWindow;
  /** True when an IPC call comes from this window's own main frame showing the app. */
  isTrustedSender(event: IpcMainInvokeEvent): boolean;
}

/** Deny every permission (camera, notifications, geolocation, …) for the app's session. */
export function hardenSession(): void {
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) =>
    callback(false),
  );
  session.defaultSession.setPermissionCheckHandler(() => false);
}

/** `appUrl`: the page to show (startUrl: app://renderer/index.html, or the dev server). */
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

  // No new windows, no navigation away from the app (main frame or any subframe), no webviews.
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
