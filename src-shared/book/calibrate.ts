/**
 * The calibrated cost model from a book source: its days turned into calibration days, the
 * error when they cannot be calibrated, and the model in a few words for the plan's notes.
 */
import { PlannerError } from '../contract';
import { fmtInt } from '../impact/format';
import { calibrate } from '../calibration/calibrate';
import { calibratedScheduleCost } from '../calibration/model';
import { medianOf } from '../calibration/robust';
import type { Calibration, CalibrationDay } from '../calibration/types';
import type { BookPlanOptions, BookPlanSource } from './source';

/**
 * Calibrate the cost model from the source's days (or the source as one day), for a side
 * and an order size. PlannerError('infeasible') naming what is missing when it cannot.
 */
export function calibrateSource(
  src: BookPlanSource,
  opts: Pick<BookPlanOptions, 'side' | 'shares' | 'lotSize'>,
): Calibration {
  const one = { date: src.date, series: src.series, ladders: src.ladders, stats: src.stats };
  const days = (src.days ?? [one]).map((d): CalibrationDay => {
    // Datasets imported before the start mids and the quoted spread: the period mid and the
    // sampled book's spread stand in.
    const startMids = d.stats?.startMids;
    const mids =
      startMids && startMids.length === d.series.length ? startMids : d.series.map((p) => p.mid);
    const known = d.stats?.openingAuction !== undefined || d.stats?.closingAuction !== undefined;
    return {
      date: d.date,
      mids,
      spreads: d.series.map((p) => (p.quotedSpread !== undefined ? p.quotedSpread : p.spread)),
      volumes: d.series.map((p) => p.volume ?? null),
      auctionVolume: known
        ? (d.stats?.openingAuction?.volume ?? 0) + (d.stats?.closingAuction?.volume ?? 0)
        : null,
      ladders: d.ladders[opts.side],
    };
  });
  try {
    return calibrate(days, {
      periodMinutes: src.periodMinutes,
      periods: src.periods,
      shares: opts.shares,
      lotSize: opts.lotSize,
    });
  } catch (e) {
    if (e instanceof PlannerError) throw e;
    throw new CalibrationError(
      `cannot calibrate the cost model from ${src.fileName}: ${(e as Error).message}; use the book or power model`,
    );
  }
}

/** The days cannot be calibrated (a PlannerError 'infeasible' naming what is missing). */
export class CalibrationError extends PlannerError {
  constructor(message: string) {
    super('infeasible', message);
  }
}

/** S shares over N periods as evenly as whole shares allow. */
function evenShares(shares: number, n: number): number[] {
  const base = Math.floor(shares / n);
  const extra = shares - base * n;
  return Array.from({ length: n }, (_, t) => base + (t < extra ? 1 : 0));
}

/** The calibrated model in a few words for the plan's notes. */
export function calibrationNote(cal: Calibration, shares: number): string {
  const im = cal.impact;
  const c = im.calibration!;
  const spreads = Array.isArray(im.spread) ? im.spread : [im.spread];
  const half = (medianOf(spreads) ?? 0) / 2;
  return (
    `Calibrated cost g_t(x) = ½·s_t + η·σ·p_t·(x/V_t)^β from ${c.days} day(s): ` +
    `σ = ${im.sigma.toPrecision(3)} a day (${c.sigmaEstimator}; variance ratio ${c.varianceRatio}), ` +
    `median half-spread ${half.toPrecision(3)}, η = ${im.eta!.toPrecision(3)} (${im.sources?.eta}), ` +
    `β = ${im.beta} (${im.sources?.beta}), fit R² = ${c.r2}; ` +
    `V_t, s_t and p_t are robust over the days, smoothed and shrunk toward the day-wide value. ` +
    `${fmtInt(shares)} shares at an even pace would cost about ${((calibratedScheduleCost(im, cal.volumeProfile, evenShares(shares, cal.volumeProfile.length)) / shares) * 100).toPrecision(3)}¢ a share.` +
    (c.notes?.length ? ' ' + c.notes.join(' ') : '')
  );
}
