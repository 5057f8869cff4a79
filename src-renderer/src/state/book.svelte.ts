/**
 * Order-book datasets in the window (docs/orderbook.md): importing files (stage, import, progress per
 * file, cancel; several days of one symbol are averaged at once), the list of imported
 * datasets, averaging picked days, the selected dataset's detail, and building a plan from
 * it. Only this class talks to the backend for the book panel.
 */
import {
  ImportBookOptionsSchema,
  type BookDetail,
  type BookSummary,
  type OpInput,
} from '@shared/contract';
import type { Sampling } from '@shared/book';
import { SessionSchema, type Plan } from '@shared/plan';
import { SHARES_EXAMPLES } from '@shared/numbers';
import { call, onProgress } from './backend';
import { fmtInt } from '../lib/format';
import { parseShares } from '../lib/profiles';
import { averageProblem, daysToAverage } from '../lib/bookDays';

export type Side = 'buy' | 'sell';

/** One file of an import of several. */
export interface FileImport {
  name: string;
  state: 'waiting' | 'reading' | 'done' | 'failed' | 'cancelled';
  /** What came of it: the dataset, or why it failed. */
  message: string;
}

export class BookState {
  books = $state.raw<BookSummary[]>([]);
  selected = $state.raw<BookDetail | null>(null);
  loadingList = $state(false);
  listError = $state<string | null>(null);

  // Import
  importing = $state(false);
  cancelling = $state(false);
  progress = $state(0);
  progressMessage = $state('');
  importError = $state<string | null>(null);
  importNotice = $state<string | null>(null);
  periodMinutes = $state('1');
  sessionStart = $state('09:30');
  sessionEnd = $state('16:00');
  timeZone = $state('America/New_York');
  /** Empty: the date is taken from the data. */
  date = $state('');
  sampling = $state<Sampling>('average');
  optionErrors = $state<Record<string, string>>({});
  /** The files of the running (or last) import, in order. */
  files = $state<FileImport[]>([]);
  /** Index in `files` of the file being read. */
  current = $state(0);

  // Averaging picked days
  /** Ids of the single days ticked for averaging. */
  picked = $state<string[]>([]);
  averaging = $state(false);
  averageError = $state<string | null>(null);
  /** Why "Average selected days" is disabled, or null. */
  averageBlocker = $derived.by(() => {
    if (this.averaging) return 'Averaging…';
    if (this.importing) return 'Wait for the import to finish.';
    return averageProblem(this.books.filter((b) => this.picked.includes(b.id)));
  });

  // Use in plan
  shares = $state('10000');
  side = $state<Side>('buy');
  lotSize = $state('100');
  /** The cost model of the plan: calibrated by default; the exact book and the fitted power
   *  law by choice. */
  model = $state<'book' | 'fit' | 'calibrated'>('calibrated');
  /** Clock time HH:MM whose mid is the reference price; empty: the arrival mid. */
  arrival = $state('');
  planning = $state(false);
  /** Use in plan was pressed: from then on the fields' problems follow what is typed. */
  #planTried = $state(false);
  /** A field problem the backend found (such as no book at the arrival time), for that text. */
  #backendIssue = $state<{ field: PlanField; text: string; message: string } | null>(null);
  /** The backend's refusal of the last Use in plan, for the inputs it was given. */
  #planFailure = $state<{ inputs: string; message: string } | null>(null);

  /** Why the last Use in plan failed, while the inputs are the ones it failed for. */
  get planError(): string | null {
    const f = this.#planFailure;
    return f && f.inputs === this.#planInputs() ? f.message : null;
  }

  /** What a Use in plan depends on, as one key. */
  #planInputs(): string {
    return JSON.stringify([
      this.selected?.id ?? null,
      this.shares,
      this.side,
      this.lotSize,
      this.model,
      this.arrival,
    ]);
  }

  /** Problems of the Use in plan fields, by field; each clears as soon as its text is fixed. */
  get planErrors(): Partial<Record<PlanField, string>> {
    if (!this.#planTried) return {};
    const { errors } = this.#planFields();
    const b = this.#backendIssue;
    if (b && !errors[b.field] && this[b.field] === b.text) errors[b.field] = b.message;
    return errors;
  }

  /** Subscribe to import progress; returns the unsubscribe function. */
  listen(): () => void {
    return onProgress((e) => {
      if (e.op !== 'importBook' || !this.importing) return;
      this.progress = Math.max(0, Math.min(1, e.fraction));
      this.progressMessage = e.message ?? '';
    });
  }

  async refresh(): Promise<void> {
    this.loadingList = true;
    const r = await call('listBooks', {});
    this.loadingList = false;
    if (r.ok) {
      this.books = r.value;
      this.listError = null;
    } else {
      this.listError = r.error.message;
    }
  }

  /** The import options from the form, or null with optionErrors set. */
  #options(): OpInput<'importBook'> | null {
    const errors: Record<string, string> = {};
    const periodMinutes = Number(this.periodMinutes);
    const session = SessionSchema.safeParse({
      start: this.sessionStart.trim(),
      end: this.sessionEnd.trim(),
      timeZone: this.timeZone.trim(),
    });
    if (!session.success) {
      for (const i of session.error.issues) {
        const key = String(i.path[0] ?? 'end');
        errors[key === 'timeZone' ? 'timeZone' : key] ??= i.message;
      }
    }
    const rest = ImportBookOptionsSchema.omit({ session: true }).safeParse({
      periodMinutes: this.periodMinutes.trim() === '' ? undefined : periodMinutes,
      date: this.date.trim() === '' ? undefined : this.date.trim(),
      sampling: this.sampling,
    });
    if (!rest.success) {
      for (const i of rest.error.issues) errors[String(i.path[0])] ??= i.message;
    }
    this.optionErrors = errors;
    if (!session.success || !rest.success) return null;
    return { ...rest.data, session: session.data };
  }

  /**
   * Import the files one after another (a failed file does not stop the others). When two or
   * more single days of one symbol were imported, their average is made and selected; each
   * day stays in the list.
   */
  async importFiles(list: File[]): Promise<void> {
    if (this.importing || list.length === 0) return;
    this.importError = null;
    this.importNotice = null;
    const options = this.#options();
    if (!options) {
      this.importError = 'Fix the import settings first.';
      return;
    }
    this.importing = true;
    this.cancelling = false;
    this.files = list.map((f) => ({ name: f.name, state: 'waiting', message: '' }));
    const imported: BookSummary[] = [];
    const failures: string[] = [];
    try {
      for (let i = 0; i < list.length; i++) {
        if (this.cancelling) {
          this.files[i].state = 'cancelled';
          this.files[i].message = 'not imported (cancelled)';
          continue;
        }
        this.current = i;
        const summary = await this.#importOne(list[i], i, options);
        if (summary) imported.push(summary);
        else if (this.files[i].state === 'failed')
          failures.push(`${list[i].name}: ${this.files[i].message}`);
      }
    } finally {
      this.importing = false;
      this.cancelling = false;
    }
    if (failures.length)
      this.importError =
        list.length === 1
          ? `Could not import ${failures[0]}`
          : `Could not import ${failures.length} of ${list.length} files. ${failures.join(' ')}`;
    if (imported.length === 0) {
      if (this.files.some((f) => f.state === 'cancelled')) this.importNotice = 'Import cancelled.';
      return;
    }
    await this.refresh();
    const names = imported.map((s) => `${s.symbol} ${s.date}`).join(', ');
    this.importNotice =
      imported.length === 1
        ? `Imported ${names} from ${imported[0].fileName}.`
        : `Imported ${imported.length} files: ${names}.`;
    const average = await this.#averageImported(imported);
    await this.select(average?.id ?? imported[imported.length - 1].id);
  }

  /** Stage and import one file; null when it failed or was cancelled (files[i] says so). */
  async #importOne(
    file: File,
    i: number,
    options: OpInput<'importBook'>,
  ): Promise<BookSummary | null> {
    const entry = this.files[i];
    entry.state = 'reading';
    this.progress = 0;
    this.progressMessage = `Uploading ${file.name}`;
    const staged = window.planner
      ? await window.planner.stageFile(file)
      : ({
          ok: false,
          error: { code: 'internal', message: 'the backend is not available' },
        } as const);
    if (!staged.ok) {
      entry.state = 'failed';
      entry.message = `could not read the file: ${staged.error.message}`;
      return null;
    }
    if (this.cancelling) {
      entry.state = 'cancelled';
      entry.message = 'not imported (cancelled)';
      return null;
    }
    const r = await call('importBook', { ...options, file: staged.value.ref, fileName: file.name });
    if (!r.ok) {
      entry.state = 'failed';
      entry.message = r.error.message;
      return null;
    }
    if ('cancelled' in r.value) {
      entry.state = 'cancelled';
      entry.message = 'import cancelled';
      return null;
    }
    entry.state = 'done';
    entry.message = `${r.value.symbol} ${r.value.date}`;
    return r.value;
  }

  /** Average the imported single days of one symbol (two or more); the new average or null. */
  async #averageImported(imported: BookSummary[]): Promise<BookSummary | null> {
    let made: BookSummary | null = null;
    const problems: string[] = [];
    for (const days of daysToAverage(imported)) {
      const problem = averageProblem(days);
      const average = problem
        ? problem.replaceAll('ticked', 'imported')
        : await this.#average(days);
      if (typeof average === 'string') {
        problems.push(`Not averaged: ${average}`);
        continue;
      }
      made = average;
      this.importNotice += ` Averaged the ${days.length} days into one dataset.`;
    }
    if (problems.length)
      this.importError = [this.importError, ...problems].filter(Boolean).join(' ');
    if (made) await this.refresh();
    return made;
  }

  /** The new average of the days, or why it could not be made. */
  async #average(days: BookSummary[]): Promise<BookSummary | string> {
    this.averaging = true;
    const r = await call('averageBooks', { ids: days.map((d) => d.id) });
    this.averaging = false;
    return r.ok ? r.value : r.error.message;
  }

  /** Tick or untick a single day for averaging. */
  togglePick(id: string): void {
    this.picked = this.picked.includes(id)
      ? this.picked.filter((p) => p !== id)
      : [...this.picked, id];
    this.averageError = null;
  }

  /** Average the ticked days into a new dataset and open it. */
  async averagePicked(): Promise<void> {
    if (this.averageBlocker) return;
    this.averageError = null;
    const average = await this.#average(this.books.filter((b) => this.picked.includes(b.id)));
    if (typeof average === 'string') {
      this.averageError = `Could not average the days: ${average}`;
      return;
    }
    this.picked = [];
    await this.refresh();
    await this.select(average.id);
  }

  async cancelImport(): Promise<void> {
    if (!this.importing) return;
    this.cancelling = true;
    const r = await call('cancelImport', {});
    if (!r.ok) this.importError = r.error.message;
  }

  async select(id: string): Promise<void> {
    const r = await call('getBook', { id });
    if (r.ok) {
      this.selected = r.value;
      this.listError = null;
      this.#planFailure = null;
    } else {
      this.listError = r.error.message;
    }
  }

  async remove(id: string): Promise<void> {
    const r = await call('deleteBook', { id });
    if (!r.ok) {
      this.listError = r.error.message;
      return;
    }
    if (this.selected?.id === id) this.selected = null;
    this.picked = this.picked.filter((p) => p !== id);
    await this.refresh();
  }

  /** The Use in plan fields read: shares ("200,000", "200k" and "1.5m" too), lot, arrival. */
  #planFields(): {
    errors: Partial<Record<PlanField, string>>;
    shares: number;
    lotSize: number;
    arrival: string | undefined | null;
  } {
    const errors: Partial<Record<PlanField, string>> = {};
    const read = (field: 'shares' | 'lotSize'): number => {
      const r = parseShares(this[field]);
      if (r.ok && Number.isInteger(r.value) && r.value > 0) return r.value;
      errors[field] =
        !r.ok && (r.specific || r.ambiguous)
          ? r.error
          : `must be a whole number of shares above 0, such as ${SHARES_EXAMPLES}`;
      return Number.NaN;
    };
    const shares = read('shares');
    const lotSize = read('lotSize');
    const arrival = normaliseClock(this.arrival);
    if (arrival === null) errors.arrival = 'must be a clock time HH:MM, e.g. 09:45';
    if (!errors.shares && !errors.lotSize && shares % lotSize !== 0)
      errors.shares = `must be a multiple of the lot size ${fmtInt(lotSize)}`;
    return { errors, shares, lotSize, arrival };
  }

  /** Build a plan from the selected dataset; null (with errors set) when it cannot. */
  async makePlan(): Promise<Plan | null> {
    const book = this.selected;
    if (!book || this.planning) return null;
    this.#planTried = true;
    this.#backendIssue = null;
    this.#planFailure = null;
    const { errors, shares, lotSize, arrival } = this.#planFields();
    if (Object.keys(errors).length) return null;
    const inputs = this.#planInputs();
    this.planning = true;
    const r = await call('bookPlan', {
      id: book.id,
      shares,
      side: this.side,
      lotSize,
      fit: this.model === 'fit',
      // Calibrated is the operation's default: a dataset that cannot be calibrated (no
      // traded volume) gets the exact book, said in the plan's notes.
      ...(this.model === 'calibrated' ? {} : { model: this.model === 'fit' ? 'power' : 'book' }),
      ...(arrival ? { arrival } : {}),
    });
    this.planning = false;
    if (!r.ok) {
      // "arrival: there is no book at 09:45 …" belongs under the field it names.
      const m = /^(arrival|shares|lotSize): (.*)$/s.exec(r.error.message);
      if (m) {
        const field = m[1] as PlanField;
        this.#backendIssue = { field, text: this[field], message: m[2] };
      } else this.#planFailure = { inputs, message: r.error.message };
      return null;
    }
    return r.value;
  }
}

/** The fields of Use in plan that can show a problem. */
type PlanField = 'shares' | 'lotSize' | 'arrival';

/** "9:45" → "09:45"; "" → undefined (none given); null when it is no clock time. */
function normaliseClock(text: string): string | undefined | null {
  const t = text.trim();
  if (t === '') return undefined;
  const m = /^(\d{1,2}):(\d{2})$/.exec(t);
  if (!m || Number(m[1]) > 23 || Number(m[2]) > 59) return null;
  return `${m[1].padStart(2, '0')}:${m[2]}`;
}

export const book = new BookState();
