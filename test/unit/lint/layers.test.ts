/**
 * The layer rules of eslint.config.mjs, proven: each file in test/lint/fixtures breaks a
 * rule on purpose and is linted through ESLint's Node API as if it sat in the folder the rule
 * guards (lintText with that path); the same code where the rule does not apply passes.
 * `npm run lint` skips the fixtures (they are in the config's ignores).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../../src-main/testing/forkTs';
import { ELECTRON_FOLDERS, SRC_MAIN_LAYERS, TEST_SUPPORT_FOLDER } from '../../../eslint.config.mjs';

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

const LAYERS =
  'imports go down the layers entry point → backend → service → platform helper (docs/architecture.md).';
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

describe('only src-main/main and src-main/preload load electron', () => {
  const plainNode = [
    ...SRC_MAIN_LAYERS.flatMap((l) => l.folders).filter((f) => !ELECTRON_FOLDERS.includes(f)),
  ];
  it('every other folder is named (it runs on plain Node too)', () => {
    expect(plainNode).toEqual([
      'server',
      'cli',
      'workers',
      'backend',
      'solver',
      'book',
      'storage',
      'platform',
    ]);
  });
  for (const folder of plainNode) {
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
      expect(found[1].message).toContain(`src-main/${folder} (`);
      expect(found[1].message).toContain('must not import src-main/main (entry point)');
    });
  }

  it("a file at src-main's root, a test beside plain-Node code and test support are refused electron", async () => {
    for (const path of [
      'src-main/fixture.ts',
      'src-main/book/fixture.test.ts',
      'src-main/testing/fixture.ts',
    ]) {
      const found = await lintAs(path, fixture('plain-node-electron.ts'));
      expect(
        found.map((f) => [f.rule, f.line]),
        path,
      ).toEqual([['no-restricted-imports', 2]]);
      expect(found[0].message).toContain('runs on plain Node too');
    }
  });

  it('src-main/main (Electron-only) may', async () => {
    expect(await lintAs('src-main/main/fixture.ts', fixture('plain-node-electron.ts'))).toEqual([]);
  });
});

describe("src-main's layers: imports go down, never up or sideways", () => {
  const refused = (found: Found[]) =>
    found.map((f) => [f.line, f.message.replace(/^.*? by a pattern\. /, '')]);

  it('storage importing the server, the CLI or the solver host is refused; platform is fine', async () => {
    const found = await lintAs('src-main/storage/fixture.ts', fixture('storage-imports-up.ts'));
    expect(refused(found)).toEqual([
      [2, `src-main/storage (service) must not import src-main/server (entry point): ${LAYERS}`],
      [3, `src-main/storage (service) must not import src-main/cli (entry point): ${LAYERS}`],
      [4, `src-main/storage (service) must not import src-main/solver (service): ${LAYERS}`],
    ]);
  });

  it('the book import importing the server or the backend is refused; storage is fine', async () => {
    const found = await lintAs('src-main/book/dbn/fixture.ts', fixture('book-imports-server.ts'));
    expect(refused(found)).toEqual([
      [2, `src-main/book (service) must not import src-main/server (entry point): ${LAYERS}`],
      [3, `src-main/book (service) must not import src-main/backend (backend): ${LAYERS}`],
    ]);
  });

  it('platform helpers import no service and no test support', async () => {
    const found = await lintAs('src-main/platform/fixture.ts', fixture('platform-imports-up.ts'));
    expect(refused(found)).toEqual([
      [
        2,
        `src-main/platform (platform helper) must not import src-main/storage (service): ${LAYERS}`,
      ],
      [
        3,
        'src-main/platform must not import src-main/testing: test support is for tests and benches only.',
      ],
    ]);
  });

  it('going down is fine: the backend uses services and platform helpers; tests reach any layer', async () => {
    const backend = [
      "import { openDatabase } from '../storage/db';",
      "import { SolverHost } from '../solver/host';",
      "import { createBookService } from '../book/service';",
      "import { preparePrivateDir } from '../platform/paths';",
      '',
      'export const parts = [openDatabase, SolverHost, createBookService, preparePrivateDir];',
      '',
    ].join('\n');
    expect(await lintAs('src-main/backend/fixture.ts', backend)).toEqual([]);
    expect(
      await lintAs('src-main/storage/fixture.test.ts', fixture('storage-imports-up.ts')),
    ).toEqual([]);
  });

  it("no source file sits at src-main's root, and every folder belongs to a layer", () => {
    const entries = readdirSync(join(REPO_ROOT, 'src-main'), { withFileTypes: true });
    expect(entries.filter((e) => e.isFile()).map((e) => e.name)).toEqual([]);
    const known = [...SRC_MAIN_LAYERS.flatMap((l) => l.folders), TEST_SUPPORT_FOLDER];
    expect(
      entries.filter((e) => e.isDirectory() && !known.includes(e.name)).map((e) => e.name),
    ).toEqual([]);
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
