/**
 * `npm run bench -- calibration`: the out-of-sample check of the calibrated cost model on the
 * real FROG sample (test/validation/calibrationCheck.ts), buy and sell, 100 / 500 / 2,000
 * shares, 30-minute windows from 10:00 New York (the opening auction's window left out) and
 * again from the open. Prints the table per run; says "data missing" when ../shared/data
 * (beside the repository) does not hold the sample. Figures only: nothing asserts.
 */
import { FROG_MISSING, readFrogCsv } from '../validation/frogDays';
import {
  checkTable,
  checkWindows,
  runCalibrationCheck,
  TARGETS,
} from '../validation/calibrationCheck';
import type { BenchSection } from './index';

const RUNS = [
  { from: '14:00', label: 'windows from 10:00 New York (opening auction window excluded)' },
  { from: '13:30', label: 'windows from the open (09:30 New York, opening auction included)' },
] as const;

export const calibrationBench: BenchSection = {
  name: 'calibration',
  run() {
    const csv = readFrogCsv();
    if (csv === null) {
      console.log(FROG_MISSING);
      return;
    }
    console.log(
      `Targets: median realised/planned ${TARGETS.ratio[0]}–${TARGETS.ratio[1]}; optimum at most ${TARGETS.worseThanTwap * 100}% worse than TWAP (realised); claimed vs realised saving within ${TARGETS.gapPp} pp.`,
    );
    for (const run of RUNS) {
      const t0 = performance.now();
      const w = checkWindows(csv, 30, run.from);
      const rows = runCalibrationCheck(w, {
        windowMinutes: 30,
        from: run.from,
        sides: ['buy', 'sell'],
        shares: [100, 500, 2000],
        model: 'calibrated',
      });
      console.log(`\n${w.books.length} ${run.label}, 1-minute periods, leave one window out:`);
      for (const l of checkTable(rows)) console.log(l);
      console.log(`(${((performance.now() - t0) / 1000).toFixed(1)} s)`);
    }
  },
};
