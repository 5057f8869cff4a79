/**
 * Test helper: the real browser-mode server over a real backend on an ephemeral loopback
 * port, with the fake solver worker (src-main/solver/fakeWorker.testchild.ts) unless told.
 */
import { createBackend, type Backend } from '../backend/backend';
import { startServer, type RunningServer, type ServerLimits } from '../server/server';
import { UploadStore } from '../server/uploads';
import { tsWorkerSpawner } from './forkTs';

export interface TestServer {
  backend: Backend;
  uploads: UploadStore;
  srv: RunningServer;
  /** Stop the server, close the backend and drop the uploads. */
  close(): Promise<void>;
}

export async function startTestServer(options: {
  version: string;
  dataDir: string;
  rendererDir: string;
  uploadLimit: number;
  /** Solver worker entry, relative to the repository root. */
  worker?: string;
  /** Small timeouts and caps for the tests of the server's limits. */
  limits?: Partial<ServerLimits>;
}): Promise<TestServer> {
  const uploads = new UploadStore(options.uploadLimit);
  const backend = createBackend({
    mode: 'browser',
    version: options.version,
    dataDir: options.dataDir,
    spawn: tsWorkerSpawner(options.worker ?? 'src-main/solver/fakeWorker.testchild.ts'),
    resolveFile: (ref) => uploads.resolve(ref),
  });
  const srv = await startServer({
    services: backend.services,
    onProgress: backend.onProgress,
    uploads,
    rendererDir: options.rendererDir,
    port: 0,
    limits: options.limits,
  });
  return {
    backend,
    uploads,
    srv,
    async close() {
      await srv.close();
      await backend.close();
      uploads.dispose();
    },
  };
}
