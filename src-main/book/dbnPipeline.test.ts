/**
 * The DBN reader feeds the CSV parser's record seam with the same values: empty levels
 * (UNDEF_PRICE ↔ a blank price), one-sided and crossed rows, clears (R), trades and fills give
 * the same parsed book, field for field, from a CSV and from its DBN form.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { nsAt, writeMbp10File, type Mbp10Snapshot } from '../../test/fixtures/mbp10';
import {
  FIXTURE_INSTRUMENT_ID,
  snapshotRecord,
  writeMbp10DbnFile,
} from '../../test/fixtures/mbp10Dbn';
import { encodeDbn } from '../../test/fixtures/writeDbn';
import { importMbp10File } from './mbp10';

const dir = mkdtempSync(join(tmpdir(), 'op-dbn-pipeline-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const session = { start: '09:30', end: '09:40', timeZone: 'America/New_York' };
const book = (bid: number, ask: number, depth = 10): Pick<Mbp10Snapshot, 'bids' | 'asks'> => ({
  bids: Array.from({ length: depth }, (_, k) => [bid - k / 100, 100 + k] as [number, number]),
  asks: Array.from({ length: depth }, (_, k) => [ask + k / 100, 200 + k] as [number, number]),
});
const at = (s: string, extra = 0n) => nsAt(`2025-04-03T${s}Z`, extra);
const rows: Mbp10Snapshot[] = [
  { tsEvent: at('13:29:00'), ...book(10.01, 10.03) },
  { tsEvent: at('13:30:00', 5n), ...book(10.02, 10.04), action: 'T', size: 300, price: 10.03 },
  { tsEvent: at('13:31:10', 123_456_789n), ...book(10.05, 10.07, 3) },
  { tsEvent: at('13:32:00'), bids: [], asks: book(0, 10.07).asks },
  { tsEvent: at('13:33:00'), ...book(10.08, 10.08) },
  { tsEvent: at('13:33:30'), ...book(10.1, 10.12, 1), action: 'F', size: 40 },
  { tsEvent: at('13:34:00'), ...book(10.1, 10.12), action: 'T', size: 77, price: 10.11 },
  { tsEvent: at('13:35:00'), bids: [], asks: [], action: 'R' },
  { tsEvent: at('13:36:00', 999_999_999n), ...book(123.4567, 123.4589) },
  { tsEvent: at('13:39:59'), ...book(123.45, 123.47), action: 'T', size: 5, price: 123.46 },
  { tsEvent: at('13:40:00', 1n), ...book(123.45, 123.47), action: 'T', size: 900, price: 123.46 },
];

describe('DBN and CSV into one pipeline', () => {
  it.each([
    ['decimal prices, ISO times, blank empty levels', {}],
    [
      'fixed-point prices, ns times, sentinel empty levels',
      { prices: 'fixed', timestamps: 'ns', emptyLevel: 'sentinel' },
    ],
  ] as const)('the same parsed book from a CSV (%s) and its DBN', async (_, format) => {
    const csv = join(dir, `day-${Object.keys(format).length}.csv`);
    const dbn = join(dir, 'day.dbn.zst');
    await writeMbp10File(csv, rows, { symbol: 'ACME', ...format });
    await writeMbp10DbnFile(dbn, rows, { symbol: 'ACME', zstd: true, version: 2 });
    const opts = { periodMinutes: 1, session };
    for (const sampling of ['average', 'start'] as const) {
      const a = await importMbp10File(csv, { ...opts, sampling });
      const b = await importMbp10File(dbn, { ...opts, sampling });
      // The file's hash and size, and the text formats the CSV was read in, differ by nature.
      const strip = (r: typeof a) => ({
        ...r,
        sha256: '',
        bytes: 0,
        priceFormat: null,
        timestampFormat: null,
      });
      expect(b.priceFormat).toBe('fixed');
      expect(b.timestampFormat).toBe('nanoseconds');
      expect(strip(b)).toEqual(strip(a));
      expect(b).toMatchObject({
        symbol: 'ACME',
        rows: 11,
        oneSidedRows: 1,
        crossedRows: 1,
        clearRows: 1,
      });
      expect(b.stats.openingAuction).toMatchObject({ volume: 300 });
    }
  });

  it('the symbol comes from the metadata mappings, not the file name', async () => {
    const dbn = join(dir, 'ZZZ-download.dbn');
    await writeMbp10DbnFile(dbn, rows, { symbol: 'FROG' });
    const b = await importMbp10File(dbn, { periodMinutes: 1, session });
    expect(b.symbol).toBe('FROG');
  });

  it('a DBN file with the books of two symbols is refused, naming both', async () => {
    const dbn = join(dir, 'two.dbn');
    const other = { ...snapshotRecord(rows[3], 3), instrumentId: 99 };
    writeFileSync(
      dbn,
      encodeDbn(
        {
          version: 3,
          dataset: 'XNAS.ITCH',
          schema: 2,
          start: rows[0].tsEvent,
          end: null,
          limit: null,
          stypeIn: 1,
          stypeOut: 0,
          tsOut: false,
          symbols: ['ACME', 'FROG'],
          partial: [],
          notFound: [],
          mappings: [
            {
              rawSymbol: 'ACME',
              intervals: [
                { startDate: 20250401, endDate: 20250410, symbol: String(FIXTURE_INSTRUMENT_ID) },
              ],
            },
            {
              rawSymbol: 'FROG',
              intervals: [{ startDate: 20250401, endDate: 20250410, symbol: '99' }],
            },
          ],
        },
        [snapshotRecord(rows[0]), snapshotRecord(rows[1], 1), other],
      ),
    );
    await expect(importMbp10File(dbn, { periodMinutes: 1, session })).rejects.toMatchObject({
      code: 'invalid_input',
      message: `two.dbn: the file holds the books of more than one instrument (ACME (instrument ${FIXTURE_INSTRUMENT_ID}) and FROG (instrument 99) at record 3); import one symbol per file`,
    });
  });

  it.each(['v1', 'v2', 'v3'])(
    "Databento's own MBP-10 file (%s) imports with its symbol from the mappings",
    async (v) => {
      const file = join(__dirname, `../../test/fixtures/dbn/test_data.mbp-10.${v}.dbn.zst`);
      const b = await importMbp10File(file, {
        periodMinutes: 1,
        session: { start: '00:00', end: '23:59', timeZone: 'UTC' },
      });
      expect(b).toMatchObject({ symbol: 'ESH1', date: '2020-12-28', rows: 2, usableRows: 2 });
      expect(b.stats.dataStart).toBe('2020-12-28T13:00:00Z');
    },
  );

  it('a cancelled DBN import stops with "cancelled"', async () => {
    const dbn = join(dir, 'cancel.dbn.zst');
    await writeMbp10DbnFile(dbn, rows, { symbol: 'ACME', zstd: true });
    const ac = new AbortController();
    ac.abort();
    await expect(
      importMbp10File(dbn, { periodMinutes: 1, session, signal: ac.signal }),
    ).rejects.toMatchObject({ code: 'cancelled' });
  });
});
