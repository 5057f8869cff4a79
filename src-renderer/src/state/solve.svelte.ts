/**
 * Solving: the running solve (progress, cancel) and the last result with the plan it was
 * computed for. The solve runs in the backend's worker process; the window stays responsive.
 */
import type { Plan } from '@shared/plan';
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
  #run = 0;

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
    // The window always shows the cost by order size (sampled to about a thousand sizes).
    const r = await call('solve', { plan, curve: true });
    if (run !== this.#run) return; // superseded by a newer solve or a reset
    this.solving = false;
    this.cancelling = false;
    if (r.ok) {
      this.result = r.value;
      this.solvedPlan = plan;
      this.solvedKey = key;
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

  /** Show a stored result (opening a saved plan). */
  adopt(plan: Plan | null, result: SolveResult | undefined, key: string): void {
    if (this.solving) void call('cancelSolve', {});
    this.#run++;
    this.solving = false;
    this.cancelling = false;
    this.error = null;
    this.result = plan && result ? result : null;
    this.solvedPlan = plan && result ? plan : null;
    this.solvedKey = plan && result ? key : '';
  }

  /** Forget the result (a new plan); a running solve is cancelled. */
  clear(): void {
    this.adopt(null, undefined, '');
  }
}
