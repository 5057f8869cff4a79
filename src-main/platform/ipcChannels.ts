/** IPC channel names shared by main and the preload (no electron import here). */
import type { OpName } from '@shared/contract';

export const opChannel = (op: OpName): string => `planner:${op}`;
export const PROGRESS_CHANNEL = 'planner:progress';
export const MENU_CHANNEL = 'planner:menu';
/** Preload → main: `{ path }` of a File the user dropped or picked; answers `{ ref }`. */
export const STAGE_FILE_CHANNEL = 'planner:file:stage';
/** Preload → main (invoke), once the window listens for plan files the operating system
 *  opened: answers the files opened so far as `{ ref, fileName }[]`. */
export const OPEN_PLAN_FILES_CHANNEL = 'planner:file:open-plans';
/** Main → window: one more `{ ref, fileName }` opened after the window listened. */
export const OPEN_PLAN_FILE_CHANNEL = 'planner:file:open-plan';
