// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';

// Import layering (after VS Code's local/code-layering): each folder may only reach the
// layers below it. src-shared is pure TypeScript; the renderer sees src-shared only.
const nodeBuiltins = {
  regex: '^node:',
  message: 'src-shared is pure TypeScript: no node:* imports (put Node code in src-main).',
};
const sharedLayer = [
  { group: ['electron', 'electron/*'], message: 'src-shared must not import electron.' },
  { group: ['better-sqlite3'], message: 'src-shared must not import better-sqlite3.' },
  {
    group: ['**/src-main/**', '**/src-renderer/**'],
    message: 'src-shared imports only src-shared.',
  },
];
const rendererLayer = [
  {
    group: ['electron', 'electron/*'],
    message: 'The renderer talks to main only through window.planner.',
  },
  { group: ['better-sqlite3'], message: 'The renderer must not touch the database.' },
  { group: ['**/src-main/**'], message: 'The renderer imports src-shared only.' },
  { regex: '^node:', message: 'The renderer runs in a browser: no node:* imports.' },
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
      'no-restricted-imports': ['error', { patterns: [nodeBuiltins, ...sharedLayer] }],
      'no-restricted-globals': ['error', 'window', 'document', 'process', 'require', 'Buffer'],
    },
  },
  {
    files: ['src-renderer/**/*.ts', 'src-renderer/**/*.svelte'],
    languageOptions: { globals: { ...globals.browser } },
    rules: { 'no-restricted-imports': ['error', { patterns: rendererLayer }] },
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
);
