import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

const shared = { '@shared': resolve(__dirname, 'src-shared') };

export default defineConfig({
  main: {
    resolve: { alias: shared },
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          // Electron main process (imports electron).
          index: resolve(__dirname, 'src-main/main/index.ts'),
          // Everything below runs on plain Node too (no electron import).
          solverWorker: resolve(__dirname, 'src-main/workers/solverWorker.ts'),
          importWorker: resolve(__dirname, 'src-main/workers/importWorker.ts'),
          storageWorker: resolve(__dirname, 'src-main/workers/storageWorker.ts'),
          cli: resolve(__dirname, 'src-main/cli/index.ts'),
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
