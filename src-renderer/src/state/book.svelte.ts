/**
 * Order-book datasets in the window (issue 5): importing a file (stage, import, progress,
 * cancel), the list of imported datasets, the selected dataset's detail, and building a plan
 * from it. Only this class talks to the backend for the book panel.
 */
import {
  ImportBookOptionsSchema,
  type BookDetail,
  type BookSummary,
  type OpInput,
} from '@shared/contract';
import { SessionSchema, type Plan } from '@shared/plan';
import { call, onProgress } from './backend';

export type Side = 'buy' | 'sell';

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
  optionErrors = $state<Record<string, string>>({});

  // Use in plan
  shares = $state('10000');
  side = $state<Side>('buy');
  lotSize = $state('100');
  model = $state<'book' | 'fit'>('book');
  planning = $state(false);
  planErrors = $state<Record<string, string>>({});
  planError = $state<string | null>(null);

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
    });
    if (!rest.success) {
      for (const i of rest.error.issues) errors[String(i.path[0])] ??= i.message;
    }
    this.optionErrors = errors;
    if (!session.success || !rest.success) return null;
    return { ...rest.data, session: session.data };
  }

  async importFile(file: File): Promise<void> {
    if (this.importing) return;
    this.importError = null;
    this.importNotice = null;
    const options = this.#options();
    if (!options) {
      this.importError = 'Fix the import settings first.';
      return;
    }
    this.importing = true;
    this.cancelling = false;
    this.progress = 0;
    this.progressMessage = `Uploading ${file.name}`;
    try {
      const staged = window.planner
        ? await window.planner.stageFile(file)
        : ({
            ok: false,
            error: { code: 'internal', message: 'the backend is not available' },
          } as const);
      if (!staged.ok) {
        this.importError = `Could not read ${file.name}: ${staged.error.message}`;
        return;
      }
      if (this.cancelling) {
        this.importNotice = 'Import cancelled.';
        return;
      }
      const r = await call('importBook', {
        ...options,
        file: staged.value.ref,
        fileName: file.name,
      });
      if (!r.ok) {
        this.importError = r.error.message;
      } else if ('cancelled' in r.value) {
        this.importNotice = 'Import cancelled.';
      } else {
        const s = r.value;
        this.importNotice = `Imported ${s.symbol} ${s.date} from ${s.fileName}.`;
        await this.refresh();
        await this.select(s.id);
      }
    } finally {
      this.importing = false;
      this.cancelling = false;
    }
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
      this.planError = null;
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
    await this.refresh();
  }

  /** Build a plan from the selected dataset; null (with errors set) when it cannot. */
  async makePlan(): Promise<Plan | null> {
    const book = this.selected;
    if (!book || this.planning) return null;
    const errors: Record<string, string> = {};
    const shares = Number(this.shares);
    const lotSize = Number(this.lotSize);
    if (!Number.isInteger(shares) || shares <= 0) errors.shares = 'must be a whole number above 0';
    if (!Number.isInteger(lotSize) || lotSize <= 0)
      errors.lotSize = 'must be a whole number above 0';
    else if (!errors.shares && shares % lotSize !== 0)
      errors.shares = `must be a multiple of the lot size ${lotSize}`;
    this.planErrors = errors;
    this.planError = null;
    if (Object.keys(errors).length) return null;
    this.planning = true;
    const r = await call('bookPlan', {
      id: book.id,
      shares,
      side: this.side,
      lotSize,
      fit: this.model === 'fit',
    });
    this.planning = false;
    if (!r.ok) {
      this.planError = r.error.message;
      return null;
    }
    return r.value;
  }
}

export const book = new BookState();
