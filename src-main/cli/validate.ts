/**
 * `validate DAY.csv DAY.csv... --shares S --side buy|sell [--lot Q] [--model calibrated|book|power]
 *  [--mode leave-one-out|walk-forward] [--recovery-half-life SECONDS] [--json] [import flags]`
 *
 * Out-of-sample validation of the plans book-plan makes (src-shared/validation.ts): for each
 * day, plan from the other days (or, walk-forward, from the days before it) with book-plan's
 * own import and plan building, then replay the optimum and every baseline on the day left
 * out. Prints per-day rows, the aggregate with the 95% interval of the saving against TWAP
 * and VWAP, the bias (realised / planned) and the in-sample reference; --json: the report.
 */
import { basename } from 'node:path';
import { contractInputs } from '@shared/contract';
import { buildBookPlan } from '@shared/book';
import {
  VALIDATION_MODES,
  validatePlans,
  type CostFigures,
  type Interval,
  type ValidationDay,
  type ValidationMode,
  type ValidationReport,
  type ValidationSummary,
} from '@shared/validation';
import type { ImportFileResult } from '../book/mbp10';
import { CliError, parseCommandArgs, sharesFlag, type Command } from './commands';
import { VALIDATE_HELP } from './commandHelp';
import {
  IMPORT_FLAGS,
  bookPlanSource,
  flagIssue,
  importReported,
  numberFlag,
  sessionFlags,
} from './bookPlan';
import { RECOVERY_HALF_LIFE_OPTION, recoveryHalfLifeFlag } from './replay';

const USAGE = VALIDATE_HELP.usage;

const MODELS = ['book', 'power', 'calibrated'] as const;

export const validateCommand: Command = {
  ...VALIDATE_HELP,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(validateCommand, argv, {
      shares: { type: 'string' },
      side: { type: 'string' },
      lot: { type: 'string' },
      model: { type: 'string' },
      mode: { type: 'string' },
      ...RECOVERY_HALF_LIFE_OPTION,
      json: { type: 'boolean' },
      ...IMPORT_FLAGS,
    });
    if (positionals.length < 2) {
      throw new CliError(
        `DAY.csv: validation needs at least 2 days of one symbol (got ${positionals.length}; usage: ${USAGE})`,
      );
    }
    if (values.date !== undefined) {
      throw new CliError('--date: cannot be used with validate (each file is its own day)');
    }
    if (values.shares === undefined) throw new CliError('--shares: is required');
    if (values.side === undefined) throw new CliError('--side: is required (buy or sell)');
    const model = values.model ?? 'calibrated';
    if (!(MODELS as readonly string[]).includes(model)) {
      throw new CliError(`--model: must be one of ${MODELS.join(', ')} (got "${model}")`);
    }
    const mode = (values.mode ?? 'leave-one-out') as ValidationMode;
    if (!VALIDATION_MODES.includes(mode)) {
      throw new CliError(
        `--mode: must be one of ${VALIDATION_MODES.join(', ')} (got "${values.mode}")`,
      );
    }
    const halfLife = recoveryHalfLifeFlag(values['recovery-half-life']);
    const order = contractInputs.bookPlan.safeParse({
      id: 'cli',
      shares: sharesFlag('shares', values.shares),
      side: values.side,
      lotSize: numberFlag('lot', values.lot),
      model: model as (typeof MODELS)[number],
    });
    if (!order.success) throw new CliError(flagIssue(order.error.issues));
    const flags = {
      periodMinutes: numberFlag('period-minutes', values['period-minutes']),
      session: sessionFlags(values.session, values['time-zone']),
      sampling: values.sampling,
      strict: values.strict,
    };
    const names = positionals.map((f) => basename(f));
    const books: ImportFileResult[] = [];
    for (const file of positionals) books.push(await importReported(file, flags, io));
    const side = order.data.side;
    const days: ValidationDay<ImportFileResult>[] = books.map((b, i) => ({
      symbol: b.symbol,
      date: b.date,
      name: names[i],
      replay: {
        ladders: b.replayLadders[side],
        mids: b.series.map((p) => p.mid),
        arrival: b.stats.arrival?.mid ?? null,
        periodSeconds: b.periodMinutes * 60,
      },
      data: b,
    }));
    const report = await validatePlans(
      days,
      (train) =>
        buildBookPlan(
          bookPlanSource(
            train.map((d) => d.data),
            train.map((d) => d.name),
          ),
          order.data,
        ),
      { mode, recoveryHalfLifeSeconds: halfLife },
    );
    io.stdout(values.json ? JSON.stringify(report, null, 2) + '\n' : validationTable(report));
    return 0;
  },
};

const num = (v: number | null | undefined, digits = 2) =>
  v === null || v === undefined || !Number.isFinite(v)
    ? '—'
    : v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const bps = (c: CostFigures | null | undefined) => num(c?.bps);

function interval(i: Interval | null, digits = 2): string {
  if (!i) return '—';
  return i.low === null
    ? `${num(i.mean, digits)} (one day, no interval)`
    : `${num(i.mean, digits)} [${num(i.low, digits)}, ${num(i.high, digits)}]`;
}

function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) =>
    r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  '),
  );
}

function summaryLines(s: ValidationSummary): string[] {
  const rows = [
    [
      'schedule',
      'planned bps',
      'realised bps',
      'planned ¢/sh',
      'realised ¢/sh',
      'planned $',
      'realised $',
      'median bias',
    ],
    ...s.schedules.map((r) => [
      r.label,
      bps(r.planned),
      bps(r.realised),
      num(r.planned.centsPerShare, 3),
      num(r.realised.centsPerShare, 3),
      num(r.planned.dollars),
      num(r.realised.dollars),
      num(r.medianBias, 3),
    ]),
  ];
  const saving = (name: string, v: ValidationSummary['savingVsTwap']) =>
    v.dollars === null
      ? `saving vs ${name}: —`
      : `saving vs ${name}: ${interval(v.bps)} bps, ${interval(v.centsPerShare, 3)} ¢/share, $${interval(v.dollars)} (planned ${num(v.planned?.bps ?? null)} bps)`;
  return [...table(rows), saving('TWAP', s.savingVsTwap), saving('VWAP', s.savingVsVwap)];
}

/** The report as text: per-day rows, the out-of-sample aggregate, the in-sample reference. */
export function validationTable(r: ValidationReport): string {
  const out: string[] = [];
  out.push(
    `Validation of ${r.side ?? '?'} ${r.shares ?? '?'} shares of ${r.symbol} on ${r.folds.length + (r.mode === 'walk-forward' ? 1 : 0)} days, ${r.mode}${r.recoveryHalfLifeSeconds > 0 ? `, book recovery half-life ${r.recoveryHalfLifeSeconds} s` : ''}`,
  );
  out.push('');
  out.push('Out of sample (each day replayed with a plan that never saw it), costs in bps:');
  const rows = [
    [
      'day',
      'planned from',
      'optimal plan',
      'optimal real',
      'TWAP real',
      'VWAP real',
      'saving vs TWAP',
      'bias',
    ],
    ...r.folds.map((f) => {
      if (f.problem) return [f.date, datesText(f.planDates), `— ${f.problem}`, '', '', '', '', ''];
      const get = (k: string) => f.schedules.find((s) => s.key === k);
      const opt = get('optimal');
      return [
        f.date + (f.inSample ? ' (in-sample!)' : ''),
        datesText(f.planDates),
        bps(opt?.planned),
        bps(opt?.realised),
        bps(get('naive')?.realised),
        bps(get('vwap')?.realised),
        bps(f.savingVsTwap),
        num(opt?.bias ?? null, 3),
      ];
    }),
  ];
  out.push(...table(rows));
  out.push('');
  out.push(`Out of sample, ${r.summary.days} day(s), means with 95% t-intervals over days:`);
  out.push(...summaryLines(r.summary));
  out.push('');
  out.push('In sample (one plan from all days, replayed on each: optimistic), for comparison:');
  out.push(...summaryLines(r.inSample.summary));
  return out.join('\n') + '\n';
}

function datesText(dates: string[]): string {
  return dates.length <= 2 ? dates.join(', ') : `${dates.length} days`;
}
