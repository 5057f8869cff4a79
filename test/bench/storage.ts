/**
 * Storage benchmark (`npm run bench -- storage`): real browser-mode servers on one data folder
 * under a storm of saves over HTTP, twice. Two instances: a second server is started while the
 * first saves (it must be refused), then the first stops. SIGKILL: the server is killed in the
 * middle of the storm, then a new one must start on the folder. Each prints the saves
 * acknowledged and how many of them are found in the live database (they must be equal).
 * Runs per scenario: BENCH_STORAGE_RUNS (default 3); saves per run: BENCH_STORAGE_SAVES (300).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killedStorm, twoInstanceStorm } from '../../src-main/testing/saveStorm';
import type { BenchSection } from './index';

async function inTempDir<T>(run: (dataDir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-storage-'));
  try {
    return await run(join(dir, 'data'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function runStorageBench(
  runs = Number(process.env.BENCH_STORAGE_RUNS ?? 3),
  saves = Number(process.env.BENCH_STORAGE_SAVES ?? 300),
  log: (line: string) => void = (l) => console.log(l),
): Promise<{ lost: number }> {
  let lost = 0;
  log('| scenario | run | saves acknowledged | found | lost | second instance | moved aside |');
  log('|---|---|---|---|---|---|---|');
  for (let run = 1; run <= runs; run++) {
    const r = await inTempDir((d) => twoInstanceStorm(d, { before: 20, total: saves }));
    lost += r.lost.length;
    const second = r.second.refused ? `refused (exit ${r.second.code})` : 'STARTED';
    log(
      `| two instances | ${run} | ${r.acknowledged} | ${r.found} | ${r.lost.length} | ${second} | ${r.movedAside.length} |`,
    );
  }
  for (let run = 1; run <= runs; run++) {
    const r = await inTempDir((d) => killedStorm(d, { total: saves }));
    lost += r.lost.length;
    const next = r.restarted ? 'next one started' : 'next one REFUSED';
    log(
      `| SIGKILL mid-storm | ${run} | ${r.acknowledged} | ${r.found} | ${r.lost.length} | ${next} | ${r.movedAside.length} |`,
    );
  }
  log(`\nacknowledged saves lost in all runs: ${lost}`);
  return { lost };
}

export const storageBench: BenchSection = {
  name: 'storage',
  run: async () => {
    await runStorageBench();
  },
};
