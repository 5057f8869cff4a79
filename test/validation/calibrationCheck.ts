/**
 * Out-of-sample check of the calibrated cost model on the real FROG sample:
 *
 *   npx tsx --tsconfig tsconfig.node.json test/validation/calibrationCheck.ts [--window 30]
 *     [--from 14:00] [--shares 100,500,2000] [--side buy,sell] [--model calibrated|book|power]
 *     [--verbose]
 *
 * or `npm run bench -- calibration` (both sides, windows from 10:00 New York and again from
 * the open). The session is cut into clock windows posing as days (frogDays.ts). For each
 * window held out, a plan is built from the others (book-plan's model over those days, the
 * held-out window never seen), solved, and its optimum (the recommended plan) and TWAP are
 * replayed on the held-out window's real books (each child order walks the book in effect
 * when its period starts). Per side and order size: the median realised/planned cost of the
 * optimum, the total realised cost of the optimum against TWAP, and the saving claimed
 * against the saving realised. The planned cost is the temporary part (spread and impact):
 * the permanent term is the same for every schedule and a replay on recorded books cannot
 * see it. Prints figures; asserts nothing. Says so and exits 2 when the data folder is absent.
 */
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { averageDays, buildBookPlan, type BookModel, type BookPlanSource } from '@shared/book';
import { calibratedScheduleCost, type CalibratedImpact } from '@shared/calibration';
import { replaySchedule } from '@shared/replay';
import { solvePlan } from '@shared/solver';
import { cutDays, FROG_MISSING, parseDay, readFrogCsv, type CutDay } from './frogDays';
import type { ParsedBook } from '../../src-main/book/mbp10';

type Side = 'buy' | 'sell';

export interface CheckOptions {
  windowMinutes: number;
  /** UTC clock where the first window starts (13:30: the open; 14:00: from 10:00 New York). */
  from: string;
  sides: Side[];
  shares: number[];
  model: BookModel;
  log?: (line: string) => void;
  verbose?: boolean;
}

export interface CheckRow {
  side: Side;
  shares: number;
  windows: number;
  /** Median over the held-out windows of realised / planned cost of the optimum. */
  medianRatio: number;
  minRatio: number;
  maxRatio: number;
  /** Realised totals over the windows ($). */
  realOpt: number;
  realTwap: number;
  /** 1 − realised optimum / realised TWAP (negative: the optimum cost more). */
  realSaving: number;
  /** 1 − planned optimum / planned TWAP. */
  claimedSaving: number;
  /** |claimed − realised| in percentage points, on the totals and the per-window median. */
  gapPp: number;
  medianWindowGapPp: number;
  /** Shares the replay found beyond the book or without one. */
  beyond: number;
}

export interface CheckWindows {
  cut: CutDay[];
  books: ParsedBook[];
}

/** Cut and parse the windows once (both sides and every size reuse them). */
export function checkWindows(csv: string, windowMinutes: number, from: string): CheckWindows {
  const cut = cutDays(csv, { windowMinutes, utcStart: from });
  return { cut, books: cut.map((d) => parseDay(d, 1)) };
}

const median = (v: number[]) => {
  const s = [...v].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
};

/** The plan built from every window but `held`, as book-plan builds it from several days. */
function planWithout(
  books: ParsedBook[],
  held: number,
  side: Side,
  shares: number,
  model: BookModel,
) {
  const train = books.filter((_, i) => i !== held);
  const avg = averageDays(
    train.map((b, i) => ({
      id: String(i),
      date: b.date,
      fileName: `window ${i}`,
      series: b.series,
      ladders: b.ladders,
      stats: b.stats,
    })),
  );
  const last = train[train.length - 1];
  const src: BookPlanSource = {
    symbol: 'FROG',
    date: last.date,
    fileName: `${train.length} windows`,
    periods: last.periods,
    periodMinutes: last.periodMinutes,
    session: last.session,
    series: avg.series,
    ladders: avg.ladders,
    stats: avg.stats,
    days: train.map((b) => ({
      date: b.date,
      series: b.series,
      ladders: b.replayLadders,
      stats: b.stats,
    })),
  };
  return buildBookPlan(src, { shares, side, lotSize: 1, fit: false, model });
}

export function runCalibrationCheck(w: CheckWindows, opts: CheckOptions): CheckRow[] {
  const log = opts.log ?? (() => {});
  const out: CheckRow[] = [];
  for (const side of opts.sides) {
    for (const shares of opts.shares) {
      const rows: {
        ratio: number;
        realOpt: number;
        realTwap: number;
        planOpt: number;
        planTwap: number;
      }[] = [];
      let beyond = 0;
      for (let held = 0; held < w.books.length; held++) {
        const plan = planWithout(w.books, held, side, shares, opts.model);
        const result = solvePlan(plan);
        const opt = result.schedule.map((r) => r.shares);
        const twap = result.baselines.naive?.shares ?? [];
        let planOpt = result.totalCost;
        let planTwap = result.baselines.naive?.totalCost ?? NaN;
        if (plan.impact.model === 'calibrated') {
          // The temporary part only (the permanent term is the same for both schedules).
          const im = plan.impact as CalibratedImpact;
          planOpt = calibratedScheduleCost(im, plan.volumeProfile!, opt);
          planTwap = calibratedScheduleCost(im, plan.volumeProfile!, twap);
        }
        const hb = w.books[held];
        const day = {
          ladders: hb.replayLadders[side],
          mids: hb.stats.startMids ?? hb.series.map((p) => p.mid),
          arrival: hb.stats.arrival?.mid ?? null,
        };
        const rOpt = replaySchedule('opt', opt, day, side);
        const rTwap = replaySchedule('twap', twap, day, side);
        beyond += rOpt.beyondBook + rOpt.noBook;
        if (opts.verbose) {
          log(
            `  ${side} ${shares} held out ${w.cut[held].window}: planned opt ${planOpt.toFixed(2)} twap ${planTwap.toFixed(2)}; realised opt ${rOpt.impactCost.toFixed(2)} twap ${rTwap.impactCost.toFixed(2)}`,
          );
        }
        rows.push({
          ratio: rOpt.impactCost / planOpt,
          realOpt: rOpt.impactCost,
          realTwap: rTwap.impactCost,
          planOpt,
          planTwap,
        });
      }
      const sum = (f: (r: (typeof rows)[0]) => number) => rows.reduce((a, r) => a + f(r), 0);
      const realSaving = 1 - sum((r) => r.realOpt) / sum((r) => r.realTwap);
      const claimedSaving = 1 - sum((r) => r.planOpt) / sum((r) => r.planTwap);
      const ratios = rows.map((r) => r.ratio);
      out.push({
        side,
        shares,
        windows: rows.length,
        medianRatio: median(ratios),
        minRatio: Math.min(...ratios),
        maxRatio: Math.max(...ratios),
        realOpt: sum((r) => r.realOpt),
        realTwap: sum((r) => r.realTwap),
        realSaving,
        claimedSaving,
        gapPp: Math.abs(claimedSaving - realSaving) * 100,
        medianWindowGapPp: median(
          rows.map(
            (r) => Math.abs(1 - r.planOpt / r.planTwap - (1 - r.realOpt / r.realTwap)) * 100,
          ),
        ),
        beyond,
      });
    }
  }
  return out;
}

/** Targets: median realised/planned 0.8–1.25; the optimum at most 1% worse than TWAP
 *  realised; claimed and realised saving within 5 pp. */
export const TARGETS = { ratio: [0.8, 1.25], worseThanTwap: 0.01, gapPp: 5 } as const;

export function checkTable(rows: CheckRow[]): string[] {
  const pct = (v: number) => `${(v * 100).toFixed(2)}%`;
  const head = [
    'side',
    'shares',
    'win',
    'real/plan med (range)',
    'realised opt $',
    'realised TWAP $',
    'opt vs TWAP',
    'claimed',
    'gap pp (med/win)',
    'targets',
  ];
  const body = rows.map((r) => {
    const ok = [
      r.medianRatio >= TARGETS.ratio[0] && r.medianRatio <= TARGETS.ratio[1] ? '' : 'ratio',
      r.realSaving >= -TARGETS.worseThanTwap ? '' : 'vs TWAP',
      r.gapPp <= TARGETS.gapPp ? '' : 'gap',
    ].filter(Boolean);
    return [
      r.side,
      String(r.shares),
      String(r.windows),
      `${r.medianRatio.toFixed(3)} (${r.minRatio.toFixed(2)}–${r.maxRatio.toFixed(2)})`,
      r.realOpt.toFixed(2),
      r.realTwap.toFixed(2),
      `${r.realSaving >= 0 ? 'saves' : 'costs'} ${pct(Math.abs(r.realSaving))}`,
      pct(r.claimedSaving),
      `${r.gapPp.toFixed(2)} (${r.medianWindowGapPp.toFixed(2)})`,
      ok.length ? `missed: ${ok.join(', ')}` : 'met',
    ];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [line(head), ...body.map(line)];
}

function main() {
  const { values } = parseArgs({
    options: {
      window: { type: 'string', default: '30' },
      shares: { type: 'string', default: '100,500,2000' },
      side: { type: 'string', default: 'buy,sell' },
      model: { type: 'string', default: 'calibrated' },
      verbose: { type: 'boolean', default: false },
      from: { type: 'string', default: '14:00' },
    },
  });
  const csv = readFrogCsv();
  if (csv === null) {
    console.error(`${FROG_MISSING}: nothing checked`);
    process.exit(2);
  }
  const w = checkWindows(csv, Number(values.window), values.from);
  console.log(
    `${w.books.length} windows of ${values.window} min from ${values.from} UTC posing as days, 1-minute periods, model ${values.model}`,
  );
  const rows = runCalibrationCheck(w, {
    windowMinutes: Number(values.window),
    from: values.from,
    sides: values.side.split(',') as Side[],
    shares: values.shares.split(',').map(Number),
    model: values.model as BookModel,
    verbose: values.verbose,
    log: (l) => console.log(l),
  });
  for (const l of checkTable(rows)) console.log(l);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
