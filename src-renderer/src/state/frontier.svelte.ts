/**
 * The efficient frontier of a plan with timing risk: the running computation (progress,
 * cancel: `cancelSolve` cancels it like a solve) and the last frontier with the key of the plan
 * it was computed for (the editor's frontier key: the plan without λ).
 */
import type { Plan } from '@shared/plan';
import type { Frontier } from '@shared/result';
import { dedupeSchedules, type DistinctFrontierPoint } from '@shared/solver/frontierDistinct';
import { call, onProgress } from './backend';
import { withFieldLabel } from '../lib/fieldLabels';

/** Exact solves along the curve. */
export const FRONTIER_POINTS = 25;

/** A frontier as shown: one point per schedule, each with the λ range that gives it. */
export type ShownFrontier = Omit<Frontier, 'points'> & { points: DistinctFrontierPoint[] };

export class FrontierState {
  computing = $state(false);
  cancelling = $state(false);
  /** 0..1 while computing. */
  progress = $state(0);
  progressMessage = $state('');
  frontier = $state.raw<ShownFrontier | null>(null);
  /** The editor's frontier key when it was computed. */
  key = $state('');
  error = $state<string | null>(null);
  #run = 0;

  listen(): () => void {
    return onProgress((e) => {
      if (e.op !== 'frontier' || !this.computing) return;
      this.progress = Math.max(0, Math.min(1, e.fraction));
      this.progressMessage = e.message ?? '';
    });
  }

  async compute(plan: Plan, key: string): Promise<void> {
    if (this.computing) return;
    const run = ++this.#run;
    this.computing = true;
    this.cancelling = false;
    this.progress = 0;
    this.progressMessage = '';
    this.error = null;
    const r = await call('frontier', { plan, points: FRONTIER_POINTS });
    if (run !== this.#run) return; // superseded by a reset
    this.computing = false;
    this.cancelling = false;
    if (r.ok) {
      // Caps can make several λ give one schedule: one point each, not a pile.
      this.frontier = { ...r.value, points: dedupeSchedules(r.value.points) };
      this.key = key;
    } else if (r.error.code === 'cancelled') {
      this.error = 'Frontier cancelled.';
    } else {
      this.error = withFieldLabel(r.error.message);
    }
  }

  async cancel(): Promise<void> {
    if (!this.computing) return;
    this.cancelling = true;
    const r = await call('cancelSolve', {});
    if (!r.ok) this.error = r.error.message;
  }

  /** Forget the frontier (another plan); a running computation is cancelled. */
  clear(): void {
    if (this.computing) void call('cancelSolve', {});
    this.#run++;
    this.computing = false;
    this.cancelling = false;
    this.error = null;
    this.frontier = null;
    this.key = '';
  }
}
