/** Spawner for plain Node (browser mode, CLI, tests): child_process.fork of the worker file. */
import { fork, type ForkOptions } from 'node:child_process';
import type { Spawner, WorkerHandle } from './spawner';

export interface NodeSpawnerOptions {
  /** The worker entry (out/main/solverWorker.js, importWorker.js, or a .ts file with execArgv
   *  for tsx). */
  modulePath: string;
  args?: string[];
  execArgv?: string[];
  env?: NodeJS.ProcessEnv;
  /** The worker's stderr: shown (default) or dropped. */
  stderr?: 'inherit' | 'ignore';
}

/** `Out`: the messages the host sends its worker. */
export function nodeSpawner<Out extends object>(options: NodeSpawnerOptions): Spawner<Out> {
  return (): WorkerHandle<Out> => {
    const forkOptions: ForkOptions = {
      // Structured clone: plans and results cross without a JSON round trip of their own.
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', options.stderr ?? 'inherit', 'ipc'],
      execArgv: options.execArgv ?? [],
      env: options.env ?? process.env,
    };
    const child = fork(options.modulePath, options.args ?? [], forkOptions);
    let exited = false;
    const exitListeners: ((code: number | null, signal: string | null) => void)[] = [];
    const onGone = (code: number | null, signal: string | null) => {
      if (exited) return;
      exited = true;
      for (const l of exitListeners) l(code, signal);
    };
    child.on('exit', (code, signal) => onGone(code, signal));
    // A failed spawn emits 'error' (and maybe no 'exit'): treat it as an exit.
    child.on('error', () => {
      child.kill('SIGKILL');
      onGone(child.exitCode ?? 1, null);
    });
    return {
      pid: child.pid,
      postMessage: (m) => {
        if (!exited && child.connected) child.send(m);
      },
      onMessage: (l) => child.on('message', l),
      onExit: (l) => exitListeners.push(l),
      kill: (signal = 'SIGTERM') => {
        if (!exited) child.kill(signal);
      },
    };
  };
}
