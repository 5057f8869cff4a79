/**
 * Test helper: fork a TypeScript entry point on the current Node through tsx, with the
 * `@shared/*` alias resolved from tsconfig.node.json. Used for real child processes in tests
 * (solver worker, killed-save loop) without building first.
 */
import { fork, type ChildProcess, type ForkOptions } from 'node:child_process';
import { resolve } from 'node:path';
import type { Spawner } from '../solver/host';
import { nodeSpawner } from '../platform/nodeSpawner';

export const REPO_ROOT = resolve(import.meta.dirname, '../..');

export function forkTs(
  entry: string,
  args: string[] = [],
  options: ForkOptions = {},
): ChildProcess {
  return fork(resolve(REPO_ROOT, entry), args, {
    ...options,
    cwd: REPO_ROOT,
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, TSX_TSCONFIG_PATH: resolve(REPO_ROOT, 'tsconfig.node.json') },
  });
}

/** A solver-host spawner that runs a TypeScript worker entry through tsx. */
export function tsWorkerSpawner(entry: string): Spawner {
  return nodeSpawner({
    modulePath: resolve(REPO_ROOT, entry),
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, TSX_TSCONFIG_PATH: resolve(REPO_ROOT, 'tsconfig.node.json') },
  });
}
