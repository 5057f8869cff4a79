/**
 * Order-book import worker entry (out/main/importWorker.js): an Electron utilityProcess in the
 * app (process.parentPort), a child_process.fork child in browser mode and tests
 * (process.send). It runs the import the host sends on the worker loop of the channel
 * (platform/workerPort.ts serveJobs: ready, progress as the file is read, at most every 50 ms,
 * heartbeats, the result or the error); the host then stops it. Cancelling means the host kills this process.
 *
 * A large CSV is read on a reader thread (book/mbp10/readerThread.ts): it is started first
 * thing, before the import's code is loaded, so that its own start overlaps this process's
 * instead of competing with the parsing. The rest is imported after it.
 *
 * When the parent goes away (IPC channel closed, or the process re-parented) it exits
 * quietly: nothing is left to report to.
 */
import { startReaderThread } from '../book/mbp10/readerThread';

startReaderThread();

void (async () => {
  const [{ importChannel, throttleProgress }, { importMbp10File }, { serveJobs }] =
    await Promise.all([
      import('../book/importHost'),
      import('../book/mbp10'),
      import('../platform/workerPort'),
    ]);
  serveJobs(importChannel, (message, context) =>
    importMbp10File(message.path, {
      ...message.options,
      onProgress: throttleProgress((p) => context.progress(p)),
    }),
  );
})();
