/**
 * `npm run bench [-- section …]`: runs the benchmark sections in order (all by default) and
 * prints their tables. Each section is a script that prints figures; nothing here asserts.
 */
import { solverBench } from './solver';
import { frontierBench } from './frontier';
import { importBench } from './import';
import { windowBench } from './window';
import { storageBench } from './storage';
import { serverBench } from './server';
import { calibrationBench } from './calibration';
import { dbnBench } from './dbn';
import { startupBench } from './startup';
import { curveBench } from './curve';
import { wireBench } from './wire';

export interface BenchSection {
  name: string;
  run: (args: string[]) => void | Promise<void>;
}

const SECTIONS: BenchSection[] = [
  solverBench,
  frontierBench,
  curveBench,
  importBench,
  windowBench,
  wireBench,
  storageBench,
  serverBench,
  calibrationBench,
  dbnBench,
  startupBench,
];

async function main() {
  const args = process.argv.slice(2);
  const names = args.filter((a) => !a.startsWith('-'));
  const unknown = names.filter((n) => !SECTIONS.some((s) => s.name === n));
  if (unknown.length) {
    console.error(
      `unknown section(s): ${unknown.join(', ')}; sections: ${SECTIONS.map((s) => s.name).join(', ')}`,
    );
    process.exitCode = 2;
    return;
  }
  for (const section of SECTIONS) {
    if (names.length && !names.includes(section.name)) continue;
    console.log(`\n## ${section.name}\n`);
    await section.run(args);
  }
}

void main();
