/**
 * The packaging configuration (electron-builder cannot package here: it needs the Electron
 * binary). Checked as data: the fuses it flips and what they depend on, what goes into the
 * package, the plan file association; and against electron-builder's own schema.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { PLAN_FILE_EXTENSION, PLAN_FILE_MIME_TYPE } from '@shared/planFile';
import { REPO_ROOT } from '../testing/forkTs';

const CONFIG_FILE = join('build', 'electron-builder.yml');
const config = parse(readFileSync(join(REPO_ROOT, CONFIG_FILE), 'utf8')) as {
  asar?: unknown;
  asarUnpack?: string[];
  electronFuses?: Record<string, unknown>;
  files?: string[];
  fileAssociations?: Record<string, unknown>[];
  npmRebuild?: unknown;
} & Partial<Record<'linux' | 'mac' | 'win', Record<string, unknown>>>;
const packageJson = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
  main: string;
  scripts: Record<string, string>;
};

describe('electron-builder configuration', () => {
  it('fuses-unset: flips exactly the security fuses (names of @electron/fuses FuseV1Options)', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false, // FuseV1Options.RunAsNode
      enableNodeOptionsEnvironmentVariable: false, // FuseV1Options.EnableNodeOptionsEnvironmentVariable
      enableNodeCliInspectArguments: false, // FuseV1Options.EnableNodeCliInspectArguments
      enableCookieEncryption: true, // FuseV1Options.EnableCookieEncryption
      enableEmbeddedAsarIntegrityValidation: true, // FuseV1Options.EnableEmbeddedAsarIntegrityValidation
      onlyLoadAppFromAsar: true, // FuseV1Options.OnlyLoadAppFromAsar
      grantFileProtocolExtraPrivileges: false, // FuseV1Options.GrantFileProtocolExtraPrivileges
    });
  });

  it('packs the app into app.asar, which the asar fuses need', () => {
    expect(config.asar).toBe(true);
    expect(config.files).toContain('out/**');
  });

  it('ships the build and the SQLite module outside the archive, not the sources or tests', () => {
    expect(packageJson.main.replace(/^\.\//, '')).toMatch(/^out\//);
    // Only inclusions under out/ (plus package.json); every other entry excludes something.
    const included = config.files!.filter((p) => !p.startsWith('!'));
    expect(included.sort()).toEqual(['out/**', 'package.json']);
    expect(config.asarUnpack).toEqual(['node_modules/better-sqlite3/**']);
    // Its prebuilds are Node-API: no rebuild against Electron's headers.
    expect(config.npmRebuild).toBe(false);
  });

  it('packed-the-whole-repo: no platform has a files list of its own (it replaces the top-level one)', () => {
    // electron-builder takes a platform's `files` instead of the top-level list; a list of
    // exclusions alone then means "everything else": sources, tests, docs into app.asar.
    for (const platform of ['linux', 'mac', 'win'] as const) {
      expect(config[platform]).toBeDefined();
      expect(Object.keys(config[platform]!)).not.toContain('files');
      expect(Object.keys(config[platform]!)).not.toContain('asarUnpack');
    }
  });

  it('plan-file-association: registers .orderplan (not .json) as an Order Planner plan', () => {
    expect(config.fileAssociations).toEqual([
      {
        ext: PLAN_FILE_EXTENSION,
        name: 'OrderPlanner.Plan',
        description: 'Order Planner plan',
        role: 'Editor',
        rank: 'Owner',
        mimeType: PLAN_FILE_MIME_TYPE,
      },
    ]);
  });

  it('npm run dist builds first, then packages with this file and never publishes', () => {
    expect(packageJson.scripts.dist).toBe(
      'electron-vite build && electron-builder --config build/electron-builder.yml --publish never',
    );
  });

  it("passes electron-builder's own configuration schema (what it checks before packaging)", async () => {
    // electron-builder's own loader and validator, from the app-builder-lib it depends on.
    const fromBuilder = createRequire(createRequire(import.meta.url).resolve('electron-builder'));
    const { getConfig, validateConfiguration } = fromBuilder(
      'app-builder-lib/out/util/config/config',
    ) as {
      getConfig(projectDir: string, configPath: string, extra: null): Promise<unknown>;
      validateConfiguration(config: unknown, logger: { isEnabled: boolean }): Promise<void>;
    };
    const loaded = await getConfig(REPO_ROOT, CONFIG_FILE, null);
    await expect(validateConfiguration(loaded, { isEnabled: false })).resolves.toBeUndefined();
    // The check has teeth: a misspelt key is refused.
    const misspelt = { ...(loaded as object), fileAssociations: [{ ext: 'x', mimetype: 'y' }] };
    await expect(validateConfiguration(misspelt, { isEnabled: false })).rejects.toThrow(
      /unknown property 'mimetype'/,
    );
  });
});
