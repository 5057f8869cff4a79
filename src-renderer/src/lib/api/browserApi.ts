/**
 * window.planner for browser mode (`npm run serve`): the same contract over HTTP.
 * - `POST /api/<op>` with the per-run token as `Authorization: Bearer <token>`, for every
 *   operation of the contract's list (OP_NAMES), as the preload does for IPC; only the
 *   operations that need the browser's help are written out (SPECIAL below);
 * - progress from the server-sent event stream `GET /api/events?token=` (opened while
 *   someone listens);
 * - stageFile uploads the file (`POST /api/files`) and returns the server's reference;
 * - exports become downloads (savedTo = the file name), like Electron's save dialog.
 */
import type {
  ExportedFile,
  OpInput,
  OpOutput,
  PlannerApi,
  ProgressEvent,
  Result,
} from '@shared/contract';
import { OP_NAMES, type OpName } from '@shared/operations';
import { PLAN_FILE_ACCEPT } from '@shared/planFile';
import { inputToJson } from '@shared/resultColumns';
import { BINARY_ANSWERS, COLUMNS_MEDIA_TYPE, answerFromBinary } from '@shared/resultBinary';
import { outputFromAnswer } from './trustedResult';

export interface BrowserApiOptions {
  token: string | null;
  /** Origin of the server; defaults to the page's. */
  baseUrl?: string;
  fetch?: typeof fetch;
  /** EventSource constructor (injectable for tests). */
  EventSource?: new (url: string) => EventSource;
  /** Hand a file to the user (default: a Blob download). */
  download?: (file: ExportedFile) => void;
  /** Open the browser's print dialog (default: window.print). */
  print?: () => void;
  /** Let the user pick a file (default: a hidden file input); null when cancelled. */
  pickFile?: (accept: string) => Promise<File | null>;
}

type AnyResult = Result<unknown>;
/** window.planner's operations (everything but the subscriptions and stageFile). */
type Operations = Pick<PlannerApi, OpName>;

const UNREACHABLE = 'could not reach the Order Planner server (is `npm run serve` still running?)';
const NO_TOKEN =
  "this page's access token is missing or wrong: open the URL that `npm run serve` printed";

export function createBrowserApi(options: BrowserApiOptions): PlannerApi {
  const base = (options.baseUrl ?? '').replace(/\/$/, '');
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const download = options.download ?? downloadFile;
  const pickFile = options.pickFile ?? pickWithInput;
  const print = options.print ?? (() => window.print());
  const headers = (): Record<string, string> =>
    options.token ? { Authorization: `Bearer ${options.token}` } : {};

  async function send(path: string, init: RequestInit, what: string): Promise<AnyResult> {
    let response: Response;
    try {
      response = await doFetch(`${base}${path}`, init);
    } catch {
      return failure('internal', `${what}: ${UNREACHABLE}`);
    }
    if (response.status === 401) return failure('forbidden', `${what}: ${NO_TOKEN}`);
    let body: unknown;
    try {
      const type = response.headers.get('Content-Type') ?? '';
      body = type.startsWith(COLUMNS_MEDIA_TYPE)
        ? answerFromBinary(await response.arrayBuffer())
        : await response.json();
    } catch {
      return failure(
        'internal',
        `${what}: the server answered HTTP ${response.status} without a result`,
      );
    }
    return isResult(body)
      ? body
      : failure(
          'internal',
          `${what}: the server answered HTTP ${response.status} without a result`,
        );
  }

  /**
   * Results go out as column-wise JSON and come back in the binary answer (resultBinary.ts),
   * their shape checked (trustedResult.ts).
   */
  async function request<K extends OpName>(op: K, input: OpInput<K>): Promise<Result<OpOutput<K>>> {
    const r = await send(
      `/api/${op}`,
      {
        method: 'POST',
        headers: {
          ...headers(),
          'Content-Type': 'application/json',
          ...(BINARY_ANSWERS.includes(op) ? { Accept: COLUMNS_MEDIA_TYPE } : {}),
        },
        body: JSON.stringify(inputToJson(op, input ?? {})),
      },
      op,
    );
    if (!r.ok) return r as Result<OpOutput<K>>;
    try {
      return { ok: true, value: outputFromAnswer(op, r.value) as OpOutput<K> };
    } catch (e) {
      const message = `${op}: the server's result is malformed (${(e as Error).message})`;
      return failure('internal', message) as Result<OpOutput<K>>;
    }
  }

  async function exported<K extends 'exportScheduleCsv' | 'exportPlanFile'>(
    op: K,
    input: OpInput<K>,
  ): Promise<Result<ExportedFile>> {
    const r = await request(op, input);
    if (!r.ok) return r;
    download(r.value);
    return { ok: true, value: { ...r.value, savedTo: r.value.fileName } };
  }

  async function stageFile(file: File): Promise<Result<{ ref: string }>> {
    return send(
      '/api/files',
      {
        method: 'POST',
        headers: {
          ...headers(),
          'Content-Type': 'application/octet-stream',
          'X-File-Name': encodeURIComponent(file.name),
        },
        body: file,
      },
      'upload',
    ) as Promise<Result<{ ref: string }>>;
  }

  // Progress: one event stream while anyone listens.
  const listeners = new Set<(event: ProgressEvent) => void>();
  let stream: EventSource | null = null;
  function onProgress(listener: (event: ProgressEvent) => void): () => void {
    listeners.add(listener);
    if (!stream) {
      const Source = options.EventSource ?? EventSource;
      const query = options.token ? `?token=${encodeURIComponent(options.token)}` : '';
      stream = new Source(`${base}/api/events${query}`);
      stream.onmessage = (message: MessageEvent<string>) => {
        let event: ProgressEvent;
        try {
          event = JSON.parse(message.data) as ProgressEvent;
        } catch {
          return;
        }
        for (const l of listeners) l(event);
      };
    }
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0 && stream) {
        stream.close();
        stream = null;
      }
    };
  }

  // The operations that are more than one request: a file to pick first (Electron shows an
  // open dialog in main instead), or a file to hand to the user afterwards.
  const special: Partial<Operations> = {
    exportScheduleCsv: (input) => exported('exportScheduleCsv', input),
    exportPlanFile: (input) => exported('exportPlanFile', input),
    // The browser writes PDFs itself: its print dialog (Save as PDF) takes the page, whose
    // print style sheet shows the report alone.
    async exportReportPdf(input) {
      print();
      return { ok: true, value: { fileName: `${input.name ?? 'plan'} report.pdf`, savedTo: null } };
    },
    async importPlanFile(input) {
      if (input.text !== undefined || input.file !== undefined)
        return request('importPlanFile', input);
      const file = await pickFile(PLAN_FILE_ACCEPT);
      if (!file) return { ok: true, value: { cancelled: true } };
      return request('importPlanFile', { text: await file.text(), fileName: file.name });
    },
    async importBook(input) {
      if (input.file !== undefined) return request('importBook', input);
      const file = await pickFile('.csv,.txt,text/csv,.dbn,.zst');
      if (!file) return { ok: true, value: { cancelled: true } };
      const staged = await stageFile(file);
      if (!staged.ok) return staged;
      return request('importBook', { ...input, file: staged.value.ref, fileName: file.name });
    },
  };
  // Every other operation of the contract is one POST: a new operation needs nothing here.
  const operations = Object.fromEntries(
    OP_NAMES.map((op) => [op, special[op] ?? ((input: never) => request(op, input))]),
  ) as Operations;

  return {
    ...operations,
    onProgress,
    stageFile,
    // Browser mode has no application menu; the window's own keyboard shortcuts apply.
    onMenuCommand: () => () => {},
    // Nor does the operating system open plan files in it (the desktop app's associations).
    onOpenPlanFile: () => () => {},
  };
}

function failure(code: 'internal' | 'forbidden', message: string): AnyResult {
  return { ok: false, error: { code, message } };
}

function isResult(v: unknown): v is AnyResult {
  if (typeof v !== 'object' || v === null || !('ok' in v)) return false;
  const r = v as { ok: unknown; error?: { code?: unknown; message?: unknown } };
  if (r.ok === true) return 'value' in r;
  return r.ok === false && typeof r.error?.code === 'string' && typeof r.error.message === 'string';
}

function downloadFile(file: ExportedFile): void {
  const url = URL.createObjectURL(new Blob([file.content], { type: file.mimeType }));
  const a = document.createElement('a');
  a.href = url;
  a.download = file.fileName;
  a.rel = 'noopener';
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}

function pickWithInput(accept: string): Promise<File | null> {
  return new Promise((resolve) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.accept = accept;
    input.style.display = 'none';
    const done = (file: File | null) => {
      input.remove();
      resolve(file);
    };
    input.addEventListener('change', () => done(input.files?.[0] ?? null), { once: true });
    input.addEventListener('cancel', () => done(null), { once: true });
    document.body.append(input);
    input.click();
  });
}

const TOKEN_KEY = 'order-planner-token';

/**
 * The token from the page URL (`?token=`), moved out of the visible URL into
 * sessionStorage so that a reload still works and the address bar does not show it.
 */
export function takeToken(
  location: Location = window.location,
  storage: Storage = window.sessionStorage,
  history: History = window.history,
): string | null {
  const url = new URL(location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    storage.setItem(TOKEN_KEY, fromUrl);
    url.searchParams.delete('token');
    history.replaceState(history.state, '', `${url.pathname}${url.search}${url.hash}`);
    return fromUrl;
  }
  return storage.getItem(TOKEN_KEY);
}
