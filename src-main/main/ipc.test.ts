import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IpcMainInvokeEvent } from 'electron';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OP_NAMES, type Result, type Services } from '@shared/contract';
import { mbp10Csv, syntheticDay } from '../../test/fixtures/mbp10';
import { createBackend, type Backend } from '../backend/backend';
import { STAGE_FILE_CHANNEL } from '../platform/ipcChannels';
import { tsWorkerSpawner } from '../testing/forkTs';
import { registerFileStaging, registerIpc, type IpcMainLike } from './ipc';
import { PickedFiles } from './pickedFiles';

type Handler = (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown;

function fakeIpc() {
  const handlers = new Map<string, Handler>();
  const ipc: IpcMainLike = {
    handle: (channel, l) => void handlers.set(channel, l),
    removeHandler: (channel) => void handlers.delete(channel),
  };
  return { ipc, handlers };
}

const services = new Proxy({} as Services, {
  get: (_t, op: string) => (input: unknown) => ({ op, input }),
});
const trusted = { trusted: true } as unknown as IpcMainInvokeEvent;
const stranger = { trusted: false } as unknown as IpcMainInvokeEvent;
const isTrusted = (e: IpcMainInvokeEvent) => (e as unknown as { trusted: boolean }).trusted;

describe('registerIpc', () => {
  it('registers one handler per contract operation and removes them all', () => {
    const { ipc, handlers } = fakeIpc();
    const dispose = registerIpc(ipc, services, isTrusted);
    expect([...handlers.keys()].sort()).toEqual(OP_NAMES.map((op) => `planner:${op}`).sort());
    dispose();
    expect(handlers.size).toBe(0);
  });

  it('refuses a sender that is not the app main frame', async () => {
    const { ipc, handlers } = fakeIpc();
    registerIpc(ipc, services, isTrusted);
    expect(await handlers.get('planner:listPlans')!(stranger, {})).toEqual({
      ok: false,
      error: { code: 'forbidden', message: "listPlans: only the app's own window may call this" },
    });
  });

  it('parses input with the operation schema before calling the service', async () => {
    const { ipc, handlers } = fakeIpc();
    registerIpc(ipc, services, isTrusted);
    expect(await handlers.get('planner:renamePlan')!(trusted, { id: 'a', name: '' })).toEqual({
      ok: false,
      error: { code: 'invalid_input', message: 'name: must not be empty' },
    });
    expect(
      await handlers.get('planner:renamePlan')!(trusted, { id: 'a', name: '  New  ', extra: 1 }),
    ).toEqual({
      ok: true,
      value: { op: 'renamePlan', input: { id: 'a', name: 'New' } },
    });
    expect(await handlers.get('planner:appInfo')!(trusted, undefined)).toEqual({
      ok: true,
      value: { op: 'appInfo', input: {} },
    });
  });
});

describe('file staging (stageFile → importBook)', () => {
  const session = { start: '09:30', end: '09:50', timeZone: 'America/New_York' };
  let dir: string;
  let backend: Backend | null = null;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'op-ipc-files-'));
  });
  afterEach(async () => {
    await backend?.close();
    backend = null;
    rmSync(dir, { recursive: true, force: true });
  });

  /** Main as index.ts wires it: the registry resolves importBook's `file`, releases it after. */
  function wire() {
    const files = new PickedFiles();
    backend = createBackend({
      mode: 'electron',
      version: '1.0.0',
      dataDir: ':memory:',
      spawn: tsWorkerSpawner('src-main/solver/fakeWorker.testchild.ts'),
      resolveFile: (ref) => files.resolve(ref),
      releaseFile: (ref) => files.release(ref),
    });
    const { ipc, handlers } = fakeIpc();
    registerIpc(ipc, backend.services, isTrusted);
    registerFileStaging(ipc, files, isTrusted);
    const invoke = (channel: string, input: unknown) =>
      handlers.get(channel)!(trusted, input) as Promise<Result<unknown>>;
    return { files, handlers, invoke };
  }

  function bookFile(): string {
    const path = join(dir, 'ACME.csv');
    const day = syntheticDay({
      fromMs: Date.parse('2025-04-03T13:33:00Z'),
      toMs: Date.parse('2025-04-03T13:51:00Z'),
      rows: 200,
      seed: 3,
    });
    writeFileSync(path, mbp10Csv(day, { symbol: 'ACME' }));
    return path;
  }

  it('importBook-accepts-any-path: a path from the renderer is refused, only a staged id imports', async () => {
    const { invoke } = wire();
    const path = bookFile();
    const raw = await invoke('planner:importBook', { file: path, periodMinutes: 1, session });
    expect(raw).toEqual({
      ok: false,
      error: {
        code: 'not_found',
        message: 'file: unknown file reference (pick or drop the file again)',
      },
    });

    const staged = (await invoke(STAGE_FILE_CHANNEL, { path })) as Result<{ ref: string }>;
    expect(staged).toEqual({ ok: true, value: { ref: expect.stringMatching(/^file-/) } });
    if (!staged.ok) return;
    expect(staged.value.ref).not.toContain(path);
    const imported = await invoke('planner:importBook', {
      file: staged.value.ref,
      periodMinutes: 1,
      session,
    });
    expect(imported).toMatchObject({ ok: true, value: { symbol: 'ACME', fileName: 'ACME.csv' } });

    // Single use: the id is gone once its import has ended.
    const again = await invoke('planner:importBook', {
      file: staged.value.ref,
      periodMinutes: 1,
      session,
    });
    expect(again).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('the staging channel refuses other senders and input that is not { path }', async () => {
    const { files, handlers, invoke } = wire();
    expect(await handlers.get(STAGE_FILE_CHANNEL)!(stranger, { path: '/home/me/a.csv' })).toEqual({
      ok: false,
      error: {
        code: 'forbidden',
        message: "stageFile: only the app's own window may call this",
      },
    });
    expect(await invoke(STAGE_FILE_CHANNEL, '/home/me/a.csv')).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
    expect(await invoke(STAGE_FILE_CHANNEL, { path: 'relative.csv' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
    expect(files.size).toBe(0);
  });
});
