/** The calibrated model's figures of a whole plan: V_day and the permanent impact. */
import type { Plan } from '../plan';

/**
 * V_day of a calibrated plan: its dailyVolume, else the sum of the plan's volumeProfile (0 for
 * other models).
 */
export function calibratedDailyVolume(plan: Plan): number {
  const im = plan.impact;
  if (im.model !== 'calibrated') return 0;
  return im.dailyVolume ?? (plan.volumeProfile ?? []).reduce((a, v) => a + v, 0);
}

/**
 * The permanent impact of a calibrated plan (Almgren, Thum, Hauptmann, Li 2005): the price
 * moves by γ·σ·(X/V_day) over the order, which costs the order ½·γ·σ·(X/V_day)·X on average,
 * whatever the schedule (0 for other models, and when V_day is 0). `shares` defaults to the
 * whole order.
 */
export function calibratedPermanentCost(plan: Plan, shares: number = plan.shares): number {
  const im = plan.impact;
  if (im.model !== 'calibrated') return 0;
  const day = calibratedDailyVolume(plan);
  if (!(day > 0)) return 0;
  return 0.5 * im.gamma * im.sigma * (shares / day) * shares;
}
