/**
 * Electron main process (thin): app lifecycle, the window, the menu and IPC. Everything it
 * calls (services, storage, solver host) is shared with browser mode and tested there.
 */
import { join } from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, Menu, type IpcMainInvokeEvent } from 'electron';
import type { MenuCommand } from '@shared/contract';
import { createBackend, type Backend } from '../backend';
import type { ImportHostToWorker } from '../book/importHost';
import { MENU_CHANNEL, PROGRESS_CHANNEL } from '../ipcChannels';
import { registerAppScheme, serveAppScheme } from './appProtocol';
import { startUrl } from './appUrl';
import { nativeDialogs } from './dialogs';
import { registerFileStaging, registerIpc } from './ipc';
import { buildMenu } from './menu';
import { PickedFiles } from './pickedFiles';
import { SettingsFile } from './settings';
import { utilitySpawner } from './utilitySpawner';
import { createMainWindow, hardenSession, type AppWindow } from './window';

let backend: Backend | null = null;
let main: AppWindow | null = null;
/** importBook's `file` references: ids of files the user dropped or picked, never paths. */
const pickedFiles = new PickedFiles();

// Before the app is ready: app:// must be known as a standard, secure scheme at startup.
registerAppScheme();

function openWindow(settings: SettingsFile, url: string): void {
  main = createMainWindow(settings, url);
  main.window.on('closed', () => (main = null));
}

async function start(): Promise<void> {
  await app.whenReady();
  hardenSession();
  serveAppScheme(join(__dirname, '../renderer'));
  // The dev server only while developing; the built renderer on app:// otherwise.
  const url = startUrl({
    isPackaged: app.isPackaged,
    devServerUrl: process.env.ELECTRON_RENDERER_URL,
  });
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
    dialog.showErrorBox('Order Planner cannot start', e instanceof Error ? e.message : String(e));
    app.exit(1);
    return;
  }
  const { services } = backend;
  const isTrustedSender = (event: IpcMainInvokeEvent) => main?.isTrustedSender(event) ?? false;
  registerIpc(ipcMain, services, isTrustedSender);
  registerFileStaging(ipcMain, pickedFiles, isTrustedSender);
  backend.onProgress((event) => main?.window.webContents.send(PROGRESS_CHANNEL, event));
  const send = (command: MenuCommand) => main?.window.webContents.send(MENU_CHANNEL, command);
  Menu.setApplicationMenu(buildMenu(send, dataDir));

  openWindow(settings, url);
  app.on('second-instance', () => {
    if (!main) return openWindow(settings, url);
    if (main.window.isMinimized()) main.window.restore();
    main.window.focus();
  });
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

// One instance per user: a second one would open the same database; it focuses the first.
if (app.requestSingleInstanceLock()) void start();
else app.quit();
