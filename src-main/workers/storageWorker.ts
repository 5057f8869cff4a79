/**
 * Storage thread entry (out/main/storageWorker.js): a worker_threads Worker of the Electron
 * main process or the browser-mode server, started by storage/client.ts. It owns the database
 * connection (and its lock) for the life of the process; see docs/storage.md.
 */
import { serveStorageThread } from '../storage/thread';

serveStorageThread();
