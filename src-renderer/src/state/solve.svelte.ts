/**
 * Solving: the running solve (progress, cancel) and the last result with the plan it was
 * computed for. The solve runs in the backend's worker process; the window stays responsive.
 * The cost-by-size curve is not on the way to the table: the solve returns the schedule, and
 * only then is the curve asked for (the costCurve operation, a job of its own in the worker);
 * the chart says it is computing meanwhile. A newer solve, an adopted result or clear() drop a
 * curve still on its way (and the backend discards its job when the next solve starts).
 */
import type { Plan } from '@shared/plan';
import type { CostCurve } from '@shared/result';
import type { SolveResultColumns as SolveResult } from '@shared/resultColumns';
import { call, onProgress } from './backend';
import { withFieldLabel } from '../lib/fieldLabels';

export class SolveState {
  solving = $state(false);
  cancelling = $state(false);
  /** 0..1 while solving. */
  progress = $state(0);
  progressMessage = $state('');
  result = $state.raw<SolveResult | null>(null);
  /** The plan the result belongs to, and the editor's solve key it had. */
  solvedPlan = $state.raw<Plan | null>(null);
  solvedKey = $state('');
  error = $state<string | null>(null);
  /** The result's cost-by-size curve once it has arrived (null before, and without a result). */
  curve = $state.raw<CostCurve | null>(null);
  /** 'computing' from the result until its curve arrives; 'failed' with curveError. */
  curveStatus = $state<'none' | 'computing' | 'ready' | 'failed'>('none');
  curveError = $state<string | null>(null);
  #run = 0;
  /** Counts the results shown: a curve answering for an older one is dropped. */
  #curveRun = 0;

  /** Subscribe to the backend's progress events; returns the unsubscribe function. */
  listen(): () => void {
    return onProgress((e) => {
      if (e.op !== 'solve' || !this.solving) return;
      this.progress = Math.max(0, Math.min(1, e.fraction));
      this.progressMessage = e.message ?? '';
    });
  }

  async solve(plan: Plan, key: string): Promise<void> {
    const run = ++this.#run;
    this.solving = true;
    this.cancelling = false;
    this.progress = 0;
    this.progressMessage = '';
    this.error = null;
    // The schedule first; the cost by order size is asked for once it is shown.
    const r = await call('solve', { plan, curve: false });
    if (run !== this.#run) return; // superseded by a newer solve or a reset
    this.solving = false;
    this.cancelling = false;
    if (r.ok) {
      this.result = r.value;
      this.solvedPlan = plan;
      this.solvedKey = key;
      this.#showCurve(plan, r.value);
    } else if (r.error.code === 'cancelled') {
      this.error = 'Solve cancelled.';
    } else {
      this.error = withFieldLabel(r.error.message);
    }
  }

  async cancel(): Promise<void> {
    if (!this.solving) return;
    this.cancelling = true;
    const r = await call('cancelSolve', {});
    if (!r.ok) this.error = r.error.message;
  }

  /** Show a stored result (opening a saved plan); its curve is computed when it has none. */
  adopt(plan: Plan | null, result: SolveResult | undefined, key: string): void {
    if (this.solving) void call('cancelSolve', {});
    this.#run++;
    this.solving = false;
    this.cancelling = false;
    this.error = null;
    this.result = plan && result ? result : null;
    this.solvedPlan = plan && result ? plan : null;
    this.solvedKey = plan && result ? key : '';
    if (plan && result) this.#showCurve(plan, result);
    else {
      this.#curveRun++;
      this.#setCurve('none', null, null);
    }
  }

  /** Ask again for the curve of the result shown (after it failed or was cancelled). */
  retryCurve(): void {
    if (!this.result || !this.solvedPlan || this.curveStatus === 'computing') return;
    this.#showCurve(this.solvedPlan, { ...this.result, costCurve: undefined });
  }

  /** The result's own curve (a result saved with one), else the curve job's, after it. */
  #showCurve(plan: Plan, result: SolveResult): void {
    const run = ++this.#curveRun;
    if (result.costCurve) {
      this.#setCurve('ready', result.costCurve, null);
      return;
    }
    this.#setCurve('computing', null, null);
    void call('costCurve', { plan }).then((r) => {
      if (run !== this.#curveRun) return; // a newer result, an adopted one or a reset
      if (r.ok) this.#setCurve('ready', r.value, null);
      else
        this.#setCurve(
          'failed',
          null,
          r.error.code === 'cancelled'
            ? 'Computing the cost by order size was cancelled.'
            : withFieldLabel(r.error.message),
        );
    });
  }

  #setCurve(status: SolveState['curveStatus'], curve: CostCurve | null, error: string | null) {
    this.curveStatus = status;
    this.curve = curve;
    this.curveError = error;
  }

  /** Forget the result (a new plan); a running solve is cancelled. */
  clear(): void {
    this.adopt(null, undefined, '');
  }
}
