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
/** The folders of src-main that run on plain Node as well as in Electron. */
const PLAIN_NODE_FOLDERS = ['server', 'cli', 'solver', 'storage', 'book'];
const PLAIN_NODE =
  'runs on plain Node too (browser mode, the CLI, worker processes): no electron here; Electron-only code lives in src-main/main and src-main/preload.';
const plainNodeLayer = [
  { group: ['electron', 'electron/*'], message: `This folder ${PLAIN_NODE}` },
  {
    group: ['**/main', '**/main/**', '**/preload', '**/preload/**'],
    message: `This folder ${PLAIN_NODE}`,
  },
];

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
  {
    files: PLAIN_NODE_FOLDERS.map((folder) => `src-main/${folder}/**/*.ts`),
    rules: { 'no-restricted-imports': ['error', { patterns: plainNodeLayer }] },
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
