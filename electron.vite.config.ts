import { builtinModules } from 'node:module';
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import { build, type Plugin } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

const shared = { '@shared': resolve(__dirname, 'src-shared') };

/**
 * Entries that start a process per use, built apart from the others: each into one file,
 * out/main/chunks/<name>.bundle.js, with its dependencies (zod, papaparse) inlined and the
 * code it imports dynamically (a CLI command) evaluated only when imported; and
 * out/main/<name>.js, a launcher that turns on Node's compile cache
 * (src-main/platform/compileCache.ts) before it requires the bundle, so that the bundle's
 * compiled code comes from the cache after the first start.
 */
const STANDALONE_ENTRIES: Record<string, string> = {
  cli: 'src-main/cli/index.ts',
  solverWorker: 'src-main/workers/solverWorker.ts',
  importWorker: 'src-main/workers/importWorker.ts',
};
/** Entries whose dynamic imports become chunks of their own (out/main/chunks/cli/). */
const SPLIT_ENTRIES = new Set(['cli']);
const LAUNCHER = '\0standalone-launcher';

function standaloneEntries(outDir: string): Plugin {
  const external = [
    'electron',
    /^electron\//,
    'better-sqlite3',
    ...builtinModules.flatMap((m) => [m, `node:${m}`]),
  ];
  const buildOne = (input: string, fileName: string, launcherOf?: string, splitChunks = false) =>
    build({
      configFile: false,
      logLevel: 'warn',
      root: __dirname,
      publicDir: false,
      resolve: { alias: shared },
      ssr: { noExternal: true },
      plugins: launcherOf
        ? [
            {
              name: 'standalone-launcher',
              enforce: 'pre',
              resolveId: (id) => (id === LAUNCHER ? id : null),
              load: (id) =>
                id === LAUNCHER
                  ? [
                      `import { join } from 'node:path';`,
                      `import { startCompileCache } from ${JSON.stringify(resolve(__dirname, 'src-main/platform/compileCache.ts'))};`,
                      'startCompileCache();',
                      `require(join(__dirname, 'chunks', ${JSON.stringify(`${launcherOf}.bundle.js`)}));`,
                    ].join('\n')
                  : null,
            },
          ]
        : [],
      build: {
        outDir,
        emptyOutDir: false,
        copyPublicDir: false,
        reportCompressedSize: false,
        minify: false,
        target: 'node22',
        ssr: true,
        rolldownOptions: {
          input: { [fileName]: input },
          external,
          output: {
            format: 'cjs',
            // The CLI's commands are imported when they run: each becomes a chunk of its own
            // (chunks/cli/), so `solve` loads neither the book import nor the Node modules it
            // needs (zlib, worker_threads, crypto). The worker is one file.
            codeSplitting: splitChunks,
            entryFileNames: '[name]',
            chunkFileNames: 'chunks/cli/[name]-[hash].js',
          },
        },
      },
    });
  return {
    name: 'standalone-entries',
    apply: 'build',
    async closeBundle() {
      for (const [name, entry] of Object.entries(STANDALONE_ENTRIES)) {
        await buildOne(
          resolve(__dirname, entry),
          `chunks/${name}.bundle.js`,
          undefined,
          SPLIT_ENTRIES.has(name),
        );
        await buildOne(LAUNCHER, `${name}.js`, name);
      }
    },
  };
}

export default defineConfig({
  main: {
    resolve: { alias: shared },
    plugins: [standaloneEntries(resolve(__dirname, 'out/main'))],
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          // Electron main process (imports electron).
          index: resolve(__dirname, 'src-main/main/index.ts'),
          // Everything below runs on plain Node too (no electron import). The CLI and the
          // solver and import workers are built apart: STANDALONE_ENTRIES above.
          storageWorker: resolve(__dirname, 'src-main/workers/storageWorker.ts'),
          serve: resolve(__dirname, 'src-main/server/serve.ts'),
        },
      },
    },
  },
  preload: {
    resolve: { alias: shared },
    build: {
      outDir: 'out/preload',
      // The sandboxed preload cannot require node_modules: bundle everything.
      externalizeDeps: false,
      rollupOptions: { input: { index: resolve(__dirname, 'src-main/preload/index.ts') } },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src-renderer'),
    resolve: { alias: shared },
    plugins: [
      svelte({ configFile: false }),
      // The dev server injects CSS as <style> tags; only there may styles be inline. Builds
      // (the app and browser mode) keep the strict policy of index.html.
      {
        name: 'dev-csp',
        apply: 'serve',
        transformIndexHtml: (html: string) =>
          html.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'"),
      },
    ],
    build: {
      outDir: resolve(__dirname, 'out/renderer'),
      rollupOptions: { input: { index: resolve(__dirname, 'src-renderer/index.html') } },
    },
  },
});
