/**
 * Order-book import worker entry (out/main/importWorker.js): an Electron utilityProcess in the
 * app (process.parentPort), a child_process.fork child in browser mode and tests
 * (process.send). It says `ready`, runs the one import the host sends, reports progress per
 * chunk read, and sends the result or the error; the host then stops it. Cancelling means
 * the host kills this process.
 *
 * When the parent goes away (IPC channel closed, or the process re-parented) it exits
 * quietly: nothing is left to report to.
 */
import { toApiError } from '@shared/contract';
import type { ImportHostToWorker, ImportWorkerToHost } from '../book/importHost';
import { importMbp10File } from '../book/mbp10';
import { connectToParent, watchParent, type ParentChannel } from '../platform/workerPort';

type Port = ParentChannel<ImportWorkerToHost>;

function isImportMessage(m: unknown): m is ImportHostToWorker {
  if (typeof m !== 'object' || m === null) return false;
  const o = m as Record<string, unknown>;
  return (
    o.type === 'import' &&
    typeof o.path === 'string' &&
    typeof o.options === 'object' &&
    o.options !== null
  );
}

function errorMessage(e: unknown): ImportWorkerToHost {
  return { type: 'error', ...toApiError(e, 'the import failed') };
}

function main(port: Port): void {
  let started = false;
  port.onMessage((message) => {
    if (started || !isImportMessage(message)) return;
    started = true;
    importMbp10File(message.path, {
      ...message.options,
      onProgress: ({ bytes, totalBytes }) => port.send({ type: 'progress', bytes, totalBytes }),
    }).then(
      (result) => port.send({ type: 'result', result }),
      (e: unknown) => port.send(errorMessage(e)),
    );
  });
  port.send({ type: 'ready' });
}

watchParent();
main(connectToParent('the import worker must be started by the import host'));
