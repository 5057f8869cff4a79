/**
 * Solver worker process entry (out/main/solverWorker.js): an Electron utilityProcess in the
 * app, a child_process.fork child in browser mode and tests. It solves one plan at a time;
 * cancelling means the host kills this process and starts a fresh one.
 */
import { solvePlan } from '@shared/solver';
import { runWorker } from './workerMain';

runWorker(solvePlan);
