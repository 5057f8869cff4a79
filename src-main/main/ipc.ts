/**
 * The one IPC wrapper: registers a handler for every contract operation that checks the
 * sender frame, parses the input from unknown (zod) and returns the result union; the
 * staging channel behind stageFile and the subscription to plan files the operating system
 * opened, with the same checks.
 */
import type { IpcMainInvokeEvent } from 'electron';
import { z } from 'zod';
import { inputError, OP_NAMES, runHandler, type Result, type Services } from '@shared/contract';
import { dispatch } from '../backend/dispatch';
import type { OpenedPlanFile } from '@shared/contract';
import {
  OPEN_PLAN_FILE_CHANNEL,
  OPEN_PLAN_FILES_CHANNEL,
  opChannel,
  STAGE_FILE_CHANNEL,
} from '../platform/ipcChannels';
import type { OpenPlanFiles } from './openPlanFiles';
import type { PickedFiles } from './pickedFiles';

/** The part of ipcMain this needs (so the wrapper is testable without Electron). */
export interface IpcMainLike {
  handle(
    channel: string,
    listener: (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown,
  ): void;
  removeHandler(channel: string): void;
}

function forbidden(what: string): Result<never> {
  return {
    ok: false,
    error: { code: 'forbidden', message: `${what}: only the app's own window may call this` },
  };
}

export function registerIpc(
  ipcMain: IpcMainLike,
  services: Services,
  isTrustedSender: (event: IpcMainInvokeEvent) => boolean,
): () => void {
  for (const op of OP_NAMES) {
    ipcMain.handle(opChannel(op), async (event, raw): Promise<Result<unknown>> => {
      if (!isTrustedSender(event)) return forbidden(op);
      return dispatch(services, op, raw);
    });
  }
  return () => {
    for (const op of OP_NAMES) ipcMain.removeHandler(opChannel(op));
  };
}

const StageFileInput = z.object({ path: z.string().min(1).max(4096) });

/**
 * The staging channel behind the preload's stageFile: the path of a File the user dropped or
 * picked (webUtils.getPathForFile, in the preload) becomes an id in `files`. Same sender check
 * as the operations. Page scripts cannot reach this channel (context isolation: only the
 * preload holds ipcRenderer), so the paths it receives are those of real user-chosen Files.
 */
export function registerFileStaging(
  ipcMain: IpcMainLike,
  files: PickedFiles,
  isTrustedSender: (event: IpcMainInvokeEvent) => boolean,
): () => void {
  ipcMain.handle(STAGE_FILE_CHANNEL, async (event, raw): Promise<Result<{ ref: string }>> => {
    if (!isTrustedSender(event)) return forbidden('stageFile');
    const input = StageFileInput.safeParse(raw);
    if (!input.success) return { ok: false, error: inputError(input.error) };
    return runHandler(() => ({ ref: files.stage(input.data.path) }));
  });
  return () => ipcMain.removeHandler(STAGE_FILE_CHANNEL);
}

/**
 * The channel behind the preload's onOpenPlanFile: the window says it listens and gets the
 * plan files opened so far (picked-file ids and names, never paths); the ones opened later
 * are sent to that window on OPEN_PLAN_FILE_CHANNEL. Same sender check as the operations.
 */
export function registerOpenPlanFiles(
  ipcMain: IpcMainLike,
  files: OpenPlanFiles,
  isTrustedSender: (event: IpcMainInvokeEvent) => boolean,
): () => void {
  ipcMain.handle(OPEN_PLAN_FILES_CHANNEL, async (event): Promise<Result<OpenedPlanFile[]>> => {
    if (!isTrustedSender(event)) return forbidden('onOpenPlanFile');
    const sender = event.sender;
    return runHandler(() =>
      files.listen((file) => {
        if (!sender.isDestroyed()) sender.send(OPEN_PLAN_FILE_CHANNEL, file);
      }),
    );
  });
  return () => ipcMain.removeHandler(OPEN_PLAN_FILES_CHANNEL);
}
