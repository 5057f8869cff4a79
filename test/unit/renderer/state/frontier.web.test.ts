/** FrontierState: computing the efficient frontier (progress, cancel, errors, reset). */
import { describe, expect, it } from 'vitest';
import type { Frontier } from '@shared/result';
import { FrontierState, FRONTIER_POINTS } from '../../../../src-renderer/src/state/frontier.svelte';
import { fakeBackendEachTest, fail, ok } from './fakeBackend.web';
import { riskPlan } from './fixtures.web';

const backend = fakeBackendEachTest();

const point = (aversion: number, shares: number[]) => ({
  aversion,
  expectedCost: 100 + aversion * 1e6,
  timingRiskSd: 50 - aversion * 1e6,
  objective: 0,
  shares,
});
const frontier: Frontier = {
  points: [
    point(0, [250, 250, 250, 250]),
    point(1e-6, [400, 300, 200, 100]),
    point(2e-6, [400, 300, 200, 100]), // the caps give the same schedule: one point
    point(3e-6, [700, 200, 100, 0]),
  ],
  scale: 1e-6,
  baselines: [{ name: 'naive', expectedCost: 90, timingRiskSd: 60 }],
};
const p = riskPlan();

describe('FrontierState', () => {
  it('computes the frontier with one point per schedule and keeps the plan’s key', async () => {
    backend.hold('frontier');
    const f = new FrontierState();
    const running = f.compute(p, 'fkey');
    expect(f.computing).toBe(true);
    expect(backend.inputs('frontier')).toEqual([{ plan: p, points: FRONTIER_POINTS }]);
    backend.answer('frontier', ok(frontier));
    await running;
    expect(f.computing).toBe(false);
    expect(f.key).toBe('fkey');
    expect(f.frontier?.points.map((q) => [q.aversion, q.aversionTo])).toEqual([
      [0, undefined],
      [1e-6, 2e-6],
      [3e-6, undefined],
    ]);
    expect(f.frontier?.scale).toBe(1e-6);
  });

  it('does not start a second computation while one runs', async () => {
    backend.hold('frontier');
    const f = new FrontierState();
    const running = f.compute(p, 'a');
    await f.compute(p, 'b');
    expect(backend.inputs('frontier')).toHaveLength(1);
    backend.answer('frontier', ok(frontier));
    await running;
    expect(f.key).toBe('a');
  });

  it('follows frontier progress only', async () => {
    backend.hold('frontier');
    const f = new FrontierState();
    const stop = f.listen();
    const running = f.compute(p, 'k');
    backend.progress({ op: 'frontier', fraction: 0.25, message: 'λ 7 of 25' });
    backend.progress({ op: 'solve', fraction: 0.9 });
    expect(f.progress).toBe(0.25);
    expect(f.progressMessage).toBe('λ 7 of 25');
    backend.progress({ op: 'frontier', fraction: 2 });
    expect(f.progress).toBe(1);
    stop();
    backend.answer('frontier', ok(frontier));
    await running;
  });

  it('cancel goes through cancelSolve; the cancelled computation says so', async () => {
    backend.hold('frontier').reply('cancelSolve', { cancelled: true });
    const f = new FrontierState();
    const running = f.compute(p, 'k');
    await f.cancel();
    expect(f.cancelling).toBe(true);
    expect(backend.inputs('cancelSolve')).toEqual([{}]);
    backend.answer('frontier', fail('cancelled', 'cancelled'));
    await running;
    expect(f.error).toBe('Frontier cancelled.');
    expect(f.frontier).toBeNull();
    expect(f.cancelling).toBe(false);
  });

  it('a refusal naming a field is said with its label', async () => {
    backend.refuse('frontier', 'invalid_input', 'shares: must be a whole number');
    const f = new FrontierState();
    await f.compute(p, 'k');
    expect(f.error).toBe('Shares: must be a whole number');
  });

  it('clear cancels a running computation and drops its answer', async () => {
    backend.hold('frontier').reply('cancelSolve', { cancelled: true });
    const f = new FrontierState();
    const running = f.compute(p, 'k');
    f.clear();
    expect(f.computing).toBe(false);
    expect(backend.inputs('cancelSolve')).toHaveLength(1);
    backend.answer('frontier', ok(frontier));
    await running;
    expect(f.frontier).toBeNull();
    expect(f.key).toBe('');
  });

  it('clear with nothing running calls nobody; cancel then does nothing', async () => {
    backend.reply('frontier', frontier);
    const f = new FrontierState();
    await f.compute(p, 'k');
    f.clear();
    await f.cancel();
    expect(backend.calls.map((c) => c.op)).toEqual(['frontier']);
    expect(f.frontier).toBeNull();
  });
});
