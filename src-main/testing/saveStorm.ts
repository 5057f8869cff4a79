/**
 * Test and bench helper: real browser-mode servers (src-main/server/serve.ts, forked through
 * tsx) on one data folder under a storm of saves over HTTP, and the count of acknowledged
 * saves found afterwards in the live database. Used by storage/twoInstances.test.ts and by
 * `npm run bench -- storage`.
 */
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DATABASE_FILE } from '../backend/backend';
import { openDatabase } from '../storage/db';
import { getPlan } from '../storage/plans';
import { forkTs } from './forkTs';
import { samplePlan } from './plans';

export interface ServeProcess {
  child: ChildProcess;
  /** Everything written to stderr so far. */
  stderr: () => string;
}

export interface StartedServe extends ServeProcess {
  url: string;
  port: number;
  token: string;
}

/** How a server run ended up: started (printed its URL line) or exited first. */
export type ServeOutcome =
  { started: true; serve: StartedServe } | { started: false; code: number | null; stderr: string };

/** Fork serve.ts on `dataDir`; resolves once it prints its URL or exits, whichever is first. */
export async function runServe(dataDir: string): Promise<ServeOutcome> {
  const child = forkTs('src-main/server/serve.ts', ['--port', '0', '--data-dir', dataDir], {
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let err = '';
  let out = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => (err += chunk));
  child.stdout!.setEncoding('utf8');
  // 'exit' may come before or after the last of stderr: wait for both.
  const ended = Promise.all([once(child, 'exit'), once(child.stderr!, 'end')]);
  return new Promise((resolve) => {
    child.stdout!.on('data', (chunk: string) => {
      out += chunk;
      const m = /(http:\/\/127\.0\.0\.1:(\d+)\/\?token=([A-Za-z0-9_-]+))\n/.exec(out);
      if (m)
        resolve({
          started: true,
          serve: { child, url: m[1], port: Number(m[2]), token: m[3], stderr: () => err },
        });
    });
    void ended.then(([[code]]) =>
      resolve({ started: false, code: code as number | null, stderr: err }),
    );
  });
}

export async function stopServe(serve: ServeProcess, signal: NodeJS.Signals): Promise<void> {
  if (serve.child.exitCode !== null || serve.child.signalCode !== null) return;
  const exited = once(serve.child, 'exit');
  serve.child.kill(signal);
  await exited;
}

interface Ack {
  id: string;
  revision: number;
  name: string;
}

/** Saves through the server's API from `loops` concurrent clients until `stop()` is called. */
export function saveStorm(serve: StartedServe, loops = 2) {
  const acks: Ack[] = [];
  let stopped = false;
  let failures = 0;
  const plan = samplePlan();
  const runLoop = async (loop: number) => {
    const ids: string[] = [];
    for (let n = 0; !stopped; n++) {
      const name = `storm ${loop}.${n}`;
      // Alternate between new plans and new revisions of this client's plans.
      const id = n % 3 === 0 || ids.length === 0 ? undefined : ids[n % ids.length];
      try {
        const res = await fetch(`http://127.0.0.1:${serve.port}/api/savePlan`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${serve.token}`, 'Content-Type': 'application/json' },
          body: JSON.stringify({ plan: { ...plan, name }, ...(id ? { id } : {}) }),
        });
        const body = (await res.json()) as {
          ok: boolean;
          value?: { id: string; revision: number };
        };
        if (!body.ok || !body.value) {
          failures++;
          continue;
        }
        acks.push({ id: body.value.id, revision: body.value.revision, name });
        if (id === undefined) ids.push(body.value.id);
      } catch {
        // The server is gone (killed): what it did not answer was never acknowledged.
        failures++;
        if (serve.child.exitCode !== null || serve.child.signalCode !== null) return;
      }
    }
  };
  const done = Promise.all(Array.from({ length: loops }, (_, i) => runLoop(i)));
  return {
    acks,
    failures: () => failures,
    /** Resolves once `count` saves are acknowledged (or the storm ended). */
    async until(count: number) {
      while (acks.length < count && !stopped && serve.child.exitCode === null) {
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    async stop() {
      stopped = true;
      await done;
    },
  };
}

export interface StormCount {
  acknowledged: number;
  found: number;
  /** Acknowledged saves missing from the live database (or stored differently). */
  lost: Ack[];
  /** Files moved aside in the data folder (`…corrupt-…`). */
  movedAside: string[];
}

/** Open the live database of `dataDir` and look up every acknowledged save. */
export function countFound(dataDir: string, acks: readonly Ack[]): StormCount {
  const { db } = openDatabase(join(dataDir, DATABASE_FILE));
  try {
    const lost = acks.filter((a) => {
      try {
        return getPlan(db, a.id, a.revision).plan.name !== a.name;
      } catch {
        return true;
      }
    });
    const movedAside = readdirSync(dataDir).filter((f) => f.includes('.corrupt-'));
    return { acknowledged: acks.length, found: acks.length - lost.length, lost, movedAside };
  } finally {
    db.close();
  }
}

export interface TwoInstanceReport extends StormCount {
  /** The second server: refused (exit code, stderr) or, wrongly, started. */
  second: { refused: boolean; code: number | null; stderr: string };
  firstPid: number;
  firstOrigin: string;
}

/**
 * A first server under a save storm; a second server started on the same data folder once
 * `before` saves are acknowledged; the storm runs on until `total` are. Then the first stops
 * (SIGTERM) and the acknowledged saves are looked up in the live database.
 */
export async function twoInstanceStorm(
  dataDir: string,
  { before = 20, total = 200 } = {},
): Promise<TwoInstanceReport> {
  const first = await runServe(dataDir);
  if (!first.started) throw new Error(`the first server did not start: ${first.stderr}`);
  const storm = saveStorm(first.serve);
  let second: TwoInstanceReport['second'];
  try {
    await storm.until(before);
    const outcome = await runServe(dataDir);
    if (outcome.started) {
      second = { refused: false, code: null, stderr: outcome.serve.stderr() };
      await storm.until(total);
      await stopServe(outcome.serve, 'SIGTERM');
    } else {
      second = { refused: true, code: outcome.code, stderr: outcome.stderr };
    }
    await storm.until(total);
  } finally {
    await storm.stop();
    await stopServe(first.serve, 'SIGTERM');
  }
  return {
    ...countFound(dataDir, storm.acks),
    second,
    firstPid: first.serve.child.pid!,
    firstOrigin: new URL(first.serve.url).origin,
  };
}

export interface KilledReport extends StormCount {
  /** Whether a new server started on the folder after the first was killed. */
  restarted: boolean;
  restartStderr: string;
}

/**
 * A server killed (SIGKILL) in the middle of a save storm once `total` saves are
 * acknowledged; then a new server must start on the same folder (the dead one's lock is
 * gone), and every acknowledged save must be in the database.
 */
export async function killedStorm(dataDir: string, { total = 100 } = {}): Promise<KilledReport> {
  const first = await runServe(dataDir);
  if (!first.started) throw new Error(`the first server did not start: ${first.stderr}`);
  const storm = saveStorm(first.serve);
  try {
    await storm.until(total);
    await stopServe(first.serve, 'SIGKILL');
  } finally {
    await storm.stop();
    await stopServe(first.serve, 'SIGKILL');
  }
  const next = await runServe(dataDir);
  if (next.started) await stopServe(next.serve, 'SIGTERM');
  return {
    ...countFound(dataDir, storm.acks),
    restarted: next.started,
    restartStderr: next.started ? next.serve.stderr() : next.stderr,
  };
}
