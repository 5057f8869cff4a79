/**
 * The solver benchmark's whole-command rows: `node out/main/cli.js solve PLAN.json` as a
 * child process (reading the plan, the solve, the baselines and the JSON written out), timed
 * wall and CPU (user + system, from the child itself: exitUsage.mjs) with its peak RSS. The
 * target is wall time on a quiet machine; on a shared one CPU seconds are the figure to
 * compare (the collector's threads make CPU a little more than wall when quiet). The method of before (the multipliers' bound alone) runs where it can, in a
 * child that does what the command does (solverPlanChild.ts), its evaluation limit raised.
 * Needs `npm run build` (out/main/cli.js); says so when it is missing.
 */
import { spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI_CASES } from './solverCases';

const HERE = import.meta.dirname ?? __dirname;
const ROOT = join(HERE, '..', '..');
const CLI = join(ROOT, 'out', 'main', 'cli.js');
const USAGE = join(HERE, 'exitUsage.mjs');

interface Run {
  wallMs: number;
  cpuMs: number;
  rssMb: number;
  outcome: string;
}

/** Runs `node args…` with its output going to `outFile` (as `> out.json` would). */
function runChild(args: string[], outFile: string): Run {
  const fd = openSync(outFile, 'w');
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, {
    encoding: 'utf8',
    stdio: ['ignore', fd, 'pipe'],
    maxBuffer: 1 << 24,
  });
  const wallMs = performance.now() - t0;
  closeSync(fd);
  const stdout = readFileSync(outFile, 'utf8');
  const line = r.stderr
    .split('\n')
    .reverse()
    .find((l) => l.startsWith('{"exitUsage"'));
  const u = line ? (JSON.parse(line) as { exitUsage: { cpuUs: number; maxRssKb: number } }) : null;
  const err = r.stderr.split('\n').find((l) => l.startsWith('error:'));
  let outcome =
    r.status === 0 ? 'solved' : `exit ${r.status}${err ? `: ${err.slice(0, 140)}` : ''}`;
  const json = stdout.length < 1e5 ? (stdout.trim().split('\n').at(-1) ?? '') : '';
  if (json.startsWith('{"ok"')) {
    const j = JSON.parse(json) as { ok: boolean; error?: string; kept?: number };
    outcome = j.ok
      ? `solved${j.kept !== undefined ? `, bounds kept ${(j.kept * 100).toFixed(2)}% of states` : ''}`
      : j.error!.slice(0, 140);
  }
  return {
    wallMs,
    cpuMs: u ? u.exitUsage.cpuUs / 1000 : NaN,
    rssMb: u ? (u.exitUsage.maxRssKb * 1024) / 1e6 : NaN,
    outcome,
  };
}

const sec = (ms: number) => (ms / 1000).toFixed(2);

export function cliRows(quick: boolean): void {
  console.log(
    '\nwhole CLI command (`node out/main/cli.js solve PLAN.json`, a child process each):',
  );
  if (!existsSync(CLI)) {
    console.log(`  NOT RUN: ${CLI} is missing; run \`npm run build\` first`);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'bench-solver-cli-'));
  try {
    for (const c of CLI_CASES) {
      const file = join(dir, `${c.id}.json`);
      writeFileSync(file, JSON.stringify(c.plan()));
      const out = join(dir, 'out.json');
      const now = runChild(['--import', USAGE, CLI, 'solve', file], out);
      const met = now.cpuMs <= c.targetMs && now.rssMb <= c.targetRssMb;
      const wallMet = now.wallMs <= c.targetMs && now.rssMb <= c.targetRssMb;
      const target = c.targetMs === Infinity ? '—' : `≤ ${sec(c.targetMs)} s`;
      console.log(
        `  ${c.name}: wall ${sec(now.wallMs)} s, CPU ${sec(now.cpuMs)} s (target ${target}), peak RSS ${now.rssMb.toFixed(0)} MB (target ${c.targetRssMb === Infinity ? '—' : `≤ ${c.targetRssMb} MB`}); ${now.outcome}; target met on wall and RSS: ${wallMet ? 'yes' : 'NO'}, on CPU and RSS: ${met ? 'yes' : 'NO'}`,
      );
      console.log(`    before: ${c.before}`);
      if (c.beforeRuns && !quick) {
        const old = runChild(
          [
            ...process.execArgv,
            '--import',
            USAGE,
            join(HERE, 'solverPlanChild.ts'),
            file,
            'multipliers',
          ],
          out,
        );
        console.log(
          `    the multipliers' bound alone (the method before the chord bound), same work as the command: CPU ${sec(old.cpuMs)} s, peak RSS ${old.rssMb.toFixed(0)} MB, wall ${sec(old.wallMs)} s; ${old.outcome}`,
        );
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
