/**
 * `replay`: the identity check (a day of another symbol than the plan's is refused, by the
 * plan's source or else its own symbol, unless --allow-other-symbol), the POV baseline and the
 * TCA table (implementation shortfall against the arrival mid in $ and bps).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticDay, writeMbp10File } from '../../test/fixtures/mbp10';
import { runCli } from './commands';
import { replayCommand, type CliReplay } from './replay';

const dir = mkdtempSync(join(tmpdir(), 'op-cli-replay-'));
const book = join(dir, 'ACME-20250403.csv');
const plan = (over: Record<string, unknown> = {}) => ({
  name: 'Replay test',
  symbol: 'ACME',
  side: 'buy',
  shares: 3000,
  lotSize: 100,
  periods: 6,
  session: { start: '09:30', end: '10:00', timeZone: 'America/New_York' },
  impact: { model: 'linear', beta: 0.0001 },
  ...over,
});
function planFile(name: string, over: Record<string, unknown> = {}): string {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(plan(over)));
  return file;
}

beforeAll(async () => {
  await writeMbp10File(
    book,
    syntheticDay({
      fromMs: Date.parse('2025-04-03T13:20:00Z'),
      toMs: Date.parse('2025-04-03T14:00:00Z'),
      rows: 3000,
      seed: 7,
      tradeProbability: 0.5,
    }),
    { symbol: 'ACME' },
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const status = await runCli(['replay', ...argv], [replayCommand], {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
  });
  return { status, stdout, stderr };
}

describe('cli replay identity', () => {
  it('refuses a typed plan of another symbol (no source): exit 2, one error line naming both', async () => {
    const r = await run(planFile('frog.json', { symbol: 'FROG' }), book);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    const errors = r.stderr.split('\n').filter((l) => l.startsWith('error:'));
    expect(errors).toEqual([
      "error: ACME-20250403.csv: is ACME, the plan is of FROG: replay a plan on a day of its own symbol (--allow-other-symbol to replay it anyway, as another symbol's day)",
    ]);
  });

  it('refuses a plan made from another symbol’s data whatever its own symbol says', async () => {
    const r = await run(
      planFile('src.json', { source: { symbol: 'FROG', dates: ['2025-04-02'] } }),
      book,
    );
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      /^error: ACME-20250403\.csv: is ACME, the plan is of FROG \(made from its data\)/m,
    );
  });

  it('takes the symbols without case', async () => {
    const r = await run(planFile('lower.json', { symbol: 'acme' }), book);
    expect(r.status, r.stderr).toBe(0);
  });

  it('with --allow-other-symbol replays, labelled as another symbol’s day, not out-of-sample', async () => {
    const file = planFile('frog2.json', {
      symbol: 'FROG',
      source: { symbol: 'FROG', dates: ['2025-04-02'] },
    });
    const r = await run(file, book, '--allow-other-symbol');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(
      /ANOTHER SYMBOL'S DAY: the plan is of FROG, not an out-of-sample check$/,
    );
    expect(r.stdout).not.toMatch(/out of sample$/m);
    const json = JSON.parse(
      (await run(file, book, '--allow-other-symbol', '--json')).stdout,
    ) as CliReplay;
    expect(json.otherSymbol).toBe('FROG');
    expect(json.inSample).toBeNull();
  });
});

describe('cli replay TCA', () => {
  it('adds a POV row and prints the shortfall in $ and bps of the arrival value', async () => {
    const file = planFile('tca.json');
    const r = await run(file, book, '--json');
    expect(r.status, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout) as CliReplay;
    // No volume profile in the plan: the rate is taken on the day's own volume.
    expect(json.pov).toMatchObject({ basis: 'day' });
    const pov = json.rows.at(-1)!;
    expect(pov.label).toMatch(/^POV \d/);
    expect(pov.shares).toBe(3000);
    expect(json.planned.at(-1)).toBeNull();
    expect(json.tca.map((t) => t.label)).toEqual(json.rows.map((row) => row.label));
    expect(json.arrivalMid).not.toBeNull();
    json.rows.forEach((row, i) => {
      const t = json.tca[i];
      const value = json.arrivalMid! * (row.shares - row.noBook);
      expect(t.shortfall).toBe(row.shortfall);
      expect(t.shortfallBps!).toBeCloseTo((row.shortfall! / value) * 1e4, 9);
      expect(t.impactBps! + t.driftBps!).toBeCloseTo(t.shortfallBps!, 9);
    });
    const table = (await run(file, book)).stdout;
    expect(table).toMatch(
      /^TCA: implementation shortfall against the arrival mid [\d.]+ \(bps of arrival value of the shares priced\)$/m,
    );
    expect(table).toMatch(/^schedule\s+shortfall \$\s+shortfall bps\s+impact bps\s+drift bps$/m);
    expect(table).toMatch(/^Optimal\s+-?[\d,.]+\s+-?\d+\.\d\d\s+-?\d+\.\d\d\s+-?\d+\.\d\d$/m);
    expect(table).toMatch(/^POV [\d.]+%\s+—\s+[\d,.]+/m);
    expect(table).toMatch(/of each period's traded volume = 3,000 shares ÷ [\d,]+ expected/);
  });

  it('takes the POV rate on the plan’s volume profile when it has one', async () => {
    const file = planFile('profile.json', {
      volumeProfile: [10000, 10000, 10000, 10000, 10000, 10000],
    });
    const json = JSON.parse((await run(file, book, '--json')).stdout) as CliReplay;
    expect(json.pov).toMatchObject({
      basis: 'plan',
      rate: 0.05,
      expectedVolume: 60000,
      label: 'POV 5%',
    });
  });
});
