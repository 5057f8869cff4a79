import { resolve } from 'node:path';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { configDefaults, defineConfig } from 'vitest/config';

const alias = { '@shared': resolve(import.meta.dirname, 'src-shared') };
/** Renderer code (lib and the rune state classes): the *.web.test.ts files. */
const RENDERER_TESTS = 'test/unit/renderer/**/*.web.test.ts';

export default defineConfig({
  resolve: { alias },
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two cores: keep worker count small so process-spawning tests are not starved.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          include: ['src-shared/**/*.test.ts', 'src-main/**/*.test.ts', 'test/unit/**/*.test.ts'],
          exclude: [...configDefaults.exclude, RENDERER_TESTS],
          environment: 'node',
        },
      },
      {
        // The state classes use runes ($state, $derived) in *.svelte.ts: the Svelte plugin
        // compiles them. Vitest runs Node tests through Vite's server (SSR) environment, so
        // the plugin would compile for the server and `svelte` would resolve to its server
        // build, where nothing is reactive; both are turned to what the window runs: client
        // code and the packages' browser entry points. No DOM is needed: the tests stand a
        // fake backend at window.planner (test/unit/renderer/state/fakeBackend.web.ts).
        extends: true,
        plugins: [
          svelte({ configFile: false, dynamicCompileOptions: () => ({ generate: 'client' }) }),
        ],
        ssr: { resolve: { conditions: ['browser'] } },
        test: { name: 'renderer', include: [RENDERER_TESTS], environment: 'node' },
      },
    ],
  },
});
