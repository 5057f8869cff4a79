/**
 * A stand-in for a server that dies mid-solve (worker tests): it forks the fake solver worker
 * with this process's stderr, starts a job that never ends, tells the test the worker's pid
 * once the job reports progress, and exits without a word to the worker. The worker must
 * notice (it is re-parented) and exit quietly, with nothing on the shared stderr.
 */
import { fork } from 'node:child_process';
import { resolve } from 'node:path';
import { samplePlan } from '../testing/plans';
import type { HostToWorker } from './messages';

const worker = fork(resolve(import.meta.dirname, 'fakeWorker.testchild.ts'), [], {
  serialization: 'advanced',
  stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  execArgv: ['--import', 'tsx'],
});
worker.on('message', (m: { type: string }) => {
  if (m.type === 'ready') {
    const job: HostToWorker = {
      type: 'solve',
      job: 1,
      plan: samplePlan({ name: 'hang' }),
      heartbeatMs: 50,
    };
    worker.send(job);
  } else if (m.type === 'progress') {
    process.send!({ workerPid: worker.pid }, () => process.exit(0));
  }
});
