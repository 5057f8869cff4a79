/**
 * `npm run serve -- [--port P] [--data-dir D]`: browser mode. Prints exactly one line on
 * stdout (the URL with the token, parsed by the e2e tests); everything else goes to stderr.
 */
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { version } from '../../package.json';
import { PlannerError } from '@shared/contract';
import { createBackend, type Backend } from '../backend/backend';
import type { ImportHostToWorker } from '../book/importHost';
import { defaultDataDir } from '../platform/paths';
import { nodeSpawner } from '../platform/nodeSpawner';
import { startServer, type RunningServer } from './server';
import { removeStaleUploadDirs, UploadStore } from './uploads';

/** Order-book CSV uploads may be large (a day of MBP-10 rows). */
const MAX_UPLOAD_BYTES = 2 * 1024 ** 3;
/** All uploads not yet imported together (a few days uploaded at once). */
const MAX_PENDING_UPLOAD_BYTES = 4 * 1024 ** 3;

const USAGE = 'usage: npm run serve -- [--port P] [--data-dir DIR]';

function fail(message: string): never {
  process.stderr.write(`order-planner serve: ${message}\n`);
  process.exit(2);
}

function parseOptions(argv: string[]): { port: number; dataDir: string } {
  let values: { port?: string; 'data-dir'?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        port: { type: 'string' },
        'data-dir': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (e) {
    fail(`${(e as Error).message}\n${USAGE}`);
  }
  if (values.help) {
    process.stderr.write(`${USAGE}\n`);
    process.exit(0);
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    fail(`--port: must be a whole number 0..65535 (0 = any free port), got ${values.port}`);
  const dataDir = values['data-dir'] ? resolve(values['data-dir']) : defaultDataDir();
  return { port, dataDir };
}

async function main(): Promise<void> {
  const { port, dataDir } = parseOptions(process.argv.slice(2));
  // Upload folders of servers that died without shutting down (a crash, a kill).
  for (const stale of removeStaleUploadDirs()) {
    process.stderr.write(`removed the uploads a stopped server left behind: ${stale}\n`);
  }
  // The handlers come before the upload folder exists: a signal at any point of start-up
  // still removes it (and closes whatever was opened so far).
  let server: RunningServer | undefined;
  let backend: Backend | undefined;
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`${signal}: shutting down\n`);
    await server?.close();
    await backend?.close();
    uploads.dispose();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  const uploads = new UploadStore(MAX_UPLOAD_BYTES, { maxPendingBytes: MAX_PENDING_UPLOAD_BYTES });
  try {
    backend = createBackend({
      mode: 'browser',
      version,
      dataDir,
      spawn: nodeSpawner({ modulePath: join(__dirname, 'solverWorker.js') }),
      importSpawn: nodeSpawner<ImportHostToWorker>({
        modulePath: join(__dirname, 'importWorker.js'),
      }),
      resolveFile: (ref) => uploads.resolve(ref),
      releaseFile: (ref) => uploads.discard(ref),
    });
  } catch (e) {
    uploads.dispose();
    fail(e instanceof PlannerError ? e.message : `could not start: ${(e as Error).message}`);
  }
  for (const notice of backend.notices) process.stderr.write(`notice: ${notice}\n`);

  try {
    server = await startServer({
      services: backend.services,
      onProgress: backend.onProgress,
      uploads,
      rendererDir: join(__dirname, '../renderer'),
      port,
    });
  } catch (e) {
    await backend.close();
    uploads.dispose();
    fail(`could not listen on 127.0.0.1:${port}: ${(e as Error).message}`);
  }
  backend.setOwnerUrl(new URL(server.url).origin);
  process.stdout.write(`Order Planner (browser mode): ${server.url}\n`);
  process.stderr.write(`data folder: ${dataDir}\n`);
}

void main();
