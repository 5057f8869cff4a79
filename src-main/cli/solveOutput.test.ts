/**
 * `solve PLAN.json` prints, byte for byte, what it printed when the result was one
 * JSON.stringify(result, null, 2) + "\n" passed through the control-character escape: the
 * chunked writer (jsonWriter.ts) changed how the text is made, not the text. The solver's
 * `millis` differs between two solves and is set to 0 on both sides.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { escapeControlCharsKeepingLines } from '@shared/planFile';
import { parsePlanJson } from '@shared/plan';
import { solvePlan, DEFAULT_TIME_LIMIT_MS } from '@shared/solver';
import { runCli } from './commands';
import { ONE_STRING_MAX_PERIODS, solveCommand } from './solve';

const PLANS = join(resolve(import.meta.dirname, '../..'), 'test/fixtures/plans');

const noMillis = (text: string) => text.replace(/"millis": [0-9.e+-]+/g, '"millis": 0');

describe('solve prints the result as before', () => {
  for (const file of [
    'linear-10.json',
    'sqrt-ushape-390.json',
    'table-nonconvex-12.json',
    'book-5.json',
    'huge-convex-2e9.json',
  ]) {
    it(`${file}: the same bytes as JSON.stringify(result, null, 2) + "\\n", escaped`, async () => {
      const path = join(PLANS, file);
      const chunks: string[] = [];
      const status = await runCli(['solve', path], [solveCommand], {
        stdout: (t) => chunks.push(t),
        stderr: (t) => chunks.push(`stderr: ${t}`),
      });
      expect(status).toBe(0);
      const plan = parsePlanJson(readFileSync(path, 'utf8'));
      if (!plan.ok) throw new Error(plan.errors.join('; '));
      const result = solvePlan(plan.value, { timeLimitMs: DEFAULT_TIME_LIMIT_MS });
      const before = escapeControlCharsKeepingLines(JSON.stringify(result, null, 2) + '\n');
      expect(noMillis(chunks.join(''))).toBe(noMillis(before));
    });
  }

  it('a result above ONE_STRING_MAX_PERIODS periods: written in chunks, the same bytes', async () => {
    const periods = ONE_STRING_MAX_PERIODS + 1;
    const plan = {
      name: 'Sell TOAD (long)',
      symbol: 'TOAD',
      side: 'sell',
      shares: 5_000_000,
      lotSize: 100,
      periods,
      referencePrice: 12.25,
      impact: {
        model: 'linear',
        beta: 1e-6,
        profile: Array.from({ length: periods }, (_, i) => 1 + (i % 7) / 10),
      },
    };
    const dir = mkdtempSync(join(tmpdir(), 'solve-output-'));
    try {
      const path = join(dir, 'long.json');
      writeFileSync(path, JSON.stringify(plan));
      const chunks: string[] = [];
      const status = await runCli(['solve', path], [solveCommand], {
        stdout: (t) => chunks.push(t),
        stderr: (t) => chunks.push(`stderr: ${t}`),
      });
      expect(status).toBe(0);
      expect(chunks.length).toBeGreaterThan(1);
      const parsed = parsePlanJson(readFileSync(path, 'utf8'));
      if (!parsed.ok) throw new Error(parsed.errors.join('; '));
      const result = solvePlan(parsed.value, { timeLimitMs: DEFAULT_TIME_LIMIT_MS });
      expect(result.schedule).toHaveLength(periods);
      const before = escapeControlCharsKeepingLines(JSON.stringify(result, null, 2) + '\n');
      expect(noMillis(chunks.join(''))).toBe(noMillis(before));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
