/**
 * Out-of-sample check of the calibrated cost model on the real FROG sample:
 *
 *   npx tsx --tsconfig tsconfig.node.json test/validation/calibrationCheck.ts [--window 30]
 *     [--from 13:30] [--shares 100,500,2000] [--side buy] [--model calibrated|book|power] [--verbose]
 *
 * The session is cut into clock windows posing as days (frogDays.ts). For each window held
 * out, a plan is built from the others (book-plan's calibrated model over those days),
 * solved, and its optimum and TWAP are replayed on the held-out window's real books (each
 * child order walks the book in effect when its period starts). Prints, per order size, the
 * median realised/planned cost of the optimum, the total realised cost of the optimum
 * against TWAP, and the saving claimed against the saving realised. Prints figures; asserts
 * nothing. Says so and exits 2 when the data folder is absent.
 */
import { parseArgs } from 'node:util';
import { averageDays, buildBookPlan, calibrateSource, type BookPlanSource } from '@shared/book';
import { calibratedScheduleCost, type CalibratedImpact } from '@shared/calibration';
import { replaySchedule } from '@shared/replay';
import { solvePlan } from '@shared/solver';
import { cutDays, parseDay, readFrogCsv } from './frogDays';

const { values } = parseArgs({
  options: {
    window: { type: 'string', default: '30' },
    shares: { type: 'string', default: '100,500,2000' },
    side: { type: 'string', default: 'buy' },
    model: { type: 'string', default: 'calibrated' },
    verbose: { type: 'boolean', default: false },
    /** UTC clock where the first window starts (14:00 leaves out the opening half hour). */
    from: { type: 'string', default: '13:30' },
  },
});
const side = values.side === 'sell' ? 'sell' : 'buy';
const model = values.model as 'calibrated' | 'book' | 'power';

const csv = readFrogCsv();
if (csv === null) {
  console.error(
    'the FROG sample is not here (/work/shared/data/FROG_2025-04-03.zip): nothing checked',
  );
  process.exit(2);
}
const cut = cutDays(csv, { windowMinutes: Number(values.window), utcStart: values.from });
const books = cut.map((d) => parseDay(d, 1));
console.log(
  `${books.length} windows of ${values.window} min from ${values.from} UTC posing as days (${cut[0].date}…${cut[cut.length - 1].date}), 1-minute periods, ${side}, model ${model}`,
);

const median = (v: number[]) => {
  const s = [...v].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
};
const pct = (v: number) => `${(v * 100).toFixed(2)}%`;

for (const shares of values.shares.split(',').map(Number)) {
  const rows: {
    ratio: number;
    realOpt: number;
    realTwap: number;
    planOpt: number;
    planTwap: number;
  }[] = [];
  let beyond = 0;
  for (let held = 0; held < books.length; held++) {
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
      days: train.map((b) => ({ date: b.date, series: b.series, ladders: b.replayLadders })),
    };
    const plan = buildBookPlan(src, { shares, side, lotSize: 1, fit: false, model });
    const result = solvePlan(plan);
    const opt = result.schedule.map((r) => r.shares);
    const twap = result.baselines.naive?.shares ?? [];
    let planOpt = result.totalCost;
    let planTwap = result.baselines.naive?.totalCost ?? NaN;
    if (model === 'calibrated') {
      // The exact calibrated cost (the plan may hold it as a table).
      const cal = calibrateSource(src, { side, shares, lotSize: 1 });
      const im: CalibratedImpact = cal.impact;
      planOpt = calibratedScheduleCost(im, cal.volumeProfile, opt);
      planTwap = calibratedScheduleCost(im, cal.volumeProfile, twap);
    }
    const hb = books[held];
    const day = {
      ladders: hb.replayLadders[side],
      mids: hb.series.map((p) => p.mid),
      arrival: hb.stats.arrival?.mid ?? null,
    };
    const rOpt = replaySchedule('opt', opt, day, side);
    const rTwap = replaySchedule('twap', twap, day, side);
    beyond += rOpt.beyondBook + rOpt.noBook;
    if (values.verbose) {
      console.log(
        `  held out ${cut[held].window}: planned opt ${planOpt.toFixed(2)} twap ${planTwap.toFixed(2)}; realised opt ${rOpt.impactCost.toFixed(2)} twap ${rTwap.impactCost.toFixed(2)}; opt in periods ${opt
          .map((x, t) => (x > 0 ? `${t}:${x}` : ''))
          .filter(Boolean)
          .join(' ')}`,
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
  const claimed = 1 - sum((r) => r.planOpt) / sum((r) => r.planTwap);
  const perWindowGap = rows.map(
    (r) => Math.abs(1 - r.planOpt / r.planTwap - (1 - r.realOpt / r.realTwap)) * 100,
  );
  console.log(
    `\n${shares} shares: median realised/planned ${median(rows.map((r) => r.ratio)).toFixed(3)} ` +
      `(range ${Math.min(...rows.map((r) => r.ratio)).toFixed(3)}–${Math.max(...rows.map((r) => r.ratio)).toFixed(3)}); ` +
      `realised: optimum $${sum((r) => r.realOpt).toFixed(2)} vs TWAP $${sum((r) => r.realTwap).toFixed(2)} ` +
      `(optimum ${realSaving >= 0 ? 'saves' : 'costs'} ${pct(Math.abs(realSaving))}${realSaving >= 0 ? '' : ' more'}); ` +
      `claimed saving ${pct(claimed)} vs realised ${pct(realSaving)} (gap ${(Math.abs(claimed - realSaving) * 100).toFixed(2)} pp; per window median gap ${median(perWindowGap).toFixed(2)} pp); ` +
      `planned/ per-share optimum ${((sum((r) => r.planOpt) / shares / rows.length) * 100).toFixed(2)}¢, realised ${((sum((r) => r.realOpt) / shares / rows.length) * 100).toFixed(2)}¢; shares beyond or without a book ${beyond}`,
  );
}
