/**
 * An MBP-10 record read in place: `Mbp10View` reads typed fields at fixed offsets of the
 * record it points at (no copy, no allocation for numbers), and is reused from record to
 * record by the decoder; `toMbp10Record` turns the current record into a plain object.
 */
import { MBP10 } from './layout';

const TWO_32 = 0x1_0000_0000;
const I64_MAX_HI = 0x7fff_ffff;
const U32_MAX = 0xffff_ffff;

/** One book level. Prices in 1e-9 units, null for an empty level (UNDEF_PRICE). */
export interface Mbp10Level {
  bidPx: bigint | null;
  askPx: bigint | null;
  bidSz: number;
  askSz: number;
  bidCt: number;
  askCt: number;
}

/** Every field of an MBP-10 record; prices in 1e-9 units (null: UNDEF_PRICE), times in ns. */
export interface Mbp10Record {
  rtype: number;
  publisherId: number;
  instrumentId: number;
  tsEvent: bigint;
  price: bigint | null;
  size: number;
  /** One character: A(dd), C(ancel), M(odify), R (clear), T(rade), F(ill), N(one). */
  action: string;
  /** One character: A(sk), B(id), N(one). */
  side: string;
  flags: number;
  depth: number;
  tsRecv: bigint;
  tsInDelta: number;
  sequence: number;
  levels: Mbp10Level[];
}

export class Mbp10View {
  /** The bytes the current record lies in, and its offset there. Set by the decoder. */
  dv: DataView = new DataView(new ArrayBuffer(MBP10.recordLen));
  off = 0;

  /** Record length in bytes (the header's length byte × 4). */
  get recordLength(): number {
    return this.dv.getUint8(this.off) * 4;
  }
  get rtype(): number {
    return this.dv.getUint8(this.off + MBP10.rtype);
  }
  get publisherId(): number {
    return this.dv.getUint16(this.off + MBP10.publisherId, true);
  }
  get instrumentId(): number {
    return this.dv.getUint32(this.off + MBP10.instrumentId, true);
  }
  get size(): number {
    return this.dv.getUint32(this.off + MBP10.size, true);
  }
  /** The action as a character code (e.g. 84 for 'T'). */
  get action(): number {
    return this.dv.getUint8(this.off + MBP10.action);
  }
  get side(): number {
    return this.dv.getUint8(this.off + MBP10.side);
  }
  get flags(): number {
    return this.dv.getUint8(this.off + MBP10.flags);
  }
  get depth(): number {
    return this.dv.getUint8(this.off + MBP10.depth);
  }
  get tsInDelta(): number {
    return this.dv.getInt32(this.off + MBP10.tsInDelta, true);
  }
  get sequence(): number {
    return this.dv.getUint32(this.off + MBP10.sequence, true);
  }

  /** ts_event in ns since the epoch (a bigint: the value needs 61 bits). */
  tsEvent(): bigint {
    return this.dv.getBigUint64(this.off + MBP10.tsEvent, true);
  }
  tsRecv(): bigint {
    return this.dv.getBigUint64(this.off + MBP10.tsRecv, true);
  }
  /** ts_event − base in ns as a number, without allocating: exact while the difference is
   *  below 2^53 ns (104 days). `base` as split by `splitNs`. */
  tsEventSince(baseHi: number, baseLo: number): number {
    const o = this.off + MBP10.tsEvent;
    return (
      (this.dv.getUint32(o + 4, true) - baseHi) * TWO_32 + (this.dv.getUint32(o, true) - baseLo)
    );
  }
  tsRecvSince(baseHi: number, baseLo: number): number {
    const o = this.off + MBP10.tsRecv;
    return (
      (this.dv.getUint32(o + 4, true) - baseHi) * TWO_32 + (this.dv.getUint32(o, true) - baseLo)
    );
  }

  /** The record's price in 1e-9 units as a number (exact below 2^53, i.e. $9,007,199), NaN
   *  for UNDEF_PRICE. */
  priceNano(): number {
    return this.i64Nano(this.off + MBP10.price);
  }
  bidPxNano(level: number): number {
    return this.i64Nano(this.off + MBP10.levels + level * MBP10.levelLen + MBP10.bidPx);
  }
  askPxNano(level: number): number {
    return this.i64Nano(this.off + MBP10.levels + level * MBP10.levelLen + MBP10.askPx);
  }
  bidSz(level: number): number {
    return this.dv.getUint32(this.off + MBP10.levels + level * MBP10.levelLen + MBP10.bidSz, true);
  }
  askSz(level: number): number {
    return this.dv.getUint32(this.off + MBP10.levels + level * MBP10.levelLen + MBP10.askSz, true);
  }
  bidCt(level: number): number {
    return this.dv.getUint32(this.off + MBP10.levels + level * MBP10.levelLen + MBP10.bidCt, true);
  }
  askCt(level: number): number {
    return this.dv.getUint32(this.off + MBP10.levels + level * MBP10.levelLen + MBP10.askCt, true);
  }

  /** A price field as an exact bigint in 1e-9 units, null for UNDEF_PRICE. */
  priceExact(fieldOffset: number): bigint | null {
    const o = this.off + fieldOffset;
    if (this.isUndef(o)) return null;
    return this.dv.getBigInt64(o, true);
  }

  private isUndef(o: number): boolean {
    return this.dv.getUint32(o, true) === U32_MAX && this.dv.getInt32(o + 4, true) === I64_MAX_HI;
  }
  private i64Nano(o: number): number {
    const lo = this.dv.getUint32(o, true);
    const hi = this.dv.getInt32(o + 4, true);
    if (hi === I64_MAX_HI && lo === U32_MAX) return NaN;
    return hi * TWO_32 + lo;
  }
}

/** Splits ns since the epoch into the (hi, lo) u32 pair `tsEventSince` takes. */
export function splitNs(ns: bigint): { hi: number; lo: number } {
  return { hi: Number(ns >> 32n), lo: Number(ns & 0xffff_ffffn) };
}

/** The current record of `v` as a plain object (allocates; not for the hot loop). */
export function toMbp10Record(v: Mbp10View): Mbp10Record {
  const levels: Mbp10Level[] = [];
  for (let i = 0; i < MBP10.levelCount; i++) {
    const base = MBP10.levels + i * MBP10.levelLen;
    levels.push({
      bidPx: v.priceExact(base + MBP10.bidPx),
      askPx: v.priceExact(base + MBP10.askPx),
      bidSz: v.bidSz(i),
      askSz: v.askSz(i),
      bidCt: v.bidCt(i),
      askCt: v.askCt(i),
    });
  }
  return {
    rtype: v.rtype,
    publisherId: v.publisherId,
    instrumentId: v.instrumentId,
    tsEvent: v.tsEvent(),
    price: v.priceExact(MBP10.price),
    size: v.size,
    action: String.fromCharCode(v.action),
    side: String.fromCharCode(v.side),
    flags: v.flags,
    depth: v.depth,
    tsRecv: v.tsRecv(),
    tsInDelta: v.tsInDelta,
    sequence: v.sequence,
    levels,
  };
}
