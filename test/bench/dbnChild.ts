/**
 * Child process of the DBN benchmark: decodes one `.dbn` / `.dbn.zst` file through the
 * visitor, reading what an import needs from every record (ts_event as an offset, the action,
 * the price and size of all 20 levels), and prints one JSON line with the elapsed time and
 * this process's peak RSS.
 */
import { decodeDbnFile } from '../../src-main/book/dbn/decoder';

async function main(): Promise<void> {
  const path = process.argv[2]!;
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 20);
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  let baseHi = 0;
  let baseLo = 0;
  let checksum = 0;
  let trades = 0;
  const { counts } = await decodeDbnFile(
    path,
    (v) => {
      const t = v.tsEventSince(baseHi, baseLo);
      if (v.action === 84) trades++;
      let s = 0;
      for (let i = 0; i < 10; i++) {
        const bid = v.bidPxNano(i);
        const ask = v.askPxNano(i);
        if (bid === bid) s += bid * v.bidSz(i);
        if (ask === ask) s += ask * v.askSz(i);
      }
      checksum += (s % 1000) + (t % 7);
    },
    {
      onMetadata: (m) => {
        baseHi = Number(m.start >> 32n);
        baseLo = Number(m.start & 0xffff_ffffn);
      },
    },
  );
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  clearInterval(sampler);
  const maxRssBytes = Math.max(peakRss, process.resourceUsage().maxRSS * 1024);
  process.stdout.write(
    JSON.stringify({
      seconds,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      records: counts.mbp10Records,
      recordBytes: counts.recordBytes,
      trades,
      checksum,
      maxRssBytes,
    }) + '\n',
  );
}

void main();
