/**
 * Reading a file with a limit on the bytes actually read, and why a file could not be read,
 * in words (no errno jargon, no stack): "no such file", …
 */
// fs.promises, read when used: node:fs/promises loads a dozen modules (readline among them)
// that a process reading files synchronously, as the CLI does, never needs.
import { closeSync, openSync, promises as fsPromises, readSync } from 'node:fs';

/** A file that went on past the bytes a reader accepts (see readFileLimited). */
export class FileTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`larger than ${maxBytes} bytes`);
    this.name = 'FileTooLargeError';
  }
}

/** Bytes per read; a plan file of 50 MB takes 50 reads. */
const CHUNK_BYTES = 1 << 20;

/**
 * The whole file, or FileTooLargeError once more than `maxBytes` have been read. Counts what
 * the reads return rather than trusting the size the file system reports: that is 0 for
 * /dev/zero or a pipe, and a file may grow while it is read.
 */
export function readFileLimitedSync(path: string, maxBytes: number): Buffer {
  const fd = openSync(path, 'r');
  try {
    const chunks = new LimitedChunks(maxBytes);
    for (;;) {
      const buffer = chunks.next();
      if (!chunks.add(buffer, readSync(fd, buffer, 0, buffer.length, null))) return chunks.all();
    }
  } finally {
    closeSync(fd);
  }
}

/** readFileLimitedSync without blocking the event loop (the app's main process). */
export async function readFileLimited(path: string, maxBytes: number): Promise<Buffer> {
  const handle = await fsPromises.open(path, 'r');
  try {
    const chunks = new LimitedChunks(maxBytes);
    for (;;) {
      const buffer = chunks.next();
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (!chunks.add(buffer, bytesRead)) return chunks.all();
    }
  } finally {
    await handle.close();
  }
}

/** The chunks read so far and their byte count, refused past the limit. */
class LimitedChunks {
  private readonly chunks: Buffer[] = [];
  private total = 0;
  constructor(private readonly maxBytes: number) {}

  /** A buffer for the next read: at most one byte past the limit, enough to refuse. */
  next(): Buffer {
    return Buffer.allocUnsafe(Math.min(CHUNK_BYTES, this.maxBytes + 1 - this.total));
  }

  /** Keep what one read returned; false at the end of the file. */
  add(buffer: Buffer, bytesRead: number): boolean {
    if (bytesRead === 0) return false;
    this.total += bytesRead;
    if (this.total > this.maxBytes) throw new FileTooLargeError(this.maxBytes);
    this.chunks.push(buffer.subarray(0, bytesRead));
    return true;
  }

  all(): Buffer {
    return Buffer.concat(this.chunks, this.total);
  }
}

export function fileErrorReason(e: unknown, what = 'file'): string {
  if (e instanceof FileTooLargeError) {
    return `is larger than ${fmtMegabytes(e.maxBytes)} (${e.maxBytes.toLocaleString('en-US')} bytes), the most a ${what} may be`;
  }
  const code = (e as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EISDIR':
      return `is a directory, not a ${what}`;
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    default:
      return `cannot be read (${code ?? (e as Error).message})`;
  }
}

/** 50000000 → "50 MB" (decimal megabytes, as file managers show them). */
function fmtMegabytes(bytes: number): string {
  return `${Number((bytes / 1e6).toPrecision(3))} MB`;
}
