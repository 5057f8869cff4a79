/** Native open/save dialogs for the services (Electron only); the last folder is remembered. */
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { app, dialog, type BrowserWindow, type FileFilter } from 'electron';
import type { ExportedFile, ReportPageSize } from '@shared/contract';
import { PLAN_FILE_EXTENSION, PLAN_FILE_EXTENSIONS } from '@shared/planFile';
import type { NativeDialogs } from '../backend/services';
import type { SettingsFile } from './settings';

/** Opening: the plan file's own extension and JSON (`.plan.json` from earlier versions). */
const PLAN_FILTERS: FileFilter[] = [
  { name: 'Plan files', extensions: [...PLAN_FILE_EXTENSIONS] },
  { name: 'All files', extensions: ['*'] },
];
/** Saving: the plan file's own extension, which the app is registered for. */
const PLAN_SAVE_FILTERS: FileFilter[] = [
  { name: 'Order Planner plan', extensions: [PLAN_FILE_EXTENSION] },
];
const BOOK_FILTERS: FileFilter[] = [
  { name: 'Order-book files (MBP-10 CSV or DBN)', extensions: ['csv', 'txt', 'dbn', 'zst'] },
  { name: 'All files', extensions: ['*'] },
];

/** The printed report's page margin: 12 mm (print.css), in inches. */
const MARGIN_IN = 12 / 25.4;

export function nativeDialogs(
  window: () => BrowserWindow | null,
  settings: SettingsFile,
): NativeDialogs {
  const folder = () => settings.get().lastFolder ?? app.getPath('documents');
  const remember = (path: string) => settings.update({ lastFolder: dirname(path) });

  async function open(title: string, filters: FileFilter[]): Promise<string | null> {
    const win = window();
    const options = { title, defaultPath: folder(), filters, properties: ['openFile' as const] };
    const r = win
      ? await dialog.showOpenDialog(win, options)
      : await dialog.showOpenDialog(options);
    if (r.canceled || r.filePaths.length === 0) return null;
    remember(r.filePaths[0]);
    return r.filePaths[0];
  }

  return {
    openPlanFile: () => open('Import Plan File', PLAN_FILTERS),
    openBookFile: () => open('Import Order Book', BOOK_FILTERS),
    async saveFile(file: ExportedFile) {
      const win = window();
      const csv = file.mimeType === 'text/csv';
      const options = {
        title: csv ? 'Export Schedule' : 'Export Plan File',
        defaultPath: join(folder(), file.fileName),
        filters: csv ? [{ name: 'CSV', extensions: ['csv'] }] : PLAN_SAVE_FILTERS,
      };
      const r = win
        ? await dialog.showSaveDialog(win, options)
        : await dialog.showSaveDialog(options);
      if (r.canceled || !r.filePath) return null;
      await writeFile(r.filePath, file.content, 'utf8');
      remember(r.filePath);
      return r.filePath;
    },
    /** The window as it is now (its print style sheet lays out the report), then where to
     *  save it: printed first, so the PDF is what was on screen when the user asked. */
    async saveReportPdf(fileName: string, pageSize: ReportPageSize) {
      const win = window();
      if (!win) return null;
      const pdf = await win.webContents.printToPDF({
        pageSize,
        printBackground: true,
        // The print style sheet's 12 mm page margins, in inches.
        margins: { top: MARGIN_IN, bottom: MARGIN_IN, left: MARGIN_IN, right: MARGIN_IN },
      });
      const r = await dialog.showSaveDialog(win, {
        title: 'Export Report',
        defaultPath: join(folder(), fileName),
        filters: [{ name: 'PDF', extensions: ['pdf'] }],
      });
      if (r.canceled || !r.filePath) return null;
      await writeFile(r.filePath, pdf);
      remember(r.filePath);
      return r.filePath;
    },
  };
}
