import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OP_NAMES, type OpName, type ProgressEvent } from '@shared/contract';
import { float64ToBase64 } from '@shared/columnCodec';
import { answerFromBinary, COLUMNS_MEDIA_TYPE } from '@shared/resultBinary';
import { columnsFromJson, toColumns } from '@shared/resultColumns';
import { samplePlan, sampleResult } from '../testing/plans';
import { startTestServer, type TestServer } from '../testing/server';
import type { RunningServer } from './server';
import type { UploadStore } from './uploads';

let dir: string;
let server: TestServer;
let uploads: UploadStore;
let srv: RunningServer;
let base: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'op-srv-'));
  const rendererDir = join(dir, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Order Planner</title>');
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(dir, 'secret.txt'), 'secret');
  server = await startTestServer({
    version: '9.9.9',
    dataDir: join(dir, 'data'),
    rendererDir,
    uploadLimit: 1000,
  });
  ({ uploads, srv } = server);
  base = `http://127.0.0.1:${srv.port}`;
});

afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const auth = () => ({ Authorization: `Bearer ${srv.token}` });

async function api(
  op: string,
  body: unknown,
  headers: Record<string, string> = auth(),
  raw = false,
) {
  const res = await fetch(`${base}/api/${op}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: raw ? (body as string) : JSON.stringify(body),
  });
  return {
    status: res.status,
    body: (await res.json()) as WireResult,
  };
}

/** A response body as read from the wire; the tests' assertions check its shape. */
interface WireResult {
  ok: boolean;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- untyped JSON, asserted below
  value?: any;
  error?: { code: string; message: string };
}

/** Raw request with a chosen Host header (fetch does not allow setting it). */
function rawGet(path: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: srv.port, path, headers }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

/** Raw authenticated POST with a chosen Host header. */
function rawPost(path: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: srv.port, path, method: 'POST', headers },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', reject);
    req.end('{}');
  });
}

describe('browser-mode server: access', () => {
  it('prints a URL with a long random token', () => {
    expect(srv.url).toBe(`http://127.0.0.1:${srv.port}/?token=${srv.token}`);
    expect(srv.token).toMatch(/^[A-Za-z0-9_-]{40,}$/);
  });

  it('refuses every API call without the right token (401)', async () => {
    const attempts: Record<string, string>[] = [
      {},
      { Authorization: 'Bearer wrong' },
      { Authorization: srv.token },
    ];
    for (const headers of attempts) {
      const r = await api('appInfo', {}, headers);
      expect(r.status).toBe(401);
      expect(r.body).toEqual({
        ok: false,
        error: { code: 'forbidden', message: expect.stringMatching(/missing or wrong token/) },
      });
    }
    // ?token= is accepted for the event stream only.
    const viaQuery = await fetch(`${base}/api/appInfo?token=${srv.token}`, { method: 'POST' });
    expect(viaQuery.status).toBe(401);
    const upload = await fetch(`${base}/api/files`, { method: 'POST', body: 'x' });
    expect(upload.status).toBe(401);
    expect((await fetch(`${base}/api/events`)).status).toBe(401);
    const r = await api('appInfo', {});
    expect(r.status).toBe(200);
    expect(r.body.value).toMatchObject({
      name: 'Order Planner',
      version: '9.9.9',
      mode: 'browser',
    });
  });

  it('token-exact: a prefix, an extension or a changed character of the token is refused', async () => {
    const t = srv.token;
    const near = [
      t.slice(0, -1),
      t.slice(0, 8),
      `${t}x`,
      `${t.slice(0, -1)}${t.endsWith('A') ? 'B' : 'A'}`,
      t.toUpperCase() === t ? t.toLowerCase() : t.toUpperCase(),
    ];
    for (const candidate of near) {
      expect((await api('appInfo', {}, { Authorization: `Bearer ${candidate}` })).status).toBe(401);
      const events = await fetch(`${base}/api/events?token=${encodeURIComponent(candidate)}`);
      expect(events.status).toBe(401);
      await events.body?.cancel();
    }
    const ok = await fetch(`${base}/api/events?token=${t}`);
    expect(ok.status).toBe(200);
    await ok.body?.cancel();
  });

  it('host-anchored: a Host that only contains 127.0.0.1 or localhost is refused', async () => {
    const p = srv.port;
    const foreign = [
      `evil127.0.0.1:${p}`,
      `evil.localhost:${p}`,
      `127.0.0.1.evil.example:${p}`,
      `localhost.evil.example:${p}`,
      `localhost:${p}.evil.example`,
      `127.0.0.1:${p}@evil.example`,
      `127.0.0.1:${p}0`,
    ];
    for (const host of foreign) {
      expect(await rawGet('/', { Host: host }), host).toBe(403);
      expect(await rawPost('/api/appInfo', { Host: host, ...auth() }), host).toBe(403);
    }
    expect(await rawGet('/', { Host: '127.0.0.1' })).toBe(200);
    expect(await rawPost('/api/appInfo', { Host: `LOCALHOST:${p}`, ...auth() })).toBe(200);
  });

  it('origin-http-only: an Origin on loopback but not http: is refused', async () => {
    const p = srv.port;
    for (const origin of [
      `https://127.0.0.1:${p}`,
      `ftp://127.0.0.1:${p}`,
      `ws://localhost:${p}`,
      `file://127.0.0.1:${p}`,
      'null',
      `http://127.0.0.1:${p + 1}`,
      `http://evil127.0.0.1:${p}`,
    ]) {
      const r = await api('appInfo', {}, { ...auth(), Origin: origin });
      expect(r.status, origin).toBe(403);
      expect(r.body.error?.message).toMatch(/cross-origin/);
    }
    for (const origin of [`http://127.0.0.1:${p}`, `http://localhost:${p}`]) {
      expect((await api('appInfo', {}, { ...auth(), Origin: origin })).status, origin).toBe(200);
    }
  });

  it('listens on loopback only', async () => {
    const address = srv.server.address();
    expect(address).toMatchObject({ address: '127.0.0.1', family: 'IPv4' });
    const external = Object.values(networkInterfaces())
      .flat()
      .find((i) => i && i.family === 'IPv4' && !i.internal);
    if (external) {
      const res = await fetch(`http://${external.address}:${srv.port}/`).catch((e: Error) => e);
      expect(res).toBeInstanceOf(Error);
    }
  });

  it('refuses a foreign Host header (DNS rebinding) and cross-origin requests', async () => {
    expect(await rawGet('/', { Host: 'evil.example:' + srv.port })).toBe(403);
    expect(await rawGet('/', { Host: `127.0.0.1:${srv.port + 1}` })).toBe(403);
    expect(await rawGet('/', { Host: `localhost:${srv.port}` })).toBe(200);
    const r = await api('appInfo', {}, { ...auth(), Origin: 'http://evil.example' });
    expect(r.status).toBe(403);
    expect(r.body.error?.message).toMatch(/cross-origin/);
    const res = await fetch(`${base}/api/appInfo`, { method: 'POST', headers: auth() });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('serves the renderer with a CSP and never files outside it', async () => {
    const index = await fetch(`${base}/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toMatch(/text\/html/);
    expect(index.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    expect(await index.text()).toContain('Order Planner');
    expect((await fetch(`${base}/assets/app.js`)).headers.get('content-type')).toMatch(
      /javascript/,
    );
    expect(await rawGet('/../secret.txt', { Host: `127.0.0.1:${srv.port}` })).toBe(404);
    expect(await rawGet('/%2e%2e/secret.txt', { Host: `127.0.0.1:${srv.port}` })).toBe(404);
    expect((await fetch(`${base}/nope.js`)).status).toBe(404);
  });
});

describe('browser-mode server: operations', () => {
  /** One malformed input per operation and the field its error must name. */
  const malformed: Record<OpName, { body: unknown; field: string }> = {
    costCurve: { body: { plan: { ...samplePlan(), shares: -5 } }, field: 'plan.shares' },
    solve: { body: { plan: { ...samplePlan(), shares: -5 } }, field: 'plan.shares' },
    frontier: { body: { plan: samplePlan(), points: 2 }, field: 'points' },
    cancelSolve: { body: [1], field: 'input' },
    savePlan: { body: { plan: samplePlan(), id: '' }, field: 'id' },
    listPlans: { body: { query: 7 }, field: 'query' },
    getPlan: { body: { id: 'x', revision: 0 }, field: 'revision' },
    renamePlan: { body: { id: 'x', name: '   ' }, field: 'name' },
    duplicatePlan: { body: {}, field: 'id' },
    deletePlan: { body: { id: 12 }, field: 'id' },
    listRevisions: { body: { id: null }, field: 'id' },
    exportScheduleCsv: { body: { plan: samplePlan() }, field: 'result' }, // or an id
    importPlanFile: { body: { text: 5 }, field: 'text' },
    exportPlanFile: { body: { plan: { ...samplePlan(), side: 'hold' } }, field: 'plan.side' },
    exportReportPdf: { body: { pageSize: 'A3' }, field: 'pageSize' },
    appInfo: { body: 'hello', field: 'input' },
    importBook: { body: { file: 'f', periodMinutes: 0 }, field: 'periodMinutes' },
    cancelImport: { body: 3, field: 'input' },
    listBooks: { body: [], field: 'input' },
    getBook: { body: { id: '' }, field: 'id' },
    deleteBook: { body: {}, field: 'id' },
    bookPlan: { body: { id: 'b', shares: 100, side: 'sideways' }, field: 'side' },
    averageBooks: { body: { ids: ['one'] }, field: 'ids' },
    replayBook: { body: { id: 'x', side: 'buy', schedules: [] }, field: 'schedules' },
    validateBooks: { body: { ids: ['a'], shares: 100, side: 'buy' }, field: 'ids' },
  };

  it.each(OP_NAMES)('%s rejects malformed input with a message naming the field', async (op) => {
    const { body, field } = malformed[op];
    const r = await api(op, body);
    expect(r.status).toBe(400);
    expect(r.body.ok).toBe(false);
    expect(r.body.error?.code).toBe('invalid_input');
    expect(r.body.error?.message).toMatch(new RegExp(`(^|; | or )${field.replace('.', '\\.')}: `));
  });

  it('rejects malformed JSON, unknown operations and wrong methods clearly', async () => {
    const bad = await api('listPlans', '{"query": ', auth(), true);
    expect(bad.status).toBe(400);
    expect(bad.body.error?.message).toMatch(/^request body: malformed JSON/);
    const unknown = await api('dropDatabase', {});
    expect(unknown.status).toBe(404);
    expect(unknown.body.error?.message).toBe('unknown operation "dropDatabase"');
    const get = await fetch(`${base}/api/listPlans`, { headers: auth() });
    expect(get.status).toBe(405);
  });

  it('saves, lists, reads, exports and imports plans over HTTP', async () => {
    const plan = samplePlan({ name: 'HTTP plan', symbol: 'MSFT' });
    const saved = await api('savePlan', { plan, result: sampleResult(plan, 3) });
    expect(saved.body).toEqual({ ok: true, value: { id: expect.any(String), revision: 1 } });
    const id = saved.body.value.id as string;
    const list = await api('listPlans', { query: 'msft' });
    expect(list.body.value).toEqual([
      expect.objectContaining({ id, name: 'HTTP plan', totalCost: 3 }),
    ]);
    const got = await api('getPlan', { id });
    expect(got.body.value.plan).toEqual(plan);
    const missing = await api('getPlan', { id: 'nope' });
    expect([missing.status, missing.body.error?.code]).toEqual([404, 'not_found']);

    const exported = await api('exportPlanFile', { id });
    expect(exported.body.value).toMatchObject({
      fileName: 'HTTP plan.orderplan',
      mimeType: 'application/x-order-planner+json',
    });
    expect(exported.body.value.content).toBe(
      `${JSON.stringify({ format: 1, ...plan }, null, 2)}\n`,
    );
    expect(exported.body.value.savedTo).toBeUndefined();
    const imported = await api('importPlanFile', {
      text: exported.body.value.content,
      fileName: 'x.json',
    });
    expect(imported.body.value.plan).toEqual(plan);
    expect(imported.body.value.id).not.toBe(id);

    const broken = await api('importPlanFile', { text: '{"name": "x"}', fileName: 'broken.json' });
    expect(broken.body.error?.code).toBe('invalid_input');
    expect(broken.body.error?.message).toMatch(/^broken\.json: symbol: /);
    const noText = await api('importPlanFile', {});
    expect(noText.body.error?.message).toMatch(/^text: /);
  });

  it('answers solve and getPlan in the binary layout only when asked; errors stay JSON', async () => {
    const accept = { ...auth(), Accept: `${COLUMNS_MEDIA_TYPE}, application/json` };
    const ask = async (op: string, body: unknown, headers: Record<string, string> = accept) => {
      const res = await fetch(`${base}/api/${op}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });
      return {
        status: res.status,
        type: res.headers.get('content-type'),
        bytes: await res.arrayBuffer(),
      };
    };
    const plan = samplePlan({ name: 'Binary plan' });
    const result = toColumns(sampleResult(plan, 3));
    const saved = await api('savePlan', { plan, result: sampleResult(plan, 3) });
    const id = saved.body.value.id as string;

    // Asked: the binary layout, the same plan and result as the JSON answer.
    const binary = await ask('getPlan', { id });
    expect([binary.status, binary.type]).toEqual([200, COLUMNS_MEDIA_TYPE]);
    const value = (answerFromBinary(binary.bytes) as { value: { plan: unknown; result: unknown } })
      .value;
    expect(value.plan).toEqual(plan);
    expect(value.result).toEqual(result);
    const json = await api('getPlan', { id });
    expect(columnsFromJson(json.body.value.result)).toEqual(value.result);
    // Whole-share columns travel as Int32 (fewer bytes than the doubles).
    const head = new TextDecoder().decode(
      new Uint8Array(binary.bytes, 8, new DataView(binary.bytes).getUint32(4, true)),
    );
    expect(head).toMatch(/"int32":\[0[,\]]/);

    const solved = await ask('solve', { plan });
    expect(solved.type).toBe(COLUMNS_MEDIA_TYPE);
    const solvedJson = await api('solve', { plan });
    expect((answerFromBinary(solved.bytes) as { value: unknown }).value).toEqual(
      columnsFromJson(solvedJson.body.value),
    );

    // Not asked, or not an operation with a result: JSON.
    const plain = await ask('getPlan', { id }, auth());
    expect(plain.type).toBe('application/json; charset=utf-8');
    const list = await ask('listPlans', {});
    expect(list.type).toBe('application/json; charset=utf-8');
    // Errors stay JSON even when binary is asked for.
    const missing = await ask('getPlan', { id: 'nope' });
    expect([missing.status, missing.type]).toEqual([404, 'application/json; charset=utf-8']);
    const body = JSON.parse(new TextDecoder().decode(missing.bytes)) as WireResult;
    expect(body.error?.code).toBe('not_found');
    const invalid = await ask('solve', { plan: { ...plan, shares: -5 } });
    expect(invalid.type).toBe('application/json; charset=utf-8');
  });

  it('streams solve progress over server-sent events', async () => {
    const events: ProgressEvent[] = [];
    const controller = new AbortController();
    const stream = await fetch(`${base}/api/events?token=${srv.token}`, {
      signal: controller.signal,
    });
    expect(stream.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = stream.body!.pipeThrough(new TextDecoderStream()).getReader();
    const reading = (async () => {
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
        if (done) return;
        buffer += value;
        for (let i = buffer.indexOf('\n\n'); i >= 0; i = buffer.indexOf('\n\n')) {
          const frame = buffer.slice(0, i);
          buffer = buffer.slice(i + 2);
          const data = /^data: (.*)$/m.exec(frame)?.[1];
          if (data) events.push(JSON.parse(data) as ProgressEvent);
        }
      }
    })();
    const solved = await api('solve', { plan: samplePlan({ name: 'progress' }) });
    expect(solved.body).toMatchObject({ ok: true, value: { totalCost: 7 } });
    // The result and the events travel on different connections: wait for the last event.
    while (events.at(-1)?.fraction !== 1) await new Promise((r) => setImmediate(r));
    controller.abort();
    await reading;
    expect(events.length).toBeGreaterThanOrEqual(3);
    expect(events.every((e) => e.op === 'solve')).toBe(true);
    expect(events.at(-1)?.fraction).toBe(1);
  });

  it('cancelSolve over HTTP rejects the running solve with cancelled', async () => {
    const running = api('solve', { plan: samplePlan({ name: 'hang' }) });
    await new Promise<void>((resolve) => {
      const off = server.backend.onProgress(() => {
        off();
        resolve();
      });
    });
    const cancel = await api('cancelSolve', {});
    expect(cancel.body).toEqual({ ok: true, value: { cancelled: true } });
    const r = await running;
    expect(r.body.error).toEqual({ code: 'cancelled', message: 'The solve was cancelled.' });
  });

  it('frontier over HTTP: its points, progress tagged frontier, cancelSolve cancels it', async () => {
    const seen: ProgressEvent[] = [];
    const off = server.backend.onProgress((e) => seen.push(e));
    const done = await api('frontier', { plan: samplePlan({ name: 'progress' }), points: 3 });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ ok: true });
    expect((done.body.value as { points: unknown[] }).points).toHaveLength(3);
    expect(seen.length).toBeGreaterThanOrEqual(3);
    expect(seen.every((e) => e.op === 'frontier')).toBe(true);
    off();
    const running = api('frontier', { plan: samplePlan({ name: 'hang' }) });
    await new Promise<void>((resolve) => {
      const stop = server.backend.onProgress(() => {
        stop();
        resolve();
      });
    });
    const cancel = await api('cancelSolve', {});
    expect(cancel.body).toEqual({ ok: true, value: { cancelled: true } });
    const r = await running;
    expect(r.body.error).toEqual({
      code: 'cancelled',
      message: 'The frontier computation was cancelled.',
    });
  });

  it('stores uploads under a random ref, enforces the size limit, and resolves refs', async () => {
    const up = await fetch(`${base}/api/files`, {
      method: 'POST',
      headers: { ...auth(), 'X-File-Name': encodeURIComponent('böok.csv') },
      body: 'a,b\n1,2\n',
    });
    const body = (await up.json()) as { ok: true; value: { ref: string } };
    expect(body.value.ref).toMatch(/^upload-[0-9a-f]{32}$/);
    expect(uploads.resolve(body.value.ref)).toMatchObject({ fileName: 'böok.csv', bytes: 8 });
    const big = await fetch(`${base}/api/files`, {
      method: 'POST',
      headers: auth(),
      body: 'x'.repeat(1001),
    });
    expect(big.status).toBe(413);
    const missing = await api('importBook', { file: 'upload-nope' });
    expect(missing.body.error).toEqual({
      code: 'not_found',
      message: 'file: no uploaded file upload-nope (upload it again)',
    });
  });
});

describe('browser-mode server: real solver', () => {
  it('solves a plan over HTTP in the real worker, stores it with its result and exports CSV', async () => {
    const real = await startTestServer({
      version: '1.0.0',
      dataDir: ':memory:',
      rendererDir: dir,
      uploadLimit: 1000,
      worker: 'src-main/workers/solverWorker.ts',
    });
    try {
      const call = async (op: string, body: unknown) => {
        const res = await fetch(`http://127.0.0.1:${real.srv.port}/api/${op}`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${real.srv.token}` },
          body: JSON.stringify(body),
        });
        return (await res.json()) as WireResult;
      };
      // Linear impact with equal profiles: the optimum is the equal split, 200 shares per
      // period, each costing β·200² = 4.
      const plan = samplePlan({ name: 'Real', periods: 5, shares: 1000, lotSize: 100 });
      const solved = await call('solve', { plan });
      expect(solved.error).toBeUndefined();
      // Column-wise JSON: one base64 string of doubles per column, not one object per period.
      expect(solved.value.layout).toBe('columns');
      expect(solved.value.schedule.shares).toBe(
        float64ToBase64(Float64Array.of(200, 200, 200, 200, 200)),
      );
      const columns = columnsFromJson(solved.value);
      expect(Array.from(columns.schedule.shares)).toEqual([200, 200, 200, 200, 200]);
      expect(Array.from(columns.baselines.naive.shares)).toEqual([200, 200, 200, 200, 200]);
      expect(solved.value.totalCost).toBeCloseTo(20, 9);
      const saved = await call('savePlan', { plan, result: solved.value });
      const stored = await call('getPlan', { id: saved.value.id });
      expect(stored.value.result).toEqual(solved.value);
      // The window's binary answers leave out the columns it rebuilds (the cost, the shares
      // left, the cost in bps from the request's reference price) and come back the same.
      const binary = async (op: string, body: unknown) => {
        const res = await fetch(`http://127.0.0.1:${real.srv.port}/api/${op}`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${real.srv.token}`, Accept: COLUMNS_MEDIA_TYPE },
          body: JSON.stringify(body),
        });
        const bytes = await res.arrayBuffer();
        const head = new TextDecoder().decode(
          new Uint8Array(bytes, 8, new DataView(bytes).getUint32(4, true)),
        );
        return { head, value: (answerFromBinary(bytes) as { value: unknown }).value };
      };
      const priced = { ...plan, referencePrice: 31.5 };
      const direct = await binary('solve', { plan: priced });
      expect(direct.head).toContain('"costBps":{"derive":"costBps","price":31.5}');
      expect(direct.head).toContain('"remaining":{"derive":"remaining","total":1000}');
      // Two solves differ only in the solver's time.
      const again = columnsFromJson((await call('solve', { plan: priced })).value);
      expect((direct.value as typeof again).schedule).toEqual(again.schedule);
      expect((direct.value as typeof again).baselines).toEqual(again.baselines);
      const opened = await binary('getPlan', { id: saved.value.id });
      expect(opened.head).toContain('"cost":{"derive":"product"}');
      expect((opened.value as { result: unknown }).result).toEqual(columns);
      const csv = await call('exportScheduleCsv', { id: saved.value.id, date: '2025-03-07' });
      // The warnings, plan and totals first as `#` lines, then the header, a row per period, the
      // total. A typed linear β is not calibrated, and the file says so before anything else.
      const lines: string[] = csv.value.content.trimEnd().split('\n');
      expect(lines[0]).toMatch(/^# warning: The cost model is a raw linear impact/);
      expect(lines[1]).toBe('# plan: Real');
      expect(lines).toContain('# total cost: 20');
      expect(lines.filter((l) => !l.startsWith('#'))).toHaveLength(7);
      expect(csv.value.fileName).toBe('AAPL-buy-2025-03-07.csv');
      // A bad date names the field.
      const badDate = await call('exportScheduleCsv', { id: saved.value.id, date: '2025-02-30' });
      expect(badDate.error).toMatchObject({ code: 'invalid_input' });
      expect(badDate.error?.message).toMatch(/^date: is not a day of the calendar/);
      // Two windows: a save based on revision 1 after another saved revision 2 is a conflict.
      const id = saved.value.id;
      expect((await call('savePlan', { id, plan, baseRevision: 1 })).value).toEqual({
        id,
        revision: 2,
      });
      const late = await call('savePlan', { id, plan, baseRevision: 1 });
      expect(late.error).toMatchObject({ code: 'conflict' });
      expect((await call('renamePlan', { id, name: 'Real renamed' })).value).toEqual({
        id,
        revision: 3,
      });
      await call('deletePlan', { id });
      expect((await call('savePlan', { id, plan, baseRevision: 3 })).error).toMatchObject({
        code: 'plan_gone',
      });
      const infeasible = await call('solve', { plan: { ...plan, maxPerPeriod: 100 } });
      expect(infeasible.error).toMatchObject({ code: 'infeasible' });
    } finally {
      await real.close();
    }
  });
});
