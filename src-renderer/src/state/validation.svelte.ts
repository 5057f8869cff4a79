/**
 * The Validation view (docs/orderbook.md, Validation): pick imported single days of one
 * symbol, an order and a mode; the backend plans from the other days (or the earlier ones)
 * and replays on each day. The report is kept, and the results screen shows its
 * out-of-sample saving beside the planned one for a plan made from the same data
 * (`forPlan`). Only this class calls validateBooks; the datasets come from the book state.
 */
import type { BookSummary } from '@shared/contract';
import type { Plan } from '@shared/plan';
import type { ValidationMode, ValidationReport } from '@shared/validation';
import { call } from './backend';
import { book, type BookState } from './book.svelte';
import { isAverage } from '../lib/bookDays';

export class ValidationState {
  /** Ids of the ticked days. */
  picked = $state<string[]>([]);
  shares = $state('10000');
  side = $state<'buy' | 'sell'>('buy');
  lotSize = $state('100');
  model = $state<'calibrated' | 'book' | 'power'>('calibrated');
  mode = $state<ValidationMode>('leave-one-out');
  halfLife = $state('0');
  running = $state(false);
  error = $state<string | null>(null);
  report = $state.raw<ValidationReport | null>(null);
  /** The ids the report was run on. */
  reportIds = $state.raw<string[]>([]);

  constructor(readonly books: BookState = book) {}

  async refresh(): Promise<void> {
    await this.books.refresh();
  }

  /** Single days (averages cannot be replayed), oldest first. */
  days(): BookSummary[] {
    return this.books.books
      .filter((b) => !isAverage(b))
      .sort((a, b) => a.symbol.localeCompare(b.symbol) || a.date.localeCompare(b.date));
  }

  toggle(id: string, on: boolean): void {
    this.picked = this.picked.filter((p) => p !== id).concat(on ? [id] : []);
  }

  /** Why Validate is disabled, or null. */
  blocker(): string | null {
    const days = this.days().filter((d) => this.picked.includes(d.id));
    if (days.length < 2) return 'Tick two or more days of one symbol.';
    const symbols = days.map((d) => d.symbol).filter((s, i, all) => all.indexOf(s) === i);
    if (symbols.length > 1)
      return `The ticked days are of different symbols (${symbols.join(', ')}): validate one symbol.`;
    return null;
  }

  async run(): Promise<void> {
    if (this.running || this.blocker()) return;
    const ids = this.days()
      .filter((d) => this.picked.includes(d.id))
      .map((d) => d.id);
    this.running = true;
    this.error = null;
    const r = await call('validateBooks', {
      ids,
      shares: Number(this.shares),
      side: this.side,
      lotSize: Number(this.lotSize),
      model: this.model,
      mode: this.mode,
      recoveryHalfLifeSeconds: Number(this.halfLife),
    });
    this.running = false;
    if (!r.ok) {
      this.error = `Could not validate: ${r.error.message}`;
      return;
    }
    this.report = r.value;
    this.reportIds = ids;
  }

  /**
   * The report that speaks for this plan: the same symbol, side and size, and every day the
   * plan was made from among the validated days. Null otherwise (the saving is then the
   * planned, in-sample one only).
   */
  forPlan(plan: Plan): ValidationReport | null {
    const r = this.report;
    if (!r || !plan.source || r.summary.days === 0) return null;
    if (plan.source.symbol !== r.symbol || plan.side !== r.side || plan.shares !== r.shares)
      return null;
    const dates = r.inSample.folds.map((f) => f.date);
    return plan.source.dates.every((d) => dates.includes(d)) ? r : null;
  }
}

export const validation = new ValidationState();
