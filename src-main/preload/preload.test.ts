/** The preload exposes exactly the contract's operations (no generic invoke). Electron is
 *  replaced by a recording fake; there is no Electron binary here. */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { MENU_COMMANDS, OP_NAMES, type PlannerApi } from '@shared/contract';

const exposed: Record<string, unknown> = {};
const invoke = vi.fn(async (channel: string, input: unknown) => ({
  ok: true,
  value: { channel, input },
}));
const listeners = new Map<string, (event: unknown, value: unknown) => void>();

vi.mock('electron', () => ({
  contextBridge: {
    exposeInMainWorld: (key: string, api: unknown) => {
      exposed[key] = api;
    },
  },
  ipcRenderer: {
    invoke,
    on: (channel: string, l: (event: unknown, value: unknown) => void) => listeners.set(channel, l),
    removeListener: (channel: string) => listeners.delete(channel),
  },
  webUtils: {
    getPathForFile: (file: { name?: string }) => {
      if (typeof file?.name !== 'string') throw new TypeError('Expected a File');
      return file.name === 'memory' ? '' : `/home/me/${file.name}`;
    },
  },
}));

let api: PlannerApi;
beforeAll(async () => {
  await import('./index');
  api = exposed.planner as PlannerApi;
});

describe('preload', () => {
  it('exposes exactly the contract operations plus the subscriptions and stageFile', () => {
    expect(Object.keys(exposed)).toEqual(['planner']);
    expect(Object.keys(api).sort()).toEqual(
      [...OP_NAMES, 'onMenuCommand', 'onOpenPlanFile', 'onProgress', 'stageFile'].sort(),
    );
    for (const key of Object.keys(api))
      expect(typeof (api as Record<string, unknown>)[key]).toBe('function');
  });

  it('each operation invokes its own channel with the input', async () => {
    for (const op of OP_NAMES) {
      const r = await (api[op] as (i: unknown) => Promise<unknown>)({ probe: op });
      expect(r).toEqual({ ok: true, value: { channel: `planner:${op}`, input: { probe: op } } });
    }
  });

  it('turns a failed invoke into an error result', async () => {
    invoke.mockRejectedValueOnce(new Error('No handler registered'));
    expect(await api.appInfo({})).toEqual({
      ok: false,
      error: {
        code: 'internal',
        message: 'appInfo: the backend did not answer (No handler registered)',
      },
    });
  });

  it('delivers progress and known menu commands, and unsubscribes', () => {
    const progress: unknown[] = [];
    const commands: unknown[] = [];
    const offProgress = api.onProgress((e) => progress.push(e));
    api.onMenuCommand((c) => commands.push(c));
    listeners.get('planner:progress')!({}, { op: 'solve', fraction: 0.5 });
    listeners.get('planner:progress')!({}, 'junk');
    listeners.get('planner:menu')!({}, MENU_COMMANDS[0]);
    listeners.get('planner:menu')!({}, 'rm -rf');
    expect(progress).toEqual([{ op: 'solve', fraction: 0.5 }]);
    expect(commands).toEqual([MENU_COMMANDS[0]]);
    offProgress();
    expect(listeners.has('planner:progress')).toBe(false);
  });

  it('importBook-accepts-any-path: stageFile sends the path to main and gives the page only its id', async () => {
    invoke.mockResolvedValueOnce({ ok: true, value: { ref: 'file-0123' } } as never);
    expect(await api.stageFile({ name: 'book.csv' } as File)).toEqual({
      ok: true,
      value: { ref: 'file-0123' },
    });
    expect(invoke).toHaveBeenLastCalledWith('planner:file:stage', { path: '/home/me/book.csv' });
  });

  it('stageFile refuses a file that is not on disk, or not a File, without asking main', async () => {
    invoke.mockClear();
    const notOnDisk = {
      ok: false,
      error: { code: 'invalid_input', message: 'file: not a file on disk (cannot be imported)' },
    };
    expect(await api.stageFile({ name: 'memory' } as File)).toEqual(notOnDisk);
    expect(await api.stageFile('/etc/passwd' as unknown as File)).toEqual(notOnDisk);
    expect(invoke).not.toHaveBeenCalled();
  });

  it('stageFile reports a failed staging call as an error result', async () => {
    invoke.mockRejectedValueOnce(new Error('No handler registered'));
    expect(await api.stageFile({ name: 'book.csv' } as File)).toEqual({
      ok: false,
      error: {
        code: 'internal',
        message: 'stageFile: the backend did not answer (No handler registered)',
      },
    });
  });

  it('onOpenPlanFile: asks main for the files that waited, then takes the ones it sends', async () => {
    const waiting = { ref: 'file-01', fileName: 'Buy FROG.orderplan' };
    invoke.mockResolvedValueOnce({ ok: true, value: [waiting, { path: '/etc/passwd' }] } as never);
    const files: unknown[] = [];
    const stop = api.onOpenPlanFile((f) => files.push(f));
    expect(invoke).toHaveBeenLastCalledWith('planner:file:open-plans', {});
    await vi.waitFor(() => expect(files).toEqual([waiting]));

    const later = { ref: 'file-02', fileName: 'Sell FROG.plan.json' };
    listeners.get('planner:file:open-plan')!({}, later);
    listeners.get('planner:file:open-plan')!({}, '/home/me/raw/path.orderplan');
    expect(files).toEqual([waiting, later]);
    stop();
    expect(listeners.has('planner:file:open-plan')).toBe(false);
  });

  it('onOpenPlanFile: main refusing or not answering delivers nothing and throws nothing', async () => {
    invoke.mockRejectedValueOnce(new Error('No handler registered'));
    const files: unknown[] = [];
    api.onOpenPlanFile((f) => files.push(f))();
    invoke.mockResolvedValueOnce({
      ok: false,
      error: { code: 'forbidden', message: 'no' },
    } as never);
    api.onOpenPlanFile((f) => files.push(f))();
    await new Promise((r) => setTimeout(r, 0));
    expect(files).toEqual([]);
  });
});
