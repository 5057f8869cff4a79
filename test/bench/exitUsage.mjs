// Loaded with `node --import` into a benchmark child: on exit, writes the process's own CPU
// time (user + system, µs) and peak RSS (KB) as one JSON line to stderr, so that a bench can
// report CPU seconds beside wall time on a loaded machine.
import { writeSync } from 'node:fs';

process.on('exit', () => {
  const u = process.resourceUsage();
  writeSync(
    2,
    `\n${JSON.stringify({ exitUsage: { cpuUs: u.userCPUTime + u.systemCPUTime, maxRssKb: u.maxRSS } })}\n`,
  );
});
