/**
 * What the CLI does at start-up: `--help` builds no zod schema, the contract builds an input
 * schema only when it is read (and once), the plan module starts no ICU (Intl) for a plan in
 * a common time zone while accepting exactly what Intl accepts, and stdout written without
 * the stream still ends quietly on a closed pipe.
 */
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import type * as Zod from 'zod';

/** Zod schemas made through `z.<factory>(…)` since the test file started. */
const built = vi.hoisted(() => ({ count: 0 }));

vi.mock('zod', async (importOriginal) => {
  const actual = await importOriginal<typeof Zod>();
  const z = new Proxy(actual.z, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (typeof value !== 'function' || typeof key !== 'string' || !/^[a-z]/.test(key))
        return value;
      return (...args: unknown[]) => {
        built.count++;
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { ...actual, z };
});

const ROOT = resolve(import.meta.dirname, '../..');

describe('schemas built at start-up', () => {
  // First in the file: nothing else has loaded a schema module yet.
  it('help-builds-no-schema: the command table and --help build no zod schema', async () => {
    const { runCli } = await import('./commands');
    const { SOLVE_HELP } = await import('./commandHelp');
    let out = '';
    const status = await runCli(['--help'], [{ ...SOLVE_HELP, run: () => 0 }], {
      stdout: (t) => (out += t),
      stderr: () => {},
    });
    expect(status).toBe(0);
    expect(out).toContain('solve PLAN.json');
    expect(built.count).toBe(0);
  });

  it('result-schemas-on-first-use: loading result.ts, resultColumns.ts and book/types.ts builds no zod schema; each is built on its first use, once, and checks as before', async () => {
    const before = built.count;
    const result = await import('@shared/result');
    const columns = await import('@shared/resultColumns');
    const book = await import('@shared/book/types');
    expect(built.count).toBe(before);

    const { z } = await import('zod');
    expect(result.SolveResultSchema).toBeInstanceOf(z.ZodObject);
    const afterFirst = built.count;
    expect(afterFirst).toBeGreaterThan(before);
    expect(result.SolveResultSchema.shape.schedule).toBeInstanceOf(z.ZodArray);
    expect(built.count).toBe(afterFirst);
    const row = { period: 1, start: null, end: null, shares: 100, impactPerShare: 0.01 };
    const issues = (r: { error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
      r.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(
      issues(
        result.ScheduleRowSchema.safeParse({ ...row, shares: -1, cost: Infinity, costBps: null }),
      ),
    ).toEqual([
      'shares: Too small: expected number to be >=0',
      'cost: Invalid input: expected number, received Infinity',
    ]);
    expect(issues(result.WarningSchema.safeParse({ code: 'nope', message: 'x' }))?.[0]).toMatch(
      /^code: Invalid option/,
    );
    expect(issues(book.BookPeriodSchema.safeParse({ start: '09:30', mid: NaN }))).toEqual([
      'mid: Invalid input: expected number, received NaN',
      'spread: Invalid input: expected number, received undefined',
      'bidDepth: Invalid input: expected number, received undefined',
      'askDepth: Invalid input: expected number, received undefined',
    ]);
    expect(columns.ResultInputSchema).toBeInstanceOf(z.ZodUnion);
    expect(() => columns.columnsFromJson({ layout: 'columns' })).toThrow(/^result\./);
  });

  it('contract-builds-on-first-read: loading contract.ts builds none of its own schemas; an input schema is built when read, once', async () => {
    // What contract.ts imports builds its own schemas (the plan's, the result's) as it loads.
    await import('@shared/plan');
    await import('@shared/resultColumns');
    const before = built.count;
    const contract = await import('@shared/contract');
    expect(new contract.PlannerError('not_found', 'x').code).toBe('not_found');
    expect(built.count).toBe(before);

    const solve = contract.contractInputs.solve;
    const afterSolve = built.count;
    expect(afterSolve).toBeGreaterThan(before);
    expect(contract.contractInputs.solve).toBe(solve);
    expect(contract.parseInput('solve', { plan: 1 }).ok).toBe(false);
    expect(built.count).toBe(afterSolve);
    expect(Object.keys(contract.contractInputs)).toEqual([...contract.OP_NAMES]);
  });

  it('a lazily built schema stands for its schema: parse, shape, omit, nesting, instanceof', async () => {
    const { z } = await import('zod');
    const { ImportBookOptionsSchema, contractInputs } = await import('@shared/contract');
    expect(ImportBookOptionsSchema).toBeInstanceOf(z.ZodObject);
    expect(Object.keys(ImportBookOptionsSchema.shape)).toEqual([
      'periodMinutes',
      'session',
      'date',
      'sampling',
    ]);
    expect(ImportBookOptionsSchema.omit({ session: true }).parse({})).toEqual({
      periodMinutes: 1,
      sampling: 'average',
    });
    const r = contractInputs.importBook.safeParse({ periodMinutes: -1, date: '2025-02-30' });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual([
      'periodMinutes: must be greater than 0',
      'date: must be a real calendar date',
    ]);
    expect(contractInputs.getPlan.safeParse({ id: '' }).error?.issues[0].message).toBe(
      'must not be empty',
    );
  });
});

describe('no Intl at start-up', () => {
  it('MAX_SHARES_MESSAGE is the limit as toLocaleString writes it', async () => {
    const { MAX_SHARES, MAX_SHARES_MESSAGE } = await import('@shared/plan');
    expect(MAX_SHARES_MESSAGE).toBe(`must be at most ${MAX_SHARES.toLocaleString('en-US')}`);
  });

  const intlAccepts = (tz: string) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  };

  it('time-zones-as-intl: isValidTimeZone accepts exactly what Intl accepts, known zones included', async () => {
    const { isValidTimeZone, TIME_ZONES_KNOWN_VALID } = await import('@shared/plan');
    for (const tz of TIME_ZONES_KNOWN_VALID) expect(intlAccepts(tz), tz).toBe(true);
    const names = [
      ...TIME_ZONES_KNOWN_VALID,
      ...TIME_ZONES_KNOWN_VALID.map((tz) => tz.toLowerCase()),
      ...Intl.supportedValuesOf('timeZone').slice(0, 60),
      'US/Eastern',
      'Etc/GMT+5',
      '+05:00',
      'America/New_Yrok',
      'Mars/Olympus',
      '',
      ' UTC',
    ];
    for (const tz of names) expect(isValidTimeZone(tz), tz).toBe(intlAccepts(tz));
    fc.assert(
      fc.property(fc.string({ maxLength: 24 }), (tz) => isValidTimeZone(tz) === intlAccepts(tz)),
      { numRuns: 300 },
    );
  });
});

describe('stdout', () => {
  it('closed-pipe-ends-quietly: a reader that goes away ends the CLI with status 0 and no error', async () => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'src-main/cli/index.ts',
        'solve',
        join(ROOT, 'test/fixtures/plans/sqrt-ushape-390.json'),
      ],
      {
        cwd: ROOT,
        env: { ...process.env, TSX_TSCONFIG_PATH: join(ROOT, 'tsconfig.node.json') },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child.stdout.destroy(); // the reader is gone before the result (150 kB) is written
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const status = await new Promise<number | null>((ok) => child.on('close', ok));
    expect(stderr).toBe('');
    expect(status).toBe(0);
  }, 60_000);
});
