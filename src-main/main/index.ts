/**
 * Electron main process (thin): app lifecycle, the window, the menu and IPC. Everything it
 * calls (services, storage, solver host) is shared with browser mode and tested there.
 */
import { join } from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, Menu, type IpcMainInvokeEvent } from 'electron';
import type { MenuCommand } from '@shared/contract';
import { createBackend, type Backend } from '../backend/backend';
import { DatabaseInUse } from '../storage/lock';
import type { ImportHostToWorker } from '../book/importHost';
import { MENU_CHANNEL, PROGRESS_CHANNEL } from '../platform/ipcChannels';
import { registerAppScheme, serveAppScheme } from './appProtocol';
import { startUrl } from './appUrl';
import { nativeDialogs } from './dialogs';
import { registerFileStaging, registerIpc, registerOpenPlanFiles } from './ipc';
import { buildMenu } from './menu';
import { OpenPlanFiles, planFilePath, planPathsFromArgv } from './openPlanFiles';
import { PickedFiles } from './pickedFiles';
import { SettingsFile } from './settings';
import { utilitySpawner } from './utilitySpawner';
import { createMainWindow, guardAllWebContents, hardenSession, type AppWindow } from './window';

let backend: Backend | null = null;
let main: AppWindow | null = null;
/** importBook's `file` references: ids of files the user dropped or picked, never paths. */
const pickedFiles = new PickedFiles();
/** Plan files the operating system asked us to open, until the window takes them. */
const openPlanFiles = new OpenPlanFiles(pickedFiles);

// Before the app is ready: app:// must be known as a standard, secure scheme at startup, and
// every renderer (not only the window's) runs in Chromium's sandbox.
registerAppScheme();
app.enableSandbox();

// macOS hands over the files to open (a double click in Finder, a file dropped on the Dock
// icon) with 'open-file', for the first one before the app is ready: keep it for the window.
app.on('open-file', (event, path) => {
  event.preventDefault();
  const file = planFilePath(path, { cwd: process.cwd() });
  if (file === null) return;
  openPlanFiles.open([file]);
  focusRunningWindow();
});

function openWindow(settings: SettingsFile, url: string): void {
  main = createMainWindow(settings, url);
  // Plan files opened while no page listens wait for the next one.
  main.window.webContents.on('did-start-loading', () => openPlanFiles.stopListening());
  main.window.on('closed', () => {
    main = null;
    openPlanFiles.stopListening();
  });
}

async function start(): Promise<void> {
  await app.whenReady();
  hardenSession();
  serveAppScheme(join(__dirname, '../renderer'));
  // The dev server only in a development build; the built renderer on app:// otherwise.
  const url = startUrl({
    isPackaged: app.isPackaged,
    isDevBuild: import.meta.env.DEV,
    devServerUrl: process.env.ELECTRON_RENDERER_URL,
  });
  guardAllWebContents(url);
  const dataDir = app.getPath('userData');
  const settings = new SettingsFile(join(dataDir, 'settings.json'));
  try {
    backend = createBackend({
      mode: 'electron',
      version: app.getVersion(),
      dataDir,
      spawn: utilitySpawner(join(__dirname, 'solverWorker.js')),
      importSpawn: utilitySpawner<ImportHostToWorker>(
        join(__dirname, 'importWorker.js'),
        'Order Planner Import',
      ),
      resolveFile: (ref) => pickedFiles.resolve(ref),
      releaseFile: (ref) => pickedFiles.release(ref),
      dialogs: nativeDialogs(() => main?.window ?? null, settings),
    });
  } catch (e) {
    // Another desktop app was focused by 'second-instance'; this is a browser-mode server (or
    // a desktop app of another build) holding the data folder: say who, and quit.
    const title =
      e instanceof DatabaseInUse
        ? 'Order Planner is already running'
        : 'Order Planner cannot start';
    dialog.showErrorBox(title, e instanceof Error ? e.message : String(e));
    app.exit(1);
    return;
  }
  const { services } = backend;
  const isTrustedSender = (event: IpcMainInvokeEvent) => main?.isTrustedSender(event) ?? false;
  registerIpc(ipcMain, services, isTrustedSender);
  registerFileStaging(ipcMain, pickedFiles, isTrustedSender);
  registerOpenPlanFiles(ipcMain, openPlanFiles, isTrustedSender);
  backend.onProgress((event) => main?.window.webContents.send(PROGRESS_CHANNEL, event));
  const send = (command: MenuCommand) => main?.window.webContents.send(MENU_CHANNEL, command);
  Menu.setApplicationMenu(buildMenu(send, dataDir));

  openWindow(settings, url);
  reopen = () => openWindow(settings, url);
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) openWindow(settings, url);
  });
}

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

let quitting = false;
app.on('will-quit', (event) => {
  if (quitting || !backend) return;
  // Stop the solver (with its kill deadline) and close the database before exiting.
  event.preventDefault();
  quitting = true;
  void backend.close().finally(() => app.quit());
});

/** Opens the window again once started (null before: the window is on its way). */
let reopen: (() => void) | null = null;

/** A second launch of the desktop app, or a file to open: bring this one's window forward
 *  (before the app is ready, the window is on its way anyway). */
function focusRunningWindow(): void {
  if (!main) return reopen?.();
  if (main.window.isMinimized()) main.window.restore();
  main.window.show();
  main.window.focus();
}

/** The plan files on a command line (ours at start, or the one a second launch handed over). */
function planFilesOf(argv: readonly string[] | undefined, cwd: string | undefined): string[] {
  if (!Array.isArray(argv)) return [];
  return planPathsFromArgv(argv, { cwd: cwd ?? process.cwd(), isPackaged: app.isPackaged });
}

// One desktop app per user: a second launch hands over to the first (which focuses its window
// and opens the plan files on the second one's command line) and quits. A browser-mode server
// on the same data folder is refused by the database's lock (storage/lock.ts), whichever
// starts second.
if (app.requestSingleInstanceLock()) {
  openPlanFiles.open(planFilesOf(process.argv, process.cwd()));
  app.on('second-instance', (_event, argv: string[], workingDirectory: string) => {
    focusRunningWindow();
    openPlanFiles.open(planFilesOf(argv, workingDirectory));
  });
  void start();
} else app.quit();
