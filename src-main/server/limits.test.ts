/**
 * The browser-mode server's limits (docs/server.md) with small timeouts and caps injected
 * through ServerOptions.limits, so that nothing here waits for the real ones.
 */
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../testing/server';
import { DEFAULT_LIMITS, type ServerLimits } from './server';

let dir: string;
const open: TestServer[] = [];
const sockets: Socket[] = [];

afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  for (const server of open.splice(0)) await server.close();
  rmSync(dir, { recursive: true, force: true });
});

async function serverWith(limits: Partial<ServerLimits>): Promise<TestServer> {
  dir = mkdtempSync(join(tmpdir(), 'op-limits-'));
  const server = await startTestServer({
    version: '1.0.0',
    dataDir: ':memory:',
    rendererDir: dir,
    uploadLimit: 10_000,
    limits,
  });
  open.push(server);
  return server;
}

/** A raw loopback socket, connected, that has sent `text` (maybe nothing). */
async function rawSocket(port: number, text = ''): Promise<Socket> {
  const socket = connect(port, '127.0.0.1');
  sockets.push(socket);
  socket.on('error', () => {}); // reset by the server: what some tests wait for
  socket.resume();
  await once(socket, 'connect');
  if (text) socket.write(text);
  return socket;
}

/** Resolves once the server has closed the socket (fails by the test's timeout otherwise). */
async function closedByServer(socket: Socket): Promise<void> {
  if (!socket.closed) await once(socket, 'close');
}

/** An authenticated POST /api/<op>: its status and body text. */
function post(
  server: TestServer,
  op: string,
  body: string,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: server.srv.port,
        path: `/api/${op}`,
        method: 'POST',
        headers: {
          Authorization: `Bearer ${server.srv.token}`,
          'Content-Length': Buffer.byteLength(body),
        },
        agent: false,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const quick = {
  headersTimeoutMs: 300,
  requestTimeoutMs: 600,
  keepAliveTimeoutMs: 200,
  bodyIdleTimeoutMs: 300,
  checkIntervalMs: 50,
};

describe('browser-mode server: idle sockets', () => {
  it('idle-socket-timeout: by default a silent socket is closed within 60 s in every state', async () => {
    const d = DEFAULT_LIMITS;
    // Node checks the header timeout every checkIntervalMs: the worst case is their sum.
    expect(d.headersTimeoutMs + d.checkIntervalMs).toBeLessThanOrEqual(60_000);
    expect(d.bodyIdleTimeoutMs).toBeLessThanOrEqual(60_000);
    expect(d.keepAliveTimeoutMs).toBeLessThanOrEqual(60_000);
    const server = await serverWith({});
    expect(server.srv.server).toMatchObject({
      headersTimeout: d.headersTimeoutMs,
      requestTimeout: d.requestTimeoutMs,
      keepAliveTimeout: d.keepAliveTimeoutMs,
    });
  });

  it('idle-socket-timeout: a socket that never sends a byte is closed by the server', async () => {
    const server = await serverWith(quick);
    await closedByServer(await rawSocket(server.srv.port));
  });

  it('idle-socket-timeout: a socket that sends half a request line is closed', async () => {
    const server = await serverWith(quick);
    await closedByServer(await rawSocket(server.srv.port, 'GET /api/ev'));
  });

  it('idle-socket-timeout: headers without the end of the header block are closed', async () => {
    const server = await serverWith(quick);
    const socket = await rawSocket(server.srv.port, 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    await closedByServer(socket);
  });

  it('idle-socket-timeout: a request body that stops arriving is abandoned', async () => {
    const server = await serverWith({ ...quick, requestTimeoutMs: 600_000 });
    const head =
      `POST /api/appInfo HTTP/1.1\r\nHost: 127.0.0.1:${server.srv.port}\r\n` +
      `Authorization: Bearer ${server.srv.token}\r\nContent-Length: 1000\r\n\r\n{"a":`;
    await closedByServer(await rawSocket(server.srv.port, head));
    // The bytes that request reserved are back: a new request is served.
    expect((await post(server, 'appInfo', '{}')).status).toBe(200);
  });

  it('idle-socket-timeout: a kept-alive socket idle after its response is closed', async () => {
    const server = await serverWith(quick);
    const socket = await rawSocket(
      server.srv.port,
      `GET / HTTP/1.1\r\nHost: 127.0.0.1:${server.srv.port}\r\nConnection: keep-alive\r\n\r\n`,
    );
    await closedByServer(socket);
  });
});

describe('browser-mode server: connection cap', () => {
  it('connection-cap: idle sockets beyond the cap are closed and a real request is still answered', async () => {
    // Long timeouts: only the cap can close these sockets during the test.
    const server = await serverWith({
      maxConnections: 4,
      headersTimeoutMs: 600_000,
      requestTimeoutMs: 600_000,
    });
    const idle: Socket[] = [];
    for (let i = 0; i < 12; i++) idle.push(await rawSocket(server.srv.port, i % 2 ? 'GET /' : ''));
    const answered = await post(server, 'appInfo', '{}');
    expect(answered.status).toBe(200);
    expect(JSON.parse(answered.text)).toMatchObject({ ok: true, value: { mode: 'browser' } });
    // The oldest idle ones made room: at most 4 connections stay open.
    await Promise.all(idle.slice(0, 9).map(closedByServer));
    const connections = await new Promise<number>((resolve, reject) =>
      server.srv.server.getConnections((e, n) => (e ? reject(e) : resolve(n))),
    );
    expect(connections).toBeLessThanOrEqual(4);
  });
});

describe('browser-mode server: request bodies in flight', () => {
  it('bodies-in-flight: bytes held across requests are bounded; the excess gets 503, small ones pass', async () => {
    const server = await serverWith({ maxJsonBytesInFlight: 1000, bodyIdleTimeoutMs: 600_000 });
    // A first request declares 800 bytes and sends a part: those 800 are reserved.
    const held = await rawSocket(
      server.srv.port,
      `POST /api/listPlans HTTP/1.1\r\nHost: 127.0.0.1:${server.srv.port}\r\n` +
        `Authorization: Bearer ${server.srv.token}\r\nContent-Length: 800\r\n\r\n{`,
    );
    let heldReply = '';
    held.setEncoding('utf8').on('data', (chunk: string) => (heldReply += chunk));
    // Once the server has read those headers, a second large body does not fit.
    const big = `{${' '.repeat(700)}}`;
    let refused = await post(server, 'listPlans', big);
    for (let i = 0; i < 20 && refused.status === 200; i++) {
      refused = await post(server, 'listPlans', big);
    }
    expect(refused.status).toBe(503);
    expect(JSON.parse(refused.text)).toEqual({
      ok: false,
      error: {
        code: 'busy',
        message:
          'the server is receiving too much at once (request bodies being handled are limited to 1000 bytes in total); try again shortly',
      },
    });
    // A small one still fits beside it.
    expect((await post(server, 'listPlans', '{}')).status).toBe(200);
    // The first one completes and its bytes are released: the large one passes now.
    held.write(`${' '.repeat(798)}}`);
    while (!heldReply.includes('\r\n\r\n')) await once(held, 'data');
    expect(heldReply).toMatch(/^HTTP\/1\.1 200/);
    expect((await post(server, 'listPlans', big)).status).toBe(200);
  });
});
