/**
 * The layer rules of eslint.config.mjs, proven: each file in test/lint/fixtures breaks a
 * rule on purpose and is linted through ESLint's Node API as if it sat in the folder the rule
 * guards (lintText with that path); the same code where the rule does not apply passes.
 * `npm run lint` skips the fixtures (they are in the config's ignores).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../../src-main/testing/forkTs';

const FIXTURES = join(REPO_ROOT, 'test/lint/fixtures');
let eslint: ESLint;
beforeAll(() => {
  eslint = new ESLint({ cwd: REPO_ROOT });
});

interface Found {
  rule: string | null;
  line: number;
  message: string;
}

/** Every problem ESLint reports for `code` as the file `asPath` (relative to the repository). */
async function lintAs(asPath: string, code: string): Promise<Found[]> {
  const [result] = await eslint.lintText(code, { filePath: join(REPO_ROOT, asPath) });
  return result.messages.map((m) => ({ rule: m.ruleId, line: m.line, message: m.message }));
}

const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

const SHARED_NODE =
  'src-shared is pure TypeScript: no Node built-ins (put Node code in src-main and pass the result in).';
const COMPONENTS =
  'Components reach the backend only through state classes (src-renderer/src/state/*.svelte.ts).';

describe('src-shared imports no Node built-ins, bare or node:, and uses no process', () => {
  it('bare names (fs, path, fs/promises) are refused', async () => {
    const found = await lintAs('src-shared/fixture.ts', fixture('shared-bare-builtins.ts'));
    expect(found).toEqual(
      [
        [2, 'fs'],
        [3, 'path'],
        [4, 'fs/promises'],
      ].map(([line, name]) => ({
        rule: 'no-restricted-imports',
        line,
        message: `'${name}' import is restricted from being used. ${SHARED_NODE}`,
      })),
    );
  });

  it('node:* is refused', async () => {
    const found = await lintAs('src-shared/solver/fixture.ts', fixture('shared-node-prefix.ts'));
    expect(found).toEqual([
      {
        rule: 'no-restricted-imports',
        line: 2,
        message: `'node:crypto' import is restricted from being used by a pattern. ${SHARED_NODE}`,
      },
    ]);
  });

  it('process, directly or through globalThis, is refused', async () => {
    const found = await lintAs('src-shared/fixture.ts', fixture('shared-process.ts'));
    expect(found).toEqual([
      {
        rule: 'no-restricted-globals',
        line: 2,
        message: `Unexpected use of 'process'. ${SHARED_NODE} (process)`,
      },
      {
        rule: 'no-restricted-properties',
        line: 3,
        message: `'globalThis.process' is restricted from being used. ${SHARED_NODE} (process)`,
      },
    ]);
  });

  it('the same code is fine in src-main', async () => {
    for (const name of ['shared-bare-builtins.ts', 'shared-node-prefix.ts', 'shared-process.ts'])
      expect(await lintAs('src-main/fixture.ts', fixture(name))).toEqual([]);
  });
});

describe('the plain-Node folders of src-main never load electron', () => {
  for (const folder of ['server', 'cli', 'solver', 'storage', 'book']) {
    it(`src-main/${folder}: electron and the Electron-only src-main/main are refused`, async () => {
      const found = await lintAs(
        `src-main/${folder}/fixture.ts`,
        fixture('plain-node-electron.ts'),
      );
      expect(found.map((f) => [f.rule, f.line])).toEqual([
        ['no-restricted-imports', 2],
        ['no-restricted-imports', 3],
      ]);
      expect(found[0].message).toMatch(
        /^'electron' import is restricted from being used by a pattern\. This folder runs on plain Node too/,
      );
    });
  }

  it('src-main/main (Electron-only) may', async () => {
    expect(await lintAs('src-main/main/fixture.ts', fixture('plain-node-electron.ts'))).toEqual([]);
  });
});

describe('renderer components reach the backend only through state classes', () => {
  it('window.planner, globalThis.planner, `const { planner } = window` and state/backend are refused', async () => {
    const found = await lintAs(
      'src-renderer/src/components/fixture/Fixture.svelte',
      fixture('component-backend.svelte'),
    );
    expect(found).toEqual([
      {
        rule: 'no-restricted-imports',
        line: 3,
        message: `'../../state/backend' import is restricted from being used by a pattern. ${COMPONENTS}`,
      },
      {
        rule: 'no-restricted-properties',
        line: 5,
        message: `'window.planner' is restricted from being used. ${COMPONENTS}`,
      },
      {
        rule: 'no-restricted-properties',
        line: 6,
        message: `'globalThis.planner' is restricted from being used. ${COMPONENTS}`,
      },
      {
        rule: 'no-restricted-properties',
        line: 7,
        message: `'window.planner' is restricted from being used. ${COMPONENTS}`,
      },
    ]);
  });

  it('the same code is fine outside components, and a state class may call the backend', async () => {
    expect(
      await lintAs('src-renderer/src/App.svelte', fixture('component-backend.svelte')),
    ).toEqual([]);
    const stateClass = [
      "import { call } from './backend';",
      '',
      "export const refresh = () => call('listPlans', {});",
      'export const api = window.planner;',
      '',
    ].join('\n');
    expect(await lintAs('src-renderer/src/state/fixture.svelte.ts', stateClass)).toEqual([]);
  });
});
