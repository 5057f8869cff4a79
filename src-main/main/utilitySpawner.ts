/** Spawner for the Electron app: the solver worker as a utilityProcess. */
import { utilityProcess } from 'electron';
import type { Spawner, WorkerHandle } from '../solver/host';

export function utilitySpawner(modulePath: string): Spawner {
  return (): WorkerHandle => {
    const child = utilityProcess.fork(modulePath, [], {
      serviceName: 'Order Planner Solver',
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
