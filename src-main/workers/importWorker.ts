/**
 * Order-book import worker entry (out/main/importWorker.js): an Electron utilityProcess in the
 * app (process.parentPort), a child_process.fork child in browser mode and tests
 * (process.send). It runs the import the host sends on the worker loop of the channel
 * (platform/workerPort.ts serveJobs: ready, progress per chunk read, heartbeats, the result or
 * the error); the host then stops it. Cancelling means the host kills this process.
 *
 * When the parent goes away (IPC channel closed, or the process re-parented) it exits
 * quietly: nothing is left to report to.
 */
import { importChannel } from '../book/importHost';
import { importMbp10File } from '../book/mbp10';
import { serveJobs } from '../platform/workerPort';

serveJobs(importChannel, (message, context) =>
  importMbp10File(message.path, { ...message.options, onProgress: context.progress }),
);
