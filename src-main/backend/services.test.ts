import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PlannerError, type ExportedFile, type ProgressEvent } from '@shared/contract';
import { DATABASE_FILE, createBackend, type Backend } from './backend';
import type { NativeDialogs } from './services';
import { fileStem } from './services';
import { tsWorkerSpawner } from '../testing/forkTs';
import { samplePlan, sampleColumns } from '../testing/plans';

let dir: string;
let backend: Backend | null = null;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'op-svc-'));
});
afterEach(async () => {
  await backend?.close();
  backend = null;
  rmSync(dir, { recursive: true, force: true });
});

function start(
  options: { dialogs?: NativeDialogs; worker?: string; dataDir?: string } = {},
): Backend {
  backend = createBackend({
    mode: options.dialogs ? 'electron' : 'browser',
    version: '0.0.1',
    dataDir: options.dataDir ?? ':memory:',
    spawn: tsWorkerSpawner(options.worker ?? 'src-main/solver/fakeWorker.testchild.ts'),
    resolveFile: (ref) => {
      if (ref !== 'known') throw new PlannerError('not_found', `file: no uploaded file ${ref}`);
      return { path: '/tmp/known.csv', fileName: 'known.csv' };
    },
    dialogs: options.dialogs,
  });
  return backend;
}

async function codeOf(p: Promise<unknown> | unknown): Promise<string> {
  try {
    await p;
  } catch (e) {
    return e instanceof PlannerError ? e.code : 'not a PlannerError';
  }
  return 'no error';
}

describe('services', () => {
  it('solves a real plan in the real worker process, with progress', async () => {
    const { services, onProgress } = start({ worker: 'src-main/workers/solverWorker.ts' });
    const events: ProgressEvent[] = [];
    onProgress((e) => events.push(e));
    // Σ p_i·β·x_i² on a 100-share grid: the 10 cheapest marginal lots
    // (p=1: 1,3,5,…; p=2: 2,6,…, in units of β·100² = 1) add up to 1+1+1+2+2+3+3+3+5+5 = 26.
    const plan = samplePlan({
      impact: { model: 'linear', beta: 0.0001, profile: [1, 2, 1, 2, 1] },
    });
    const result = await services.solve({ plan, curve: false });
    expect(result.totalCost).toBeCloseTo(26, 9);
    expect(result.costCurve).toBeUndefined();
    // The window gets the schedule in columns.
    expect(result.layout).toBe('columns');
    expect(result.schedule.shares).toBeInstanceOf(Float64Array);
    expect(Array.from(result.schedule.shares).reduce((a, b) => a + b)).toBe(1000);
    expect(Array.from(result.schedule.shares, (x) => x % 100)).toEqual([0, 0, 0, 0, 0]);
    expect(result.baselines.naive.totalCost).toBeCloseTo(
      [1, 2, 1, 2, 1].reduce((s, p) => s + p * 0.0001 * 200 * 200, 0),
      9,
    );
    expect(events.every((e) => e.op === 'solve')).toBe(true);
  });

  it('asks the real solver for the cost-by-size curve: every lot count of a small plan', async () => {
    const { services } = start({ worker: 'src-main/workers/solverWorker.ts' });
    const plan = samplePlan({
      referencePrice: 50,
      impact: { model: 'linear', beta: 0.0001, profile: [1, 2, 1, 2, 1] },
    });
    const result = await services.solve({ plan, curve: true });
    const curve = result.costCurve!;
    expect(curve).toBeDefined();
    // 10 lots: far fewer than the ~1,000 sampled sizes, so every lot count 0..10 is there.
    expect(curve.complete).toBe(true);
    expect(curve.shares).toEqual([0, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000]);
    // C(N, s) adds the s cheapest marginal lots (see the test above): 1,1,1,2,2,3,3,3,5,5.
    const marginal = [1, 1, 1, 2, 2, 3, 3, 3, 5, 5];
    const expected = marginal.reduce((acc, m) => [...acc, acc.at(-1)! + m], [0]);
    curve.cost.forEach((c, i) => expect(c).toBeCloseTo(expected[i], 9));
    expect(curve.cost.at(-1)).toBeCloseTo(result.totalCost, 9);
    expect(curve.costBps).toHaveLength(11);
    expect(curve.costBps![10]).toBeCloseTo((26 / (1000 * 50)) * 1e4, 9);
  });

  it('costCurve computes the curve on its own, as the solve asking for it gives it', async () => {
    const { services } = start({ worker: 'src-main/workers/solverWorker.ts' });
    const plan = samplePlan({
      referencePrice: 50,
      impact: { model: 'linear', beta: 0.0001, profile: [1, 2, 1, 2, 1] },
    });
    const plain = await services.solve({ plan, curve: false });
    expect(plain.costCurve).toBeUndefined();
    const curve = await services.costCurve({ plan });
    expect(curve).toEqual((await services.solve({ plan, curve: true })).costCurve);
    expect(curve.shares).toHaveLength(11);
  });

  it('passes the curve request through the solver host (fake worker echoes it)', async () => {
    const { services } = start();
    const curved = await services.solve({ plan: samplePlan(), curve: true });
    expect(curved.solver.reason).toBe('fake solve; curve option 1001');
    expect(curved.costCurve?.shares).toEqual([0, 1000]);
    const plain = await services.solve({ plan: samplePlan(), curve: false });
    expect(plain.costCurve).toBeUndefined();
  });

  it('computes a frontier through the solver host: its points, progress tagged frontier', async () => {
    const { services, onProgress } = start();
    const events: ProgressEvent[] = [];
    onProgress((e) => events.push(e));
    const frontier = await services.frontier({ plan: samplePlan({ name: 'progress' }), points: 3 });
    expect(frontier.points).toHaveLength(3);
    expect(events.length).toBeGreaterThanOrEqual(3);
    expect(events.every((e) => e.op === 'frontier')).toBe(true);
    expect(events.at(-1)?.fraction).toBe(1);
    // The point count reaches the worker (the fake returns exactly that many).
    const eleven = await services.frontier({ plan: samplePlan({ name: 'eleven' }), points: 11 });
    expect(eleven.points.map((p) => p.aversion)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('computes the real frontier in the real worker: as λ rises, cost rises and risk falls', async () => {
    const { services, onProgress } = start({ worker: 'src-main/workers/solverWorker.ts' });
    const events: ProgressEvent[] = [];
    onProgress((e) => events.push(e));
    const plan = samplePlan({
      shares: 5000,
      periods: 8,
      referencePrice: 20,
      impact: { model: 'power', beta: 2e-4, exponent: 0.5 },
      risk: { volatility: 0.05 },
    });
    const frontier = await services.frontier({ plan, points: 8 });
    const { points } = frontier;
    expect(points).toHaveLength(8);
    expect(points[0].aversion).toBe(0);
    for (let i = 1; i < points.length; i++) {
      const [a, b] = [points[i - 1], points[i]];
      expect(b.aversion).toBeGreaterThan(a.aversion);
      expect(b.expectedCost).toBeGreaterThanOrEqual(a.expectedCost * (1 - 1e-9));
      expect(b.timingRiskSd).toBeLessThanOrEqual(a.timingRiskSd * (1 + 1e-9) + 1e-12);
    }
    expect(points.at(-1)!.expectedCost).toBeGreaterThan(points[0].expectedCost);
    expect(points.at(-1)!.timingRiskSd).toBeLessThan(points[0].timingRiskSd);
    for (const p of points) expect(p.shares.reduce((x, y) => x + y, 0)).toBe(5000);
    // λ = 0 is the risk-neutral optimum: the plain solve's expected cost.
    const neutral = await services.solve({ plan, curve: false });
    expect(points[0].expectedCost).toBeCloseTo(neutral.metrics!.expectedCost, 6);
    expect(frontier.scale).toBeGreaterThan(0);
    expect(frontier.baselines.length).toBeGreaterThanOrEqual(3);
    expect(events.some((e) => e.op === 'frontier')).toBe(true);
  });

  it('cancelSolve cancels a running frontier too', async () => {
    const { services, onProgress } = start();
    let progressed!: () => void;
    const started = new Promise<void>((r) => (progressed = r));
    onProgress((e) => e.op === 'frontier' && progressed());
    const running = services.frontier({ plan: samplePlan({ name: 'hang' }), points: 5 });
    await started;
    expect(services.cancelSolve()).toEqual({ cancelled: true });
    expect(await codeOf(running)).toBe('cancelled');
    expect(services.cancelSolve()).toEqual({ cancelled: false });
    expect((await services.frontier({ plan: samplePlan(), points: 4 })).points).toHaveLength(4);
  });

  it('exports the stored schedule as CSV, and says so when there is none', async () => {
    const { services } = start();
    const plan = samplePlan({ name: 'With result' });
    const { id } = await services.savePlan({ plan, result: sampleColumns(plan, 9) });
    const csv = await services.exportScheduleCsv({ id, date: '2025-03-07' });
    expect(csv.fileName).toBe('AAPL-buy-2025-03-07.csv');
    expect(csv.mimeType).toBe('text/csv');
    const lines = csv.content.trimEnd().split('\n');
    expect(lines[0]).toBe('# plan: With result');
    // A stored result was solved for the stored plan, no later than it was saved.
    const stored = await services.getPlan({ id });
    expect(csv.content).toContain(`# solved at: `);
    expect(csv.content).not.toContain('# warning');
    const table = lines.filter((l) => !l.startsWith('#'));
    expect(table[0]).toMatch(/^period,start,end,shares/);
    expect(table).toHaveLength(1 + plan.periods + 1); // and the total row
    expect(stored.updatedAt).toMatch(/Z$/);
    const bare = await services.savePlan({ plan: samplePlan({ name: 'Unsolved' }) });
    await expect(services.exportScheduleCsv({ id: bare.id })).rejects.toThrow(
      /"Unsolved" has no solved schedule saved with it/,
    );
    const direct = await services.exportScheduleCsv({
      plan,
      result: sampleColumns(plan, 9),
      date: '2025-03-07',
      solvedAt: stored.updatedAt,
    });
    expect(direct.content).toBe(csv.content);
    // stale-csv-export: the old result of a changed form says so at the top of the file.
    const stale = await services.exportScheduleCsv({
      plan,
      result: sampleColumns(plan, 9),
      date: '2025-03-07',
      solvedAt: '2025-03-07T14:00:00Z',
      stale: true,
    });
    expect(stale.content.split('\n')[0]).toMatch(
      /^# warning: schedule for the plan as last solved at 2025-03-07T\d\d:00:00[-+Z].*, not the current form$/,
    );
    const raw = await services.exportScheduleCsv({ id, date: '2025-03-07', raw: true });
    expect(raw.content).toContain('# precision: full (12 significant digits)');
  });

  it('refuses a CSV on a weekend or a market holiday, naming the day (as solve --csv --date)', async () => {
    const { services } = start();
    const plan = samplePlan({ name: 'Holiday' });
    const { id } = await services.savePlan({ plan, result: sampleColumns(plan, 9) });
    await expect(services.exportScheduleCsv({ id, date: '2026-12-25' })).rejects.toThrow(
      'date: 2026-12-25 is a market holiday (Christmas Day)',
    );
    await expect(services.exportScheduleCsv({ id, date: '2026-12-05' })).rejects.toThrow(
      'date: 2026-12-05 is a Saturday',
    );
  });

  it('save-conflict-lost-version: savePlan with an older baseRevision is a conflict; rename says its revision', async () => {
    const { services } = start();
    const { id } = await services.savePlan({ plan: samplePlan({ shares: 1000 }) });
    expect(
      await services.savePlan({ id, plan: samplePlan({ shares: 2000 }), baseRevision: 1 }),
    ).toEqual({
      id,
      revision: 2,
    });
    expect(
      await codeOf(
        (async () =>
          services.savePlan({ id, plan: samplePlan({ shares: 3000 }), baseRevision: 1 }))(),
      ),
    ).toBe('conflict');
    expect(await services.renamePlan({ id, name: 'Renamed' })).toEqual({ id, revision: 3 });
    expect(await services.getPlan({ id, revision: 1 })).toMatchObject({
      revision: 1,
      latestRevision: 3,
    });
    await services.deletePlan({ id });
    expect(
      await codeOf((async () => services.savePlan({ id, plan: samplePlan(), baseRevision: 3 }))()),
    ).toBe('plan_gone');
  });

  it('uses native dialogs when given: save (savedTo), open, and cancel', async () => {
    const saved: ExportedFile[] = [];
    const planPath = join(dir, 'incoming.json');
    writeFileSync(planPath, JSON.stringify(samplePlan({ name: 'From disk' }), null, 2));
    let pick: string | null = planPath;
    const dialogs: NativeDialogs = {
      openPlanFile: async () => pick,
      openBookFile: async () => null,
      saveFile: async (file) => {
        saved.push(file);
        return pick === null ? null : join(dir, file.fileName);
      },
    };
    const { services } = start({ dialogs });
    const imported = await services.importPlanFile({});
    if ('cancelled' in imported) throw new Error('the import was cancelled');
    expect(imported.plan.name).toBe('From disk');
    const id = imported.id;
    const exported = await services.exportPlanFile({ id });
    expect(exported.savedTo).toBe(join(dir, 'From disk.orderplan'));
    expect(saved[0].content).toBe(
      `${JSON.stringify({ format: 1, ...samplePlan({ name: 'From disk' }) }, null, 2)}\n`,
    );
    pick = null;
    expect(await services.importPlanFile({})).toEqual({ cancelled: true });
    expect((await services.exportPlanFile({ id })).savedTo).toBeNull();
    expect(await services.importBook({ periodMinutes: 1, sampling: 'average' })).toEqual({
      cancelled: true,
    });
  });

  it('exports the report as a PDF through the native dialog; browser mode is told to print', async () => {
    const asked: { fileName: string; pageSize: string }[] = [];
    let answer: string | null = join(dir, 'out.pdf');
    const dialogs: NativeDialogs = {
      openPlanFile: async () => null,
      openBookFile: async () => null,
      saveFile: async () => null,
      saveReportPdf: async (fileName, pageSize) => {
        asked.push({ fileName, pageSize });
        return answer;
      },
    };
    const { services } = start({ dialogs });
    const input = { name: 'Buy AAPL / close', pageSize: 'Letter' as const };
    expect(await services.exportReportPdf(input)).toEqual({
      fileName: 'Buy AAPL - close report.pdf',
      savedTo: join(dir, 'out.pdf'),
    });
    expect(asked).toEqual([{ fileName: 'Buy AAPL - close report.pdf', pageSize: 'Letter' }]);
    answer = null;
    expect((await services.exportReportPdf(input)).savedTo).toBeNull();
    await expect(start().services.exportReportPdf({ name: 'x', pageSize: 'A4' })).rejects.toThrow(
      /print dialog/,
    );
  });

  it('import-plan-file-with-bom: a BOM is ignored; JSON errors name the file once', async () => {
    const { services } = start();
    const text = `\ufeff${JSON.stringify(samplePlan({ name: 'Notepad' }))}`;
    const imported = await services.importPlanFile({ text, fileName: 'notepad.json' });
    expect('plan' in imported && imported.plan.name).toBe('Notepad');
    const bad = services.importPlanFile({ text: '{"name":', fileName: 'cut.json' });
    await expect(bad).rejects.toThrow(/^cut\.json: malformed JSON \(/);
    const empty = services.importPlanFile({ text: '', fileName: 'empty.json' });
    await expect(empty).rejects.toThrow(/^empty\.json: is empty$/);
  });

  it('refuses browser-mode imports without content, and unknown upload refs', async () => {
    const { services } = start();
    expect(await codeOf(services.importPlanFile({}))).toBe('invalid_input');
    expect(await codeOf(services.importBook({ periodMinutes: 1, sampling: 'average' }))).toBe(
      'invalid_input',
    );
    expect(
      await codeOf(services.importBook({ file: 'nope', periodMinutes: 1, sampling: 'average' })),
    ).toBe('not_found');
  });

  it('tells the user through appInfo when a corrupt database was moved aside', () => {
    const dataDir = join(dir, 'data');
    mkdirSync(dataDir);
    writeFileSync(join(dataDir, DATABASE_FILE), 'garbage '.repeat(1000));
    const { services } = start({ dataDir });
    const info = services.appInfo();
    expect(info).toMatchObject({
      mode: 'browser',
      dataDir,
      databasePath: join(dataDir, DATABASE_FILE),
    });
    expect(info.notices).toHaveLength(1);
    expect(info.notices[0]).toMatch(/damaged.*kept as .*order-planner\.sqlite\.corrupt-/);
    const aside = /kept as (\S+) and/.exec(info.notices[0])![1];
    expect(readFileSync(aside, 'utf8')).toBe('garbage '.repeat(1000));
  });

  it('makes safe file names from plan names', () => {
    expect(fileStem('Buy AAPL / close: "big"')).toBe('Buy AAPL - close- -big-');
    expect(fileStem('...')).toBe('plan');
    expect(fileStem('  a   b  ')).toBe('a b');
    expect(fileStem('a\tb')).toBe('a-b');
  });
});
