/**
 * One period's sum of sizes per price offset, for the time-averaged book: an open-addressing
 * table with no allocation per level.
 */
import type { Ladder } from '@shared/book';

/**
 * Sums sizes per price offset for one period (open addressing, no allocation per level);
 * drain() returns the merged ladder, cheapest first, and resets. Keys are offsets in whole
 * 1e-9 price units (Math.round(offset × 1e9), as round9 rounds), so equal offsets merge
 * exactly and nothing else does.
 */
export class LevelAccumulator {
  private keys: Float64Array;
  private vals: Float64Array;
  private used: Int32Array;
  private count = 0;
  private mask: number;

  constructor(capacity = 1024) {
    this.keys = new Float64Array(capacity).fill(NaN);
    this.vals = new Float64Array(capacity);
    this.used = new Int32Array(capacity);
    this.mask = capacity - 1;
  }

  /** The slot each level's key was found in last time: a level whose offset from the mid did
   *  not change (most of them, row after row) is added without hashing. */
  private readonly hint = new Int32Array(64);

  /** Add `size` at offset `key`; `level` (below 64) picks the hint. */
  addLevel(level: number, key: number, size: number): void {
    const h = this.hint[level];
    if (this.keys[h] === key) this.vals[h] += size;
    else this.hint[level] = this.add(key, size);
  }

  /** Add `size` at offset `key`; returns its slot. */
  add(key: number, size: number): number {
    const mask = this.mask;
    let h = Math.imul(key | 0, 0x9e3779b1) >>> 0;
    h = (h ^ (h >>> 15)) & mask;
    const keys = this.keys;
    for (;;) {
      const k = keys[h];
      if (k === key) {
        this.vals[h] += size;
        return h;
      }
      if (k !== k) break;
      h = (h + 1) & mask;
    }
    keys[h] = key;
    this.vals[h] = size;
    this.used[this.count++] = h;
    if (this.count * 2 > mask) this.grow();
    return h;
  }

  drain(): Ladder {
    const out: Ladder = [];
    for (let i = 0; i < this.count; i++) {
      const h = this.used[i];
      out.push([this.keys[h] / 1e9, Number(this.vals[h].toPrecision(12))]);
      this.keys[h] = NaN;
    }
    this.count = 0;
    out.sort((a, b) => a[0] - b[0]);
    return out;
  }

  private grow(): void {
    const entries: [number, number][] = [];
    for (let i = 0; i < this.count; i++) {
      const h = this.used[i];
      entries.push([this.keys[h], this.vals[h]]);
    }
    const capacity = (this.mask + 1) * 2;
    this.keys = new Float64Array(capacity).fill(NaN);
    this.vals = new Float64Array(capacity);
    this.used = new Int32Array(capacity);
    this.mask = capacity - 1;
    this.count = 0;
    for (const [k, v] of entries) this.add(k, v);
  }
}
