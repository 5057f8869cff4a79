// `npm start`: the desktop app when the Electron runtime is installed, else browser mode.
//
// The `electron` package downloads its binary on install; where that download is impossible
// (no network, a blocked host) `electron-vite preview` would end in a Node stack trace. This
// script looks for the binary first, without triggering a download. When it is missing it
// says so in a few lines, builds if needed and starts browser mode (`npm run serve`), which
// prints its URL. Arguments after `npm start --` go to browser mode (e.g. `--port 8080`).
// Set ORDER_PLANNER_ELECTRON_DIR to look for the runtime elsewhere (tests use it), and
// ORDER_PLANNER_START_CHECK=1 to print what was found and exit (0: the desktop app would start).
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));

/** The Electron binary's path, or null with the reason it is missing. */
export function electronBinary(electronDir) {
  if (!electronDir || !existsSync(join(electronDir, 'package.json')))
    return { path: null, why: 'the electron package is not installed (run npm install)' };
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    const p = process.env.ELECTRON_OVERRIDE_DIST_PATH;
    return existsSync(p)
      ? { path: p, why: null }
      : { path: null, why: `ELECTRON_OVERRIDE_DIST_PATH ${p} does not exist` };
  }
  const pathFile = join(electronDir, 'path.txt');
  if (!existsSync(pathFile))
    return {
      path: null,
      why: 'its binary was never downloaded, node_modules/electron has no path.txt',
    };
  const binary = join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary)
    ? { path: binary, why: null }
    : { path: null, why: `its binary ${binary} is missing` };
}

function electronDir() {
  if (process.env.ORDER_PLANNER_ELECTRON_DIR) return process.env.ORDER_PLANNER_ELECTRON_DIR;
  try {
    return dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return null;
  }
}

/**
 * Runs a command in the repo with the terminal, forwarding Ctrl+C and SIGTERM; resolves with
 * its exit code, or `signalCode` when a signal ended it.
 */
function run(command, args, signalCode = 1) {
  const child = spawn(command, args, { cwd: root, stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  return new Promise((resolve) => {
    child.on('error', (e) => {
      process.stderr.write(`error: could not start ${command}: ${e.message}\n`);
      resolve(1);
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? signalCode : 0)));
  });
}

/** A package binary from node_modules/.bin. */
const bin = (name) => join(root, 'node_modules', '.bin', name);

/** The built browser-mode server, and whether no source file is newer than it. */
function builtServer() {
  const serve = join(root, 'out', 'main', 'serve.js');
  if (!existsSync(serve)) return { serve, fresh: false };
  const built = statSync(serve).mtimeMs;
  for (const dir of ['src-main', 'src-shared', 'src-renderer']) {
    const base = join(root, dir);
    if (!existsSync(base)) continue;
    for (const name of readdirSync(base, { recursive: true }))
      if (statSync(join(base, String(name))).mtimeMs > built) return { serve, fresh: false };
  }
  return { serve, fresh: true };
}

async function main() {
  const args = process.argv.slice(2);
  const electron = electronBinary(electronDir());
  if (process.env.ORDER_PLANNER_START_CHECK === '1') {
    process.stdout.write(
      electron.path ? `electron: ${electron.path}\n` : `no electron: ${electron.why}\n`,
    );
    return electron.path ? 0 : 1;
  }
  if (electron.path) return run(bin('electron-vite'), ['preview']);

  process.stderr.write(
    [
      `The desktop window cannot open here: the Electron runtime is missing: ${electron.why}.`,
      'Electron downloads it on npm install; where that is impossible, run `npx install-electron`',
      'on a machine that can, or use browser mode, the same app in your browser:',
      'starting it now (`npm run serve`; stop it with Ctrl+C).',
      '',
    ].join('\n'),
  );
  const { serve, fresh } = builtServer();
  if (!fresh) {
    process.stderr.write('Building first (npm run build)…\n');
    const code = await run(bin('electron-vite'), ['build']);
    if (code !== 0) return code;
  }
  // Stopped with Ctrl+C is how browser mode ends: not a failure.
  return run(process.execPath, [serve, ...args], 0);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().then(
    (code) => process.exit(code),
    (e) => {
      process.stderr.write(`error: npm start: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(1);
    },
  );
}
