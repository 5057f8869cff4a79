/**
 * Files uploaded by the browser (stageFile), kept in a private temp folder for this run and
 * referred to by a random id; importBook resolves the id to the file's path.
 *
 * Nothing is left behind: an upload is deleted once its import has ended (however it ended,
 * see `discard`), the folder goes at shutdown (`dispose`), and the folder of a server that
 * died without shutting down is removed when the next server starts (`removeStaleUploadDirs`:
 * the folder's name carries the owning process id). Uploads waiting to be imported are
 * capped in total, so a client cannot fill the disk with them.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream, lstatSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { PlannerError } from '@shared/contract';

export interface StoredUpload {
  path: string;
  fileName: string;
  bytes: number;
}

export interface UploadStoreOptions {
  /** Total bytes of the uploads not yet imported (those being received included);
   *  default: twice the per-file limit. */
  maxPendingBytes?: number;
  /** Where the upload folder is made; default the system temp folder. */
  root?: string;
}

const PREFIX = 'order-planner-uploads-';
/** `order-planner-uploads-<pid>-<random>`: the folder of the server with that process id. */
const OWNED = /^order-planner-uploads-(\d+)-[A-Za-z0-9]{6}$/;
/** `order-planner-uploads-<random>`: made by a version that did not name the owner. */
const UNOWNED = /^order-planner-uploads-[A-Za-z0-9]{6}$/;
/** An unowned folder this old has outlived its server. */
const UNOWNED_MAX_AGE_MS = 24 * 60 * 60 * 1000;

export class UploadStore {
  readonly dir: string;
  readonly maxPendingBytes: number;
  private readonly files = new Map<string, StoredUpload>();
  /** Bytes of stored uploads plus those being received. */
  private pending = 0;

  constructor(
    readonly maxBytes: number,
    options: UploadStoreOptions = {},
  ) {
    this.maxPendingBytes = options.maxPendingBytes ?? 2 * maxBytes;
    this.dir = mkdtempSync(join(options.root ?? tmpdir(), `${PREFIX}${process.pid}-`));
  }

  /** Bytes of the uploads waiting to be imported (and of those being received). */
  get pendingBytes(): number {
    return this.pending;
  }

  /** Stream `body` to a new temp file; rejects with 'too_large' past the per-file limit or
   *  the limit of all pending uploads (nothing kept). */
  async save(body: Readable, fileName: string): Promise<string> {
    const ref = `upload-${randomBytes(16).toString('hex')}`;
    const path = join(this.dir, ref);
    let bytes = 0;
    const counter = new Transform({
      transform: (chunk: Buffer, _enc, done) => {
        bytes += chunk.length;
        this.pending += chunk.length;
        if (bytes > this.maxBytes) {
          done(
            new PlannerError('too_large', `file: uploads are limited to ${this.maxBytes} bytes`),
          );
        } else if (this.pending > this.maxPendingBytes) {
          done(
            new PlannerError(
              'too_large',
              `file: uploads waiting to be imported are limited to ${this.maxPendingBytes} bytes in total; import the files already uploaded, then upload this one again`,
            ),
          );
        } else done(null, chunk);
      },
    });
    try {
      await pipeline(body, counter, createWriteStream(path, { mode: 0o600 }));
    } catch (e) {
      this.pending -= bytes;
      rmSync(path, { force: true });
      throw e;
    }
    this.files.set(ref, { path, fileName, bytes });
    return ref;
  }

  resolve(ref: string): StoredUpload {
    const file = this.files.get(ref);
    if (!file)
      throw new PlannerError('not_found', `file: no uploaded file ${ref} (upload it again)`);
    return file;
  }

  /** Delete one upload (its import has ended); an unknown ref is ignored. */
  discard(ref: string): void {
    const file = this.files.get(ref);
    if (!file) return;
    this.files.delete(ref);
    this.pending -= file.bytes;
    try {
      rmSync(file.path, { force: true });
    } catch {
      // Still open elsewhere (Windows): dispose, or the next start, removes the folder.
    }
  }

  /** Remove every upload of this run. */
  dispose(): void {
    this.files.clear();
    this.pending = 0;
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * Remove the upload folders in `root` left by servers that died without shutting down: those
 * named after a process that is no longer running, and unnamed ones (older versions) last
 * changed over a day ago. Only folders of this user; returns the paths removed.
 */
export function removeStaleUploadDirs(root: string = tmpdir(), now: number = Date.now()): string[] {
  let names: string[];
  try {
    names = readdirSync(root).filter((name) => name.startsWith(PREFIX));
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const path = join(root, name);
    try {
      const info = lstatSync(path);
      if (!info.isDirectory()) continue;
      if (process.getuid && info.uid !== process.getuid()) continue;
      const owner = OWNED.exec(name);
      const stale = owner
        ? !isRunning(Number(owner[1]))
        : UNOWNED.test(name) && now - info.mtimeMs > UNOWNED_MAX_AGE_MS;
      if (!stale) continue;
      rmSync(path, { recursive: true, force: true });
      removed.push(path);
    } catch {
      // Gone meanwhile, or not ours to remove: leave it.
    }
  }
  return removed;
}

function isRunning(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it runs, as another user.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
