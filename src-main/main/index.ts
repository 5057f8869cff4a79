/**
 * Electron main process (thin): app lifecycle, the window, the menu and IPC. Everything it
 * calls (services, storage, solver host) is shared with browser mode and tested there.
 */
import { basename, isAbsolute, join } from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, Menu } from 'electron';
import { PlannerError, type MenuCommand } from '@shared/contract';
import { createBackend, type Backend } from '../backend';
import type { ImportHostToWorker } from '../book/importHost';
import { MENU_CHANNEL, PROGRESS_CHANNEL } from '../ipcChannels';
import { nativeDialogs } from './dialogs';
import { registerIpc } from './ipc';
import { buildMenu } from './menu';
import { SettingsFile } from './settings';
import { utilitySpawner } from './utilitySpawner';
import { createMainWindow, hardenSession, type AppWindow } from './window';

let backend: Backend | null = null;
let main: AppWindow | null = null;

function resolveFile(ref: string): { path: string; fileName: string } {
  if (!isAbsolute(ref))
    throw new PlannerError('invalid_input', `file: not an absolute path (${ref})`);
  return { path: ref, fileName: basename(ref) };
}

function openWindow(settings: SettingsFile): void {
  main = createMainWindow(settings);
  main.window.on('closed', () => (main = null));
}

async function start(): Promise<void> {
  await app.whenReady();
  hardenSession();
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
      resolveFile,
      dialogs: nativeDialogs(() => main?.window ?? null, settings),
    });
  } catch (e) {
    dialog.showErrorBox('Order Planner cannot start', e instanceof Error ? e.message : String(e));
    app.exit(1);
    return;
  }
  const { services } = backend;
  registerIpc(ipcMain, services, (event) => main?.isTrustedSender(event) ?? false);
  backend.onProgress((event) => main?.window.webContents.send(PROGRESS_CHANNEL, event));
  const send = (command: MenuCommand) => main?.window.webContents.send(MENU_CHANNEL, command);
  Menu.setApplicationMenu(buildMenu(send, dataDir));

  openWindow(settings);
  app.on('second-instance', () => {
    if (!main) return openWindow(settings);
    if (main.window.isMinimized()) main.window.restore();
    main.window.focus();
  });
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) openWindow(settings);
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
