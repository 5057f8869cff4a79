/**
 * The packaging configuration (electron-builder cannot run here: it needs the Electron
 * binary). Checked as data: the fuses it flips and what they depend on.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPO_ROOT } from '../testing/forkTs';

const config = parse(readFileSync(join(REPO_ROOT, 'build', 'electron-builder.yml'), 'utf8')) as {
  asar?: unknown;
  electronFuses?: Record<string, unknown>;
  files?: string[];
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
});
