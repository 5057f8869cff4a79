/**
 * Child process of the solver benchmark: solves one bench case once and prints one JSON line
 * with the elapsed time and this process's peak RSS (a fresh process: the case's own
 * footprint, including Node's baseline of about 50 MB).
 */
import { solveLots } from '../../src-shared/solver';
import { BENCH_CASES, benchPlan } from './solverCases';

const c = BENCH_CASES.find((x) => x.id === process.argv[2]);
if (!c) throw new Error(`unknown bench case ${process.argv[2]}`);
const plan = benchPlan(c);
const t0 = performance.now();
solveLots(plan);
const ms = performance.now() - t0;
const maxRssBytes = process.resourceUsage().maxRSS * 1024;
process.stdout.write(JSON.stringify({ ms, maxRssBytes }) + '\n');
