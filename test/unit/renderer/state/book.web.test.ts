/**
 * BookState: importing order-book files (settings, several files, failures, cancel, the
 * average of several days), the dataset list, averaging ticked days, and Use in plan.
 */
import { describe, expect, it } from 'vitest';
import type { BookSummary } from '@shared/contract';
import { BookState } from '../../../../src-renderer/src/state/book.svelte';
import { fakeBackendEachTest, fail, ok, until } from './fakeBackend.web';
import { day, detail, plan } from './fixtures.web';

const backend = fakeBackendEachTest();

const csv = (name: string) => new File(['ts,bid,ask'], name);
const f5 = day('f5', 'FROG', '2026-01-05');
const f6 = day('f6', 'FROG', '2026-01-06');
const t5 = day('t5', 'TOAD', '2026-01-05');
const avg = day('avg', 'FROG', '2026-01-05', { days: ['2026-01-05', '2026-01-06'] });

/** importBook answers with the dataset of the file's name (a.csv → f5, b.csv → f6 …). */
function importsAs(byFile: Record<string, BookSummary>): void {
  backend.on('importBook', (input) => ok(byFile[input.fileName ?? '']));
  backend.on('getBook', (input) =>
    ok(
      detail(
        [f5, f6, t5, avg].find((b) => b.id === input.id)!,
        [1, 1, 1, 1],
      ),
    ),
  );
}

describe('BookState: the list', () => {
  it('lists the imported datasets; a failure says why', async () => {
    backend.reply('listBooks', [f5, f6]);
    const b = new BookState();
    await b.refresh();
    expect(b.books).toEqual([f5, f6]);
    expect(b.loadingList).toBe(false);
    backend.refuse('listBooks', 'storage', 'locked');
    await b.refresh();
    expect(b.listError).toBe('locked');
    expect(b.books).toEqual([f5, f6]);
  });

  it('selects a dataset; deleting it unselects and unticks it', async () => {
    backend.reply('listBooks', [f5, f6]).reply('getBook', detail(f5, [1, 2, 3, 4]));
    backend.reply('deleteBook', { id: 'f5' });
    const b = new BookState();
    await b.select('f5');
    expect(b.selected?.id).toBe('f5');
    b.togglePick('f5');
    await b.remove('f5');
    expect(b.selected).toBeNull();
    expect(b.picked).toEqual([]);
    expect(backend.inputs('listBooks')).toHaveLength(1);
  });

  it('a refused delete keeps the selection and says why', async () => {
    backend.reply('getBook', detail(f5, [1, 2, 3, 4])).refuse('deleteBook', 'storage', 'locked');
    const b = new BookState();
    await b.select('f5');
    await b.remove('f5');
    expect(b.selected?.id).toBe('f5');
    expect(b.listError).toBe('locked');
  });
});

describe('BookState: import', () => {
  it('settings with problems stop the import before any file is read', async () => {
    const b = new BookState();
    b.periodMinutes = '0';
    b.sessionEnd = '25:00';
    b.date = '2026-02-30';
    await b.importFiles([csv('a.csv')]);
    expect(b.importError).toBe('Fix the import settings first.');
    expect(Object.keys(b.optionErrors).sort()).toEqual(['date', 'end', 'periodMinutes']);
    expect(backend.calls).toEqual([]);
    expect(b.importing).toBe(false);
  });

  it('imports a file with the settings and selects it', async () => {
    importsAs({ 'a.csv': f5 });
    backend.reply('listBooks', [f5]);
    const b = new BookState();
    b.periodMinutes = '5';
    b.sampling = 'start';
    await b.importFiles([csv('a.csv')]);
    expect(backend.inputs('importBook')).toEqual([
      {
        periodMinutes: 5,
        sampling: 'start',
        session: { start: '09:30', end: '16:00', timeZone: 'America/New_York' },
        file: 'staged:a.csv',
        fileName: 'a.csv',
      },
    ]);
    expect(b.files).toEqual([{ name: 'a.csv', state: 'done', message: 'FROG 2026-01-05' }]);
    expect(b.importNotice).toBe('Imported FROG 2026-01-05 from FROG-2026-01-05.csv.');
    expect(b.importError).toBeNull();
    expect(b.selected?.id).toBe('f5');
    expect(b.importing).toBe(false);
  });

  it('several days of one symbol are averaged at once and the average is selected', async () => {
    importsAs({ 'a.csv': f5, 'b.csv': f6, 'c.csv': t5 });
    backend.reply('listBooks', [f5, f6, t5]).reply('averageBooks', avg);
    const b = new BookState();
    await b.importFiles([csv('a.csv'), csv('b.csv'), csv('c.csv')]);
    expect(backend.inputs('averageBooks')).toEqual([{ ids: ['f5', 'f6'] }]);
    expect(b.importNotice).toBe(
      'Imported 3 files: FROG 2026-01-05, FROG 2026-01-06, TOAD 2026-01-05. Averaged the 2 days into one dataset.',
    );
    expect(b.selected?.id).toBe('avg');
  });

  it('a file that fails does not stop the others', async () => {
    importsAs({ 'b.csv': f6 });
    backend.reply('listBooks', [f6]);
    const b = new BookState();
    backend.stage = async (file) =>
      file.name === 'a.csv' ? fail('internal', 'permission denied') : ok({ ref: 'r-b' });
    await b.importFiles([csv('a.csv'), csv('b.csv')]);
    expect(b.files.map((f) => f.state)).toEqual(['failed', 'done']);
    expect(b.importError).toBe(
      'Could not import 1 of 2 files. a.csv: could not read the file: permission denied',
    );
    expect(b.selected?.id).toBe('f6');
  });

  it('a refused single file says so; nothing is selected', async () => {
    backend.refuse('importBook', 'invalid_input', 'no bid/ask columns');
    const b = new BookState();
    await b.importFiles([csv('a.csv')]);
    expect(b.importError).toBe('Could not import a.csv: no bid/ask columns');
    expect(b.selected).toBeNull();
    expect(backend.inputs('listBooks')).toEqual([]);
  });

  it('cancel stops the file being read and the ones after it', async () => {
    backend.hold('importBook').reply('cancelImport', { cancelled: true });
    const b = new BookState();
    const stop = b.listen();
    const importing = b.importFiles([csv('a.csv'), csv('b.csv')]);
    await until(() => backend.held('importBook').length === 1, 'the first import');
    backend.progress({ op: 'importBook', fraction: 0.3, message: 'Reading a.csv' });
    backend.progress({ op: 'solve', fraction: 0.9 });
    expect(b.progress).toBe(0.3);
    expect(b.progressMessage).toBe('Reading a.csv');
    await b.cancelImport();
    expect(b.cancelling).toBe(true);
    backend.answer('importBook', ok({ cancelled: true }));
    await importing;
    stop();
    expect(b.files).toEqual([
      { name: 'a.csv', state: 'cancelled', message: 'import cancelled' },
      { name: 'b.csv', state: 'cancelled', message: 'not imported (cancelled)' },
    ]);
    expect(b.importNotice).toBe('Import cancelled.');
    expect(backend.staged).toEqual(['a.csv']); // b.csv is not even read
    expect(backend.inputs('importBook')).toHaveLength(1);
    expect(b.importing).toBe(false);
  });

  it('no second import while one runs; cancel with nothing running does nothing', async () => {
    const b = new BookState();
    await b.cancelImport();
    expect(backend.calls).toEqual([]);
    backend.hold('importBook');
    const first = b.importFiles([csv('a.csv')]);
    await b.importFiles([csv('b.csv')]);
    await until(() => backend.held('importBook').length === 1, 'the import');
    expect(backend.inputs('importBook')).toHaveLength(1);
    backend.answer('importBook', fail('internal', 'x'));
    await first;
  });
});

describe('BookState: averaging ticked days', () => {
  it('the blocker says what is missing; averaging opens the new dataset', async () => {
    backend.reply('listBooks', [f5, f6, t5]);
    const b = new BookState();
    await b.refresh();
    expect(b.averageBlocker).toBe('Tick two or more single days of one symbol to average them.');
    b.togglePick('f5');
    b.togglePick('t5');
    expect(b.averageBlocker).toMatch(/^The ticked days are of different symbols/);
    b.togglePick('t5');
    b.togglePick('f6');
    expect(b.averageBlocker).toBeNull();
    backend.reply('averageBooks', avg).reply('getBook', detail(avg, [1, 1, 1, 1]));
    await b.averagePicked();
    expect(backend.inputs('averageBooks')).toEqual([{ ids: ['f5', 'f6'] }]);
    expect(b.picked).toEqual([]);
    expect(b.selected?.id).toBe('avg');
  });

  it('a refused average says why and keeps the ticks', async () => {
    backend.reply('listBooks', [f5, f6]).refuse('averageBooks', 'invalid_input', 'grids differ');
    const b = new BookState();
    await b.refresh();
    b.togglePick('f5');
    b.togglePick('f6');
    await b.averagePicked();
    expect(b.averageError).toBe('Could not average the days: grids differ');
    expect(b.picked).toEqual(['f5', 'f6']);
    b.togglePick('f6'); // a new tick clears the message
    expect(b.averageError).toBeNull();
  });
});

describe('BookState: Use in plan', () => {
  async function selected(): Promise<BookState> {
    backend.reply('getBook', detail(f5, [1, 1, 1, 1]));
    const b = new BookState();
    await b.select('f5');
    return b;
  }

  it('builds a plan from the selected day with the order typed', async () => {
    const made = plan({ name: 'From book' });
    backend.reply('bookPlan', made);
    const b = await selected();
    b.shares = '200k';
    b.arrival = '9:45';
    expect(await b.makePlan()).toBe(made);
    b.model = 'fit';
    b.arrival = '';
    await b.makePlan();
    b.model = 'book';
    await b.makePlan();
    expect(backend.inputs('bookPlan')).toEqual([
      { id: 'f5', shares: 200_000, side: 'buy', lotSize: 100, fit: false, arrival: '09:45' },
      { id: 'f5', shares: 200_000, side: 'buy', lotSize: 100, fit: true, model: 'power' },
      { id: 'f5', shares: 200_000, side: 'buy', lotSize: 100, fit: false, model: 'book' },
    ]);
  });

  it('nothing is built without a selected dataset', async () => {
    const b = new BookState();
    expect(await b.makePlan()).toBeNull();
    expect(backend.calls).toEqual([]);
  });

  it('field problems show once Use in plan was pressed, and follow what is typed', async () => {
    const b = await selected();
    b.shares = '1050';
    b.arrival = '9:75';
    expect(b.planErrors).toEqual({}); // not pressed yet
    expect(await b.makePlan()).toBeNull();
    expect(backend.inputs('bookPlan')).toEqual([]);
    expect(b.planErrors).toEqual({
      shares: 'must be a multiple of the lot size 100',
      arrival: 'must be a clock time HH:MM, e.g. 09:45',
    });
    b.arrival = '09:45';
    expect(b.planErrors).toEqual({ shares: 'must be a multiple of the lot size 100' });
    b.lotSize = '0';
    expect(b.planErrors.lotSize).toMatch(/^must be a whole number of shares above 0/);
  });

  it('a backend problem naming a field stays under it until its text changes', async () => {
    backend.refuse('bookPlan', 'invalid_input', 'arrival: there is no book at 09:45');
    const b = await selected();
    b.arrival = '09:45';
    expect(await b.makePlan()).toBeNull();
    expect(b.planErrors).toEqual({ arrival: 'there is no book at 09:45' });
    expect(b.planError).toBeNull();
    b.arrival = '10:00';
    expect(b.planErrors).toEqual({});
  });

  it('another refusal is shown while the inputs are the ones it failed for', async () => {
    backend.refuse('bookPlan', 'internal', 'the dataset is unreadable');
    const b = await selected();
    await b.makePlan();
    expect(b.planError).toBe('the dataset is unreadable');
    b.side = 'sell';
    expect(b.planError).toBeNull();
    b.side = 'buy';
    expect(b.planError).toBe('the dataset is unreadable');
    await b.select('f5'); // selecting again starts afresh
    expect(b.planError).toBeNull();
  });
});
