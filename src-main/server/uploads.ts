/**
 * Files uploaded by the browser (stageFile), kept in a private temp folder for this run and
 * referred to by a random id; importBook resolves the id to the file's path.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
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

export class UploadStore {
  readonly dir: string;
  private readonly files = new Map<string, StoredUpload>();

  constructor(readonly maxBytes: number) {
    this.dir = mkdtempSync(join(tmpdir(), 'order-planner-uploads-'));
  }

  /** Stream `body` to a new temp file; rejects with 'too_large' past the limit (nothing kept). */
  async save(body: Readable, fileName: string): Promise<string> {
    const ref = `upload-${randomBytes(16).toString('hex')}`;
    const path = join(this.dir, ref);
    let bytes = 0;
    const limit = this.maxBytes;
    const counter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        bytes += chunk.length;
        if (bytes > limit)
          done(new PlannerError('too_large', `file: uploads are limited to ${limit} bytes`));
        else done(null, chunk);
      },
    });
    try {
      await pipeline(body, counter, createWriteStream(path, { mode: 0o600 }));
    } catch (e) {
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

  /** Remove every upload of this run. */
  dispose(): void {
    this.files.clear();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
