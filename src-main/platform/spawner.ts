/**
 * A started worker process, whatever started it (Electron utilityProcess in the app,
 * child_process.fork in browser mode, the CLI and tests). `Out` is what its host sends it:
 * each worker (solver, order-book import) has its own messages.
 */
export interface WorkerHandle<Out> {
  readonly pid: number | undefined;
  postMessage(message: Out): void;
  onMessage(listener: (message: unknown) => void): void;
  /** Called once when the process is gone (code or signal, whichever applies). */
  onExit(listener: (code: number | null, signal: string | null) => void): void;
  kill(signal?: 'SIGTERM' | 'SIGKILL'): void;
}

/** Starts one worker process. */
export type Spawner<Out> = () => WorkerHandle<Out>;
