/**
 * Looking at a database's write-ahead log before SQLite opens it.
 *
 * SQLite never reports a bad WAL: it uses the frames up to the first one that does not check
 * out and forgets the rest, and when the main file is empty it deletes the WAL outright. Both
 * lose committed saves without a word, so openDatabase asks `walProblem` first and, when it
 * answers, moves the files aside instead of opening them.
 *
 * The WAL format (https://www.sqlite.org/fileformat2.html#walformat): a 32-byte header, then
 * frames of a 24-byte header and one page. Checksums chain from the header through every
 * frame; a frame belongs to the log only if its salts equal the header's.
 */
import { closeSync, openSync, readSync, statSync, type Stats } from 'node:fs';

const HEADER_BYTES = 32;
const FRAME_HEADER_BYTES = 24;
const MAGIC = 0x377f0682; // | 1: checksums of big-endian words
const FORMAT_VERSION = 3007000;

function sizeOf(path: string): number | null {
  let info: Stats;
  try {
    info = statSync(path);
  } catch {
    return null;
  }
  return info.size;
}

/**
 * Why the database at `path` must not be opened as it is (a phrase for the notice), or null
 * when it may: its main file is empty or missing but its WAL is not; the WAL's header is
 * damaged; or a damaged frame is followed by a committed transaction of the same log, which
 * SQLite would drop with everything after it. A damaged last transaction is what a crash in
 * the middle of a write leaves (it was never committed), so that one is not a problem.
 */
export function walProblem(path: string): string | null {
  const wal = `${path}-wal`;
  const walSize = sizeOf(wal);
  if (walSize === null || walSize === 0) return null;
  const mainSize = sizeOf(path);
  if (mainSize === null || mainSize === 0) {
    return `the database file is ${mainSize === null ? 'missing' : 'empty'} but its write-ahead log ${wal} is not`;
  }
  let fd: number;
  try {
    fd = openSync(wal, 'r');
  } catch {
    return null; // unreadable: SQLite cannot use it either and says so when opening
  }
  try {
    return logProblem(fd, walSize, wal);
  } finally {
    closeSync(fd);
  }
}

function logProblem(fd: number, size: number, wal: string): string | null {
  const damaged = `its write-ahead log ${wal} is damaged`;
  if (size < HEADER_BYTES) return damaged;
  const header = Buffer.alloc(HEADER_BYTES);
  readSync(fd, header, 0, HEADER_BYTES, 0);
  const magic = header.readUInt32BE(0);
  const pageSize = header.readUInt32BE(8);
  if ((magic & ~1) >>> 0 !== MAGIC || header.readUInt32BE(4) !== FORMAT_VERSION) return damaged;
  if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0) return damaged;
  const bigEndian = (magic & 1) === 1;
  const sum = checksum(bigEndian, header, 0, 24, [0, 0]);
  if (sum[0] !== header.readUInt32BE(24) || sum[1] !== header.readUInt32BE(28)) return damaged;

  const salt1 = header.readUInt32BE(16);
  const salt2 = header.readUInt32BE(20);
  const frameBytes = FRAME_HEADER_BYTES + pageSize;
  const frame = Buffer.alloc(frameBytes);
  // The running checksum while frames check out; null past the first one that does not,
  // where SQLite stops reading the log.
  let chain: [number, number] | null = sum;
  for (let at = HEADER_BYTES; at + frameBytes <= size; at += frameBytes) {
    readSync(fd, frame, 0, frameBytes, at);
    // Frames with other salts are left over from before the log was last restarted.
    const ours = frame.readUInt32BE(8) === salt1 && frame.readUInt32BE(12) === salt2;
    if (chain !== null) {
      let next = checksum(bigEndian, frame, 0, 8, chain);
      next = checksum(bigEndian, frame, FRAME_HEADER_BYTES, pageSize, next);
      const valid =
        ours &&
        frame.readUInt32BE(0) !== 0 &&
        next[0] === frame.readUInt32BE(16) &&
        next[1] === frame.readUInt32BE(20);
      chain = valid ? next : null;
    } else if (ours && frame.readUInt32BE(4) !== 0) {
      // A committed transaction of this log after the point where SQLite stops reading.
      return damaged;
    }
  }
  return null;
}

/** SQLite's WAL checksum of `bytes` bytes at `offset` (a multiple of 8), continuing from `s`. */
function checksum(
  bigEndian: boolean,
  buf: Buffer,
  offset: number,
  bytes: number,
  s: [number, number],
): [number, number] {
  let s0 = s[0];
  let s1 = s[1];
  for (let i = offset; i < offset + bytes; i += 8) {
    const a = bigEndian ? buf.readUInt32BE(i) : buf.readUInt32LE(i);
    const b = bigEndian ? buf.readUInt32BE(i + 4) : buf.readUInt32LE(i + 4);
    s0 = (s0 + a + s1) >>> 0;
    s1 = (s1 + b + s0) >>> 0;
  }
  return [s0, s1];
}
