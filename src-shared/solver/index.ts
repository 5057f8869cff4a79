/**
 * Solver entry point (pure, synchronous): the worker, the CLI, the bench and tests call it alike.
 * TODO(issue 2): implement. Throws PlannerError('infeasible' | 'too_large' | 'cancelled').
 */
import type { Plan } from '../plan';
import type { SolveResult } from '../result';
import { PlannerError } from '../contract';

export interface SolveOptions {
  /** Called between periods with a fraction 0..1. */
  onProgress?: (fraction: number) => void;
  /** Polled between periods; return true to stop (throws PlannerError 'cancelled'). */
  shouldCancel?: () => boolean;
  /** Refuse a DP table larger than this many bytes (default 1.5 GiB). */
  memoryBudgetBytes?: number;
}

export function solvePlan(_plan: Plan, _options: SolveOptions = {}): SolveResult {
  throw new PlannerError('internal', 'solver not implemented yet');
}
