/** Spawner for the Electron app: a worker (solver, order-book import) as a utilityProcess. */
import { utilityProcess } from 'electron';
import type { Spawner, WorkerHandle } from '../platform/spawner';
import type { HostToWorker } from '../solver/messages';

/**
 * `serviceName` is the process name shown in the OS task manager; `Out` is what the host
 * sends the worker (the solver's messages by default).
 */
export function utilitySpawner<Out extends object = HostToWorker>(
  modulePath: string,
  serviceName = 'Order Planner Solver',
): Spawner<Out> {
  return (): WorkerHandle<Out> => {
    const child = utilityProcess.fork(modulePath, [], {
      serviceName,
      stdio: 'inherit',
    });
    let exited = false;
    const exitListeners: ((code: number | null, signal: string | null) => void)[] = [];
    child.on('exit', (code) => {
      exited = true;
      for (const l of exitListeners) l(code, null);
    });
    return {
      get pid() {
        return child.pid;
      },
      postMessage: (m) => {
        if (!exited) child.postMessage(m);
      },
      onMessage: (l) => child.on('message', l),
      onExit: (l) => exitListeners.push(l),
      kill: (signal = 'SIGTERM') => {
        if (exited) return;
        // utilityProcess.kill() sends SIGTERM; a hard kill needs the pid.
        if (signal === 'SIGKILL' && child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
        else child.kill();
      },
    };
  };
}
