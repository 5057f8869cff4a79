/**
 * Solver worker process entry (out/main/solverWorker.js): an Electron utilityProcess in the
 * app, a child_process.fork child in browser mode and tests. It runs one job at a time (a
 * solve, an efficient frontier or a cost-by-size curve); cancelling means the host kills this process and starts a
 * fresh one.
 */
import { solveCostCurve, solvePlanColumns } from '@shared/solver';
import { computeFrontier } from '@shared/solver/frontier';
import { runWorker } from '../solver/workerMain';

runWorker({ solve: solvePlanColumns, frontier: computeFrontier, curve: solveCostCurve });
