/**
 * Child process of the import benchmark: imports one MBP-10 file and prints one JSON line
 * with the elapsed time, the CPU time of the process (every thread: the reader thread's
 * reading and hashing included) and its peak RSS (a fresh process, so the figure is the
 * import's own footprint, not the generator's), and the speed over the first and the last tenth
 * of the file. BENCH_METHOD=reference runs the reference method. As the import worker process
 * does, it starts the CSV reader thread first and then loads the import's code, so the thread
 * starts while the code loads; BENCH_PRESTART=0 leaves the thread to the import's call (what a
 * second file read in the same process gets).
 */
import { readerThreadsStarted, startReaderThread } from '../../src-main/book/mbp10/readerThread';

async function main(): Promise<void> {
  const ahead = process.env.BENCH_PRESTART !== '0';
  if (ahead) startReaderThread();
  const started = performance.now();
  const { importMbp10File } = await import('../../src-main/book/mbp10');
  const path = process.argv[2];
  const t0 = performance.now();
  // How long before the call the thread was started (the import's code loading meanwhile).
  const aheadMs = ahead ? t0 - started : 0;
  const cpu0 = process.cpuUsage();
  const thread0 = process.threadCpuUsage();
  // Where the import stood at each chunk: the first and last tenth of the file's speed.
  const marks: { bytes: number; ms: number }[] = [];
  const book = await importMbp10File(path, {
    onProgress: (p) => marks.push({ bytes: p.bytes, ms: performance.now() - t0 }),
    periodMinutes: 1,
    session: { start: '09:30', end: '16:00', timeZone: 'America/New_York' },
    sampling: process.env.BENCH_SAMPLING === 'start' ? 'start' : 'average',
    method: process.env.BENCH_METHOD === 'reference' ? 'reference' : 'fast',
  });
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const thread = process.threadCpuUsage(thread0);
  const parseCpuSeconds = (thread.user + thread.system) / 1e6;
  // The kernel's high-water mark of this process (every thread), not a sampled figure.
  const maxRssBytes = process.resourceUsage().maxRSS * 1024;
  const total = book.bytes;
  const at = (share: number) => marks.find((m) => m.bytes >= share * total) ?? marks.at(-1)!;
  const first = at(0.1);
  const last = at(0.9);
  const startMbPerSecond = first.bytes / 1e3 / first.ms;
  const endMbPerSecond = (total - last.bytes) / 1e3 / (seconds * 1000 - last.ms);
  process.stdout.write(
    JSON.stringify({
      seconds,
      cpuSeconds,
      parseCpuSeconds,
      sha256: book.sha256,
      rows: book.rows,
      usableRows: book.usableRows,
      bytes: book.bytes,
      periods: book.periods - book.emptyPeriods.length,
      covered: book.stats.coveredPeriods,
      volume: book.stats.volume,
      sigma: book.stats.sigma?.value ?? null,
      maxRssBytes,
      startMbPerSecond,
      endMbPerSecond,
      readerThreads: readerThreadsStarted(),
      aheadMs,
    }) + '\n',
  );
}

main().catch((e: unknown) => {
  process.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 2;
});
