/**
 * The child side of a worker's channel to its host, however the process was started
 * (Electron utilityProcess: process.parentPort; child_process.fork: process.send). Shared by
 * the solver and the import workers. When the host goes away (the channel closed, a failed
 * send, or this process re-parented because the host died) the worker exits quietly with
 * code 0: nothing is left to report to, and a write to a dead channel must not end in an
 * EPIPE stack trace.
 */

/** What a worker sends and receives on (incoming messages are another process's: unknown). */
export interface ParentChannel<Out> {
  send(message: Out): void;
  onMessage(listener: (message: unknown) => void): void;
}

/** Electron's process.parentPort, as far as the workers use it. */
interface ParentPortLike {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
}

/** How often a worker checks that its parent is still there. */
const PARENT_CHECK_MS = 1000;

/** Leave quietly: the host is gone. */
export function quit(): never {
  process.exit(0);
}

/**
 * The channel to the host. Without one (started by hand) it says `withoutHost` on stderr and
 * exits 2.
 */
export function connectToParent<Out>(withoutHost: string): ParentChannel<Out> {
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
    // The host closed the channel or died: exit without an EPIPE / ERR_IPC_CHANNEL_CLOSED trace.
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
  process.stderr.write(`${withoutHost} (no IPC channel)\n`);
  process.exit(2);
}

/** True once this process has been re-parented (its parent died). Synchronous: usable inside
 *  a synchronous job, where no event (disconnect, a failed send's callback) can arrive. */
export function parentGone(parent: number): boolean {
  return process.ppid !== parent;
}

/** Exit quietly once the parent process is gone (checked every second, not keeping the
 *  process alive). */
export function watchParent(parent = process.ppid): void {
  setInterval(() => {
    if (parentGone(parent)) quit();
  }, PARENT_CHECK_MS).unref();
}
