/**
 * solver-worker-epipe-when-the-server-dies: the worker printed a 25-line EPIPE stack trace
 * when its parent went away. It now exits quietly (code 0, nothing on stderr) when the channel
 * is closed while idle or mid-job, and when the parent dies during a solve that never returns
 * to the event loop.
 */
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { forkTs } from '../testing/forkTs';
import { samplePlan } from '../testing/plans';
import type { HostToWorker } from './messages';

interface Forked {
  child: ChildProcess;
  stderr: () => string;
  exit: Promise<{ code: number | null; signal: string | null }>;
}

/** A worker entry with its stderr captured, and a promise of how it ended. */
function forkWorker(entry: string): Forked {
  const child = forkTs(entry, [], {
    serialization: 'advanced',
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const ended = new Promise((r) => child.stderr!.on('end', r));
  const exited = new Promise<{ code: number | null; signal: string | null }>((r) =>
    child.on('exit', (code, signal) => r({ code, signal })),
  );
  // Exited, and every writer of its stderr (a worker it started included) has closed it.
  const exit = Promise.all([exited, ended]).then(([how]) => how);
  return { child, stderr: () => stderr, exit };
}

function nextMessage(child: ChildProcess, type: string): Promise<unknown> {
  return new Promise((resolve) => {
    const listener = (m: { type?: string }) => {
      if (m?.type !== type) return;
      child.off('message', listener);
      resolve(m);
    };
    child.on('message', listener);
  });
}

/** Gone, or a zombie its new parent has not reaped yet (Linux: state Z in /proc). */
function hasExited(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return true;
  }
  try {
    return /^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

describe('solver-worker-epipe-when-the-server-dies', () => {
  it('the real worker exits quietly when its channel is closed while idle', async () => {
    const w = forkWorker('src-main/workers/solverWorker.ts');
    await nextMessage(w.child, 'ready');
    w.child.disconnect();
    expect(await w.exit).toEqual({ code: 0, signal: null });
    expect(w.stderr()).toBe('');
  });

  it('exits quietly when the channel is closed mid-job (the result has nowhere to go)', async () => {
    const w = forkWorker('src-main/solver/fakeWorker.testchild.ts');
    await nextMessage(w.child, 'ready');
    const job: HostToWorker = { type: 'solve', job: 1, plan: samplePlan({ name: 'progress' }) };
    w.child.send(job);
    await nextMessage(w.child, 'progress');
    w.child.disconnect();
    expect(await w.exit).toEqual({ code: 0, signal: null });
    expect(w.stderr()).toBe('');
  });

  it('exits quietly when the parent dies during a solve that never yields', async () => {
    // The stand-in server shares its stderr with the worker and exits once the job runs.
    const server = forkWorker('src-main/solver/parentDies.testchild.ts');
    const { workerPid } = (await new Promise((r) => server.child.once('message', r))) as {
      workerPid: number;
    };
    // The end of the shared stderr: both the stand-in and the worker have exited.
    expect(await server.exit).toEqual({ code: 0, signal: null });
    expect(server.stderr()).toBe('');
    // A process closes its files a moment before it is gone: wait for that (up to 10 s).
    expect(await eventually(() => hasExited(workerPid), 10_000)).toBe(true);
  });
});

async function eventually(check: () => boolean, withinMs: number): Promise<boolean> {
  for (let waited = 0; waited < withinMs; waited += 20) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return check();
}
