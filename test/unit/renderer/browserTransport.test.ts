/**
 * browser-transport-table-out-of-step-with-the-contract: the browser-mode window.planner
 * listed every operation by hand, so a new operation of the contract (OP_NAMES) could be
 * missing there while the preload had it. The table is now made from OP_NAMES: every
 * operation is there and is one `POST /api/<op>` with the input as its JSON body, except the
 * few that pick a file first or hand one over afterwards.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ExportedFile, PlannerApi } from '../../../src-shared/contract';
import { OP_NAMES } from '../../../src-shared/operations';
import { PLAN_FILE_ACCEPT } from '../../../src-shared/planFile';
import type { SolveResult } from '../../../src-shared/result';
import { columnsToJson, toColumns } from '../../../src-shared/resultColumns';
import { testPlan } from '../../../src-shared/testing/plans';

/** The module under test, loaded by path (DOM code; this test runs in Node). */
interface BrowserApiModule {
  createBrowserApi(options: {
    token: string | null;
    baseUrl?: string;
    fetch?: typeof fetch;
    download?: (file: ExportedFile) => void;
    pickFile?: (accept: string) => Promise<File | null>;
    print?: () => void;
  }): PlannerApi;
}
const modulePath = join(import.meta.dirname, '../../../src-renderer/src/lib/api/browserApi.ts');
const { createBrowserApi } = (await import(/* @vite-ignore */ modulePath)) as BrowserApiModule;

interface Sent {
  url: string;
  method: string | undefined;
  auth: string | undefined;
  body: unknown;
}

/** A browser API whose requests are recorded and answered with `value`. */
function recordingApi(value: unknown = { fine: true }) {
  const sent: Sent[] = [];
  const downloads: ExportedFile[] = [];
  const picks: string[] = [];
  const prints: number[] = [];
  const api = createBrowserApi({
    token: 'tok',
    baseUrl: 'http://127.0.0.1:9',
    fetch: async (input, init) => {
      const headers = (init?.headers ?? {}) as Record<string, string>;
      sent.push({
        url: String(input),
        method: init?.method,
        auth: headers.Authorization,
        body: typeof init?.body === 'string' ? JSON.parse(init.body) : init?.body,
      });
      return Response.json({ ok: true, value });
    },
    download: (file) => downloads.push(file),
    pickFile: async (accept) => {
      picks.push(accept);
      return new File(['{"name":"x"}'], 'picked.json');
    },
    print: () => prints.push(1),
  });
  return { api, sent, downloads, picks, prints };
}

/** A 3-period result in columns, with a null inside a column (costBps of an idle period). */
function sampleColumns() {
  const baseline = {
    shares: [100, 100, 100],
    totalCost: 9,
    totalCostBps: null,
    savingPct: 10,
    feasible: true,
  };
  const rows: SolveResult = {
    schedule: [100, 0, 200].map((shares, i) => ({
      period: i + 1,
      start: null,
      end: null,
      shares,
      impactPerShare: 0.01 * i,
      cost: shares * 0.01,
      costBps: shares > 0 ? i + 1 - Math.floor(i / 2) : null,
    })),
    totalCost: 3,
    totalCostBps: null,
    baselines: { naive: baseline, aggressive: baseline, conservative: baseline },
    solver: {
      method: 'convex',
      gridSize: 3,
      periods: 3,
      millis: 1,
      certified: true,
      reason: 'test',
    },
    warnings: [],
  };
  return toColumns(rows);
}

describe('browser-transport-table-out-of-step-with-the-contract', () => {
  it('window.planner has exactly the contract operations, plus the subscriptions and stageFile', () => {
    const { api } = recordingApi();
    expect(Object.keys(api).sort()).toEqual(
      [...OP_NAMES, 'onProgress', 'onMenuCommand', 'onOpenPlanFile', 'stageFile'].sort(),
    );
    for (const op of OP_NAMES) expect(api[op]).toBeTypeOf('function');
  });

  it('every operation given its input is one POST /api/<op> with the token and the input', async () => {
    // exportReportPdf is the browser's own print dialog: no request (below).
    for (const op of OP_NAMES.filter((o) => o !== 'exportReportPdf')) {
      // solve answers a columnar result (column-wise JSON), read back into typed arrays.
      const { api, sent } = recordingApi(
        op === 'solve' ? columnsToJson(sampleColumns()) : undefined,
      );
      // importPlanFile and importBook pick a file only when none is given.
      const input = { text: '{}', file: 'ref-1', marker: op };
      const call = api[op] as (input: unknown) => Promise<unknown>;
      expect(await call(input)).toMatchObject({ ok: true });
      expect(sent).toEqual([
        {
          url: `http://127.0.0.1:9/api/${op}`,
          method: 'POST',
          auth: 'Bearer tok',
          body: input,
        },
      ]);
    }
  });

  it('a columnar result travels as column-wise JSON and comes back as typed arrays', async () => {
    const result = sampleColumns();
    const solve = recordingApi(columnsToJson(result));
    const r = await solve.api.solve({
      plan: testPlan({ periods: 3, impact: { model: 'linear', beta: 0.01 } }),
    });
    expect(r.ok && r.value.schedule.shares).toBeInstanceOf(Float64Array);
    expect(r).toEqual({ ok: true, value: result });
    // No `{"0":…}` objects on the way out: a saved result's columns are plain arrays.
    const save = recordingApi({ id: 'p1', revision: 1 });
    await save.api.savePlan({
      plan: testPlan({ periods: 3, impact: { model: 'linear', beta: 0.01 } }),
      result,
    });
    const body = save.sent[0].body as {
      result: { schedule: { shares: unknown; costBps: unknown } };
    };
    expect(body.result.schedule.shares).toEqual([100, 0, 200]);
    expect(body.result.schedule.costBps).toEqual([1, null, 2]);
    // A solve answer that is not columnar is a clear error, not a crash later in the window.
    const bad = recordingApi({ schedule: [] });
    expect(
      await bad.api.solve({
        plan: testPlan({ periods: 3, impact: { model: 'linear', beta: 0.01 } }),
      }),
    ).toMatchObject({
      ok: false,
      error: {
        code: 'internal',
        message: expect.stringMatching(/^solve: the server's result is malformed \(result\.\w+: /),
      },
    });
  });

  it('keeps the special cases: exports are downloads, imports without input pick a file', async () => {
    const file = { fileName: 'a.csv', mimeType: 'text/csv', content: 'x\n' };
    const exports = recordingApi(file);
    expect(await exports.api.exportScheduleCsv({ id: 'p1' })).toEqual({
      ok: true,
      value: { ...file, savedTo: 'a.csv' },
    });
    expect(exports.downloads).toEqual([file]);

    const plans = recordingApi();
    await plans.api.importPlanFile({});
    expect(plans.picks).toEqual([PLAN_FILE_ACCEPT]);
    expect(plans.sent.map((s) => [s.url, s.body])).toEqual([
      ['http://127.0.0.1:9/api/importPlanFile', { text: '{"name":"x"}', fileName: 'picked.json' }],
    ]);

    const books = recordingApi({ ref: 'up-1' });
    await books.api.importBook({});
    // Order books: MBP-10 as CSV or Databento's DBN (.dbn, .dbn.zst).
    expect(books.picks).toEqual(['.csv,.txt,text/csv,.dbn,.zst']);
    expect(books.sent.map((s) => s.url)).toEqual([
      'http://127.0.0.1:9/api/files',
      'http://127.0.0.1:9/api/importBook',
    ]);
    expect(books.sent[1].body).toEqual({ file: 'up-1', fileName: 'picked.json' });

    const report = recordingApi();
    expect(await report.api.exportReportPdf({ name: 'Plan', pageSize: 'A4' })).toMatchObject({
      ok: true,
      value: { savedTo: null },
    });
    expect(report.prints).toHaveLength(1);
    expect(report.sent).toEqual([]);
  });
});
