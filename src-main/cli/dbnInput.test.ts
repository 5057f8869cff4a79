/**
 * DBN wherever a CSV is accepted: the same synthetic day as CSV, as .dbn and as .dbn.zst gives
 * the same plan file, the same import report and the same replay (the readers feed one
 * pipeline); bad DBN files exit 2 with one error line naming the file.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zstdCompressSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticDay, writeMbp10File } from '../../test/fixtures/mbp10';
import { writeMbp10DbnFile } from '../../test/fixtures/mbp10Dbn';
import { runBookPlan, BOOK_PLAN_USAGE } from './bookPlan';
import { runCli, type Command } from './commands';
import { replayCommand } from './replay';
import { validateCommand } from './validate';

const dir = mkdtempSync(join(tmpdir(), 'op-cli-dbn-'));
const csv = join(dir, 'ACME-20250403.csv');
const dbn = join(dir, 'ACME-20250403.dbn');
const zst = join(dir, 'ACME-20250403.dbn.zst');
const v1 = join(dir, 'ACME-20250403.v1.dbn');
/** A DBN file named like a CSV: told by its content. */
const disguised = join(dir, 'ACME-20250403-dbn.csv');
const day = () =>
  syntheticDay({
    fromMs: Date.parse('2025-04-03T13:20:00Z'),
    toMs: Date.parse('2025-04-03T14:00:00Z'),
    rows: 3000,
    seed: 7,
    tradeProbability: 0.5,
  });
const csv2 = join(dir, 'ACME-20250404.csv');
const zst2 = join(dir, 'ACME-20250404.dbn.zst');
const day2 = () =>
  syntheticDay({
    fromMs: Date.parse('2025-04-04T13:20:00Z'),
    toMs: Date.parse('2025-04-04T14:00:00Z'),
    rows: 3000,
    seed: 8,
    tradeProbability: 0.5,
  });
const planPath = join(dir, 'plan.json');

const commands: Command[] = [
  { name: 'book-plan', usage: BOOK_PLAN_USAGE, summary: '', run: runBookPlan },
  replayCommand,
  validateCommand,
];

async function cli(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const status = await runCli(argv, commands, {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
  });
  return {
    status,
    stdout,
    stderr,
    errors: stderr.split('\n').filter((l) => l.startsWith('error:')),
  };
}

const planFlags = [
  '--shares',
  '5000',
  '--side',
  'buy',
  '--session',
  '09:30-10:00',
  '--period-minutes',
  '5',
];

beforeAll(async () => {
  await writeMbp10File(csv, day(), { symbol: 'ACME' });
  await writeMbp10DbnFile(dbn, day(), { symbol: 'ACME' });
  await writeMbp10DbnFile(zst, day(), { symbol: 'ACME', zstd: true });
  await writeMbp10DbnFile(v1, day(), { symbol: 'ACME', version: 1 });
  await writeMbp10File(csv2, day2(), { symbol: 'ACME' });
  await writeMbp10DbnFile(zst2, day2(), { symbol: 'ACME', zstd: true });
  copyFileSync(dbn, disguised);
  const made = await cli('book-plan', csv, ...planFlags);
  expect(made.errors).toEqual([]);
  writeFileSync(planPath, made.stdout);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The output with the file's own name replaced, so only the data can differ. */
const named = (text: string, file: string) =>
  text.split(file.replace(/^.*\//, '')).join('BOOK').split(file).join('BOOK');

describe('DBN input through the CSV pipeline', () => {
  it.each([
    ['.dbn', dbn],
    ['.dbn.zst', zst],
    ['DBN version 1', v1],
    ['a DBN file named .csv', disguised],
  ])('book-plan: %s gives the same plan file and import report as the CSV', async (_, file) => {
    const fromCsv = await cli('book-plan', csv, ...planFlags);
    const fromDbn = await cli('book-plan', file, ...planFlags);
    expect(fromCsv.status).toBe(0);
    expect(fromDbn.status).toBe(0);
    expect(fromDbn.stdout.length).toBeGreaterThan(1000);
    expect(named(fromDbn.stdout, file)).toBe(named(fromCsv.stdout, csv));
    expect(named(fromDbn.stderr, file)).toBe(named(fromCsv.stderr, csv));
    expect(fromDbn.stderr).toContain(': ACME 2025-04-03, 4,536 rows, 4,536 usable;');
  });

  it.each([
    ['.dbn', dbn],
    ['.dbn.zst', zst],
  ])('replay --json: %s gives the same replay as the CSV', async (_, file) => {
    const fromCsv = await cli('replay', planPath, csv, '--json');
    const fromDbn = await cli('replay', planPath, file, '--json');
    expect(fromCsv.status).toBe(0);
    expect(fromDbn.status).toBe(0);
    expect(JSON.parse(fromDbn.stdout)).toBeTruthy();
    expect(named(fromDbn.stdout, file)).toBe(named(fromCsv.stdout, csv));
  });

  it('validate: a second day as .dbn.zst gives the same validation as the CSV', async () => {
    const fromCsv = await cli('validate', csv, csv2, ...planFlags, '--json');
    const fromDbn = await cli('validate', csv, zst2, ...planFlags, '--json');
    expect(fromCsv.errors).toEqual([]);
    expect(fromCsv.status).toBe(0);
    expect(fromDbn.status).toBe(0);
    expect(fromDbn.stdout.length).toBeGreaterThan(100);
    expect(named(fromDbn.stdout, zst2)).toBe(named(fromCsv.stdout, csv2));
  });
});

describe('bad DBN files: exit 2, one error line naming the file', () => {
  const cases: [string, string, () => Buffer, RegExp][] = [
    [
      'a truncated .dbn.zst',
      'cut.dbn.zst',
      () => {
        const whole = readFileSync(zst);
        return whole.subarray(0, Math.floor(whole.length / 2));
      },
      /^error: cut\.dbn\.zst: .*cut off/,
    ],
    [
      'random bytes named .dbn',
      'noise.dbn',
      () => Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 251)),
      /^error: noise\.dbn: not a DBN file/,
    ],
    [
      'the trades DBN',
      'test_data.trades.v3.dbn.zst',
      () => readFileSync(join(__dirname, '../../test/fixtures/dbn/test_data.trades.v3.dbn.zst')),
      /^error: test_data\.trades\.v3\.dbn\.zst: a DBN file of schema trades/,
    ],
    [
      'a version-4 header',
      'future.dbn',
      () => {
        const b = Buffer.from(readFileSync(dbn).subarray(0, 4096));
        b[3] = 4;
        return b;
      },
      /^error: future\.dbn: DBN version 4 is newer than this app reads/,
    ],
  ];
  it.each(cases)('%s', async (_, name, bytes, message) => {
    const file = join(dir, name);
    writeFileSync(file, bytes());
    for (const argv of [
      ['book-plan', file, ...planFlags],
      ['replay', planPath, file],
    ]) {
      const r = await cli(...argv);
      expect(r.status).toBe(2);
      expect(r.errors).toHaveLength(1);
      expect(r.errors[0]).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.stdout).toBe('');
    }
  });

  it('a zstd file that is not DBN inside is refused as compressed', async () => {
    const file = join(dir, 'day.csv.zst');
    writeFileSync(file, zstdCompressSync(readFileSync(csv).subarray(0, 20000)));
    const r = await cli('book-plan', file, ...planFlags);
    expect(r.status).toBe(2);
    expect(r.errors).toEqual([expect.stringMatching(/zstd-compressed and not DBN inside/)]);
  });
});
