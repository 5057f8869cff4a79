import type { IpcMainInvokeEvent } from 'electron';
import { describe, expect, it } from 'vitest';
import { OP_NAMES, type Services } from '@shared/contract';
import { registerIpc, type IpcMainLike } from './ipc';

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
