/**
 * Plan files the operating system asks the app to open: a double click in the file manager
 * or "Open with" (Windows and Linux start the app with the path on its command line, or hand
 * that command line to the running app through `second-instance`; macOS sends `open-file`,
 * possibly before the app is ready), or `order-planner "Buy FROG.orderplan"` in a terminal.
 *
 * The window never sees these paths: each becomes an id of the picked-file registry when the
 * window takes it, and the window imports it with importPlanFile({ file }) like a file
 * picked in the dialog. Files that arrive before the window listens wait here. Plain Node
 * (no electron import), so that all of it is tested without Electron.
 */
import { statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { OpenedPlanFile } from '@shared/contract';
import { hasPlanFileExtension } from '@shared/planFile';
import type { PickedFiles } from './pickedFiles';

export interface OpenPathOptions {
  /** The folder a relative path is taken from: the launching process's working directory. */
  cwd: string;
  /** Whether `path` is an existing regular file (a test can pass its own). */
  isFile?: (path: string) => boolean;
}

export interface ArgvOptions extends OpenPathOptions {
  /**
   * Packaged, argv is [app, ...arguments]; unpackaged (`electron .`, `electron-vite
   * preview`) it is [electron, app path, ...arguments]. The app's own entries are skipped.
   */
  isPackaged: boolean;
}

function isExistingFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * The plan file a command-line argument or an `open-file` path names, as an absolute path,
 * or null: only an existing file with a plan file extension (`.orderplan`, `.json`). A
 * `file://` URL (what a Linux desktop entry's `%U` may pass) is turned into its path.
 */
export function planFilePath(candidate: string, options: OpenPathOptions): string | null {
  let path: string;
  if (/^file:/i.test(candidate)) {
    try {
      path = fileURLToPath(candidate);
    } catch {
      return null;
    }
  } else path = isAbsolute(candidate) ? candidate : resolve(options.cwd, candidate);
  if (!hasPlanFileExtension(path)) return null;
  return (options.isFile ?? isExistingFile)(path) ? path : null;
}

/**
 * The plan files on a command line (this process's argv at start, or the argv a second
 * launch handed over): the app's own entries and every switch (`--inspect`, Chromium's
 * `--original-process-start-time=…`, macOS's `-psn_…`) are skipped, and so is anything that
 * is not an existing plan file. Each file once, in order.
 */
export function planPathsFromArgv(argv: readonly string[], options: ArgvOptions): string[] {
  const paths: string[] = [];
  for (const arg of argv.slice(options.isPackaged ? 1 : 2)) {
    if (typeof arg !== 'string' || arg === '' || arg.startsWith('-')) continue;
    const path = planFilePath(arg, options);
    if (path !== null && !paths.includes(path)) paths.push(path);
  }
  return paths;
}

/**
 * The plan files waiting for the window, and the window's subscription. `open` keeps a path
 * until the window listens (the app is not ready yet, the window is loading or was closed);
 * `listen` hands the waiting files over as picked-file ids and sends later ones at once.
 */
export class OpenPlanFiles {
  private waiting: string[] = [];
  private send: ((file: OpenedPlanFile) => void) | null = null;

  constructor(private readonly files: PickedFiles) {}

  /** Plan files to open (absolute paths, checked by planFilePath). */
  open(paths: readonly string[]): void {
    for (const path of paths) {
      if (this.send) this.send(this.stage(path));
      else this.waiting.push(path);
    }
  }

  /** The window listens: the files that waited, now ids; later files go to `send`. */
  listen(send: (file: OpenedPlanFile) => void): OpenedPlanFile[] {
    this.send = send;
    return this.waiting.splice(0).map((path) => this.stage(path));
  }

  /** The window closed or is loading again: keep files until a window listens. */
  stopListening(): void {
    this.send = null;
  }

  /** How many files wait for a window. */
  get pending(): number {
    return this.waiting.length;
  }

  private stage(path: string): OpenedPlanFile {
    const ref = this.files.stage(path);
    return { ref, fileName: this.files.resolve(ref).fileName };
  }
}
