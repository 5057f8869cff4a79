/**
 * The CSV import's reader thread (worker_threads): it reads a file into a ring of shared slots,
 * hands each over, hashes it after, and parses ahead when its ring is full (`fileChunks.ts`
 * drives it and documents the protocol). Plain CommonJS run with `eval` (no file of its own to
 * bundle), the kernel's functions (`lineKernel.ts`) pasted in by their text.
 *
 * A thread is started without a file and takes one job, posted to it, then ends. Starting one
 * costs a process ~50–130 ms of CPU on a 2-core machine (Node's bootstrap of a worker),
 * competing with the parsing it is there to help: a process that will import a large CSV
 * calls `startReaderThread` first thing (the import worker process at its entry, `book-plan`
 * before it loads the import), so the thread starts while the process loads its code, and the
 * next threaded read takes it (`takeReaderThread`). Meanwhile it starts ICU for the process
 * (the first row's time zone costs the parsing thread ~20 ms otherwise). A spare thread nobody
 * takes does not keep the process alive.
 */
import { Worker } from 'node:worker_threads';
import { LINE_INTS, NUMS, kernelSource } from './lineKernel';

/** Slot states: free (the reader may fill it), filled and handed out, being parsed ahead by
 *  the reader thread, parsed ahead, taken by the parsing thread. */
export const FREE = 0;
export const FILLED = 1;
export const AHEAD = 2;
export const PARSED = 3;
export const MINE = 4;
/** Set in the lead-in count once the reader thread has taken over. */
export const LOCKED = 1 << 30;

/** What the reader thread is sent: the file and the shared memory of one read. */
export interface ReaderJob {
  path: string;
  data: SharedArrayBuffer;
  state: SharedArrayBuffer;
  config: SharedArrayBuffer;
  cols: SharedArrayBuffer;
  slots: number;
  size: number;
  cap: number;
  stride: number;
}

const READER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { openSync, readSync, closeSync } = require('node:fs');
const { createHash } = require('node:crypto');
${kernelSource()}
function run(job) {
  const { path, data, state, config, cols, slots, size, cap, stride } = job;
  const bytes = new Uint8Array(data);
  const st = new Int32Array(state);
  const cfg = new Int32Array(config);
  const hash = createHash('sha256');
  const lengths = new Int32Array(slots);
  let fd;
  let prog = null;
  let starts, minute, meta;
  // The chunks the parsing thread read itself while this thread started: lock their count
  // (the parser reads no more of them) and read on after them; they are hashed first.
  let lead;
  for (;;) {
    lead = Atomics.load(st, slots);
    if (Atomics.compareExchange(st, slots, lead, lead | ${LOCKED}) === lead) break;
  }
  lead &= ${LOCKED - 1};
  let position = lead * size;
  let prefix = position;
  const hashPrefix = () => {
    const scratch = Buffer.allocUnsafe(size);
    for (let at = 0; at < prefix; ) {
      const r = readSync(fd, scratch, 0, Math.min(size, prefix - at), at);
      if (r === 0) break;
      hash.update(scratch.subarray(0, r));
      at += r;
    }
    prefix = 0;
  };
  // Slots handed over and not hashed yet: the pending ones before fill in ring order (a slot
  // is filled again only once hashed: only this thread fills).
  let hashAt = 0;
  let pending = 0;
  const hashPending = () => {
    if (prefix > 0) hashPrefix();
    for (; pending > 0; pending--) {
      hash.update(bytes.subarray(hashAt * size, hashAt * size + lengths[hashAt]));
      hashAt = (hashAt + 1) % slots;
    }
  };
  try {
    fd = openSync(path, 'r');
    let fill = 0;
    let ended = false;
    for (;;) {
      // Read every free slot, in ring order, and hand each over; then hash them, after the
      // lead-in's bytes. At the start the parser so gets the whole ring at once instead of
      // waiting for the lead-in to be read again and hashed before the second slot.
      while (!ended && pending < slots && Atomics.load(st, fill) === ${FREE}) {
        const view = bytes.subarray(fill * size, (fill + 1) * size);
        let n = 0;
        while (n < size) {
          const r = readSync(fd, view, n, size - n, position + n);
          if (r === 0) break;
          n += r;
        }
        position += n;
        if (n === 0) {
          hashPending();
          ended = true;
          parentPort.postMessage({ sha256: hash.digest('hex') });
          break;
        }
        lengths[fill] = n;
        Atomics.store(st, fill, ${FILLED});
        parentPort.postMessage({ slot: fill, length: n });
        pending++;
        fill = (fill + 1) % slots;
      }
      hashPending();
      // Then parse ahead: the newest slot the parsing thread has not taken yet.
      if (!prog && Atomics.load(cfg, 0) > 0) {
        prog = cfg.slice(1, 1 + cfg[0]);
        starts = new Int32Array(2 * prog[2] + 2);
        minute = minuteCache(64);
        meta = new Int32Array(2);
      }
      let took = -1;
      for (let j = 1; prog && j <= slots; j++) {
        const k = (fill - j + slots) % slots;
        const was = Atomics.compareExchange(st, k, ${FILLED}, ${AHEAD});
        if (was === ${FILLED}) {
          took = k;
          break;
        }
        if (was !== ${PARSED}) break;
      }
      if (took >= 0) {
        const buf = bytes.subarray(took * size, took * size + lengths[took]);
        const base = took * stride;
        const nums = new Float64Array(cols, base, cap * ${NUMS});
        const lines = new Int32Array(cols, base + cap * ${NUMS * 8}, cap * ${LINE_INTS});
        const out = new Int32Array(cols, base + cap * ${NUMS * 8 + LINE_INTS * 4}, 4);
        const first = buf.indexOf(10);
        const last = buf.lastIndexOf(10);
        if (first >= 0 && last > first) {
          tokenizeLines(buf, first + 1, last + 1, prog, starts, minute, meta, lines, nums, cap);
          out[0] = meta[0];
          out[1] = first + 1;
          out[2] = meta[1];
        } else {
          out[0] = 0;
          out[1] = first + 1;
          out[2] = first + 1;
        }
        Atomics.store(st, took, ${PARSED});
        Atomics.notify(st, took);
        continue;
      }
      if (ended) {
        // The file is read: help with the chunks still waiting, then stop.
        let waiting = -1;
        for (let k = 0; k < slots; k++) if (Atomics.load(st, k) === ${FILLED}) waiting = k;
        if (waiting < 0) break;
        Atomics.wait(st, waiting, ${FILLED}, 20);
        continue;
      }
      const v = Atomics.load(st, fill);
      if (v !== ${FREE}) Atomics.wait(st, fill, v, 50);
    }
  } catch (e) {
    parentPort.postMessage({ error: { code: e && e.code, message: String(e && e.message) } });
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
// A process's first Intl date format starts ICU: ~20 ms, once per process (its data is
// shared by every thread), whatever the zone. Made here while this thread waits for its file,
// the parsing thread's first row, which needs the session's zone, finds ICU started.
try {
  new Intl.DateTimeFormat('en-US', { timeZone: 'UTC' }).format(0);
} catch {}
parentPort.once('message', run);
`;

/** A thread started ahead of its file, and whether it has stopped (it failed to start). */
let spare: { worker: Worker; stopped: boolean } | null = null;

/** Reader threads this process has started (for the tests: a spare one is taken, not doubled). */
let started = 0;
export function readerThreadsStarted(): number {
  return started;
}

function spawnReader(): Worker {
  started++;
  // Plain CommonJS: none of this process's loaders (a TypeScript loader under tsx or vitest
  // would cost the thread's start more than reading a few chunks).
  return new Worker(READER_SOURCE, { eval: true, execArgv: [] });
}

/**
 * Start a reader thread now, for the next large CSV this process reads. Does nothing when one
 * is waiting already; a thread that cannot be started leaves the read to start its own (or to
 * read inline, as before).
 */
export function startReaderThread(): void {
  if (spare && !spare.stopped) return;
  try {
    const worker = spawnReader();
    const entry = { worker, stopped: false };
    const stopped = () => {
      entry.stopped = true;
    };
    worker.once('error', stopped);
    worker.once('exit', stopped);
    // Waiting for a file must not keep the process alive.
    worker.unref();
    spare = entry;
  } catch {
    spare = null;
  }
}

/**
 * A reader thread for `job`: the spare one if it is still running, else a new one (throws
 * when none can be started). The job is posted to it; the caller listens to it from now on
 * (in the same turn of the event loop, so an exit not yet delivered still reaches it).
 */
export function takeReaderThread(job: ReaderJob): Worker {
  const taken = spare && !spare.stopped ? spare.worker : null;
  spare = null;
  const worker = taken ?? spawnReader();
  worker.ref();
  worker.postMessage(job);
  return worker;
}
