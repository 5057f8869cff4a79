// @ts-check
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';

// Import layering (after VS Code's local/code-layering): each folder may only reach the
// layers below it. src-shared is pure TypeScript; the renderer sees src-shared only; the
// parts of src-main that also run on plain Node (browser mode, CLI, workers) never load
// electron. test/lint holds one small file per rule that must fail it
// (test/lint/layers.test.ts runs them through ESLint).

/** Node's built-in modules by their bare names ('fs', 'fs/promises', 'path', …). */
const bareBuiltins = builtinModules.filter((name) => !name.startsWith('node:'));
/** no-restricted-imports `paths` for every bare built-in, with one message. */
const builtinPaths = (message) => bareBuiltins.map((name) => ({ name, message }));

const SHARED_NODE =
  'src-shared is pure TypeScript: no Node built-ins (put Node code in src-main and pass the result in).';
const sharedLayer = [
  { regex: '^node:', message: SHARED_NODE },
  { group: ['electron', 'electron/*'], message: 'src-shared must not import electron.' },
  { group: ['better-sqlite3'], message: 'src-shared must not import better-sqlite3.' },
  {
    group: ['**/src-main/**', '**/src-renderer/**'],
    message: 'src-shared imports only src-shared.',
  },
];
const RENDERER_NODE = 'The renderer runs in a browser: no Node built-ins.';
const rendererLayer = [
  {
    group: ['electron', 'electron/*'],
    message: 'The renderer talks to main only through window.planner.',
  },
  { group: ['better-sqlite3'], message: 'The renderer must not touch the database.' },
  { group: ['**/src-main/**'], message: 'The renderer imports src-shared only.' },
  { regex: '^node:', message: RENDERER_NODE },
];
const COMPONENTS_BACKEND =
  'Components reach the backend only through state classes (src-renderer/src/state/*.svelte.ts).';
const componentLayer = [
  ...rendererLayer,
  { group: ['**/state/backend', '**/state/backend.*'], message: COMPONENTS_BACKEND },
];
/**
 * src-main's layers, top to bottom. A file may import its own folder, any folder of a lower
 * layer and src-shared; never a folder above it or beside it (except the sideways imports
 * listed in SIDEWAYS). No source file sits at src-main's root: every folder is named here
 * (test/unit/lint/layers.test.ts checks both). docs/architecture.md draws the same table.
 */
export const SRC_MAIN_LAYERS = [
  { layer: 'entry point', folders: ['main', 'preload', 'server', 'cli', 'workers'] },
  { layer: 'backend', folders: ['backend'] },
  { layer: 'service', folders: ['solver', 'book', 'storage'] },
  { layer: 'platform helper', folders: ['platform'] },
];
/** Sideways imports the design allows: the book service keeps its imported days in storage. */
const SIDEWAYS = { book: ['storage'] };
/** Test support (fixtures, fake workers, the test server): tests and benches only. */
export const TEST_SUPPORT_FOLDER = 'testing';
/** The only folders that may load electron; everything else also runs on plain Node. */
export const ELECTRON_FOLDERS = ['main', 'preload'];

const layerOf = (folder) => SRC_MAIN_LAYERS.find((l) => l.folders.includes(folder));
const LAYERS_RULE =
  'imports go down the layers entry point → backend → service → platform helper (docs/architecture.md).';
/** A pattern for an import of src-main/`target` written relative to a file of src-main. */
const folderImport = (target, message) => ({
  regex: `^(\\.\\./)+(src-main/)?${target}(/|$)`,
  message,
});
/** What `folder` must not import: the folders above it and beside it, and test support. */
function forbiddenFor(folder) {
  const own = layerOf(folder);
  const ownIndex = SRC_MAIN_LAYERS.indexOf(own);
  // The sandboxed preload bundles what it imports: the IPC channel names, nothing else.
  const allowed = new Set(
    folder === 'preload'
      ? ['preload', 'platform']
      : [
          folder,
          ...(SIDEWAYS[folder] ?? []),
          ...SRC_MAIN_LAYERS.slice(ownIndex + 1).flatMap((l) => l.folders),
        ],
  );
  return [...SRC_MAIN_LAYERS.flatMap((l) => l.folders), TEST_SUPPORT_FOLDER]
    .filter((target) => !allowed.has(target))
    .map((target) =>
      folderImport(
        target,
        target === TEST_SUPPORT_FOLDER
          ? `src-main/${folder} must not import src-main/${TEST_SUPPORT_FOLDER}: test support is for tests and benches only.`
          : `src-main/${folder} (${own.layer}) must not import src-main/${target} (${layerOf(target).layer}): ${LAYERS_RULE}`,
      ),
    );
}
const PLAIN_NODE =
  'runs on plain Node too (browser mode, the CLI, worker processes): no electron here; Electron-only code lives in src-main/main and src-main/preload.';
const noElectron = (where) => ({
  group: ['electron', 'electron/*'],
  message: `${where} ${PLAIN_NODE}`,
});
const SRC_MAIN_TESTS = ['src-main/**/*.test.ts', 'src-main/**/*.testchild.ts'];
/** One config object per folder of src-main (ESLint replaces, not merges, a rule's options). */
const srcMainLayerConfigs = SRC_MAIN_LAYERS.flatMap((l) => l.folders).flatMap((folder) => {
  const electron = ELECTRON_FOLDERS.includes(folder) ? [] : [noElectron('This folder')];
  const files = [`src-main/${folder}/**/*.ts`];
  return [
    {
      files,
      ignores: SRC_MAIN_TESTS,
      rules: {
        'no-restricted-imports': ['error', { patterns: [...electron, ...forbiddenFor(folder)] }],
      },
    },
    ...(electron.length === 0
      ? []
      : [
          {
            files: SRC_MAIN_TESTS.map((t) => t.replace('src-main/**', `src-main/${folder}/**`)),
            rules: { 'no-restricted-imports': ['error', { patterns: electron }] },
          },
        ]),
  ];
});

export default tseslint.config(
  {
    ignores: [
      'out/',
      'node_modules/',
      'test-results/',
      'playwright-report/',
      'build/',
      '.scratch/',
      // Files that break a layer rule on purpose, linted by test/lint/layers.test.ts.
      'test/lint/fixtures/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: {
      parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] },
    },
  },
  {
    files: ['src-shared/**/*.ts'],
    ignores: ['src-shared/**/*.test.ts'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: builtinPaths(SHARED_NODE), patterns: sharedLayer },
      ],
      'no-restricted-globals': [
        'error',
        ...['window', 'document'].map((name) => ({
          name,
          message: 'src-shared runs everywhere: no DOM (the renderer passes what it needs).',
        })),
        ...['process', 'require', 'Buffer'].map((name) => ({
          name,
          message: `${SHARED_NODE} (${name})`,
        })),
      ],
      'no-restricted-properties': [
        'error',
        ...['process', 'require', 'Buffer'].map((property) => ({
          object: 'globalThis',
          property,
          message: `${SHARED_NODE} (${property})`,
        })),
      ],
    },
  },
  ...srcMainLayerConfigs,
  {
    // A file at src-main's root belongs in a layer's folder; until it moves it is plain Node.
    files: ['src-main/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [noElectron("A file at src-main's root")] }],
    },
  },
  {
    files: [`src-main/${TEST_SUPPORT_FOLDER}/**/*.ts`],
    rules: { 'no-restricted-imports': ['error', { patterns: [noElectron('Test support')] }] },
  },
  {
    files: ['src-renderer/**/*.ts', 'src-renderer/**/*.svelte'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: builtinPaths(RENDERER_NODE), patterns: rendererLayer },
      ],
    },
  },
  {
    // Components reach the backend only through state classes (*.svelte.ts).
    files: ['src-renderer/**/*.svelte'],
    rules: {
      'no-restricted-globals': [
        'error',
        { name: 'fetch', message: 'Components call state classes, which call window.planner.' },
      ],
    },
  },
  {
    files: ['src-renderer/src/components/**/*.svelte', 'src-renderer/src/components/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: builtinPaths(RENDERER_NODE), patterns: componentLayer },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'fetch', message: 'Components call state classes, which call window.planner.' },
        { name: 'planner', message: COMPONENTS_BACKEND },
      ],
      'no-restricted-properties': [
        'error',
        ...['window', 'globalThis', 'self'].map((object) => ({
          object,
          property: 'planner',
          message: COMPONENTS_BACKEND,
        })),
      ],
    },
  },
);
