/**
 * Browser mode over HTTP: the built renderer plus the contract at `POST /api/<op>`, progress
 * as server-sent events at `GET /api/events`, uploads at `POST /api/files`.
 *
 * Security: listens on 127.0.0.1 only; every /api call needs the per-run token
 * (`Authorization: Bearer <token>`; EventSource cannot send headers, so /api/events alone
 * accepts `?token=`); the Host header must name 127.0.0.1 or localhost (DNS rebinding);
 * a cross-origin Origin is refused; no CORS headers are ever sent.
 *
 * Limits (docs/server.md): sockets that send no request, half a request or a stalled body are
 * closed within seconds (ServerLimits), the number of open connections is capped (the oldest
 * idle one makes room for a new one), and the JSON bodies held in memory at once are bounded
 * across requests (the excess gets 503); uploads are streamed to disk, never held.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { extname, resolve, sep } from 'node:path';
import {
  PlannerError,
  toApiError,
  type ErrorCode,
  type ProgressEvent,
  type Result,
  type Services,
} from '@shared/contract';
import { answerBytes } from '@shared/resultColumns';
import {
  BINARY_ANSWERS,
  COLUMNS_MEDIA_TYPE,
  binaryAnswerParts,
  type AnswerPlan,
} from '@shared/resultBinary';
import { dispatch, isOpName } from '../backend/dispatch';
import type { UploadStore } from './uploads';

/** Largest JSON body (importPlanFile's text may be 50 MB). */
export const MAX_JSON_BYTES = 60_000_000;
const HEARTBEAT_MS = 20_000;

/** How long a socket may stay silent, and how many may be open; tests inject small ones. */
export interface ServerLimits {
  /** From the connection (or the previous response) to the end of the request's headers. */
  headersTimeoutMs: number;
  /** From the connection to the end of the whole request, body included (large uploads). */
  requestTimeoutMs: number;
  /** An idle keep-alive socket between two requests. */
  keepAliveTimeoutMs: number;
  /** A request body that stops arriving (no byte for this long) is abandoned. */
  bodyIdleTimeoutMs: number;
  /** How often Node checks the header and request timeouts. */
  checkIntervalMs: number;
  /** Open connections at most; a new one closes the oldest without a request in progress. */
  maxConnections: number;
  /** JSON request bodies held in memory at once, all requests together (bytes). */
  maxJsonBytesInFlight: number;
}

export const DEFAULT_LIMITS: ServerLimits = {
  headersTimeoutMs: 20_000,
  requestTimeoutMs: 300_000,
  keepAliveTimeoutMs: 5_000,
  bodyIdleTimeoutMs: 30_000,
  checkIntervalMs: 5_000,
  maxConnections: 256,
  maxJsonBytesInFlight: MAX_JSON_BYTES,
};

export interface ServerOptions {
  services: Services;
  onProgress: (listener: (event: ProgressEvent) => void) => () => void;
  uploads: UploadStore;
  /** Built renderer folder (out/renderer). */
  rendererDir: string;
  /** 0 = any free port. */
  port: number;
  /** Defaults to a fresh random token. */
  token?: string;
  /** Defaults to DEFAULT_LIMITS. */
  limits?: Partial<ServerLimits>;
}

export interface RunningServer {
  port: number;
  token: string;
  url: string;
  server: Server;
  close(): Promise<void>;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

/** index.html's meta policy (the one the Electron window gets), plus frame-ancestors, which
 *  only a header can carry. */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; " +
  "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const STATUS: Partial<Record<ErrorCode, number>> = {
  invalid_input: 400,
  forbidden: 403,
  not_found: 404,
  too_large: 413,
  busy: 409,
  internal: 500,
  storage: 500,
};

export function startServer(options: ServerOptions): Promise<RunningServer> {
  const token = options.token ?? randomBytes(32).toString('base64url');
  const limits: ServerLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const tokenDigest = digest(token);
  const rendererDir = resolve(options.rendererDir);
  const sseClients = new Set<ServerResponse>();
  /** Open sockets, oldest first, with the number of requests in progress on each. */
  const sockets = new Map<Socket, { active: number }>();
  /** Bytes of JSON request bodies reserved by the requests in progress. */
  const budget = { inFlight: 0, max: limits.maxJsonBytesInFlight };
  let port = 0;

  /** Exact match in constant time: both sides are hashed to the same length first. */
  const hasToken = (candidate: string | null | undefined): boolean =>
    !!candidate && timingSafeEqual(digest(candidate), tokenDigest);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    if (!hostAllowed(req.headers.host, port)) {
      return sendJson(res, 403, failure('forbidden', 'Host header must be 127.0.0.1 or localhost'));
    }
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    if (!url.pathname.startsWith('/api/')) return serveStatic(req, res, url.pathname);

    res.setHeader('Cache-Control', 'no-store');
    const origin = req.headers.origin;
    if (origin !== undefined && !hostAllowed(originHost(origin), port)) {
      return sendJson(
        res,
        403,
        failure('forbidden', `cross-origin requests are refused (${origin})`),
      );
    }
    const isEvents = url.pathname === '/api/events';
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!hasToken(bearer) && !(isEvents && hasToken(url.searchParams.get('token')))) {
      res.setHeader('WWW-Authenticate', 'Bearer');
      return sendJson(
        res,
        401,
        failure('forbidden', 'missing or wrong token: send Authorization: Bearer <token>'),
      );
    }

    if (isEvents) {
      if (req.method !== 'GET') return methodNotAllowed(res, 'GET');
      return openEvents(req, res);
    }
    if (req.method !== 'POST') return methodNotAllowed(res, 'POST');
    if (url.pathname === '/api/files') return upload(req, res);

    const op = url.pathname.slice('/api/'.length);
    if (!isOpName(op)) {
      return sendJson(res, 404, failure('not_found', `unknown operation ${JSON.stringify(op)}`));
    }
    let body: unknown;
    const reservation = new Reservation(budget);
    res.once('close', () => reservation.release());
    try {
      body = await readJson(req, reservation, limits.bodyIdleTimeoutMs);
    } catch (e) {
      if (e instanceof Saturated) {
        res.setHeader('Retry-After', '1');
        res.setHeader('Connection', 'close');
        return sendJson(res, 503, failure('busy', e.message));
      }
      const err = toApiError(e);
      if (err.code === 'too_large') res.setHeader('Connection', 'close');
      return sendJson(res, STATUS[err.code] ?? 400, { ok: false, error: err });
    }
    const result = await dispatch(options.services, op, body);
    if (!result.ok) return sendJson(res, STATUS[result.error.code] ?? 422, result);
    // A columnar result's number columns go out as raw numbers to a window that asks for
    // them (an opened plan's as they were stored), else as base64 in the JSON, written from
    // the typed arrays either way.
    // Schedule columns the window rebuilds bit for bit from the others are left out; the
    // solved plan's figures (the order's shares, the reference price) are what they may use.
    if (BINARY_ANSWERS.includes(op) && acceptsColumns(req)) {
      const plan = op === 'solve' ? (body as { plan?: AnswerPlan } | null)?.plan : undefined;
      return sendParts(res, binaryAnswerParts(op, result.value, plan), COLUMNS_MEDIA_TYPE);
    }
    sendBytes(res, 200, answerBytes(op, result.value));
  }

  function openEvents(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
    });
    res.write('retry: 2000\n\n');
    sseClients.add(res);
    const unsubscribe = options.onProgress((event) => {
      res.write(`data: ${JSON.stringify(event)}\n\n`);
    });
    const heartbeat = setInterval(() => res.write(': ping\n\n'), HEARTBEAT_MS);
    const done = () => {
      clearInterval(heartbeat);
      unsubscribe();
      sseClients.delete(res);
    };
    req.on('close', done);
    res.on('close', done);
  }

  async function upload(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (declared > options.uploads.maxBytes) {
      req.resume();
      return sendJson(
        res,
        413,
        failure('too_large', `file: uploads are limited to ${options.uploads.maxBytes} bytes`),
      );
    }
    let fileName = 'upload';
    try {
      fileName = decodeURIComponent(String(req.headers['x-file-name'] ?? 'upload')).slice(0, 500);
    } catch {
      // keep the default name for a badly encoded header
    }
    const stopIdle = abandonWhenIdle(req, limits.bodyIdleTimeoutMs);
    try {
      const ref = await options.uploads.save(req, fileName);
      sendJson(res, 200, { ok: true, value: { ref } });
    } catch (e) {
      if (!req.complete) req.resume(); // drain the rest so that the client reads the answer
      const err = toApiError(e);
      res.setHeader('Connection', 'close');
      sendJson(res, STATUS[err.code] ?? 500, { ok: false, error: err });
    } finally {
      stopIdle();
    }
  }

  async function serveStatic(req: IncomingMessage, res: ServerResponse, pathname: string) {
    if (req.method !== 'GET' && req.method !== 'HEAD') return methodNotAllowed(res, 'GET, HEAD');
    let decoded: string;
    try {
      decoded = decodeURIComponent(pathname);
    } catch {
      return sendText(res, 400, 'bad path');
    }
    const file = resolve(rendererDir, `.${decoded === '/' ? '/index.html' : decoded}`);
    if (!file.startsWith(rendererDir + sep)) return sendText(res, 404, 'not found');
    let size: number;
    try {
      const info = await stat(file);
      if (!info.isFile()) return sendText(res, 404, 'not found');
      size = info.size;
    } catch {
      const hint = decoded === '/' ? ' (the renderer is not built: run npm run build)' : '';
      return sendText(res, 404, `not found${hint}`);
    }
    const type = CONTENT_TYPES[extname(file)] ?? 'application/octet-stream';
    const headers: Record<string, string | number> = {
      'Content-Type': type,
      'Content-Length': size,
    };
    if (type.startsWith('text/html')) {
      headers['Content-Security-Policy'] = CONTENT_SECURITY_POLICY;
      headers['X-Frame-Options'] = 'DENY';
      headers['Cache-Control'] = 'no-store';
    }
    res.writeHead(200, headers);
    if (req.method === 'HEAD') return void res.end();
    createReadStream(file).pipe(res);
  }

  const server = createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      connectionsCheckingInterval: limits.checkIntervalMs,
    },
    (req, res) => {
      const state = sockets.get(req.socket);
      if (state) {
        state.active++;
        res.once('close', () => state.active--);
      }
      handle(req, res).catch((e: unknown) => {
        if (!res.headersSent) sendJson(res, 500, { ok: false, error: toApiError(e) });
        else res.destroy();
      });
    },
  );

  // The connection cap: a new connection over it closes the oldest one that has no request
  // in progress (a socket that sent nothing, half a request, or sits between two requests),
  // so idle sockets can never lock out the browser; with none idle, the new one is refused.
  server.on('connection', (socket: Socket) => {
    if (sockets.size >= limits.maxConnections) {
      let idle: Socket | undefined;
      for (const [open, state] of sockets) {
        if (state.active === 0) {
          idle = open;
          break;
        }
      }
      if (!idle) return void socket.destroy();
      sockets.delete(idle);
      idle.destroy();
    }
    sockets.set(socket, { active: 0 });
    socket.once('close', () => sockets.delete(socket));
  });

  return new Promise((resolveStart, rejectStart) => {
    server.once('error', rejectStart);
    server.listen(options.port, '127.0.0.1', () => {
      server.off('error', rejectStart);
      port = (server.address() as AddressInfo).port;
      resolveStart({
        port,
        token,
        url: `http://127.0.0.1:${port}/?token=${token}`,
        server,
        close: () =>
          new Promise<void>((done) => {
            for (const client of sseClients) client.end();
            sseClients.clear();
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}

/** "127.0.0.1:8080" / "localhost:8080" (port must match when given). */
export function hostAllowed(host: string | undefined, port: number): boolean {
  if (!host) return false;
  const m = /^(127\.0\.0\.1|localhost)(?::(\d+))?$/i.exec(host);
  return m !== null && (m[2] === undefined || Number(m[2]) === port);
}

function originHost(origin: string): string | undefined {
  try {
    const u = new URL(origin);
    return u.protocol === 'http:' ? u.host : undefined;
  } catch {
    return undefined;
  }
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** Too many request bytes held at once across requests: try again shortly (503). */
class Saturated extends Error {}

/**
 * Destroy the request's socket when its body stops arriving for `ms`; returns the function
 * that ends the watch (call it once the body has been read).
 */
function abandonWhenIdle(req: IncomingMessage, ms: number): () => void {
  const socket = req.socket;
  const onTimeout = () => socket.destroy();
  socket.setTimeout(ms);
  socket.once('timeout', onTimeout);
  return () => {
    socket.setTimeout(0);
    socket.off('timeout', onTimeout);
  };
}

/** Bytes reserved from the shared budget by one request, released when its response ends. */
class Reservation {
  bytes = 0;
  constructor(private readonly budget: { inFlight: number; max: number }) {}
  get limit(): number {
    return this.budget.max;
  }
  take(bytes: number): boolean {
    if (this.budget.inFlight + bytes > this.budget.max) return false;
    this.budget.inFlight += bytes;
    this.bytes += bytes;
    return true;
  }
  release(): void {
    this.budget.inFlight -= this.bytes;
    this.bytes = 0;
  }
}

/**
 * The JSON body, parsed. Its bytes are reserved in the shared budget (declared length up
 * front, else as they arrive) and stay reserved until the response ends: the body, its text
 * and what was parsed from it live that long. Past the budget the request is refused
 * (Saturated) and its body drained unread, so memory stays bounded however many come at once.
 */
async function readJson(
  req: IncomingMessage,
  reservation: Reservation,
  idleMs: number,
): Promise<unknown> {
  const tooLarge = () =>
    new PlannerError('too_large', `request body: larger than ${MAX_JSON_BYTES} bytes`);
  const header = req.headers['content-length'];
  const declared = header === undefined ? null : Number(header);
  if (declared !== null && declared > MAX_JSON_BYTES) {
    req.resume();
    throw tooLarge();
  }
  const reserve = (bytes: number) => {
    if (reservation.take(bytes)) return;
    req.resume();
    throw new Saturated(
      `the server is receiving too much at once (request bodies being handled are limited to ${reservation.limit} bytes in total); try again shortly`,
    );
  };
  const stopIdle = abandonWhenIdle(req, idleMs);
  let text: string;
  try {
    if (declared !== null && Number.isSafeInteger(declared) && declared >= 0) reserve(declared);
    // One buffer of the declared size when there is one: no list of chunks to concatenate.
    let body = Buffer.allocUnsafe(reservation.bytes);
    let total = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      const need = total + chunk.length;
      if (need > MAX_JSON_BYTES) {
        req.resume();
        throw tooLarge();
      }
      if (need > body.length) {
        const size = Math.min(MAX_JSON_BYTES, Math.max(need, body.length * 2));
        reserve(size - body.length);
        const grown = Buffer.allocUnsafe(size);
        body.copy(grown, 0, 0, total);
        body = grown;
      }
      chunk.copy(body, total);
      total = need;
    }
    text = body.toString('utf8', 0, total);
  } finally {
    stopIdle();
  }
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new PlannerError(
      'invalid_input',
      `request body: malformed JSON (${(e as Error).message})`,
    );
  }
}

function failure(code: ErrorCode, message: string): Result<never> {
  return { ok: false, error: { code, message } };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** Whether the request asks for binary answers (resultBinary.ts). */
function acceptsColumns(req: IncomingMessage): boolean {
  return (req.headers.accept ?? '').split(',').some((t) => t.trim().startsWith(COLUMNS_MEDIA_TYPE));
}

function sendBytes(
  res: ServerResponse,
  status: number,
  body: Uint8Array,
  type = 'application/json; charset=utf-8',
): void {
  res.writeHead(status, {
    'Content-Type': type,
    'Content-Length': body.byteLength,
  });
  res.end(body);
}

/** A 200 answer written part by part (one write of all of them), nothing copied. */
function sendParts(res: ServerResponse, parts: Uint8Array[], type: string): void {
  res.writeHead(200, {
    'Content-Type': type,
    'Content-Length': parts.reduce((n, p) => n + p.byteLength, 0),
  });
  res.cork();
  for (const p of parts) res.write(p);
  res.end();
  res.uncork();
}

function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(text);
}

function methodNotAllowed(res: ServerResponse, allow: string): void {
  res.setHeader('Allow', allow);
  sendJson(res, 405, failure('invalid_input', `method not allowed (use ${allow})`));
}
