/**
 * `replay PLAN.json BOOK.csv [--json] [--date YYYY-MM-DD] [--strict]`: solve a plan file, then
 * walk the optimum and every baseline through one day's real order book — each child order
 * walks the book in effect when its period starts — and print the planned beside the
 * replayed cost. The book is imported with the plan's session and period length. With a plan
 * made from other days this is an out-of-sample check; a plan that records its source (book
 * plans do) is labelled in-sample on one of its own days and refused on another symbol's day.
 * --recovery-half-life: liquidity a child order takes comes back with that half-life
 * (src-shared/replay.ts; default 0, the recorded book as it is).
 */
import { basename } from 'node:path';
import { clockMinutes } from '@shared/plan';
import { DEFAULT_TIME_LIMIT_MS, solvePlan } from '@shared/solver';
import { plannedSchedules, replaySchedule } from '@shared/replay';
import type { Replay } from '@shared/contract';
import { DEFAULT_SESSION } from '../book/service';
import { CliError, parseCommandArgs, readPlanFile, type Command } from './commands';
import { importReported, numberFlag } from './bookPlan';

const USAGE =
  'replay PLAN.json BOOK.csv [--json] [--date YYYY-MM-DD] [--strict] [--recovery-half-life SECONDS]';

export const replayCommand: Command = {
  name: 'replay',
  usage: USAGE,
  summary:
    'solve a plan and replay the optimum and the baselines against a day of real MBP-10 ' +
    'books (each child order walks the book in effect when it is sent); prints planned and ' +
    'replayed cost side by side (--json: the numbers as JSON), labelled in-sample on a day ' +
    'the plan was made from; refuses a plan made from another symbol. ' +
    '--recovery-half-life S: liquidity taken comes back with that half-life (default 0: the ' +
    'recorded book as it is). The import report goes to stderr',
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(replayCommand, argv, {
      json: { type: 'boolean' },
      date: { type: 'string' },
      strict: { type: 'boolean' },
      'recovery-half-life': { type: 'string' },
    });
    const halfLife = numberFlag('recovery-half-life', values['recovery-half-life']) ?? 0;
    if (halfLife < 0) {
      throw new CliError(`--recovery-half-life: must be 0 or more seconds (got ${halfLife})`);
    }
    if (positionals.length !== 2) {
      throw new CliError(
        `${positionals.length === 0 ? 'PLAN.json' : 'BOOK.csv'}: expected a plan file and an MBP-10 CSV file (usage: ${USAGE})`,
      );
    }
    const plan = readPlanFile(positionals[0]);
    const session = plan.session ?? DEFAULT_SESSION;
    const periodMinutes = (clockMinutes(session.end) - clockMinutes(session.start)) / plan.periods;
    const book = await importReported(
      positionals[1],
      { periodMinutes, session, date: values.date, sampling: 'start', strict: values.strict },
      io,
    );
    if (plan.source && plan.source.symbol !== book.symbol) {
      throw new CliError(
        `${basename(positionals[1])}: is ${book.symbol}, the plan was made from ${plan.source.symbol}: replay a plan on a day of its own symbol`,
      );
    }
    const result = solvePlan(plan, { timeLimitMs: DEFAULT_TIME_LIMIT_MS });
    const schedules = plannedSchedules(result);
    const day = {
      ladders: book.replayLadders[plan.side],
      mids: book.series.map((p) => p.mid),
      arrival: book.stats.arrival?.mid ?? null,
      periodSeconds: book.periodMinutes * 60,
    };
    const replay: Replay & {
      planned: number[];
      inSample: boolean | null;
      planDates: string[] | null;
      recoveryHalfLifeSeconds: number;
    } = {
      id: basename(positionals[1]),
      symbol: book.symbol,
      date: book.date,
      fileName: basename(positionals[1]),
      side: plan.side,
      periods: book.periods,
      arrivalMid: day.arrival,
      rows: schedules.map((s) =>
        replaySchedule(s.label, s.shares, day, plan.side, { recoveryHalfLifeSeconds: halfLife }),
      ),
      planned: schedules.map((s) => s.planned),
      // Null: the plan does not say what data it was made from.
      inSample: plan.source ? plan.source.dates.includes(book.date) : null,
      planDates: plan.source?.dates ?? null,
      recoveryHalfLifeSeconds: halfLife,
    };
    if (values.json) {
      io.stdout(JSON.stringify(replay, null, 2) + '\n');
      return 0;
    }
    io.stdout(replayTable(plan.name, replay));
    return 0;
  },
};

const money = (v: number) =>
  v.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** The replay as an aligned text table. */
export function replayTable(
  name: string,
  r: Replay & { planned: number[]; inSample?: boolean | null; recoveryHalfLifeSeconds?: number },
): string {
  const sample =
    r.inSample === true
      ? ' — IN-SAMPLE: the plan was made from this day'
      : r.inSample === false
        ? ' — out of sample'
        : '';
  const recovery = r.recoveryHalfLifeSeconds
    ? `, book recovery half-life ${r.recoveryHalfLifeSeconds} s`
    : '';
  const head = `Replay of "${name}" on ${r.symbol} ${r.date} (${r.fileName}), ${r.side}, ${r.periods} periods${r.arrivalMid === null ? '' : `, arrival mid ${r.arrivalMid}`}${recovery}${sample}\n`;
  const rows = [
    ['schedule', 'planned $', 'replayed $', 'difference', 'shortfall $', 'beyond book', 'no book'],
    ...r.rows.map((row, i) => {
      const planned = r.planned[i];
      const diff =
        planned > 0 ? `${(((row.impactCost - planned) / planned) * 100).toFixed(1)}%` : '—';
      return [
        row.label,
        money(planned),
        money(row.impactCost),
        diff.startsWith('-') ? diff : `+${diff}`.replace('+—', '—'),
        row.shortfall === null ? '—' : money(row.shortfall),
        String(Math.round(row.beyondBook)),
        String(Math.round(row.noBook)),
      ];
    }),
  ];
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  const lines = rows.map((row) =>
    row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  '),
  );
  return head + lines.join('\n') + '\n';
}
