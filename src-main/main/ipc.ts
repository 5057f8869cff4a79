/**
 * The one IPC wrapper: registers a handler for every contract operation that checks the
 * sender frame, parses the input from unknown (zod) and returns the result union.
 */
import type { IpcMainInvokeEvent } from 'electron';
import { OP_NAMES, type Result, type Services } from '@shared/contract';
import { dispatch } from '../dispatch';
import { opChannel } from '../ipcChannels';

/** The part of ipcMain this needs (so the wrapper is testable without Electron). */
export interface IpcMainLike {
  handle(
    channel: string,
    listener: (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown,
  ): void;
  removeHandler(channel: string): void;
}

export function registerIpc(
  ipcMain: IpcMainLike,
  services: Services,
  isTrustedSender: (event: IpcMainInvokeEvent) => boolean,
): () => void {
  for (const op of OP_NAMES) {
    ipcMain.handle(opChannel(op), async (event, raw): Promise<Result<unknown>> => {
      if (!isTrustedSender(event)) {
        return {
          ok: false,
          error: { code: 'forbidden', message: `${op}: only the app's own window may call this` },
        };
      }
      return dispatch(services, op, raw);
    });
  }
  return () => {
    for (const op of OP_NAMES) ipcMain.removeHandler(opChannel(op));
  };
}
