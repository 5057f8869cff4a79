/**
 * SolveState: a solve's lifecycle against a fake backend (progress, cancel, error, result),
 * and the cost-by-size curve that arrives after the result.
 */
import { describe, expect, it } from 'vitest';
import type { CostCurve } from '@shared/result';
import { SolveState } from '../../../../src-renderer/src/state/solve.svelte';
import { fakeBackendEachTest, fail, ok, until } from './fakeBackend.web';
import { plan, solved } from './fixtures.web';

const backend = fakeBackendEachTest();

const p = plan();
const result = solved(p);

describe('SolveState', () => {
  it('solves without the cost curve and keeps the result with its plan and key', async () => {
    backend.hold('solve').hold('costCurve');
    const s = new SolveState();
    const running = s.solve(p, 'key-1');
    expect(s.solving).toBe(true);
    expect(s.result).toBeNull();
    expect(backend.inputs('solve')).toEqual([{ plan: p, curve: false }]);
    backend.answer('solve', ok(result));
    await running;
    expect(s.solving).toBe(false);
    expect(s.result).toBe(result);
    expect(s.solvedPlan).toBe(p);
    expect(s.solvedKey).toBe('key-1');
    expect(s.error).toBeNull();
  });

  it('follows progress of its own solve only, clamped to 0..1, while it runs', async () => {
    backend.hold('solve');
    const s = new SolveState();
    const stop = s.listen();
    backend.progress({ op: 'solve', fraction: 0.5, message: 'before' });
    expect(s.progress).toBe(0); // nothing is running yet
    const running = s.solve(p, 'k');
    backend.progress({ op: 'solve', fraction: 0.4, message: 'Solving period 2' });
    expect(s.progress).toBe(0.4);
    expect(s.progressMessage).toBe('Solving period 2');
    backend.progress({ op: 'frontier', fraction: 0.9 });
    backend.progress({ op: 'importBook', fraction: 0.8 });
    expect(s.progress).toBe(0.4);
    backend.progress({ op: 'solve', fraction: 1.7 });
    expect(s.progress).toBe(1);
    backend.progress({ op: 'solve', fraction: -1 });
    expect(s.progress).toBe(0);
    stop();
    expect(backend.progressListeners).toBe(0);
    backend.answer('solve', ok(result));
    await running;
  });

  it('a new solve starts from zero progress and no error', async () => {
    backend.refuse('solve', 'infeasible', 'the caps cannot fill the order');
    const s = new SolveState();
    await s.solve(p, 'k');
    expect(s.error).toBe('the caps cannot fill the order');
    backend.hold('solve');
    s.listen();
    const running = s.solve(p, 'k');
    expect(s.error).toBeNull();
    expect(s.progress).toBe(0);
    backend.answer('solve', ok(result));
    await running;
  });

  it('cancel asks the backend; the cancelled solve says so and keeps the last result', async () => {
    backend.reply('solve', result);
    const s = new SolveState();
    await s.solve(p, 'old');
    backend.hold('solve').reply('cancelSolve', { cancelled: true });
    const running = s.solve(plan({ shares: 2000 }), 'new');
    await s.cancel();
    expect(s.cancelling).toBe(true);
    expect(backend.inputs('cancelSolve')).toEqual([{}]);
    backend.answer('solve', fail('cancelled', 'cancelled by the user'));
    await running;
    expect(s.solving).toBe(false);
    expect(s.cancelling).toBe(false);
    expect(s.error).toBe('Solve cancelled.');
    expect(s.result).toBe(result);
    expect(s.solvedKey).toBe('old');
  });

  it('cancel does nothing when no solve runs', async () => {
    const s = new SolveState();
    await s.cancel();
    expect(s.cancelling).toBe(false);
    expect(backend.calls).toEqual([]);
  });

  it('a refused cancel is reported', async () => {
    backend.hold('solve').refuse('cancelSolve', 'internal', 'the worker did not answer');
    const s = new SolveState();
    const running = s.solve(p, 'k');
    await s.cancel();
    expect(s.error).toBe('the worker did not answer');
    backend.answer('solve', ok(result));
    await running;
  });

  it('a refusal naming a plan field is said with the field’s label', async () => {
    backend.refuse('solve', 'invalid_input', 'lotSize: must be greater than 0');
    const s = new SolveState();
    await s.solve(p, 'k');
    expect(s.error).toBe('Lot size: must be greater than 0');
    expect(s.result).toBeNull();
    expect(s.solving).toBe(false);
  });

  it('a backend that cannot be reached is an error, not a throw', async () => {
    backend.on('solve', () => {
      throw new Error('socket closed');
    });
    const s = new SolveState();
    await s.solve(p, 'k');
    expect(s.error).toBe('could not reach the backend: socket closed');
  });

  it('an older solve answering late is dropped: the newer one’s result stays', async () => {
    backend.hold('solve');
    const s = new SolveState();
    const first = s.solve(p, 'first');
    const p2 = plan({ shares: 2000 });
    const second = s.solve(p2, 'second');
    const r2 = solved(p2);
    backend.answer('solve', ok(result)); // the first answers after the second started
    await first;
    expect(s.solving).toBe(true);
    expect(s.result).toBeNull();
    backend.answer('solve', ok(r2));
    await second;
    expect(s.result).toBe(r2);
    expect(s.solvedKey).toBe('second');
  });

  it('adopt shows a stored result, cancels a running solve and drops its answer', async () => {
    backend.hold('solve').reply('cancelSolve', { cancelled: true });
    const s = new SolveState();
    const running = s.solve(p, 'running');
    const storedPlan = plan({ name: 'Stored' });
    const storedResult = solved(storedPlan);
    s.adopt(storedPlan, storedResult, 'stored');
    expect(backend.inputs('cancelSolve')).toHaveLength(1);
    expect(s.solving).toBe(false);
    expect(s.result).toBe(storedResult);
    expect(s.solvedPlan).toBe(storedPlan);
    expect(s.solvedKey).toBe('stored');
    backend.answer('solve', ok(result));
    await running;
    expect(s.result).toBe(storedResult);
  });

  it('adopt without a result, and clear, forget the result', async () => {
    backend.reply('solve', result);
    const s = new SolveState();
    await s.solve(p, 'k');
    s.adopt(p, undefined, 'k');
    expect(s.result).toBeNull();
    expect(s.solvedPlan).toBeNull();
    expect(s.solvedKey).toBe('');
    await s.solve(p, 'k');
    s.clear();
    expect(s.result).toBeNull();
    expect(s.solvedKey).toBe('');
    expect(backend.inputs('cancelSolve')).toEqual([]); // nothing was running
  });

  describe('the cost-by-size curve, after the result', () => {
    const curve = (shares: number, cost: number): CostCurve => ({
      shares: [0, shares],
      cost: [0, cost],
      costBps: null,
      complete: false,
    });

    it('is asked for once the result is shown, and arrives after it', async () => {
      backend.hold('solve').hold('costCurve');
      const s = new SolveState();
      const running = s.solve(p, 'k');
      expect(backend.inputs('costCurve')).toEqual([]); // not before the schedule
      backend.answer('solve', ok(result));
      await running;
      // The table can show: the result is there, the curve is computing.
      expect(s.result).toBe(result);
      expect(s.solving).toBe(false);
      expect(s.curveStatus).toBe('computing');
      expect(s.curve).toBeNull();
      expect(backend.inputs('costCurve')).toEqual([{ plan: p }]);
      const c = curve(p.shares, 7);
      backend.answer('costCurve', ok(c));
      await until(() => s.curveStatus === 'ready', 'the curve arrives');
      expect(s.curve).toBe(c);
      expect(s.result).toBe(result); // the result itself is left as it was
    });

    it('a curve answering for an older result is dropped; the newer result’s curve stays', async () => {
      backend.reply('solve', result).hold('costCurve');
      const s = new SolveState();
      await s.solve(p, 'first');
      const p2 = plan({ shares: 2000 });
      const r2 = solved(p2);
      backend.reply('solve', r2);
      await s.solve(p2, 'second');
      expect(backend.inputs('costCurve')).toEqual([{ plan: p }, { plan: p2 }]);
      backend.answer('costCurve', fail('cancelled', 'discarded: a newer solve replaced it'));
      await Promise.resolve();
      expect(s.curveStatus).toBe('computing');
      const c2 = curve(2000, 9);
      backend.answer('costCurve', ok(c2));
      await until(() => s.curveStatus === 'ready', 'the newer curve arrives');
      expect(s.curve).toBe(c2);
    });

    it('a new solve keeps the shown result’s curve until its own result arrives', async () => {
      backend.reply('solve', result).reply('costCurve', curve(p.shares, 7));
      const s = new SolveState();
      await s.solve(p, 'k');
      await until(() => s.curveStatus === 'ready', 'the first curve');
      backend.hold('solve').hold('costCurve');
      const running = s.solve(plan({ shares: 3000 }), 'k2');
      expect(s.curve?.cost).toEqual([0, 7]);
      backend.answer('solve', fail('infeasible', 'the caps cannot fill the order'));
      await running;
      expect(s.curve?.cost).toEqual([0, 7]); // the old result and its curve stay
      expect(backend.inputs('costCurve')).toHaveLength(1);
    });

    it('a failed or cancelled curve says so and can be asked for again', async () => {
      backend.reply('solve', result).refuse('costCurve', 'cancelled', 'cancelled');
      const s = new SolveState();
      await s.solve(p, 'k');
      await until(() => s.curveStatus === 'failed', 'the curve fails');
      expect(s.curveError).toBe('Computing the cost by order size was cancelled.');
      expect(s.result).toBe(result);
      backend.reply('costCurve', curve(p.shares, 5));
      s.retryCurve();
      expect(s.curveStatus).toBe('computing');
      await until(() => s.curveStatus === 'ready', 'the retried curve');
      expect(s.curve?.cost).toEqual([0, 5]);
    });

    it('a stored result with its curve shows it at once; one without gets it computed', async () => {
      backend.hold('costCurve');
      const s = new SolveState();
      const c = curve(p.shares, 3);
      s.adopt(p, { ...result, costCurve: c }, 'k');
      expect(s.curveStatus).toBe('ready');
      expect(s.curve).toBe(c);
      expect(backend.inputs('costCurve')).toEqual([]);
      s.adopt(p, result, 'k');
      expect(s.curveStatus).toBe('computing');
      expect(s.curve).toBeNull();
      s.clear();
      expect(s.curveStatus).toBe('none');
      backend.answer('costCurve', ok(c)); // answers after the reset: dropped
      await Promise.resolve();
      await Promise.resolve();
      expect(s.curve).toBeNull();
      expect(s.curveStatus).toBe('none');
    });
  });
});
