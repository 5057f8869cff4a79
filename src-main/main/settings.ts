/**
 * Small UI settings kept as JSON in the user data folder (window state, last dialog folder).
 * Read from unknown with zod; a missing or damaged file just means defaults. Written
 * atomically (temp file + rename). Plain Node: no electron import.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../platform/paths';
import { dirname } from 'node:path';
import { z } from 'zod';

export const WindowStateSchema = z.object({
  x: z.number().int().optional(),
  y: z.number().int().optional(),
  width: z.number().int().min(400).max(20_000),
  height: z.number().int().min(300).max(20_000),
  maximized: z.boolean().default(false),
});
export type WindowState = z.infer<typeof WindowStateSchema>;

export const SettingsSchema = z.object({
  window: WindowStateSchema.optional().catch(undefined),
  lastFolder: z.string().optional().catch(undefined),
});
export type Settings = z.infer<typeof SettingsSchema>;

export class SettingsFile {
  private value: Settings;

  constructor(private readonly path: string) {
    this.value = SettingsFile.read(path);
  }

  static read(path: string): Settings {
    try {
      const r = SettingsSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
      return r.success ? r.data : {};
    } catch {
      return {};
    }
  }

  get(): Settings {
    return this.value;
  }

  update(patch: Partial<Settings>): void {
    this.value = { ...this.value, ...patch };
    try {
      mkdirSync(dirname(this.path), { recursive: true, mode: PRIVATE_DIR_MODE });
      const tmp = `${this.path}.tmp`;
      // Private to the user, like the database beside it.
      writeFileSync(tmp, `${JSON.stringify(this.value, null, 2)}\n`, { mode: PRIVATE_FILE_MODE });
      renameSync(tmp, this.path);
    } catch {
      // Settings are a convenience: failing to remember them must not break the app.
    }
  }
}

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const DEFAULT_SIZE = { width: 1280, height: 820 };

/** The saved bounds if they are still mostly on one of the displays; else centred defaults. */
export function restoreBounds(saved: WindowState | undefined, workAreas: Rect[]): Partial<Rect> {
  if (!saved) return { ...DEFAULT_SIZE };
  const { x, y, width, height } = saved;
  if (x === undefined || y === undefined) return { width, height };
  const visible = workAreas.some((a) => {
    const w = Math.min(x + width, a.x + a.width) - Math.max(x, a.x);
    const h = Math.min(y + height, a.y + a.height) - Math.max(y, a.y);
    return w >= Math.min(200, width) && h >= Math.min(100, height);
  });
  return visible ? { x, y, width, height } : { width, height };
}
