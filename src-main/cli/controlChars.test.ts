/**
 * Control characters in what the CLI prints: a plan name, a symbol or an order-book file name
 * with ESC sequences, BEL, backspace, DEL or a C1 CSI (U+009B) is shown escaped, never sent
 * raw to the terminal (or to a redirected CSV), by every command.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scheduleToCsv } from '@shared/csv';
import { parsePlan } from '@shared/plan';
import { solvePlan } from '@shared/solver';
import { syntheticDay, writeMbp10File } from '../../test/fixtures/mbp10';
import { BOOK_PLAN_USAGE, runBookPlan } from './bookPlan';
import { runCli, type Command } from './commands';
import { replayCommand } from './replay';
import { solveCommand } from './solve';

/** The CLI's commands as index.ts lists them (index.ts itself runs the CLI on import). */
const COMMAND_TABLE: Command[] = [
  solveCommand,
  { name: 'book-plan', usage: BOOK_PLAN_USAGE, summary: '', run: runBookPlan },
  replayCommand,
];

/** ESC ] (a title change) ended by BEL, backspace, DEL, a C1 CSI that clears the screen. */
const NASTY = '\u001b]0;owned\u0007\u0008\u007f\u009b2J\u001b[31m';
/** Any control character but the line feed (and the tab some tables use). */
const RAW_CONTROL = /[^\P{Cc}\n\t]/u;

const dir = mkdtempSync(join(tmpdir(), 'op-cli-cc-'));
const book = join(dir, `ACME${NASTY}.csv`);
const plan = {
  name: `Plan ${NASTY}`,
  symbol: 'ACME',
  side: 'buy',
  shares: 3000,
  lotSize: 100,
  periods: 6,
  session: { start: '09:30', end: '10:00', timeZone: 'America/New_York' },
  impact: { model: 'linear', beta: 0.0001 },
};
const planFile = join(dir, 'plan.json');

beforeAll(async () => {
  writeFileSync(planFile, JSON.stringify(plan));
  await writeMbp10File(
    book,
    syntheticDay({
      fromMs: Date.parse('2025-04-03T13:20:00Z'),
      toMs: Date.parse('2025-04-03T14:00:00Z'),
      rows: 500,
    }),
    { symbol: 'ACME' },
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const status = await runCli(argv, COMMAND_TABLE, {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
  });
  return { status, stdout, stderr };
}

describe('cli output control characters', () => {
  it('cli-output-control-characters: solve --csv escapes a plan name with ESC, BEL, BS, DEL and CSI', async () => {
    const r = await run('solve', planFile, '--csv', '--date', '2025-04-03');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(RAW_CONTROL);
    expect(r.stdout).toContain(
      '# plan: Plan \\u001b]0;owned\\u0007\\u0008\\u007f\\u009b2J\\u001b[31m\n',
    );
  });

  it('cli-output-control-characters: replay escapes the plan name and the book file name', async () => {
    const r = await run('replay', planFile, book);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Replay of "Plan \\u001b\]0;owned\\u0007/);
    expect(r.stdout).toContain(
      '(ACME\\u001b]0;owned\\u0007\\u0008\\u007f\\u009b2J\\u001b[31m.csv)',
    );
    expect(r.stdout).not.toMatch(RAW_CONTROL);
    expect(r.stderr).not.toMatch(RAW_CONTROL);
    const json = await run('replay', planFile, book, '--json');
    expect(json.stdout).not.toMatch(RAW_CONTROL);
    expect(JSON.parse(json.stdout)).toMatchObject({ fileName: `ACME${NASTY}.csv` });
  });

  it('cli-output-control-characters: book-plan escapes the file name in its report and plan', async () => {
    const r = await run(
      'book-plan',
      book,
      '--shares',
      '300',
      '--side',
      'buy',
      '--session',
      '09:30-10:00',
      '--period-minutes',
      '5',
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain('ACME\\u001b]0;owned');
    expect(r.stderr).not.toMatch(RAW_CONTROL);
    expect(r.stdout).not.toMatch(RAW_CONTROL);
  });

  it("csv-control-characters: the schedule CSV (the app's export too) escapes the plan name", () => {
    const parsed = parsePlan(plan);
    if (!parsed.ok) throw new Error(parsed.errors.join('; '));
    const csv = scheduleToCsv(solvePlan(parsed.value), {
      plan: parsed.value,
      date: '2025-04-03',
      newline: '\r\n',
    });
    expect(csv.replaceAll('\r\n', '\n')).not.toMatch(RAW_CONTROL);
    expect(csv).toContain('# plan: Plan \\u001b]0;owned\\u0007');
  });
});
