/** Why a plan's caps cannot reach its order size, naming the fields responsible. */
import type { Plan } from '../plan';
import { fmtInt, fmtPct } from './format';
import { capacity, type ImpactGrid } from './grid';
import { floorLots } from './lots';

/**
 * Why the caps cannot reach S, naming the field(s) responsible, or null when Σ K_i ≥ M.
 * (With a minimum order size Σ K_i ≥ M is necessary, not sufficient; the DP finds the rest.)
 */
export function infeasibilityMessage(plan: Plan, grid: ImpactGrid): string | null {
  const { n, lots, lot } = grid;
  if (capacity(grid) >= lots) return null;
  const shares = (k: number) => fmtInt(k * lot);
  const want = `fewer than shares ${fmtInt(plan.shares)}`;
  const sumOf = (f: (i: number) => number) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += Math.min(lots, f(i));
    return s;
  };
  if (plan.maxPerPeriod !== undefined) {
    const mpp = plan.maxPerPeriod;
    const t = sumOf((i) => floorLots(typeof mpp === 'number' ? mpp : mpp[i], lot));
    if (t < lots) return `maxPerPeriod: caps allow at most ${shares(t)} shares, ${want}`;
  }
  if (plan.maxParticipation !== undefined && plan.volumeProfile) {
    const f = plan.maxParticipation;
    const v = plan.volumeProfile;
    const t = sumOf((i) => floorLots(f * v[i], lot));
    if (t < lots)
      return `maxParticipation: ${fmtPct(f)} of volumeProfile allows at most ${shares(t)} shares, ${want}`;
  }
  const model = sumOf((i) => grid.modelCaps[i]);
  if (model < lots) {
    if (plan.impact.model === 'calibrated')
      return `volumeProfile: every period has 0 expected volume, and the calibrated model cannot trade in a period without volume; ${want}`;
    return plan.impact.model === 'book'
      ? `impact.ladders: the books hold at most ${shares(model)} shares in whole lots, ${want}`
      : `impact.curves: the curves end at ${shares(model)} shares in total (in whole lots), ${want}`;
  }
  const noMin = sumOf((i) => Math.min(grid.planCaps[i], grid.modelCaps[i]));
  if (noMin >= lots && grid.minLots > 1) {
    return `minOrderSize: periods whose cap is below ${fmtInt(plan.minOrderSize ?? 0)} shares cannot trade; the rest allow at most ${shares(capacity(grid))} shares, ${want}`;
  }
  const fields = [
    plan.maxPerPeriod !== undefined ? 'maxPerPeriod' : '',
    plan.maxParticipation !== undefined ? 'maxParticipation' : '',
    plan.impact.model === 'book'
      ? 'impact.ladders'
      : plan.impact.model === 'table'
        ? 'impact.curves'
        : plan.impact.model === 'calibrated' && grid.modelCaps.some((c) => c === 0)
          ? 'volumeProfile'
          : '',
    grid.minLots > 1 ? 'minOrderSize' : '',
  ]
    .filter(Boolean)
    .join(' + ');
  return `${fields}: together the caps allow at most ${shares(capacity(grid))} shares, ${want}`;
}
