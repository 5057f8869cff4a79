/**
 * Preload (sandboxed): exposes exactly the contract's operations as window.planner.<op>,
 * plus the progress, menu and opened-plan-file subscriptions and stageFile. No generic
 * invoke/send.
 *
 * stageFile hands main the path of a File the user dropped or picked and gives the page back
 * only the opaque id main chose for it; the page never sees, and cannot send, a path.
 */
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import type { OpenedPlanFile, PlannerApi, ProgressEvent, Result } from '@shared/contract';
import { MENU_COMMANDS, OP_NAMES, type MenuCommand, type OpName } from '@shared/operations';
import {
  MENU_CHANNEL,
  OPEN_PLAN_FILE_CHANNEL,
  OPEN_PLAN_FILES_CHANNEL,
  PROGRESS_CHANNEL,
  STAGE_FILE_CHANNEL,
  opChannel,
} from '../platform/ipcChannels';

function invoke<T>(what: string, channel: string, input: unknown): Promise<Result<T>> {
  return ipcRenderer.invoke(channel, input).catch((e: unknown) => ({
    ok: false as const,
    error: {
      code: 'internal' as const,
      message: `${what}: the backend did not answer (${e instanceof Error ? e.message : String(e)})`,
    },
  }));
}

function call(op: OpName) {
  return (input: unknown): Promise<Result<unknown>> => invoke(op, opChannel(op), input);
}

const NOT_ON_DISK: Result<never> = {
  ok: false,
  error: { code: 'invalid_input', message: 'file: not a file on disk (cannot be imported)' },
};

function subscribe<T>(channel: string, accept: (value: unknown) => value is T) {
  return (listener: (value: T) => void): (() => void) => {
    const handler = (_event: IpcRendererEvent, value: unknown) => {
      if (accept(value)) listener(value);
    };
    ipcRenderer.on(channel, handler);
    return () => void ipcRenderer.removeListener(channel, handler);
  };
}

const operations = Object.fromEntries(OP_NAMES.map((op) => [op, call(op)]));

const isOpenedPlanFile = (v: unknown): v is OpenedPlanFile =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as OpenedPlanFile).ref === 'string' &&
  typeof (v as OpenedPlanFile).fileName === 'string';

/**
 * Plan files the operating system opened: later ones as main sends them, then (asking main,
 * which starts sending from then on) the ones that waited for the window.
 */
function onOpenPlanFile(listener: (file: OpenedPlanFile) => void): () => void {
  const stop = subscribe(OPEN_PLAN_FILE_CHANNEL, isOpenedPlanFile)(listener);
  void invoke<OpenedPlanFile[]>('onOpenPlanFile', OPEN_PLAN_FILES_CHANNEL, {}).then((r) => {
    if (r.ok && Array.isArray(r.value))
      for (const file of r.value.filter(isOpenedPlanFile)) listener(file);
  });
  return stop;
}

const api = {
  ...operations,
  onProgress: subscribe(
    PROGRESS_CHANNEL,
    (v): v is ProgressEvent => typeof v === 'object' && v !== null && 'fraction' in v,
  ),
  onMenuCommand: subscribe(MENU_CHANNEL, (v): v is MenuCommand =>
    (MENU_COMMANDS as readonly unknown[]).includes(v),
  ),
  onOpenPlanFile,
  async stageFile(file: File): Promise<Result<{ ref: string }>> {
    let path: string;
    try {
      path = webUtils.getPathForFile(file);
    } catch {
      return NOT_ON_DISK;
    }
    if (!path) return NOT_ON_DISK;
    return invoke('stageFile', STAGE_FILE_CHANNEL, { path });
  },
} as PlannerApi;

contextBridge.exposeInMainWorld('planner', api);
