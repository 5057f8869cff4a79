/**
 * The CSV header: which column holds what. Layout comes from the header names. Unknown /
 * unnamed columns (a leading pandas index) are ignored. `ts_event` appearing twice: the FIRST
 * occurrence is used (both carry the same value in Databento exports; the first is the one
 * written by the exporter). A header without ts_event or one of the 40 level columns is not
 * an MBP-10 file.
 */
import { textDecoder } from './numbers';
import { LEVELS, SNAP, notMbp10 } from './record';

export interface CsvLayout {
  /** Fields per row. */
  columns: number;
  tsCol: number;
  /** The optional columns: -1 when absent. */
  symbolCol: number;
  actionCol: number;
  sizeCol: number;
  priceCol: number;
  publisherCol: number;
  /** Column index of each snapshot slot (SNAP entries, in the record's layout). */
  levelCols: Int32Array;
}

/** The layout of the header line buf[from, nl); throws when it is not an MBP-10 header. */
export function csvLayout(buf: Uint8Array, from: number, nl: number): CsvLayout {
  let text = textDecoder.decode(buf.subarray(from, nl));
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const names = text
    .replace(/\r$/, '')
    .split(',')
    .map((s) => s.trim().replace(/^"(.*)"$/, '$1'));
  const first = new Map<string, number>();
  names.forEach((name, i) => {
    if (!first.has(name)) first.set(name, i);
  });
  const need = (name: string) => first.get(name) ?? -1;
  const layout: CsvLayout = {
    columns: names.length,
    tsCol: need('ts_event'),
    symbolCol: need('symbol'),
    actionCol: need('action'),
    sizeCol: need('size'),
    priceCol: need('price'),
    publisherCol: need('publisher_id'),
    levelCols: new Int32Array(SNAP),
  };
  const missing: string[] = [];
  if (layout.tsCol < 0) missing.push('ts_event');
  let levelsSeen = 0;
  for (let k = 0; k < LEVELS; k++) {
    const nn = String(k).padStart(2, '0');
    const cols = [`bid_px_${nn}`, `bid_sz_${nn}`, `ask_px_${nn}`, `ask_sz_${nn}`];
    const idx = cols.map(need);
    if (idx.some((c) => c >= 0)) levelsSeen++;
    idx.forEach((c, j) => {
      if (c < 0) missing.push(cols[j]);
      layout.levelCols[j * LEVELS + k] = c;
    });
  }
  if (missing.length) {
    const list = missing.slice(0, 4).join(', ') + (missing.length > 4 ? ', …' : '');
    const why =
      levelsSeen === 0
        ? `the header has no bid_px_00/ask_px_00 level columns (missing ${list})`
        : levelsSeen < LEVELS
          ? `the header has ${levelsSeen} price level(s) per side, MBP-10 needs ${LEVELS} (missing ${list})`
          : `the header lacks ${list}`;
    throw notMbp10(why);
  }
  return layout;
}
