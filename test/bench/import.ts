/**
 * Import benchmark: generate a ~1,100,000-row MBP-10 CSV (Databento's default layout:
 * ts_recv, ISO-8601 timestamps, decimal prices; 1,000,000 book updates, one in ten followed by
 * a trade row) in a temp dir, import it in a child process with every statistic on (the
 * time-averaged books, replay books, coverage, volume, σ) and, once more, with start sampling,
 * and print MB/s, rows/s and the child's peak RSS. Targets: ≥ 100 MB/s, ≤ 300 MB. Then the
 * same day as .dbn and .dbn.zst through the same import (MB/s of the file and of the
 * uncompressed records, peak RSS); `npm run bench -- dbn` measures the decoder alone.
 * BENCH_IMPORT_ROWS overrides the number of book updates.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MBP10 } from '../../src-main/book/dbn/layout';
import { syntheticDay, writeMbp10File } from '../fixtures/mbp10';
import { writeMbp10DbnFile } from '../fixtures/mbp10Dbn';
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
        tradeProbability: 0.1,
      }),
      { symbol: 'BENCH' },
    );
    const size = statSync(path).size;
    log(
      `import: generated ${rows.toLocaleString('en-US')} rows, ${(size / 1e6).toFixed(0)} MB in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
    let figures: ImportBenchFigures | null = null;
    for (const sampling of ['average', 'start'] as const) {
      const r = runChild(path, sampling);
      const f: ImportBenchFigures = {
        rows: r.rows,
        megabytes: r.bytes / 1e6,
        seconds: r.seconds,
        mbPerSecond: r.bytes / 1e6 / r.seconds,
        rowsPerSecond: r.rows / r.seconds,
        peakRssMb: r.maxRssBytes / 1e6,
      };
      const ok = (v: boolean) => (v ? 'ok' : 'MISSED');
      log(
        `import (${sampling}): ${f.megabytes.toFixed(0)} MB, ${f.rows.toLocaleString('en-US')} rows in ${f.seconds.toFixed(2)} s: ` +
          `${f.mbPerSecond.toFixed(1)} MB/s (target ≥ 100: ${ok(f.mbPerSecond >= 100)}; ` +
          `${(f.megabytes / r.cpuSeconds).toFixed(1)} MB per CPU-second, what a machine with a free core gets), ` +
          `${Math.round(f.rowsPerSecond).toLocaleString('en-US')} rows/s, ` +
          `peak RSS ${f.peakRssMb.toFixed(0)} MB (target ≤ 300: ${ok(f.peakRssMb <= 300)}); ` +
          `${r.covered} periods covered, volume ${r.volume?.toLocaleString('en-US') ?? '—'}, σ ${r.sigma?.toPrecision(3) ?? '—'}`,
      );
      figures ??= f;
    }
    // The same day as DBN, through the same import (the parser's one pipeline after decoding).
    for (const zstd of [false, true]) {
      const dbnPath = join(dir, zstd ? 'bench-mbp10.dbn.zst' : 'bench-mbp10.dbn');
      const records = await writeMbp10DbnFile(
        dbnPath,
        syntheticDay({
          fromMs: Date.parse('2025-04-03T13:00:00Z'),
          toMs: Date.parse('2025-04-03T20:00:00Z'),
          rows,
          seed: 42,
          tradeProbability: 0.1,
        }),
        { symbol: 'BENCH', zstd },
      );
      const r = runChild(dbnPath, 'average');
      const recordMb = (records * MBP10.recordLen) / 1e6;
      log(
        `import (DBN${zstd ? ', zstd' : ''}, average): ${(r.bytes / 1e6).toFixed(0)} MB file, ${r.rows.toLocaleString('en-US')} records in ${r.seconds.toFixed(2)} s: ` +
          `${(r.bytes / 1e6 / r.seconds).toFixed(1)} MB/s of file, ${(recordMb / r.seconds).toFixed(1)} MB/s of records, ` +
          `${Math.round(r.rows / r.seconds).toLocaleString('en-US')} records/s, peak RSS ${(r.maxRssBytes / 1e6).toFixed(0)} MB; ` +
          `${r.covered} periods covered, volume ${r.volume?.toLocaleString('en-US') ?? '—'}, σ ${r.sigma?.toPrecision(3) ?? '—'}`,
      );
    }
    return figures!;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface ChildFigures {
  seconds: number;
  cpuSeconds: number;
  rows: number;
  bytes: number;
  maxRssBytes: number;
  covered: number;
  volume: number | null;
  sigma: number | null;
}

/** Import `path` (CSV or DBN, told by content) in a fresh child process. */
function runChild(path: string, sampling: 'average' | 'start'): ChildFigures {
  // Same loader flags (tsx) as this process, so the child runs the TypeScript source.
  const out = execFileSync(
    process.execPath,
    [...process.execArgv, join(import.meta.dirname ?? __dirname, 'importChild.ts'), path],
    {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
      env: { ...process.env, BENCH_SAMPLING: sampling },
    },
  );
  return JSON.parse(out.trim().split('\n').at(-1)!) as ChildFigures;
}

export const importBench: BenchSection = {
  name: 'import',
  run: async () => {
    await runImportBench();
  },
};
