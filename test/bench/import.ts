/**
 * Import benchmark (issue 5): generate a 1,000,000-row MBP-10 CSV (Databento's default
 * layout: ts_recv, ISO-8601 timestamps, decimal prices) in a temp dir, import it in a child
 * process and print MB/s, rows/s and the child's peak RSS. Targets: ≥ 50 MB/s, < 300 MB.
 * BENCH_IMPORT_ROWS overrides the row count.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { syntheticDay, writeMbp10File } from '../fixtures/mbp10';
import type { BenchSection } from './index';

export interface ImportBenchFigures {
  rows: number;
  megabytes: number;
  seconds: number;
  mbPerSecond: number;
  rowsPerSecond: number;
  peakRssMb: number;
}

export async function runImportBench(
  rows = Number(process.env.BENCH_IMPORT_ROWS ?? 1_000_000),
  log: (line: string) => void = (l) => console.log(l),
): Promise<ImportBenchFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-import-'));
  try {
    const path = join(dir, 'bench-mbp10.csv');
    const t0 = performance.now();
    await writeMbp10File(
      path,
      syntheticDay({
        fromMs: Date.parse('2025-04-03T13:00:00Z'),
        toMs: Date.parse('2025-04-03T20:00:00Z'),
        rows,
        seed: 42,
      }),
      { symbol: 'BENCH' },
    );
    const size = statSync(path).size;
    log(
      `import: generated ${rows.toLocaleString('en-US')} rows, ${(size / 1e6).toFixed(0)} MB in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
    // Same loader flags (tsx) as this process, so the child runs the TypeScript source.
    const out = execFileSync(
      process.execPath,
      [...process.execArgv, join(import.meta.dirname ?? __dirname, 'importChild.ts'), path],
      { encoding: 'utf8', maxBuffer: 1 << 20 },
    );
    const r = JSON.parse(out.trim().split('\n').at(-1)!) as {
      seconds: number;
      rows: number;
      bytes: number;
      maxRssBytes: number;
    };
    const figures: ImportBenchFigures = {
      rows: r.rows,
      megabytes: r.bytes / 1e6,
      seconds: r.seconds,
      mbPerSecond: r.bytes / 1e6 / r.seconds,
      rowsPerSecond: r.rows / r.seconds,
      peakRssMb: r.maxRssBytes / 1e6,
    };
    const ok = (v: boolean) => (v ? 'ok' : 'MISSED');
    log(
      `import: ${figures.megabytes.toFixed(0)} MB, ${figures.rows.toLocaleString('en-US')} rows in ${figures.seconds.toFixed(2)} s: ` +
        `${figures.mbPerSecond.toFixed(1)} MB/s (target ≥ 50: ${ok(figures.mbPerSecond >= 50)}), ` +
        `${Math.round(figures.rowsPerSecond).toLocaleString('en-US')} rows/s, ` +
        `peak RSS ${figures.peakRssMb.toFixed(0)} MB (target < 300: ${ok(figures.peakRssMb < 300)})`,
    );
    return figures;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const importBench: BenchSection = {
  name: 'import',
  run: async () => {
    await runImportBench();
  },
};
