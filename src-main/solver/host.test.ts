import { afterEach, describe, expect, it } from 'vitest';
import { tsWorkerSpawner } from '../testing/forkTs';
import { isAlive, rejection } from '../testing/outcomes';
import { samplePlan } from '../testing/plans';
import { isQuickJob, QUICK_CELLS, SolverHost, type SolverHostOptions } from './host';
import { nodeSpawner } from '../platform/nodeSpawner';

const hosts: SolverHost[] = [];
/** A host on the fake worker; one FIFO lane unless a test lets small solves through. */
function fakeHost(options: Partial<SolverHostOptions> = {}): SolverHost {
  const host = new SolverHost({
    spawn: tsWorkerSpawner('src-main/solver/fakeWorker.testchild.ts'),
    isQuick: () => false,
    ...options,
  });
  hosts.push(host);
  return host;
}
afterEach(async () => {
  await Promise.all(hosts.splice(0).map((h) => h.dispose()));
});

describe('SolverHost with a worker process', () => {
  it('streams progress in order and returns the parsed result', async () => {
    const seen: number[] = [];
    const global: number[] = [];
    const host = fakeHost({ onProgress: (f) => global.push(f) });
    const result = await host.solve(samplePlan({ name: 'progress' }), (f) => seen.push(f));
    expect(result.totalCost).toBe(7);
    expect(seen.length).toBeGreaterThanOrEqual(3);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(seen.at(-1)).toBe(1);
    expect(global).toEqual(seen);
    expect(host.busy).toBe(false);
  });

  it('passes solver errors through with their code and queues solves one after another', async () => {
    const host = fakeHost();
    const a = host.solve(samplePlan({ name: 'infeasible' }));
    const b = host.solve(samplePlan({ name: 'ok', shares: 2000 }));
    const c = host.solve(samplePlan({ name: 'bug' }));
    const d = host.solve(samplePlan({ name: 'malformed' }));
    const e = await rejection(a);
    expect([e.code, e.message]).toEqual(['infeasible', 'caps allow only 500 of 1000 shares']);
    expect((await b).totalCost).toBe(20);
    const bug = await rejection(c);
    expect([bug.code, bug.message]).toEqual(['internal', 'the solver failed: x is undefined']);
    const bad = await rejection(d);
    expect(bad.code).toBe('internal');
    expect(bad.message).toMatch(/malformed result: schedule/);
  });

  it('a solve result crosses in columns; a malformed column is refused naming the field', async () => {
    const host = fakeHost();
    const ok = await host.solve(samplePlan({ name: 'columns' }));
    expect(ok.layout).toBe('columns');
    expect(ok.schedule.shares).toBeInstanceOf(Float64Array);
    expect(Array.from(ok.schedule.shares)).toEqual([200, 200, 200, 200, 200]);
    const short = await rejection(host.solve(samplePlan({ name: 'malformed-columns' })));
    expect([short.code, short.message]).toEqual([
      'internal',
      'the solver process returned a malformed result: schedule.cost: has 4 entries, not 5 (one per period)',
    ]);
    const nan = await rejection(host.solve(samplePlan({ name: 'nan-cost' })));
    expect([nan.code, nan.message]).toEqual([
      'internal',
      'the solver process returned a malformed result: schedule.cost[2]: must be a finite number',
    ]);
    // The worker carries on.
    expect((await host.solve(samplePlan({ name: 'after' }))).totalCost).toBe(10);
  });

  it('passes a curve request to the solver as about a thousand sampled sizes', async () => {
    const host = fakeHost();
    const plain = await host.solve(samplePlan({ name: 'plain' }));
    expect(plain.costCurve).toBeUndefined();
    expect(plain.solver.reason).toBe('test fixture');
    const curved = await host.solve(samplePlan({ name: 'curved' }), undefined, { curve: true });
    expect(curved.solver.reason).toBe('fake solve; curve option 1001');
    expect(curved.costCurve).toEqual({
      shares: [0, 1000],
      cost: [0, 10],
      costBps: null,
      complete: false,
    });
    // The option belongs to that one job: the next solve without it gets no curve.
    const again = await host.solve(samplePlan({ name: 'again' }), undefined, { curve: false });
    expect(again.costCurve).toBeUndefined();
  });

  it('runs the cost-by-size curve as a job of its own, at about a thousand sizes', async () => {
    const host = fakeHost();
    const solved = await host.solve(samplePlan({ name: 'plain' }));
    expect(solved.costCurve).toBeUndefined();
    const curve = await host.curve(samplePlan({ name: 'plain' }));
    expect(curve).toEqual({
      shares: [0, 1000],
      cost: [0, 10],
      costBps: [0, 1001],
      complete: false,
    });
    const bad = await rejection(host.curve(samplePlan({ name: 'malformed' })));
    expect(bad.code).toBe('internal');
    expect(bad.message).toMatch(/malformed result: shares/);
  });

  it('a new solve discards the curve still running or queued; the solve runs at once', async () => {
    const host = fakeHost();
    let progressed!: () => void;
    const started = new Promise<void>((r) => (progressed = r));
    const running = host.curve(samplePlan({ name: 'hang' }), () => progressed());
    await started;
    const pid = host.workerPid!;
    const solved = host.solve(samplePlan({ name: 'next', shares: 3000 }));
    const e = await rejection(running);
    expect([e.code, e.message]).toEqual([
      'cancelled',
      'The cost-by-size curve was discarded: a newer solve replaced it.',
    ]);
    expect((await solved).totalCost).toBe(30);
    expect(host.workerPid).not.toBe(pid);
    // Queued behind a long job: a newer curve takes its place, the older one is rejected.
    const long = host.solve(samplePlan({ name: 'progress' }));
    const older = host.curve(samplePlan({ name: 'older' }));
    const newer = host.curve(samplePlan({ name: 'newer', shares: 2000 }));
    expect((await rejection(older)).code).toBe('cancelled');
    expect((await long).totalCost).toBe(7);
    expect((await newer).shares).toEqual([0, 2000]);
  });

  it('cancel stops a running curve like a solve', async () => {
    const host = fakeHost();
    let progressed!: () => void;
    const started = new Promise<void>((r) => (progressed = r));
    const running = host.curve(samplePlan({ name: 'hang' }), () => progressed());
    await started;
    expect(host.cancel()).toBe(true);
    const e = await rejection(running);
    expect([e.code, e.message]).toEqual(['cancelled', 'The cost-by-size curve was cancelled.']);
    expect(host.busy).toBe(false);
  });

  it('cancel kills the in-flight worker, rejects with cancelled, and the next solve starts at once', async () => {
    const host = fakeHost();
    let progressed!: () => void;
    const started = new Promise<void>((r) => (progressed = r));
    const hanging = host.solve(samplePlan({ name: 'hang' }), () => progressed());
    const queued = host.solve(samplePlan({ name: 'ok' }));
    await started;
    const oldPid = host.workerPid!;
    expect(host.cancel()).toBe(true);
    const err = await rejection(hanging);
    expect([err.code, err.message]).toEqual(['cancelled', 'The solve was cancelled.']);
    expect((await rejection(queued)).code).toBe('cancelled');
    // A fresh worker was started immediately.
    const newPid = host.workerPid;
    expect(newPid).toBeDefined();
    expect(newPid).not.toBe(oldPid);
    expect((await host.solve(samplePlan({ name: 'after', shares: 3000 }))).totalCost).toBe(30);
    expect(host.workerPid).toBe(newPid);
    expect(isAlive(oldPid)).toBe(false);
    expect(host.cancel()).toBe(false); // nothing running
  });

  it('a worker that crashes rejects with worker_crashed and is restarted', async () => {
    const host = fakeHost();
    const err = await rejection(host.solve(samplePlan({ name: 'crash' })));
    expect(err.code).toBe('worker_crashed');
    expect(err.message).toMatch(/exited with code 3 while solving "crash"; it has been restarted/);
    expect((await host.solve(samplePlan({ name: 'fine' }))).totalCost).toBe(10);
  });

  it('a worker killed from outside rejects with worker_crashed naming the signal', async () => {
    const host = fakeHost();
    let progressed!: () => void;
    const started = new Promise<void>((r) => (progressed = r));
    const p = host.solve(samplePlan({ name: 'hang' }), () => progressed());
    await started;
    process.kill(host.workerPid!, 'SIGKILL');
    const err = await rejection(p);
    expect(err.code).toBe('worker_crashed');
    expect(err.message).toMatch(/was killed \(SIGKILL\)/);
    expect((await host.solve(samplePlan({ name: 'fine' }))).totalCost).toBe(10);
  });

  it('dispose kills a worker that ignores SIGTERM after the deadline', async () => {
    const host = fakeHost({ killDeadlineMs: 300 });
    let progressed!: () => void;
    const started = new Promise<void>((r) => (progressed = r));
    const p = rejection(host.solve(samplePlan({ name: 'ignore-term' }), () => progressed()));
    await started;
    const pid = host.workerPid!;
    await host.dispose();
    expect(isAlive(pid)).toBe(false);
    expect((await p).code).toBe('cancelled');
    expect((await rejection(host.solve(samplePlan()))).message).toMatch(/shut down/);
  });

  it('stopped-worker-hangs-the-solve: a SIGSTOPped worker is killed after the silence limit and restarted', async () => {
    const host = fakeHost({ heartbeatMs: 50, silenceLimitMs: 1500 });
    let progressed!: () => void;
    const started = new Promise<void>((r) => (progressed = r));
    const p = host.solve(samplePlan({ name: 'hang' }), () => progressed());
    const queued = host.solve(samplePlan({ name: 'after', shares: 3000 }));
    await started;
    const oldPid = host.workerPid!;
    process.kill(oldPid, 'SIGSTOP');
    const err = await rejection(p);
    expect(err.code).toBe('worker_crashed');
    expect(err.message).toMatch(
      /^The solver process stopped responding while solving "hang" \(no sign of life for [\d.]+ s\); it was stopped and has been restarted\./,
    );
    // The queued solve runs on a fresh worker, and the stopped one is gone.
    expect((await queued).totalCost).toBe(30);
    expect(host.workerPid).not.toBe(oldPid);
    expect(isAlive(oldPid)).toBe(false);
  });

  it('a long job that only polls (no progress) beats and is not taken for a stopped worker', async () => {
    const host = fakeHost({ heartbeatMs: 50, silenceLimitMs: 600 });
    const pid = (await host.solve(samplePlan({ name: 'warm-up' })), host.workerPid);
    expect((await host.solve(samplePlan({ name: 'quiet' }))).totalCost).toBe(5);
    expect(host.workerPid).toBe(pid);
  });

  it('a worker that cannot start rejects instead of restarting in a loop', async () => {
    let spawns = 0;
    const spawn = nodeSpawner({ modulePath: '/nonexistent/solverWorker.js', stderr: 'ignore' });
    const host = new SolverHost({
      spawn: () => {
        spawns++;
        return spawn();
      },
    });
    hosts.push(host);
    const err = await rejection(host.solve(samplePlan()));
    expect(err.code).toBe('worker_crashed');
    expect(err.message).toMatch(/could not start/);
    await new Promise((r) => setTimeout(r, 200));
    expect(spawns).toBe(1);
  });
});

describe('SolverHost frontier jobs', () => {
  it('sends the plan and its point count to the worker and returns the parsed frontier', async () => {
    const host = fakeHost();
    const seven = await host.frontier(samplePlan({ name: 'seven' }), 7);
    expect(seven.points.map((p) => p.aversion)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(seven.points[0].shares).toEqual([1000, 0, 0, 0, 0]);
    expect(seven.baselines).toEqual([{ name: 'naive', expectedCost: 20, timingRiskSd: 50 }]);
    // Without a count the contract's default of 25 is asked for.
    expect((await host.frontier(samplePlan({ name: 'default' }))).points).toHaveLength(25);
    expect(host.busy).toBe(false);
  });

  it('streams progress in order, tagged as a frontier for the host-wide listener', async () => {
    const seen: number[] = [];
    const global: [number, string][] = [];
    const host = fakeHost({ onProgress: (f, kind) => global.push([f, kind]) });
    const frontier = await host.frontier(samplePlan({ name: 'progress' }), 3, (f) => seen.push(f));
    expect(frontier.points).toHaveLength(3);
    expect(seen.length).toBeGreaterThanOrEqual(3);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(seen.at(-1)).toBe(1);
    expect(global).toEqual(seen.map((f) => [f, 'frontier']));
    await host.solve(samplePlan({ name: 'progress' }));
    expect(global.slice(seen.length).every(([, kind]) => kind === 'solve')).toBe(true);
  });

  it('queues frontiers and solves in one FIFO and passes errors through', async () => {
    const host = fakeHost();
    const order: string[] = [];
    const a = host.frontier(samplePlan({ name: 'a' }), 4).then((f) => {
      order.push('frontier a');
      return f;
    });
    const b = host.solve(samplePlan({ name: 'b', shares: 2000 })).then((r) => {
      order.push('solve b');
      return r;
    });
    const c = host.frontier(samplePlan({ name: 'infeasible' }), 5);
    const d = host.frontier(samplePlan({ name: 'malformed' }), 5);
    expect((await a).points).toHaveLength(4);
    expect((await b).totalCost).toBe(20);
    expect(order).toEqual(['frontier a', 'solve b']);
    const e = await rejection(c);
    expect([e.code, e.message]).toEqual(['infeasible', 'caps allow only 500 of 1000 shares']);
    const bad = await rejection(d);
    expect(bad.code).toBe('internal');
    expect(bad.message).toMatch(/malformed result: points/);
  });

  it('cancel kills a running frontier, rejects it and the queued jobs, and restarts the worker', async () => {
    const host = fakeHost();
    let progressed!: () => void;
    const started = new Promise<void>((r) => (progressed = r));
    const hanging = host.frontier(samplePlan({ name: 'hang' }), 10, () => progressed());
    const queued = host.solve(samplePlan({ name: 'ok' }));
    await started;
    const oldPid = host.workerPid!;
    expect(host.cancel()).toBe(true);
    const err = await rejection(hanging);
    expect([err.code, err.message]).toEqual([
      'cancelled',
      'The frontier computation was cancelled.',
    ]);
    expect((await rejection(queued)).code).toBe('cancelled');
    const newPid = host.workerPid;
    expect(newPid).toBeDefined();
    expect(newPid).not.toBe(oldPid);
    expect((await host.frontier(samplePlan({ name: 'after' }), 3)).points).toHaveLength(3);
    expect(host.workerPid).toBe(newPid);
    expect(isAlive(oldPid)).toBe(false);
    expect(host.cancel()).toBe(false);
  });

  it('a worker that crashes during a frontier rejects with worker_crashed and is restarted', async () => {
    const host = fakeHost();
    const err = await rejection(host.frontier(samplePlan({ name: 'crash' }), 5));
    expect(err.code).toBe('worker_crashed');
    expect(err.message).toMatch(
      /exited with code 3 while computing the efficient frontier of "crash"; it has been restarted/,
    );
    expect((await host.frontier(samplePlan({ name: 'fine' }), 3)).points).toHaveLength(3);
  });
});

/** A fee on a square-root law at 4 million lots: accepted by the estimate, seconds long. */
function slowPlan() {
  return samplePlan({
    name: 'slow',
    periods: 390,
    shares: 400_000_000,
    lotSize: 100,
    fixedFeePerOrder: 5,
    impact: { model: 'power', beta: 2e-5, exponent: 0.5 },
  });
}

describe('one long job does not starve a small one', () => {
  it('a small solve queued behind a hanging one runs on the spare worker', async () => {
    const host = fakeHost({ isQuick: isQuickJob });
    let progressed!: () => void;
    const started = new Promise<void>((r) => (progressed = r));
    const hanging = rejection(host.solve(samplePlan({ name: 'hang' }), () => progressed()));
    await started;
    const mainPid = host.workerPid;
    expect((await host.solve(samplePlan({ name: 'small', shares: 2000 }))).totalCost).toBe(20);
    expect(host.spareWorkerPid).toBeDefined();
    expect(host.spareWorkerPid).not.toBe(mainPid);
    // A frontier is not small: it waits for the main worker like before.
    const frontier = host.frontier(samplePlan({ name: 'queued' }), 3);
    expect(host.busy).toBe(true);
    expect(host.cancel()).toBe(true);
    expect((await hanging).code).toBe('cancelled');
    expect((await rejection(frontier)).code).toBe('cancelled');
  });

  it('small means a solve without the curve on at most QUICK_CELLS table cells', () => {
    const small = samplePlan({ periods: 390, shares: 1000 * 100 });
    expect(isQuickJob(small, { kind: 'solve', curve: false })).toBe(true);
    expect(isQuickJob(small, { kind: 'solve', curve: true })).toBe(false);
    expect(isQuickJob(small, { kind: 'frontier', points: 25 })).toBe(false);
    const big = samplePlan({ periods: 390, shares: QUICK_CELLS * 100, lotSize: 100 });
    expect(isQuickJob(big, { kind: 'solve', curve: false })).toBe(false);
  });

  it('with the real worker, a small solve finishes while a long one still runs', async () => {
    const host = new SolverHost({ spawn: tsWorkerSpawner('src-main/workers/solverWorker.ts') });
    hosts.push(host);
    let longDone = false;
    const long = host.solve(slowPlan()).finally(() => {
      longDone = true;
    });
    const longOutcome = rejection(long);
    // Queued behind the long solve: it runs on the spare worker as soon as that has started.
    const small = await host.solve(samplePlan({ name: 'small' }));
    expect(small.schedule).toHaveLength(5);
    expect(longDone).toBe(false);
    expect(host.spareWorkerPid).toBeDefined();
    host.cancel();
    expect((await longOutcome).code).toBe('cancelled');
  });

  it('with the real worker, the curve job gives the curve a solve asking for it gives', async () => {
    const host = new SolverHost({ spawn: tsWorkerSpawner('src-main/workers/solverWorker.ts') });
    hosts.push(host);
    const plan = samplePlan({ name: 'curve', periods: 50, shares: 40_000, lotSize: 100 });
    const solved = await host.solve(plan, undefined, { curve: true });
    const curve = await host.curve(plan);
    expect(curve).toEqual(solved.costCurve);
    expect(curve.shares.at(-1)).toBe(40_000);
    expect(curve.cost.at(-1)).toBe(solved.totalCost);
  });

  it('with the real worker, a solve past its time limit stops with time_limit', async () => {
    const host = new SolverHost({
      spawn: tsWorkerSpawner('src-main/workers/solverWorker.ts'),
      timeLimitMs: 300,
    });
    hosts.push(host);
    const e = await rejection(host.solve(slowPlan()));
    expect(e.code).toBe('time_limit');
    expect(e.message).toMatch(
      /^shares: stopped after 300 ms \(the time limit\): .*use a larger lotSize/,
    );
    // The worker carries on with the next job.
    expect((await host.solve(samplePlan({ name: 'after' }))).schedule).toHaveLength(5);
  });
});
