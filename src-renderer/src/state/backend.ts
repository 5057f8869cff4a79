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

export function onProgress(listener: (event: ProgressEvent) => void): () => void {
  return window.planner?.onProgress(listener) ?? (() => {});
}

/**
 * Hand an exported file to the user. Electron already wrote it through a save dialog
 * (savedTo is set, null when cancelled); in browser mode it becomes a download.
 * Returns a message for the status line, or null when the user cancelled.
 */
export function deliver(file: ExportedFile): string | null {
  if (file.savedTo !== undefined) return file.savedTo === null ? null : `Exported ${file.savedTo}`;
  const url = URL.createObjectURL(new Blob([file.content], { type: file.mimeType }));
  const a = document.createElement('a');
  a.href = url;
  a.download = file.fileName;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return `Downloaded ${file.fileName}`;
}
