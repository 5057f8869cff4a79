/**
 * Building a plan from an imported book: the reference price, the notes, the model (exact
 * book, fitted power law or calibrated) and the participation cap.
 */
import { PlannerError } from '../contract';
import { PlanSchema, clockMinutes, type Plan, type PlanInput } from '../plan';
import { fmtInt } from '../impact/format';
import { medianOf } from '../calibration/robust';
import { CalibrationError, calibrateSource, calibrationNote } from './calibrate';
import { fitLadders, interceptR2 } from './fit';
import {
  DEFAULT_MAX_PARTICIPATION,
  POOR_FIT_R2,
  type BookModel,
  type BookPlanOptions,
  type BookPlanSource,
} from './source';
import type { BookStats, Ladder } from './types';
import { midVolatility } from './volatility';
import { ladderDepth } from './walk';

/** Symbol usable in a plan (letters, digits, . - _ /; at most 16 characters). */
export function planSymbol(raw: string): string {
  const s = raw
    .trim()
    .replace(/[^A-Za-z0-9.\-_/]/g, '')
    .slice(0, 16);
  return s || 'BOOK';
}

/** The reference price of a plan from a book, and how it was chosen (for the notes). */
export function bookReferencePrice(
  src: Pick<BookPlanSource, 'series' | 'stats' | 'session' | 'periodMinutes'>,
  arrival?: string,
): { price: number; why: string } | null {
  if (arrival !== undefined) {
    const from = clockMinutes(src.session.start);
    const to = clockMinutes(src.session.end);
    const at = clockMinutes(arrival);
    if (at < from || at >= to) {
      throw new PlannerError(
        'invalid_input',
        `arrival: ${arrival} is outside the session ${src.session.start}–${src.session.end}`,
      );
    }
    const i = Math.floor((at - from) / src.periodMinutes + 1e-9);
    const mid = src.series[i]?.mid ?? null;
    if (mid === null || !(mid > 0)) {
      throw new PlannerError(
        'invalid_input',
        `arrival: there is no book at ${arrival} (period ${i + 1}) to take a mid price from`,
      );
    }
    return { price: mid, why: `the mid at ${src.series[i].start}` };
  }
  const a = src.stats?.arrival;
  if (a && a.mid > 0) return { price: a.mid, why: `the first mid of the session (${a.at})` };
  // Datasets imported before the statistics: the first period's mid is the nearest thing.
  const first = src.series.find((p) => p.mid !== null && p.mid > 0);
  return first ? { price: first.mid!, why: `the mid at ${first.start}` } : null;
}

/**
 * Build a plan from an imported book.
 * - Exact model: the side's ladders as they are (an empty ladder is a period with no book:
 *   cap 0).
 * - Fitted model: the pooled exponent α and the per-period β_t as β·profile_t (β the geometric
 *   mean); each period's cap is its visible (time-averaged) depth in whole lots, so the power
 *   law never plans more than the book showed; a pooled R² below POOR_FIT_R2 is said in the notes.
 * - Both: the reference price is the arrival mid (or the mid at `arrival`), the volume profile
 *   comes from the trades, σ and its intraday profile from the mids (risk-neutral λ = 0
 *   until the trader sets an urgency).
 * Throws PlannerError('infeasible') when the visible book cannot fill the order or no power
 * law can be fitted.
 */
/** ", continuous trading: the opening and closing prints of N shares apart" when known. */
function auctionNote(stats: BookStats | null | undefined): string {
  const a = stats?.openingAuction?.volume ?? 0;
  const b = stats?.closingAuction?.volume ?? 0;
  return a + b > 0
    ? `, continuous trading: the auction prints of ${fmtInt(a + b)} shares apart`
    : '';
}

export function buildBookPlan(src: BookPlanSource, opts: BookPlanOptions): Plan {
  if (opts.model === undefined && !opts.fit) {
    // The default: the calibrated model, or the exact book (said in the notes) when the
    // days cannot be calibrated (no traded volume, too few mids).
    try {
      return buildBookPlan(src, { ...opts, model: 'calibrated' });
    } catch (e) {
      if (!(e instanceof CalibrationError)) throw e;
      const plan = buildBookPlan(src, { ...opts, model: 'book' });
      const why = `The calibrated model is not possible (${e.message}); the exact book model is used.`;
      // After the notes' opening "From <file>, <date>" (what the replay reads the source from).
      return { ...plan, notes: `${plan.notes ?? ''} ${why}`.trim().slice(0, 10_000) };
    }
  }
  const model: BookModel = opts.model ?? (opts.fit ? 'power' : 'calibrated');
  const ladders = src.ladders[opts.side];
  const ladderSide = opts.side === 'buy' ? 'ask' : 'bid';
  const ref = bookReferencePrice(src, opts.arrival);
  const sigma = src.stats ? src.stats.sigma : midVolatility(src.series.map((p) => p.mid));
  const volumes = src.series.map((p) => p.volume ?? null);
  const dayVolume = volumes.every((v) => v !== null)
    ? volumes.reduce((a: number, v) => a + v!, 0)
    : null;
  const lotsPer = ladders.map((l) => lotsIn(l, opts.lotSize));
  const depth = lotsPer.reduce((a, b) => a + b, 0) * opts.lotSize;
  const notes: string[] = [
    `From ${src.fileName}, ${src.date}, ${ladderSide} side, ${src.periodMinutes}-minute periods, ${src.stats?.sampling === 'average' ? 'time-averaged books' : 'the book at each period start'}.`,
    emptyNote(ladders, src.stats),
    ref ? `Reference price ${ref.price}: ${ref.why}.` : '',
    dayVolume !== null && dayVolume > 0
      ? `Volume ${fmtInt(dayVolume)} shares in the session (${fmtInt(Math.round(src.stats?.trades ?? 0))} trades${auctionNote(src.stats)}); the order is ${((opts.shares / dayVolume) * 100).toPrecision(3)}% of it.`
      : '',
    sigma
      ? `Volatility σ = ${sigma.value.toPrecision(3)} per period: the standard deviation of ${sigma.changes} one-period mid changes, with an intraday profile from ±${sigma.window}-period windows.`
      : '',
  ];
  const base: Omit<PlanInput, 'impact'> = {
    name:
      opts.name?.trim() ||
      `${src.symbol} ${src.date} ${opts.side} ${model === 'power' ? '(fitted book)' : model === 'book' ? '(book)' : '(calibrated)'}`.slice(
        0,
        200,
      ),
    symbol: planSymbol(src.symbol),
    source: {
      symbol: src.symbol.slice(0, 50) || 'BOOK',
      dates: src.stats?.days?.map((d) => d.date) ?? [src.date],
    },
    side: opts.side,
    shares: opts.shares,
    lotSize: opts.lotSize,
    periods: src.periods,
    session: src.session,
    ...(ref ? { referencePrice: ref.price } : {}),
    ...(dayVolume !== null && dayVolume > 0 ? { volumeProfile: volumes as number[] } : {}),
    ...(sigma
      ? {
          risk: {
            volatility: sigma.value,
            ...('profile' in sigma && sigma.profile.length === src.periods
              ? { volatilityProfile: sigma.profile }
              : {}),
            aversion: 0,
          },
        }
      : {}),
  };
  if (depth < opts.shares) {
    throw new PlannerError(
      'infeasible',
      `the visible ${ladderSide} side holds only ${fmtInt(depth)} shares (in lots of ${fmtInt(opts.lotSize)}) over all ${src.periods} periods, less than the ${fmtInt(opts.shares)} asked for: plan fewer shares or a longer session`,
    );
  }
  let input: PlanInput;
  if (model === 'book') {
    input = { ...base, impact: { model: 'book', ladders } };
  } else if (model === 'calibrated') {
    const cal = calibrateSource(src, opts);
    const caps = lotsPer.map((lots, i) => (cal.volumeProfile[i] > 0 ? lots * opts.lotSize : 0));
    notes[notes.length - 1] = '';
    notes.push(calibrationNote(cal, opts.shares));
    input = {
      ...base,
      volumeProfile: cal.volumeProfile,
      risk: {
        volatility: Number(cal.sigmaPerPeriod.toPrecision(6)),
        volatilityProfile: cal.impact.volatilityProfile,
        aversion: 0,
      },
      // The permanent part ½·γ·σ·(S/V_day)·S is the model's own (impact/calibrated.ts): not a
      // plan.permanentImpact, which the calibrated model refuses.
      impact: cal.impact,
      maxPerPeriod: caps,
    };
  } else {
    // The spread is an intercept: g = ½s + β_t·x^α, fitted on the excess over ½s.
    const half =
      (medianOf(src.series.flatMap((p) => (p.spread === null ? [] : [p.spread]))) ?? 0) / 2;
    const intercept = half > 0 ? Number(half.toPrecision(6)) : 0;
    const fit = fitLadders(ladders, intercept);
    if (!fit.pooled) {
      throw new PlannerError(
        'infeasible',
        `cannot fit a power law to the ${ladderSide} side: no period has two or more price levels`,
      );
    }
    const { beta, exponent, r2 } = fit.pooled;
    if (!(exponent > 0) || exponent > 10 || !(beta > 0)) {
      throw new PlannerError(
        'infeasible',
        `the fitted power law of the ${ladderSide} side is unusable (exponent ${exponent.toPrecision(3)}, must be between 0 and 10)`,
      );
    }
    const profile = fit.betas.map((b) => (b !== null && b > 0 ? b / beta : 1));
    // The power law is trusted only as far as the book was seen: cap = visible depth.
    const caps = lotsPer.map((lots, i) =>
      fit.betas[i] !== null && fit.betas[i]! > 0 ? lots * opts.lotSize : 0,
    );
    const r2g = interceptR2(ladders, intercept, fit.betas, exponent);
    notes.push(
      intercept > 0
        ? `Fitted g = ½s + β·x^α with ½s = ${intercept} (the median half-spread), α = ${exponent.toPrecision(3)}, pooled R² = ${r2.toFixed(3)} (log scale), R² of g = ${r2g.toFixed(3)}${r2 < POOR_FIT_R2 ? ' — a poor fit: prefer the exact book model' : ''}; each period is capped at its visible depth.`
        : `Fitted g = β·x^α with α = ${exponent.toPrecision(3)}, pooled R² = ${r2.toFixed(3)}${r2 < POOR_FIT_R2 ? ' — a poor fit: prefer the exact book model' : ''}; each period is capped at its visible depth.`,
    );
    input = {
      ...base,
      impact: {
        model: 'power',
        beta,
        exponent,
        profile,
        intercept,
      },
      maxPerPeriod: caps,
    };
  }
  const cap = participationCap(input, opts);
  if (cap.value !== null) input.maxParticipation = cap.value;
  if (cap.note) notes.push(cap.note);
  input.notes = notes.filter(Boolean).join(' ').slice(0, 10_000);
  const parsed = PlanSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new PlannerError(
      'internal',
      `the plan built from the book is invalid: ${issue.path.join('.')}: ${issue.message}`,
    );
  }
  return parsed.data;
}

function emptyNote(ladders: Ladder[], stats: BookStats | null): string {
  const empty = ladders.flatMap((l, i) => (l.length === 0 ? [i + 1] : []));
  if (empty.length === 0) return '';
  const shown = empty.slice(0, 20).join(', ') + (empty.length > 20 ? ', …' : '');
  const gap = stats?.largestGap
    ? ` (largest gap ${stats.largestGap.from}–${stats.largestGap.to})`
    : '';
  return `No book in ${empty.length} period(s), capped at 0${gap}: ${shown}.`;
}

function lotsIn(ladder: Ladder, lot: number): number {
  return Math.floor(ladderDepth(ladder) / lot);
}

/**
 * The participation cap of a plan from data and what the notes say about it: the one asked
 * for, or the default when the caps it makes (with the plan's other caps, in whole lots) can
 * still fill the order.
 */
function participationCap(
  input: PlanInput,
  opts: Pick<BookPlanOptions, 'maxParticipation' | 'lotSize' | 'shares'>,
): { value: number | null; note: string } {
  const volume = input.volumeProfile;
  if (opts.maxParticipation === null || !volume) return { value: null, note: '' };
  const asked = opts.maxParticipation;
  const f = asked ?? DEFAULT_MAX_PARTICIPATION;
  const pct = `${Number((f * 100).toPrecision(6))}%`;
  if (asked !== undefined)
    return {
      value: f,
      note: `Each child order is capped at ${pct} of its period's expected volume.`,
    };
  const q = opts.lotSize;
  const other = input.maxPerPeriod;
  let room = 0;
  for (let i = 0; i < volume.length; i++) {
    let lots = Math.floor((f * volume[i]) / q + 1e-9);
    const cap = typeof other === 'number' ? other : other?.[i];
    if (cap !== undefined) lots = Math.min(lots, Math.floor(cap / q + 1e-9));
    room += lots * q;
  }
  if (room < opts.shares)
    return {
      value: null,
      note: `No participation cap: the default of ${pct} of each period's expected volume allows only ${fmtInt(room)} of the ${fmtInt(opts.shares)} shares.`,
    };
  return {
    value: f,
    note: `Each child order is capped at ${pct} of its period's expected volume (the default for plans made from data; change it in the plan's limits).`,
  };
}
