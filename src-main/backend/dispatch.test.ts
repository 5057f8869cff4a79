/**
 * three-error-conversions: a thrown error became the API's `{ ok: false, error }` in three
 * places (the contract's runHandler behind IPC, the HTTP server, the solver worker), each
 * with its own wording. There is one now, toApiError in the contract: the same throw gives
 * the same error over IPC (dispatch), over HTTP and from the worker.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PlannerError, toApiError, type ApiError, type Services } from '@shared/contract';
import { dispatch } from './dispatch';
import { startServer, type RunningServer } from '../server/server';
import { UploadStore } from '../server/uploads';
import { runWorker, type Port } from '../solver/workerMain';
import type { HostToWorker, WorkerToHost } from '../solver/messages';
import { samplePlan } from '../testing/plans';

/** What each case throws, and the error every transport must give for it. */
const CASES: [string, () => unknown, ApiError][] = [
  [
    'a PlannerError keeps its code and message',
    () => {
      throw new PlannerError('infeasible', 'caps allow only 500 of 1000 shares');
    },
    { code: 'infeasible', message: 'caps allow only 500 of 1000 shares' },
  ],
  [
    'a bug is internal, its message without a stack',
    () => {
      throw new TypeError('x is undefined');
    },
    { code: 'internal', message: 'unexpected error: x is undefined' },
  ],
  [
    'a thrown non-Error is internal too',
    () => {
      throw 'plain text';
    },
    { code: 'internal', message: 'unexpected error: plain text' },
  ],
];

/** Services whose every operation runs `fn`. */
function throwingServices(fn: () => unknown): Services {
  return new Proxy({} as Services, { get: () => fn });
}

let dir: string;
let uploads: UploadStore;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'op-errors-'));
  uploads = new UploadStore(1000);
});
afterAll(() => {
  uploads.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('three-error-conversions', () => {
  for (const [what, fn, expected] of CASES) {
    it(`${what}: the same over IPC (dispatch), HTTP and from the solver worker`, async () => {
      expect(toApiError(catching(fn))).toEqual(expected);

      expect(await dispatch(throwingServices(fn), 'listPlans', {})).toEqual({
        ok: false,
        error: expected,
      });

      let srv: RunningServer | undefined;
      try {
        srv = await startServer({
          services: throwingServices(fn),
          onProgress: () => () => {},
          uploads,
          rendererDir: dir,
          port: 0,
        });
        const res = await fetch(`http://127.0.0.1:${srv.port}/api/listPlans`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${srv.token}`, 'Content-Type': 'application/json' },
          body: '{}',
        });
        expect(await res.json()).toEqual({ ok: false, error: expected });
      } finally {
        await srv?.close();
      }

      // The worker words a bug as the solver's; a PlannerError passes through unchanged.
      const fromWorker = workerError(fn);
      expect(fromWorker).toEqual(
        expected.code === 'internal'
          ? {
              ...expected,
              message: expected.message.replace('unexpected error', 'the solver failed'),
            }
          : expected,
      );
      expect(fromWorker).toEqual(toApiError(catching(fn), 'the solver failed'));
    });
  }
});

function catching(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
}

/** The error the worker protocol sends for a solve that throws (in-process port). */
function workerError(fn: () => unknown): ApiError {
  const sent: WorkerToHost[] = [];
  let deliver: (m: HostToWorker) => void = () => {};
  const port: Port = { send: (m) => sent.push(m), onMessage: (l) => (deliver = l) };
  runWorker({ solve: fn as never, frontier: fn as never, curve: fn as never }, port);
  deliver({ type: 'solve', job: 7, plan: samplePlan() });
  const reply = sent.find((m) => m.type === 'error');
  if (!reply || reply.type !== 'error') throw new Error('no error reply');
  expect(reply.job).toBe(7);
  return { code: reply.code, message: reply.message };
}
