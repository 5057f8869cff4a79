/**
 * The browser-mode window.planner against the real browser-mode server over HTTP
 * (Node's fetch; EventSource, downloads and the file picker are injected).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExportedFile, PlannerApi, ProgressEvent } from '../../../src-shared/contract';
import type { RunningServer } from '../../../src-main/server/server';
import type { UploadStore } from '../../../src-main/server/uploads';
import { samplePlan } from '../../../src-main/testing/plans';
import { startTestServer, type TestServer } from '../../../src-main/testing/server';

/** The module under test, loaded by path: it is DOM code, type-checked by tsconfig.web.json,
 *  while this test runs in Node (tsconfig.node.json has no DOM types). */
interface MessageLike {
  data: string;
}
interface EventSourceLike {
  onmessage: ((m: MessageLike) => void) | null;
  close(): void;
}
interface BrowserApiModule {
  createBrowserApi(options: {
    token: string | null;
    baseUrl?: string;
    EventSource?: new (url: string) => EventSourceLike;
    download?: (file: ExportedFile) => void;
    pickFile?: (accept: string) => Promise<File | null>;
    print?: () => void;
  }): PlannerApi;
  takeToken(location: { href: string }, storage: StorageLike, history: HistoryLike): string | null;
}
interface StorageLike {
  getItem(k: string): string | null;
  setItem(k: string, v: string): void;
}
interface HistoryLike {
  state: unknown;
  replaceState(state: unknown, title: string, url: string): void;
}
const modulePath = join(import.meta.dirname, '../../../src-renderer/src/lib/api/browserApi.ts');
const { createBrowserApi, takeToken } = (await import(
  /* @vite-ignore */ modulePath
)) as BrowserApiModule;

let dir: string;
let server: TestServer;
let uploads: UploadStore;
let srv: RunningServer;
const downloads: ExportedFile[] = [];
let picked: File | null = null;
let api: PlannerApi;

/** A minimal EventSource over fetch (Node has none without a flag). */
class FetchEventSource {
  static last: FetchEventSource | null = null;
  onmessage: ((m: MessageLike) => void) | null = null;
  /** Resolves once the server has accepted the stream. */
  readonly opened: Promise<void>;
  private readonly controller = new AbortController();
  constructor(url: string) {
    FetchEventSource.last = this;
    let open!: () => void;
    this.opened = new Promise((r) => (open = r));
    void (async () => {
      const res = await fetch(url, { signal: this.controller.signal });
      open();
      const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read().catch(() => ({ value: '', done: true }));
        if (done) return;
        buffer += value;
        for (let i = buffer.indexOf('\n\n'); i >= 0; i = buffer.indexOf('\n\n')) {
          const data = /^data: (.*)$/m.exec(buffer.slice(0, i))?.[1];
          buffer = buffer.slice(i + 2);
          if (data) this.onmessage?.({ data });
        }
      }
    })();
  }
  close() {
    this.controller.abort();
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'op-api-'));
  server = await startTestServer({
    version: '1.2.3',
    dataDir: ':memory:',
    rendererDir: dir,
    uploadLimit: 10_000,
  });
  ({ uploads, srv } = server);
  api = createBrowserApi({
    token: srv.token,
    baseUrl: `http://127.0.0.1:${srv.port}`,
    EventSource: FetchEventSource,
    download: (file) => downloads.push(file),
    pickFile: async () => picked,
  });
});

afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('browser-mode PlannerApi', () => {
  it('calls operations and returns the result union', async () => {
    const info = await api.appInfo({});
    expect(info).toMatchObject({ ok: true, value: { mode: 'browser', version: '1.2.3' } });
    const bad = await api.getPlan({ id: '' });
    expect(bad).toEqual({
      ok: false,
      error: { code: 'invalid_input', message: 'id: must not be empty' },
    });
  });

  it('reports a missing token and an unreachable server as clear errors', async () => {
    const anonymous = createBrowserApi({ token: null, baseUrl: `http://127.0.0.1:${srv.port}` });
    const r = await anonymous.listPlans({});
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.message).toMatch(/access token is missing or wrong/);
    const gone = createBrowserApi({ token: 't', baseUrl: 'http://127.0.0.1:1' });
    const g = await gone.listPlans({});
    expect(!g.ok && g.error.message).toMatch(/could not reach the Order Planner server/);
  });

  it('turns exports into downloads and reports the file name as savedTo', async () => {
    const saved = await api.savePlan({ plan: samplePlan({ name: 'Download me' }) });
    expect(saved.ok).toBe(true);
    const id = saved.ok ? saved.value.id : '';
    const r = await api.exportPlanFile({ id });
    expect(r).toMatchObject({
      ok: true,
      value: { fileName: 'Download me.orderplan', savedTo: 'Download me.orderplan' },
    });
    expect(downloads.at(-1)?.fileName).toBe('Download me.orderplan');
    expect(JSON.parse(downloads.at(-1)!.content).name).toBe('Download me');
  });

  it('exports the report by opening the print dialog, never asking the server', async () => {
    let printed = 0;
    const printing = createBrowserApi({
      token: srv.token,
      baseUrl: 'http://127.0.0.1:1',
      print: () => printed++,
    });
    expect(await printing.exportReportPdf({ name: 'Buy FROG', pageSize: 'Letter' })).toEqual({
      ok: true,
      value: { fileName: 'Buy FROG report.pdf', savedTo: null },
    });
    expect(printed).toBe(1);
  });

  it('imports a picked plan file, and a cancelled pick is {cancelled: true}', async () => {
    picked = new File([JSON.stringify(samplePlan({ name: 'Picked' }))], 'picked.json');
    const r = await api.importPlanFile({});
    expect(r).toMatchObject({ ok: true, value: { plan: { name: 'Picked' } } });
    picked = null;
    expect(await api.importPlanFile({})).toEqual({ ok: true, value: { cancelled: true } });
  });

  it('stages a file by uploading it', async () => {
    const r = await api.stageFile(new File(['a,b\n'], 'book.csv'));
    expect(r.ok).toBe(true);
    if (r.ok) expect(uploads.resolve(r.value.ref).fileName).toBe('book.csv');
  });

  it('delivers solve progress from the event stream', async () => {
    const events: ProgressEvent[] = [];
    const off = api.onProgress((e) => events.push(e));
    await FetchEventSource.last!.opened;
    const r = await api.solve({ plan: samplePlan({ name: 'progress' }) });
    expect(r).toMatchObject({ ok: true, value: { totalCost: 7 } });
    // The result and the last event travel on different connections: wait for the event.
    while (events.at(-1)?.fraction !== 1) await new Promise((resolve) => setImmediate(resolve));
    off();
    expect(events.every((e) => e.op === 'solve')).toBe(true);
    expect(events.at(-1)?.fraction).toBe(1);
    expect(api.onMenuCommand(() => {})).toBeTypeOf('function');
  });

  it('computes a frontier, with its progress tagged frontier on the event stream', async () => {
    const events: ProgressEvent[] = [];
    const off = api.onProgress((e) => events.push(e));
    await FetchEventSource.last!.opened;
    const r = await api.frontier({ plan: samplePlan({ name: 'progress' }) });
    expect(r.ok).toBe(true);
    expect(r.ok && r.value.points).toHaveLength(3);
    while (events.at(-1)?.fraction !== 1) await new Promise((resolve) => setImmediate(resolve));
    off();
    expect(events.every((e) => e.op === 'frontier')).toBe(true);
    const bad = await api.frontier({ plan: samplePlan(), points: 61 });
    expect(bad).toEqual({
      ok: false,
      error: { code: 'invalid_input', message: 'points: must be at most 60' },
    });
  });
});

describe('takeToken', () => {
  function fakes(href: string) {
    const store = new Map<string, string>();
    const replaced: string[] = [];
    const storage: StorageLike = {
      getItem: (k) => store.get(k) ?? null,
      setItem: (k, v) => void store.set(k, v),
    };
    const history: HistoryLike = {
      state: null,
      replaceState: (_s, _t, url) => void replaced.push(url),
    };
    return { location: { href }, storage, history, replaced };
  }

  it('takes the token from the URL, hides it, and keeps it for a reload', () => {
    const f = fakes('http://127.0.0.1:5000/?token=abc123&x=1#plans');
    expect(takeToken(f.location, f.storage, f.history)).toBe('abc123');
    expect(f.replaced).toEqual(['/?x=1#plans']);
    expect(takeToken({ href: 'http://127.0.0.1:5000/?x=1#plans' }, f.storage, f.history)).toBe(
      'abc123',
    );
  });

  it('is null without a token anywhere', () => {
    const f = fakes('http://127.0.0.1:5000/');
    expect(takeToken(f.location, f.storage, f.history)).toBeNull();
  });
});
