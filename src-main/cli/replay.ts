/**
 * `replay PLAN.json BOOK.csv [--json] [--date YYYY-MM-DD] [--strict]`: solve a plan file, then
 * walk the optimum, every baseline and a POV baseline through one day's real order book — each
 * child order walks the book in effect when its period starts — and print the planned beside
 * the replayed cost, then the TCA: implementation shortfall against the arrival mid in $ and
 * bps per schedule. The book is imported with the plan's session and period length. With a
 * plan made from other days this is an out-of-sample check; a plan that records its source
 * (book plans do) is labelled in-sample on one of its own days. A day of another symbol than
 * the plan's (its source's, else its own `symbol`) is refused unless --allow-other-symbol is
 * given, and then labelled as another symbol's day, never as out-of-sample.
 * --recovery-half-life: liquidity a child order takes comes back with that half-life
 * (src-shared/replay.ts; default 0, the recorded book as it is).
 */
import { basename } from 'node:path';
import { clockMinutes } from '@shared/plan';
import { DEFAULT_TIME_LIMIT_MS, solvePlan } from '@shared/solver';
import {
  otherSymbol,
  plannedSchedules,
  povBaseline,
  replaySchedule,
  tcaRows,
  type PovBaseline,
  type TcaRow,
} from '@shared/replay';
import type { Replay } from '@shared/contract';
import { DEFAULT_SESSION } from '../book/service';
import { CliError, parseCommandArgs, type Command } from './commands';
import { readPlanFile } from './planArgument';
import { REPLAY_HELP } from './commandHelp';
import { importReported, numberFlag } from './bookPlan';

const USAGE = REPLAY_HELP.usage;

/** The replay as `--json` prints it and the table reads it. */
export type CliReplay = Replay & {
  /** What the plan expected of each row (null: the POV baseline, which the plan does not have). */
  planned: (number | null)[];
  inSample: boolean | null;
  planDates: string[] | null;
  recoveryHalfLifeSeconds: number;
  /** The plan's symbol when the day is another symbol's (replayed with --allow-other-symbol). */
  otherSymbol: string | null;
  /** The POV baseline's rate and what it was taken on, or why there is none. */
  pov: Omit<Extract<PovBaseline, { ok: true }>, 'ok' | 'shares'> | { problem: string };
  /** Implementation shortfall against the arrival mid per row, $ and bps. */
  tca: TcaRow[];
};

/** The `--recovery-half-life SECONDS` option of replay and validate, for parseCommandArgs. */
export const RECOVERY_HALF_LIFE_OPTION = { 'recovery-half-life': { type: 'string' } } as const;

/** --recovery-half-life in seconds (absent: 0), or a CliError naming the flag. */
export function recoveryHalfLifeFlag(raw: string | undefined): number {
  const halfLife = numberFlag('recovery-half-life', raw) ?? 0;
  if (halfLife < 0) {
    throw new CliError(`--recovery-half-life: must be 0 or more seconds (got ${halfLife})`);
  }
  return halfLife;
}

export const replayCommand: Command = {
  ...REPLAY_HELP,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(replayCommand, argv, {
      json: { type: 'boolean' },
      date: { type: 'string' },
      strict: { type: 'boolean' },
      ...RECOVERY_HALF_LIFE_OPTION,
      'allow-other-symbol': { type: 'boolean' },
    });
    const halfLife = recoveryHalfLifeFlag(values['recovery-half-life']);
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
    const other = otherSymbol(plan, book.symbol);
    if (other !== null && !values['allow-other-symbol']) {
      throw new CliError(
        `${basename(positionals[1])}: is ${book.symbol}, the plan is of ${other}${plan.source ? ' (made from its data)' : ''}: replay a plan on a day of its own symbol (--allow-other-symbol to replay it anyway, as another symbol's day)`,
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
    const pov = povBaseline(
      plan,
      book.series.map((p) => p.volume),
    );
    const walked: { label: string; shares: number[]; planned: number | null }[] = pov.ok
      ? [...schedules, { label: pov.label, shares: pov.shares, planned: null }]
      : schedules;
    const rows = walked.map((s) =>
      replaySchedule(s.label, s.shares, day, plan.side, { recoveryHalfLifeSeconds: halfLife }),
    );
    const replay: CliReplay = {
      id: basename(positionals[1]),
      symbol: book.symbol,
      date: book.date,
      fileName: basename(positionals[1]),
      side: plan.side,
      periods: book.periods,
      arrivalMid: day.arrival,
      rows,
      planned: walked.map((s) => s.planned),
      // Null: the plan does not say what data it was made from, or the day is another symbol's.
      inSample: plan.source && other === null ? plan.source.dates.includes(book.date) : null,
      planDates: plan.source?.dates ?? null,
      recoveryHalfLifeSeconds: halfLife,
      otherSymbol: other,
      pov: pov.ok
        ? {
            label: pov.label,
            rate: pov.rate,
            expectedVolume: pov.expectedVolume,
            basis: pov.basis,
            lastPeriodRemainder: pov.lastPeriodRemainder,
          }
        : { problem: pov.problem },
      tca: tcaRows(rows, day.arrival),
    };
    if (values.json) {
      io.stdout(JSON.stringify(replay, null, 2) + '\n');
      return 0;
    }
    io.stdout(replayTable(plan.name, replay) + '\n' + tcaTable(replay));
    return 0;
  },
};

const money = (v: number) =>
  v.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** The replay as an aligned text table. */
export function replayTable(
  name: string,
  r: Replay & {
    planned: (number | null)[];
    inSample?: boolean | null;
    recoveryHalfLifeSeconds?: number;
    otherSymbol?: string | null;
  },
): string {
  const sample = r.otherSymbol
    ? ` — ANOTHER SYMBOL'S DAY: the plan is of ${r.otherSymbol}, not an out-of-sample check`
    : r.inSample === true
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
      const planned = r.planned[i] ?? null;
      const diff =
        planned !== null && planned > 0
          ? `${(((row.impactCost - planned) / planned) * 100).toFixed(1)}%`
          : '—';
      return [
        row.label,
        planned === null ? '—' : money(planned),
        money(row.impactCost),
        diff.startsWith('-') ? diff : `+${diff}`.replace('+—', '—'),
        row.shortfall === null ? '—' : money(row.shortfall),
        String(Math.round(row.beyondBook)),
        String(Math.round(row.noBook)),
      ];
    }),
  ];
  return head + alignRows(rows);
}

const bps = (v: number | null) => (v === null ? '—' : v.toFixed(2));

/**
 * The TCA as a text table: per schedule the implementation shortfall against the arrival mid
 * in $ and bps (of the arrival value of the shares priced), split into impact and drift; then
 * how the POV baseline was built.
 */
export function tcaTable(r: CliReplay): string {
  const head =
    r.arrivalMid === null
      ? 'TCA: no arrival mid on this day, so no implementation shortfall\n'
      : `TCA: implementation shortfall against the arrival mid ${r.arrivalMid} (bps of arrival value of the shares priced)\n`;
  const rows = [
    ['schedule', 'shortfall $', 'shortfall bps', 'impact bps', 'drift bps'],
    ...r.tca.map((t) => [
      t.label,
      t.shortfall === null ? '—' : money(t.shortfall),
      bps(t.shortfallBps),
      bps(t.impactBps),
      bps(t.driftBps),
    ]),
  ];
  const pov =
    'problem' in r.pov
      ? `POV: none: ${r.pov.problem}\n`
      : `${r.pov.label}: ${(r.pov.rate * 100).toPrecision(3)}% of each period's traded volume = ${(r.tca[0]?.shares ?? 0).toLocaleString('en-US')} shares ÷ ${Math.round(r.pov.expectedVolume).toLocaleString('en-US')} expected (${r.pov.basis === 'plan' ? "the plan's volume profile" : "the plan has no volume profile: this day's own volume"})${r.pov.lastPeriodRemainder > 0 ? `; ${r.pov.lastPeriodRemainder.toLocaleString('en-US')} more shares in the last period than its own rate × volume (a day quieter than expected)` : ''}\n`;
  return head + alignRows(rows) + pov;
}

/** Rows of cells as aligned text: the first column left, the others right. */
function alignRows(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  const lines = rows.map((row) =>
    row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  '),
  );
  return lines.join('\n') + '\n';
}
