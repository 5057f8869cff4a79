/**
 * Files the user picked or dropped, known to the renderer only by an opaque id. The preload
 * turns a File into its path (webUtils.getPathForFile) and stages it here; importBook's
 * `file` is then an id that main resolves. A path from the renderer is never accepted: only
 * ids handed out here resolve, and each one is random (128 bits), lives in this process
 * only and is released once its import has ended. Plain Node (no electron import).
 */
import { randomBytes } from 'node:crypto';
import { basename, isAbsolute } from 'node:path';
import { PlannerError } from '@shared/contract';

export interface PickedFile {
  path: string;
  fileName: string;
}

/** Staged files not yet imported are few (one per dropped file); past this the oldest go. */
const DEFAULT_MAX_PENDING = 256;

export class PickedFiles {
  private readonly files = new Map<string, PickedFile>();

  constructor(private readonly maxPending = DEFAULT_MAX_PENDING) {}

  /** Remember a file the user chose; returns its id. */
  stage(path: string): string {
    if (!isAbsolute(path))
      throw new PlannerError('invalid_input', 'file: not a file on disk (cannot be imported)');
    const ref = `file-${randomBytes(16).toString('hex')}`;
    this.files.set(ref, { path, fileName: basename(path) });
    while (this.files.size > this.maxPending) {
      const oldest = this.files.keys().next().value as string;
      this.files.delete(oldest);
    }
    return ref;
  }

  /** The file behind an id; anything else (an unknown or released id, a path) is not_found. */
  resolve(ref: string): PickedFile {
    const file = this.files.get(ref);
    if (!file)
      throw new PlannerError(
        'not_found',
        'file: unknown file reference (pick or drop the file again)',
      );
    return file;
  }

  /** Forget an id (its import has ended); an unknown id is ignored. */
  release(ref: string): void {
    this.files.delete(ref);
  }

  get size(): number {
    return this.files.size;
  }
}
