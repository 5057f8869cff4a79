/**
 * The services' plan-file import and export: the file name and extension, the file format
 * version, the 50 MB limit by bytes read (a picked file in Electron), files JSON.parse would
 * misread, and files the operating system opened (a `file` reference).
 */
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PlannerError } from '@shared/contract';
import { MAX_PLAN_FILE_BYTES, PLAN_FILE_MIME_TYPE } from '@shared/planFile';
import { createBackend, type Backend } from './backend';
import type { NativeDialogs } from './services';
import { tsWorkerSpawner } from '../testing/forkTs';
import { samplePlan } from '../testing/plans';

let dir: string;
/** The path the fake open dialog returns. */
let picked: string | null = null;
/** `file` references the backend resolves (main's picked files), and those it released. */
const refs = new Map<string, string>();
const released: string[] = [];
// One backend for the file: its solver worker (unused here) has started before it is closed.
let backend: Backend;
beforeAll(() => {
  const dialogs: NativeDialogs = {
    openPlanFile: async () => picked,
    openBookFile: async () => null,
    saveFile: async () => null,
  };
  backend = createBackend({
    mode: 'electron',
    version: '0.0.1',
    dataDir: ':memory:',
    spawn: tsWorkerSpawner('src-main/solver/fakeWorker.testchild.ts'),
    resolveFile: (ref) => {
      const path = refs.get(ref);
      if (!path) throw new PlannerError('not_found', 'file: unknown file reference');
      return { path, fileName: basename(path) };
    },
    releaseFile: (ref) => {
      refs.delete(ref);
      released.push(ref);
    },
    dialogs,
  });
});
afterAll(() => backend.close());
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'op-plan-file-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const services = () => backend.services;

/** The PlannerError an import of the picked file fails with, as `code: message`; with
 *  `handedOver`, the same file opened by the operating system (a `file` reference). */
async function importError(path: string, handedOver = false): Promise<string> {
  picked = path;
  refs.set('file-os', path);
  try {
    await services().importPlanFile(handedOver ? { file: 'file-os' } : {});
  } catch (e) {
    if (e instanceof PlannerError) return `${e.code}: ${e.message}`;
    throw e;
  }
  return 'imported';
}

const plan = samplePlan({ name: 'On disk' });
const planText = JSON.stringify(plan);

describe('plan file import and export', () => {
  it('plan-file-extension: the export is <name>.orderplan (JSON), which imports; .plan.json files still do', async () => {
    const exported = await services().exportPlanFile({
      plan: { ...plan, name: 'Buy FROG / close' },
    });
    expect(exported).toMatchObject({
      fileName: 'Buy FROG - close.orderplan',
      mimeType: PLAN_FILE_MIME_TYPE,
    });
    const mine = join(dir, exported.fileName);
    writeFileSync(mine, exported.content);
    const older = join(dir, 'On disk.plan.json');
    writeFileSync(older, planText);
    for (const path of [mine, older]) {
      for (const handedOver of [false, true])
        expect(await importError(path, handedOver)).toBe('imported');
    }
  });

  it('open-plan-file: a file the OS opened imports by reference, fails as the picked file does, and is released', async () => {
    released.length = 0;
    const broken = join(dir, 'broken.orderplan');
    writeFileSync(broken, '{ "name": ');
    const fromDialog = await importError(broken);
    expect(fromDialog).toMatch(/^invalid_input: broken\.orderplan: /);
    expect(await importError(broken, true)).toBe(fromDialog);
    const gone = join(dir, 'gone.orderplan');
    expect(await importError(gone, true)).toBe(await importError(gone));
    expect(await importError(gone, true)).toBe('invalid_input: gone.orderplan: no such file');
    // Released however the import ended: an id is single use.
    expect(released).toEqual(['file-os', 'file-os', 'file-os']);
    await expect(services().importPlanFile({ file: 'file-os' })).rejects.toThrow(
      /unknown file reference/,
    );
  });

  it('plan-file-format: the export writes "format": 1 and imports back as the same plan', async () => {
    const svc = services();
    const exported = await svc.exportPlanFile({ plan });
    expect(JSON.parse(exported.content)).toEqual({ format: 1, ...plan });
    expect(exported.content.startsWith('{\n  "format": 1,\n')).toBe(true);
    const imported = await svc.importPlanFile({ text: exported.content, fileName: 'a.json' });
    expect('plan' in imported && imported.plan).toEqual(plan);
    const newer = svc.importPlanFile({
      text: JSON.stringify({ ...plan, format: 2 }),
      fileName: 'new.json',
    });
    await expect(newer).rejects.toThrow(
      /^new\.json: format: this plan file is format 2, written by a newer version of Order Planner; this version reads format 1$/,
    );
  });

  it('plan-file-size-unbounded: a picked file past 50 MB is refused by the bytes read', async () => {
    const over = join(dir, 'over.json');
    writeFileSync(over, planText + ' '.repeat(MAX_PLAN_FILE_BYTES + 1 - planText.length));
    expect(await importError(over)).toBe(
      'too_large: over.json: is larger than 50 MB (50,000,000 bytes), the most a plan file may be',
    );
    const at = join(dir, 'at.json');
    writeFileSync(at, planText + ' '.repeat(MAX_PLAN_FILE_BYTES - planText.length));
    expect(await importError(at)).toBe('imported');
  });

  it.skipIf(!existsSync('/dev/zero'))(
    'plan-file-size-unbounded: /dev/zero (size 0, endless) is refused after 50 MB',
    async () => {
      expect(statSync('/dev/zero').size).toBe(0);
      expect(await importError('/dev/zero')).toBe(
        'too_large: zero: is larger than 50 MB (50,000,000 bytes), the most a plan file may be',
      );
    },
  );

  it('plan-file-read-errors: a missing file or a folder is said so, not an internal error', async () => {
    expect(await importError(join(dir, 'gone.json'))).toBe(
      'invalid_input: gone.json: no such file',
    );
    expect(await importError(dir)).toMatch(/^invalid_input: \S+: is a directory, not a plan file$/);
  });

  it('duplicate-keys: a key given twice in an imported file is refused with its path', async () => {
    const path = join(dir, 'twice.json');
    writeFileSync(
      path,
      planText.replace('"periods":', '"maxPerPeriod": 600, "maxPerPeriod": 1e6, "periods":'),
    );
    expect(await importError(path)).toBe(
      'invalid_input: twice.json: maxPerPeriod: appears twice in the file',
    );
  });

  it('utf16-plan-file: a UTF-16 file is named as such, picked or uploaded as text', async () => {
    const path = join(dir, 'notepad.json');
    writeFileSync(
      path,
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(planText, 'utf16le')]),
    );
    expect(await importError(path)).toBe(
      'invalid_input: notepad.json: the file is UTF-16 text; save it as UTF-8',
    );
    // Browser mode reads the upload as UTF-8 text: the same bytes arrive as U+FFFD and NULs.
    const text = new TextDecoder().decode(Buffer.from(planText, 'utf16le'));
    await expect(services().importPlanFile({ text, fileName: 'up.json' })).rejects.toThrow(
      /^up\.json: the file is UTF-16 text; save it as UTF-8$/,
    );
  });
});
