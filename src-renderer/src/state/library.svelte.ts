/** Saved plans: the list (searchable), and the operations on stored plans. */
import type { PlanSummary, RevisionSummary, StoredPlan } from '@shared/contract';
import { call } from './backend';

export class LibraryState {
  query = $state('');
  plans = $state.raw<PlanSummary[]>([]);
  loaded = $state(false);
  error = $state<string | null>(null);
  /** Revision lists of the plans whose history is open. */
  history = $state<Record<string, RevisionSummary[]>>({});
  #serial = 0;

  async refresh(): Promise<void> {
    const serial = ++this.#serial;
    const query = this.query.trim();
    const r = await call('listPlans', query ? { query } : {});
    if (serial !== this.#serial) return; // a newer search is on its way
    this.loaded = true;
    if (r.ok) {
      this.plans = r.value;
      this.error = null;
    } else this.error = r.error.message;
  }

  async get(id: string, revision?: number): Promise<StoredPlan | string> {
    const r = await call('getPlan', revision ? { id, revision } : { id });
    return r.ok ? r.value : r.error.message;
  }

  /** Each operation returns an error message, or null (or what it made) on success. */
  async rename(id: string, name: string): Promise<string | { revision: number }> {
    const r = await call('renamePlan', { id, name });
    await this.refresh();
    if (r.ok && this.history[id]) await this.loadHistory(id);
    return r.ok ? { revision: r.value.revision } : r.error.message;
  }

  /** The stored latest revision of a plan (null: it no longer exists); an open history follows. */
  async latestRevision(id: string): Promise<number | null | string> {
    const r = await call('listRevisions', { id });
    if (!r.ok) return r.error.code === 'not_found' ? null : r.error.message;
    if (this.history[id]) this.history[id] = r.value;
    return Math.max(...r.value.map((v) => v.revision));
  }

  async duplicate(id: string): Promise<string | { id: string }> {
    const r = await call('duplicatePlan', { id });
    await this.refresh();
    return r.ok ? r.value : r.error.message;
  }

  async remove(id: string): Promise<string | null> {
    const r = await call('deletePlan', { id });
    delete this.history[id];
    await this.refresh();
    return r.ok ? null : r.error.message;
  }

  async loadHistory(id: string): Promise<string | null> {
    const r = await call('listRevisions', { id });
    if (!r.ok) return r.error.message;
    this.history[id] = r.value;
    return null;
  }

  closeHistory(id: string): void {
    delete this.history[id];
  }
}
