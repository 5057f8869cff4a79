/** The application menu: File/Edit/View/Help; commands go to the window (onMenuCommand). */
import { Menu, app, shell, type MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '@shared/operations';

export function buildMenu(send: (command: MenuCommand) => void, dataDir: string): Menu {
  const item = (
    label: string,
    command: MenuCommand,
    accelerator?: string,
  ): MenuItemConstructorOptions => ({
    label,
    accelerator,
    click: () => send(command),
  });
  const isMac = process.platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: '&File',
      submenu: [
        item('New Plan', 'newPlan', 'CmdOrCtrl+N'),
        item('Open Plan…', 'openPlan', 'CmdOrCtrl+O'),
        item('Save Plan', 'savePlan', 'CmdOrCtrl+S'),
        item('Save Plan As…', 'savePlanAs', 'CmdOrCtrl+Shift+S'),
        { type: 'separator' },
        item('Import Plan File…', 'importPlanFile', 'CmdOrCtrl+Shift+O'),
        item('Export Plan File…', 'exportPlanFile', 'CmdOrCtrl+Shift+E'),
        item('Export Schedule as CSV…', 'exportScheduleCsv', 'CmdOrCtrl+E'),
        item('Export Report (PDF)…', 'exportReport', 'CmdOrCtrl+P'),
        { type: 'separator' },
        item('Solve', 'solve', 'CmdOrCtrl+Enter'),
        item('Cancel Solve', 'cancelSolve', 'CmdOrCtrl+.'),
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu', label: '&Edit' },
    {
      label: '&View',
      submenu: [
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
        ...(app.isPackaged
          ? []
          : [{ type: 'separator' as const }, { role: 'toggleDevTools' as const }]),
      ],
    },
    {
      label: '&Help',
      role: 'help',
      submenu: [
        { label: 'Show Data Folder', click: () => void shell.openPath(dataDir) },
        { label: 'About Order Planner', click: () => app.showAboutPanel() },
      ],
    },
  ];
  return Menu.buildFromTemplate(template);
}
