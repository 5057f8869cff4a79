/**
 * The worker channel on its own: one worker process (ChannelWorker) and its restart policy
 * (WorkerSlot) against the fake solver worker (real processes, through tsx), an in-memory
 * worker handle for what a real worker never sends (malformed and stale messages), and the
 * worker loop (serveJobs) on an in-process port.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { PlannerError } from '@shared/contract';
import type { SolveResultColumns } from '@shared/resultColumns';
import {
  solverChannel,
  type SolverJob,
  type SolverProgress,
  type SolverResult,
} from '../solver/messages';
import { tsWorkerSpawner } from '../testing/forkTs';
import { isAlive, rejection } from '../testing/outcomes';
import { samplePlan } from '../testing/plans';
import type { WorkerHandle } from './spawner';
import {
  ChannelWorker,
  defineChannel,
  WorkerSlot,
  type JobMessage,
  type WorkerLoss,
  type WorkerMessage,
} from './workerChannel';
import { serveJobs, type ParentChannel } from './workerPort';

type Result = SolverResult;
type Worker = ChannelWorker<SolverJob, SolverProgress, Result>;

const FAKE = 'src-main/solver/fakeWorker.testchild.ts';
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanup.splice(0).map((f) => f()));
});
const shutDown = new PlannerError('cancelled', 'test over');

/** A ChannelWorker on the fake solver worker, resolved once it is ready; `lost` records its
 *  loss. */
async function fakeWorker(
  options: ConstructorParameters<typeof ChannelWorker>[2] = {},
): Promise<{ worker: Worker; losses: WorkerLoss[] }> {
  const losses: WorkerLoss[] = [];
  let ready!: () => void;
  const isReady = new Promise<void>((r) => (ready = r));
  const worker: Worker = new ChannelWorker(solverChannel, tsWorkerSpawner(FAKE), options, {
    ready,
    lost: (loss) => losses.push(loss),
  });
  cleanup.push(() => worker.stop(shutDown, 1000));
  await isReady;
  return { worker, losses };
}

const solve = (name: string): SolverJob => ({ type: 'solve', plan: samplePlan({ name }) });

describe('a worker process on the channel', () => {
  it('runs a job with progress and returns the result parsed with the job’s schema', async () => {
    const { worker } = await fakeWorker();
    const seen: number[] = [];
    const result = (await worker.run(solve('progress'), {
      doing: 'solving',
      onProgress: ({ fraction }) => seen.push(fraction),
    })) as SolveResultColumns;
    expect(result.totalCost).toBe(7);
    expect(seen.at(-1)).toBe(1);
    expect(worker.idle).toBe(true);
  });

  it('a malformed result is rejected with internal naming the field, and the worker carries on', async () => {
    const { worker, losses } = await fakeWorker();
    const pid = worker.pid;
    const e = await rejection(worker.run(solve('malformed'), { doing: 'solving' }));
    expect(e.code).toBe('internal');
    expect(e.message).toMatch(/^the solver process returned a malformed result: schedule: /);
    // Not a crash: the same process takes the next job.
    const next = (await worker.run(solve('next'), { doing: 'solving' })) as SolveResultColumns;
    expect(next.totalCost).toBe(10);
    expect(worker.pid).toBe(pid);
    expect(losses).toEqual([]);
  });

  it('a crash mid-job rejects with worker_crashed saying how the process ended', async () => {
    const { worker, losses } = await fakeWorker();
    const e = await rejection(worker.run(solve('crash'), { doing: 'solving "crash"' }));
    expect([e.code, e.message]).toEqual([
      'worker_crashed',
      'The solver process exited with code 3 while solving "crash".',
    ]);
    expect(losses).toEqual([{ started: true, lostJob: true, how: 'exited with code 3' }]);
    expect(worker.usable).toBe(false);
  });

  it('cancel rejects the job with the given error and kills the process', async () => {
    const { worker, losses } = await fakeWorker();
    let progressed!: () => void;
    const started = new Promise<void>((r) => (progressed = r));
    const job = rejection(
      worker.run(solve('hang'), { doing: 'solving', onProgress: () => progressed() }),
    );
    await started;
    const pid = worker.pid!;
    expect(worker.cancel(new PlannerError('cancelled', 'The solve was cancelled.'))).toBe(true);
    const e = await job;
    expect([e.code, e.message]).toEqual(['cancelled', 'The solve was cancelled.']);
    await worker.exited;
    expect(isAlive(pid)).toBe(false);
    expect(losses).toEqual([{ started: true, lostJob: true, how: 'was stopped by its host' }]);
    expect(worker.cancel(shutDown)).toBe(false); // nothing running
  });

  it('a worker still busy past the time limit (plus grace) is killed and the job rejects with time_limit', async () => {
    // The fake 'hang' ignores the limit it is sent: only the host's limit can stop it.
    const { worker } = await fakeWorker({ timeLimitGraceMs: 100 });
    const pid = worker.pid!;
    const e = await rejection(
      worker.run(solve('hang'), { doing: 'solving "hang"', timeLimitMs: 200 }),
    );
    expect([e.code, e.message]).toEqual([
      'time_limit',
      'The solver process was still solving "hang" 0.2 s after its time limit; it was stopped.',
    ]);
    await worker.exited;
    expect(isAlive(pid)).toBe(false);
  });
});

describe('the restart policy (WorkerSlot)', () => {
  function slot(options: { restartAfterLostJob: boolean }) {
    const changes: string[] = [];
    const s = new WorkerSlot(solverChannel, tsWorkerSpawner(FAKE), {
      ...options,
      onChange: () => changes.push('change'),
      onStartFailure: (how) => changes.push(`start failure: ${how}`),
    });
    cleanup.push(() => s.dispose(shutDown, 1000));
    return { s, changes };
  }
  async function ready(w: Worker): Promise<Worker> {
    while (!w.ready) await new Promise((r) => setTimeout(r, 20));
    return w;
  }

  it('replaces a worker lost mid-job at once when asked to, and only on demand otherwise', async () => {
    const main = slot({ restartAfterLostJob: true });
    const first = await ready(main.s.ensure());
    await rejection(first.run(solve('crash'), { doing: 'solving' }));
    await first.exited;
    const second = main.s.current;
    expect(second).not.toBeNull();
    expect(second).not.toBe(first);
    expect(
      ((await (await ready(second!)).run(solve('ok'), { doing: 'solving' })) as SolveResultColumns)
        .totalCost,
    ).toBe(10);

    const spare = slot({ restartAfterLostJob: false });
    const one = await ready(spare.s.ensure());
    await rejection(one.run(solve('crash'), { doing: 'solving' }));
    await one.exited;
    expect(spare.s.current).toBeNull();
    expect(spare.s.ensure()).not.toBe(one);
  });

  it('cancel kills the running worker and starts a fresh one', async () => {
    const { s } = slot({ restartAfterLostJob: true });
    const w = await ready(s.ensure());
    let progressed!: () => void;
    const started = new Promise<void>((r) => (progressed = r));
    const job = rejection(
      w.run(solve('hang'), { doing: 'solving', onProgress: () => progressed() }),
    );
    await started;
    expect(s.cancel(new PlannerError('cancelled', 'stop'))).toBe(true);
    expect((await job).message).toBe('stop');
    expect(s.current).not.toBe(w);
    expect(s.current?.pid).toBeDefined();
    expect(s.cancel(shutDown)).toBe(false);
  });

  it('a worker that never says ready is reported once and not restarted', async () => {
    const failures: string[] = [];
    let spawns = 0;
    const s = new WorkerSlot(
      solverChannel,
      () => {
        spawns++;
        throw new Error('spawn ENOENT');
      },
      { restartAfterLostJob: true, onStartFailure: (how) => failures.push(how) },
    );
    s.ensure();
    await new Promise((r) => setTimeout(r, 50));
    expect(failures).toEqual(['could not be spawned (spawn ENOENT)']);
    expect(spawns).toBe(1);
    expect(s.current).toBeNull();
  });
});

/** A worker handle the test drives: what the host sent, the signals it was killed with. */
function memoryHandle() {
  const sent: JobMessage<SolverJob>[] = [];
  const kills: string[] = [];
  let deliver: (m: unknown) => void = () => {};
  const handle: WorkerHandle<JobMessage<SolverJob>> = {
    pid: 4321,
    postMessage: (m) => sent.push(m),
    onMessage: (l) => (deliver = l),
    onExit: () => {},
    kill: (signal = 'SIGTERM') => kills.push(signal),
  };
  return { spawn: () => handle, sent, kills, emit: (m: unknown) => deliver(m) };
}

describe('what a worker sends, checked at the boundary', () => {
  function memoryWorker() {
    const h = memoryHandle();
    const worker: Worker = new ChannelWorker(solverChannel, h.spawn);
    h.emit({ type: 'ready' });
    return { ...h, worker };
  }

  it('sends the job with its id, the heartbeat and the time limit beside it', async () => {
    const { worker, sent } = memoryWorker();
    const job = rejection(worker.run(solve('a'), { doing: 'solving', timeLimitMs: 500 }));
    expect(sent).toEqual([
      {
        type: 'solve',
        plan: samplePlan({ name: 'a' }),
        job: 1,
        heartbeatMs: 1000,
        timeLimitMs: 500,
      },
    ]);
    worker.cancel(shutDown);
    expect((await job).message).toBe('test over');
  });

  it('a malformed message rejects the job with internal naming the field and kills the worker', async () => {
    const { worker, emit, kills } = memoryWorker();
    const job = rejection(worker.run(solve('a'), { doing: 'solving' }));
    emit({ type: 'progress', job: 1, fraction: 2 });
    const e = await job;
    expect(e.code).toBe('internal');
    expect(e.message).toMatch(/^the solver process sent a malformed message: fraction: /);
    expect(kills).toEqual(['SIGKILL']);
    expect(worker.usable).toBe(false);
  });

  it('an unknown message type or error code is malformed too', async () => {
    for (const bad of [
      { type: 'hello' },
      { type: 'error', job: 1, code: 'oops', message: 'x' },
      'text',
    ]) {
      const { worker, emit } = memoryWorker();
      const job = rejection(worker.run(solve('a'), { doing: 'solving' }));
      emit(bad);
      expect((await job).message).toMatch(/^the solver process sent a malformed message: /);
    }
  });

  it('a reply naming another job is stale and dropped; one without an id is the running job’s', async () => {
    const { worker, emit } = memoryWorker();
    const seen: number[] = [];
    const job = worker.run(solve('a'), {
      doing: 'solving',
      onProgress: (p) => seen.push(p.fraction),
    });
    emit({ type: 'progress', job: 99, fraction: 0.5 });
    emit({ type: 'progress', fraction: 0.25 });
    emit({ type: 'error', job: 1, code: 'infeasible', message: 'no' });
    expect((await rejection(job)).code).toBe('infeasible');
    expect(seen).toEqual([0.25]);
    expect(worker.idle).toBe(true);
  });
});

describe('the worker loop (serveJobs)', () => {
  const channel = defineChannel<{ type: 'wait'; ms: number }, { done: number }, string>({
    name: 'test',
    jobTypes: ['wait'],
    progress: z.object({ done: z.number() }),
    result: () => z.string(),
    failed: 'the test job failed',
  });
  type Message = WorkerMessage<{ done: number }, string>;

  function port() {
    const sent: Message[] = [];
    let deliver: (m: unknown) => void = () => {};
    const p: ParentChannel<Message> = {
      send: (m) => sent.push(m),
      onMessage: (l) => (deliver = l),
    };
    return { p, sent, deliver: (m: unknown) => deliver(m) };
  }

  it('says ready, beats while an asynchronous job awaits, and answers with the job’s id', async () => {
    const { p, sent, deliver } = port();
    let beaten!: () => void;
    const firstBeat = new Promise<void>((r) => (beaten = r));
    const send = p.send;
    p.send = (m) => {
      send(m);
      if (m.type === 'heartbeat') beaten();
    };
    serveJobs(
      channel,
      async (job, context) => {
        context.progress({ done: 1 });
        await firstBeat; // only the loop's own timer can beat while the job awaits
        return `waited ${job.ms}`;
      },
      p,
    );
    expect(sent).toEqual([{ type: 'ready' }]);
    deliver({ type: 'nope' }); // not a job of this channel: ignored
    const done = new Promise<void>((r) => {
      const s = p.send;
      p.send = (m) => {
        s(m);
        if (m.type === 'result') r();
      };
    });
    deliver({ type: 'wait', ms: 1, job: 5, heartbeatMs: 20 });
    await done;
    expect(sent[1]).toEqual({ type: 'progress', job: 5, done: 1 });
    expect(sent).toContainEqual({ type: 'heartbeat', job: 5 });
    expect(sent.at(-1)).toEqual({ type: 'result', job: 5, result: 'waited 1' });
  });

  it('sends a throw as the job’s error in the channel’s words', () => {
    const { p, sent, deliver } = port();
    serveJobs(
      channel,
      () => {
        throw new TypeError('x is undefined');
      },
      p,
    );
    deliver({ type: 'wait', ms: 0, job: 2 });
    expect(sent.at(-1)).toEqual({
      type: 'error',
      job: 2,
      code: 'internal',
      message: 'the test job failed: x is undefined',
    });
  });
});
