/**
 * The window reads a binary answer's result by its shape (lib/api/trustedResult.ts), no longer
 * through the zod pass over every entry of every column. For every result the server can send,
 * it must give the same columnar result as the full check did, and a result of the wrong shape
 * must still be a clear error naming the field, in the window and not a crash.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { binaryAnswer, answerFromBinary } from '@shared/resultBinary';
import { columnsFromJson, columnsToPackedJson, toColumns } from '@shared/resultColumns';
import { solvePlan } from '@shared/solver/solvePlan';
import { arbPlan } from '@shared/testing/arbitraries';
import { testPlan } from '@shared/testing/plans';
import { createBrowserApi } from '../../../src-renderer/src/lib/api/browserApi';
import { outputFromAnswer, trustedColumns } from '../../../src-renderer/src/lib/api/trustedResult';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- fields broken on purpose
type Loose = Record<string, any>;
const viaBinary = (op: string, value: unknown) =>
  (answerFromBinary(binaryAnswer(op, value).slice().buffer) as { value: unknown }).value;

describe('a result read from the binary answer by its shape', () => {
  it('is the result the full check read, for random plans of every model', () => {
    fc.assert(
      fc.property(
        fc
          .constantFrom('linear' as const, 'power' as const, 'table' as const)
          .chain((model) => arbPlan(model, { extras: true })),
        (plan) => {
          let solved;
          try {
            solved = solvePlan(plan);
          } catch {
            fc.pre(false); // an infeasible plan has no result to send
            return;
          }
          const columns = toColumns(solved);
          const old = columnsFromJson(columnsToPackedJson(columns));
          expect(trustedColumns(viaBinary('solve', columns))).toEqual(old);
          expect(
            outputFromAnswer('getPlan', viaBinary('getPlan', { id: 'p', result: columns })),
          ).toEqual({ id: 'p', result: old });
        },
      ),
      { numRuns: 60 },
    );
  });

  it('keeps a plan without a result as it is', () => {
    expect(outputFromAnswer('getPlan', { id: 'p', result: null })).toEqual({
      id: 'p',
      result: null,
    });
  });

  const columns = () =>
    toColumns(solvePlan(testPlan({ periods: 3, impact: { model: 'linear', beta: 0.01 } })));

  it('names the column of the wrong length, the missing column and a bad field beside them', () => {
    const short = viaBinary('solve', columns()) as ReturnType<typeof columns>;
    short.schedule.cost = short.schedule.cost.subarray(0, 2);
    expect(() => trustedColumns(short)).toThrow(
      'result.schedule.cost: has 2 entries, not 3 (one per period)',
    );
    const missing = viaBinary('solve', columns()) as Loose;
    missing.baselines.naive.shares = [1, 2, 3];
    expect(() => trustedColumns(missing)).toThrow(
      'result.baselines.naive.shares: must be an array of numbers',
    );
    const total = viaBinary('solve', columns()) as Loose;
    total.totalCost = 'lots';
    expect(() => trustedColumns(total)).toThrow(/^result\.totalCost: /);
    const label = viaBinary('solve', columns()) as Loose;
    label.schedule.start = ['09:30', 7, '09:32'];
    expect(() => trustedColumns(label)).toThrow('result.schedule.start.1: must be a string');
  });

  it('a malformed binary result is a clear error in the window, not a crash', async () => {
    const bad = columns();
    bad.schedule.length = 4;
    const api = createBrowserApi({
      token: 't',
      baseUrl: 'http://127.0.0.1:9',
      fetch: async () =>
        new Response(binaryAnswer('solve', bad).slice().buffer, {
          headers: { 'Content-Type': 'application/vnd.order-planner.columns' },
        }),
    });
    expect(
      await api.solve({ plan: testPlan({ periods: 3, impact: { model: 'linear', beta: 0.01 } }) }),
    ).toEqual({
      ok: false,
      error: {
        code: 'internal',
        message:
          "solve: the server's result is malformed (result.schedule.shares: has 3 entries, not 4 (one per period))",
      },
    });
  });
});
