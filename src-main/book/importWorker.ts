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
import type { ImportHostToWorker, ImportWorkerToHost } from './importHost';
import { importMbp10File } from './mbp10';

interface Port {
  send(message: ImportWorkerToHost): void;
  onMessage(listener: (message: unknown) => void): void;
}

/** Electron's process.parentPort, as far as this file uses it. */
interface ParentPortLike {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
}

/** How often to check that the parent is still there (a fallback for utilityProcess). */
const PARENT_CHECK_MS = 1000;

function quit(): never {
  process.exit(0);
}

function currentPort(): Port {
  const parentPort = (process as unknown as { parentPort?: ParentPortLike }).parentPort;
  if (parentPort) {
    return {
      send: (m) => {
        try {
          parentPort.postMessage(m);
        } catch {
          quit(); // the parent is gone
        }
      },
      onMessage: (l) => parentPort.on('message', (e) => l(e.data)),
    };
  }
  if (process.send) {
    const send = process.send.bind(process);
    // The parent closed the channel or died: exit without an 'ERR_IPC_CHANNEL_CLOSED' trace.
    process.on('disconnect', quit);
    return {
      send: (m) => {
        if (!process.connected) quit();
        send(m, undefined, undefined, (e) => {
          if (e) quit();
        });
      },
      onMessage: (l) => process.on('message', l),
    };
  }
  process.stderr.write('the import worker must be started by the import host (no IPC channel)\n');
  process.exit(2);
}

/** Exit when the parent process is gone (its pid is no longer our parent). */
function watchParent(): void {
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) quit();
  }, PARENT_CHECK_MS).unref();
}

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
main(currentPort());
