/** A trader imports a Databento `.dbn.zst` in the window, as they would a CSV. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect } from './fixtures';
import { syntheticDay } from '../fixtures/mbp10';
import { writeMbp10DbnFile } from '../fixtures/mbp10Dbn';

const dir = mkdtempSync(join(tmpdir(), 'dbn-e2e-'));
test.afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('import a .dbn.zst order book and read its summary', async ({ planner }) => {
  const file = join(dir, 'xnas-itch-20250403.mbp-10.dbn.zst');
  await writeMbp10DbnFile(
    file,
    syntheticDay({
      fromMs: Date.parse('2025-04-03T13:25:00Z'),
      toMs: Date.parse('2025-04-03T14:00:00Z'),
      rows: 3000,
    }),
    { symbol: 'FROG', zstd: true },
  );
  await planner.openBook();
  const panel = planner.bookPanel;
  await panel.getByLabel('Session end', { exact: true }).fill('10:00');
  await panel.getByLabel('Period length (minutes)').fill('5');
  await planner.chooseBookFile('xnas-itch-20250403.mbp-10.dbn.zst', readFileSync(file));
  await expect(
    panel.getByRole('status').filter({ hasText: 'Imported FROG 2025-04-03' }),
  ).toBeVisible();
  const summary = panel.getByRole('region', { name: 'FROG 2025-04-03' });
  await expect(summary).toContainText('3,000 read, 3,000 usable');
  await expect(summary).toContainText('6 of 6');
});

test('a DBN file of another schema gets its message in the window', async ({ planner }) => {
  await planner.openBook();
  await planner.chooseBookFile(
    'test_data.trades.v3.dbn.zst',
    readFileSync(join(__dirname, '../fixtures/dbn/test_data.trades.v3.dbn.zst')),
  );
  await expect(planner.bookPanel.getByRole('alert')).toContainText(
    'test_data.trades.v3.dbn.zst: a DBN file of schema trades',
  );
});
