/**
 * The one door to the backend for the state classes (components never come here).
 * Wraps window.planner so that a missing API or a transport failure is a Result, not a throw.
 */
import type {
  OpInput,
  OpName,
  OpOutput,
  Result,
  ProgressEvent,
  ExportedFile,
  OpenedPlanFile,
} from '@shared/contract';
import type { MenuCommand } from '@shared/operations';

export async function call<K extends OpName>(
  op: K,
  input: OpInput<K>,
): Promise<Result<OpOutput<K>>> {
  const api = window.planner;
  if (!api)
    return { ok: false, error: { code: 'internal', message: 'the backend is not available' } };
  try {
    const fn = api[op] as (i: OpInput<K>) => Promise<Result<OpOutput<K>>>;
    return await fn(input);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return {
      ok: false,
      error: { code: 'internal', message: `could not reach the backend: ${message}` },
    };
  }
}

/** Electron application-menu commands (browser mode has no menu: never called there). */
export function onMenuCommand(listener: (command: MenuCommand) => void): () => void {
  return window.planner?.onMenuCommand(listener) ?? (() => {});
}

/** Plan files the operating system asked the desktop app to open (never in browser mode). */
export function onOpenPlanFile(listener: (file: OpenedPlanFile) => void): () => void {
  return window.planner?.onOpenPlanFile(listener) ?? (() => {});
}

export function onProgress(listener: (event: ProgressEvent) => void): () => void {
  return window.planner?.onProgress(listener) ?? (() => {});
}

/**
 * The status-line message for an exported file: both transports have delivered it already
 * (Electron through a save dialog, browser mode as a download), so savedTo is always set;
 * null when the user cancelled the dialog.
 */
export function deliver(file: ExportedFile): string | null {
  if (file.savedTo === null) return null;
  return `Exported ${file.savedTo ?? file.fileName}`;
}
