/**
 * DBN decoding benchmark: writes a synthetic MBP-10 DBN file (version 3; 1 GB of records, or
 * 200 MB with `--quick`; BENCH_DBN_MB overrides) with the test writer into a temp dir, plain
 * and zstd-compressed (Node's zlib), decodes each in a fresh child process and prints MB/s of
 * uncompressed records and the child's peak RSS. Targets: ≥ 1 GB/s (`.dbn`) and ≤ 200 MB.
 * zstd costs what zstd costs: its figure is reported beside, without a target.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MBP10, UNDEF_PRICE } from '../../src-main/book/dbn/layout';
import { writeDbnFile, type DbnMetadataInput } from '../fixtures/writeDbn';
import type { BenchSection } from './index';

const START_NS = 1743600600000000000n; // 2025-04-02 13:30 UTC

export const METADATA: DbnMetadataInput = {
  version: 3,
  dataset: 'XNAS.ITCH',
  schema: 2,
  start: START_NS,
  end: START_NS + 23_400_000_000_000n,
  limit: null,
  stypeIn: 1,
  stypeOut: 0,
  tsOut: false,
  symbols: ['BENCH'],
  partial: [],
  notFound: [],
  mappings: [
    { rawSymbol: 'BENCH', intervals: [{ startDate: 20250402, endDate: 20250403, symbol: '1' }] },
  ],
};

/** A block filler for `records` MBP-10 records: a random walk of the mid in cents, one record
 *  in ten a trade, the last two levels of each side empty now and then. */
export function syntheticRecords(records: number): (block: Buffer, capacity: number) => number {
  let written = 0;
  let seed = 42;
  const rand = () => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return seed / 2 ** 32;
  };
  let midCents = 20_000;
  const startHi = Number(START_NS >> 32n);
  const startLo = Number(START_NS & 0xffff_ffffn);
  const step = 23_400e9 / records;
  const undefLo = Number(UNDEF_PRICE & 0xffff_ffffn);
  const undefHi = Number(UNDEF_PRICE >> 32n);
  const setI64 = (dv: DataView, o: number, v: number) => {
    dv.setUint32(o, v % 2 ** 32, true);
    dv.setUint32(o + 4, Math.floor(v / 2 ** 32), true);
  };
  return (block, capacity) => {
    const n = Math.min(capacity, records - written);
    const dv = new DataView(block.buffer, block.byteOffset, block.byteLength);
    for (let k = 0; k < n; k++) {
      const o = k * MBP10.recordLen;
      const i = written + k;
      midCents += rand() < 0.5 ? -1 : 1;
      const ts = startLo + Math.round(i * step);
      dv.setUint8(o, MBP10.recordLen / 4);
      dv.setUint8(o + MBP10.rtype, 0x0a);
      dv.setUint16(o + MBP10.publisherId, 2, true);
      dv.setUint32(o + MBP10.instrumentId, 1, true);
      dv.setUint32(o + MBP10.tsEvent, ts % 2 ** 32, true);
      dv.setUint32(o + MBP10.tsEvent + 4, startHi + Math.floor(ts / 2 ** 32), true);
      const trade = rand() < 0.1;
      setI64(dv, o + MBP10.price, (midCents - 1) * 1e7);
      dv.setUint32(o + MBP10.size, trade ? 100 : 0, true);
      dv.setUint8(o + MBP10.action, trade ? 84 : 65);
      dv.setUint8(o + MBP10.side, 66);
      dv.setUint8(o + MBP10.flags, 0x80);
      dv.setUint32(o + MBP10.tsRecv, (ts + 1000) % 2 ** 32, true);
      dv.setUint32(o + MBP10.tsRecv + 4, startHi + Math.floor((ts + 1000) / 2 ** 32), true);
      dv.setInt32(o + MBP10.tsInDelta, 800, true);
      dv.setUint32(o + MBP10.sequence, i, true);
      const thin = rand() < 0.05;
      for (let l = 0; l < MBP10.levelCount; l++) {
        const lo = o + MBP10.levels + l * MBP10.levelLen;
        if (thin && l >= 8) {
          for (const f of [MBP10.bidPx, MBP10.askPx]) {
            dv.setUint32(lo + f, undefLo, true);
            dv.setUint32(lo + f + 4, undefHi, true);
          }
          continue;
        }
        setI64(dv, lo + MBP10.bidPx, (midCents - 1 - l) * 1e7);
        setI64(dv, lo + MBP10.askPx, (midCents + 1 + l) * 1e7);
        dv.setUint32(lo + MBP10.bidSz, 100 + ((i + l) % 900), true);
        dv.setUint32(lo + MBP10.askSz, 100 + ((i * 3 + l) % 900), true);
        dv.setUint32(lo + MBP10.bidCt, 1 + (l % 5), true);
        dv.setUint32(lo + MBP10.askCt, 1 + (l % 7), true);
      }
    }
    written += n;
    return n;
  };
}

export async function runDbnBench(megabytes: number, log = (l: string) => console.log(l)) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-dbn-'));
  try {
    const records = Math.round((megabytes * 1e6) / MBP10.recordLen);
    for (const zstd of [false, true]) {
      const path = join(dir, zstd ? 'bench.dbn.zst' : 'bench.dbn');
      const t0 = performance.now();
      await writeDbnFile(path, METADATA, syntheticRecords(records), { zstd });
      log(
        `dbn: wrote ${records.toLocaleString('en-US')} MBP-10 records, ${(statSync(path).size / 1e6).toFixed(0)} MB ${zstd ? '.dbn.zst' : '.dbn'} in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
      );
      const out = execFileSync(
        process.execPath,
        [...process.execArgv, join(import.meta.dirname ?? __dirname, 'dbnChild.ts'), path],
        { encoding: 'utf8', maxBuffer: 1 << 20 },
      );
      const r = JSON.parse(out.trim().split('\n').at(-1)!) as {
        seconds: number;
        cpuSeconds: number;
        records: number;
        recordBytes: number;
        maxRssBytes: number;
      };
      const mbps = r.recordBytes / 1e6 / r.seconds;
      const rss = r.maxRssBytes / 1e6;
      const ok = (v: boolean) => (v ? 'ok' : 'MISSED');
      log(
        `dbn decode ${zstd ? '(.dbn.zst)' : '(.dbn)    '}: ${(r.recordBytes / 1e6).toFixed(0)} MB of records, ${r.records.toLocaleString('en-US')} records in ${r.seconds.toFixed(2)} s: ` +
          `${mbps.toFixed(0)} MB/s${zstd ? '' : ` (target ≥ 1000: ${ok(mbps >= 1000)})`}, ` +
          `${(r.recordBytes / 1e6 / r.cpuSeconds).toFixed(0)} MB per CPU-second, ` +
          `${Math.round(r.records / r.seconds).toLocaleString('en-US')} records/s, ` +
          `peak RSS ${rss.toFixed(0)} MB (target ≤ 200: ${ok(rss <= 200)})`,
      );
      rmSync(path, { force: true });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const dbnBench: BenchSection = {
  name: 'dbn',
  run: async (args) => {
    const mb = Number(process.env.BENCH_DBN_MB ?? (args.includes('--quick') ? 200 : 1000));
    await runDbnBench(mb);
  },
};
