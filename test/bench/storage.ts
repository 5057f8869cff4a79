/**
 * Storage benchmark (`npm run bench -- storage`). First the event loop: the longest stall of
 * this thread's event loop while a plan of 100,000 periods with its result is saved (and
 * opened), with the database on this thread (synchronous better-sqlite3, as before the storage
 * thread) and on the storage thread (the app). Runs: BENCH_STORAGE_STALL_RUNS (default 5).
 * Then real browser-mode servers on one data folder
 * under a storm of saves over HTTP, twice. Two instances: a second server is started while the
 * first saves (it must be refused), then the first stops. SIGKILL: the server is killed in the
 * middle of the storm, then a new one must start on the folder. Each prints the saves
 * acknowledged and how many of them are found in the live database (they must be equal).
 * Runs per scenario: BENCH_STORAGE_RUNS (default 3); saves per run: BENCH_STORAGE_SAVES (300).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { MAX_PERIODS } from '@shared/plan';
import { openStorageThread } from '../../src-main/storage/client';
import { openDatabase } from '../../src-main/storage/db';
import { directStorage } from '../../src-main/storage/operations';
import type { StorageClient } from '../../src-main/storage/protocol';
import { killedStorm, twoInstanceStorm } from '../../src-main/testing/saveStorm';
import { samplePlan, sampleColumns } from '../../src-main/testing/plans';
import type { BenchSection } from './index';

async function inTempDir<T>(run: (dataDir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-storage-'));
  try {
    return await run(join(dir, 'data'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The longest event-loop stall (ms) while `run` is pending, and how long it took (ms). */
async function stallDuring(run: () => Promise<unknown>): Promise<{ stall: number; took: number }> {
  const h = monitorEventLoopDelay({ resolution: 1 });
  // Let the monitor's timer start before the work does.
  h.enable();
  await new Promise((r) => setTimeout(r, 20));
  const t0 = performance.now();
  await run();
  const took = performance.now() - t0;
  await new Promise((r) => setTimeout(r, 20));
  h.disable();
  return { stall: h.max / 1e6, took };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * Save (a new revision each run) and open a plan of MAX_PERIODS periods with its result, with
 * the database on this thread and on the storage thread; print the longest event-loop stall
 * of this thread (median and worst of the runs) and the time until the save was acknowledged.
 */
export async function runStallBench(
  runs = Number(process.env.BENCH_STORAGE_STALL_RUNS ?? 5),
  log: (line: string) => void = (l) => console.log(l),
): Promise<void> {
  const periods = MAX_PERIODS;
  const plan = samplePlan({
    name: 'Stall',
    periods,
    shares: periods * 100,
    lotSize: 1,
    impact: {
      model: 'linear',
      beta: 0.0001,
      profile: Array.from({ length: periods }, (_, i) => 1 + (i % 7) / 10),
    },
  });
  const result = sampleColumns(plan);
  const bytes = JSON.stringify(plan).length + JSON.stringify(result).length;
  log(
    `plan of ${periods} periods with its result: ${(bytes / 1e6).toFixed(1)} MB of JSON; ${runs} runs each\n`,
  );
  log(
    '| database on | operation | longest stall median (ms) | longest stall worst (ms) | acknowledged after, median (ms) |',
  );
  log('|---|---|---|---|---|');
  const where: [string, (dataDir: string) => { storage: StorageClient; close: () => void }][] = [
    [
      'main thread (synchronous, before)',
      (d) => {
        const { db } = openDatabase(join(d, 'bench.sqlite'));
        return { storage: directStorage(db), close: () => db.close() };
      },
    ],
    [
      'storage thread (after)',
      (d) => {
        const { storage } = openStorageThread(join(d, 'bench.sqlite'));
        return { storage, close: () => {} };
      },
    ],
  ];
  for (const [label, open] of where) {
    await inTempDir(async (dataDir) => {
      mkdirSync(dataDir);
      const { storage, close } = open(dataDir);
      try {
        const saves: { stall: number; took: number }[] = [];
        const opens: { stall: number; took: number }[] = [];
        let id: string | undefined;
        for (let run = 0; run < runs; run++) {
          saves.push(
            await stallDuring(async () => {
              id = (await storage.savePlan({ id, plan, result })).id;
            }),
          );
          opens.push(await stallDuring(() => storage.getPlan(id!)));
        }
        for (const [op, m] of [
          ['save', saves],
          ['open', opens],
        ] as const) {
          const stalls = m.map((x) => x.stall);
          log(
            `| ${label} | ${op} | ${median(stalls).toFixed(0)} | ${Math.max(...stalls).toFixed(0)} | ${median(m.map((x) => x.took)).toFixed(0)} |`,
          );
        }
      } finally {
        await storage.close();
        close();
      }
    });
  }
  log('');
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
    await runStallBench();
    await runStorageBench();
  },
};
