/**
 * `cli -- book-plan FILE --shares S --side buy|sell [--lot Q] [--period-minutes 1]
 *  [--session 09:30-16:00] [--time-zone America/New_York] [--date YYYY-MM-DD] [--fit]
 *  [--name NAME]`
 *
 * Imports a Databento MBP-10 CSV file (without the database) and prints a plan JSON that
 * `cli -- solve` accepts: the exact `book` model (N = number of periods), or with --fit the
 * fitted power law (β·profile from the per-period fits, pooled α). Errors: exit code 2 and
 * one `error: …` line on stderr naming the problem.
 */
import { basename } from 'node:path';
import { contractInputs } from '@shared/contract';
import { buildBookPlan } from '@shared/book';
import { SessionSchema, formatPath } from '@shared/plan';
import { importMbp10File } from '../book/mbp10';
import { DEFAULT_SESSION, planSourceOf } from '../book/service';
import { CliError, parseCommandArgs, reportError, type CliIo } from './commands';

export const BOOK_PLAN_USAGE =
  'book-plan FILE --shares S --side buy|sell [--lot Q] [--period-minutes 1] ' +
  '[--session 09:30-16:00] [--time-zone America/New_York] [--date YYYY-MM-DD] [--fit] [--name NAME]';

/** Run the command; returns the exit status (0 ok, 2 bad input or file, 1 a bug). */
export async function runBookPlan(argv: string[], io: CliIo): Promise<number> {
  try {
    const plan = await bookPlan(argv);
    io.stdout(JSON.stringify(plan) + '\n');
    return 0;
  } catch (e) {
    return reportError(e, io);
  }
}

async function bookPlan(argv: string[]) {
  const { values, positionals } = parseCommandArgs({ usage: BOOK_PLAN_USAGE }, argv, {
    shares: { type: 'string' },
    side: { type: 'string' },
    lot: { type: 'string' },
    'period-minutes': { type: 'string' },
    session: { type: 'string' },
    'time-zone': { type: 'string' },
    date: { type: 'string' },
    fit: { type: 'boolean' },
    name: { type: 'string' },
  });
  if (positionals.length !== 1) {
    throw new CliError(
      positionals.length === 0
        ? `FILE: the MBP-10 CSV file is required (usage: ${BOOK_PLAN_USAGE})`
        : `FILE: expected one file, got ${positionals.length}`,
    );
  }
  const file = positionals[0];
  const number = (flag: string, raw: string | undefined): number | undefined => {
    if (raw === undefined) return undefined;
    const v = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(v))
      throw new CliError(`--${flag}: must be a number (got "${raw}")`);
    return v;
  };
  if (values.shares === undefined) throw new CliError('--shares: is required');
  if (values.side === undefined) throw new CliError('--side: is required (buy or sell)');

  const planInput = contractInputs.bookPlan.safeParse({
    id: 'cli',
    shares: number('shares', values.shares),
    side: values.side,
    lotSize: number('lot', values.lot),
    fit: values.fit ?? false,
    name: values.name,
  });
  if (!planInput.success) throw new CliError(flagIssue(planInput.error.issues));

  let session = DEFAULT_SESSION;
  if (values.session !== undefined || values['time-zone'] !== undefined) {
    const clock = values.session ?? `${DEFAULT_SESSION.start}-${DEFAULT_SESSION.end}`;
    const m = /^\s*(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})\s*$/.exec(clock);
    if (!m)
      throw new CliError(`--session: must be HH:MM-HH:MM such as 09:30-16:00 (got "${clock}")`);
    const r = SessionSchema.safeParse({
      start: m[1].padStart(5, '0'),
      end: m[2].padStart(5, '0'),
      timeZone: values['time-zone'] ?? DEFAULT_SESSION.timeZone,
    });
    if (!r.success) throw new CliError(flagIssue(r.error.issues, 'session'));
    session = r.data;
  }
  const opts = contractInputs.importBook.safeParse({
    periodMinutes: number('period-minutes', values['period-minutes']),
    date: values.date,
  });
  if (!opts.success) throw new CliError(flagIssue(opts.error.issues));

  const book = await importMbp10File(file, {
    periodMinutes: opts.data.periodMinutes,
    session,
    date: opts.data.date,
    fileName: basename(file),
  });
  return buildBookPlan(planSourceOf(book, basename(file)), planInput.data);
}

const FLAGS: Record<string, string> = {
  shares: '--shares',
  side: '--side',
  lotSize: '--lot',
  periodMinutes: '--period-minutes',
  date: '--date',
  name: '--name',
  start: '--session',
  end: '--session',
  timeZone: '--time-zone',
};

function flagIssue(issues: { path: PropertyKey[]; message: string }[], fallback = 'input'): string {
  const i = issues[0];
  const key = String(i.path[i.path.length - 1] ?? '');
  const flag = FLAGS[key] ?? (i.path.length ? formatPath(i.path) : `--${fallback}`);
  return `${flag}: ${i.message}`;
}
