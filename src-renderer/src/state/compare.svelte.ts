/**
 * Two saved plans (or two revisions of one) side by side: the pickers, the stored plans and
 * their results, and what differs between their inputs. A revision saved without a result
 * can be solved here; that result is shown, not saved.
 */
import type { PlanSummary, RevisionSummary, StoredPlan } from '@shared/contract';
import type { SolveResultColumns } from '@shared/resultColumns';
import { withFieldLabel } from '../lib/fieldLabels';
import { diffPlans } from '../lib/planFacts';
import { call } from './backend';

/** One side of the comparison: a plan, one of its revisions, and its result. */
export class CompareSide {
  planId = $state<string | null>(null);
  /** The revision picked; null: the latest. */
  revision = $state<number | null>(null);
  revisions = $state.raw<RevisionSummary[]>([]);
  stored = $state.raw<StoredPlan | null>(null);
  /** A result solved here for a revision saved without one. */
  solved = $state.raw<SolveResultColumns | null>(null);
  loading = $state(false);
  solving = $state(false);
  error = $state<string | null>(null);
  #serial = 0;

  /** The result to show: the stored one, else the one solved here. */
  result = $derived(this.stored?.result ?? this.solved);

  /** Pick a plan (its latest revision) or nothing. */
  async pick(planId: string | null): Promise<void> {
    this.planId = planId;
    this.revision = null;
    this.revisions = [];
    await this.#load();
  }

  /** Pick one of the plan's revisions (null: the latest). */
  async pickRevision(revision: number | null): Promise<void> {
    this.revision = revision;
    await this.#load();
  }

  /** Reload what is picked (the plan may have been saved again or deleted). */
  async reload(): Promise<void> {
    await this.#load();
  }

  async #load(): Promise<void> {
    const serial = ++this.#serial;
    this.stored = null;
    this.solved = null;
    this.solving = false;
    this.error = null;
    const id = this.planId;
    if (!id) {
      this.loading = false;
      return;
    }
    this.loading = true;
    const revision = this.revision;
    const [stored, revisions] = await Promise.all([
      call('getPlan', revision === null ? { id } : { id, revision }),
      call('listRevisions', { id }),
    ]);
    if (serial !== this.#serial) return; // picked something else meanwhile
    this.loading = false;
    if (!stored.ok) {
      this.error = `Could not load the plan: ${stored.error.message}`;
      return;
    }
    this.stored = stored.value;
    if (revisions.ok) this.revisions = revisions.value;
  }

  /** Solve the picked revision (saved without a result); the result is not saved. */
  async solve(): Promise<void> {
    const stored = this.stored;
    if (!stored || this.solving || this.result) return;
    const serial = this.#serial;
    this.solving = true;
    this.error = null;
    const r = await call('solve', { plan: stored.plan });
    if (serial !== this.#serial) return;
    this.solving = false;
    if (r.ok) this.solved = r.value;
    else
      this.error =
        r.error.code === 'cancelled'
          ? 'Solve cancelled.'
          : `Could not solve: ${withFieldLabel(r.error.message)}`;
  }
}

export class CompareState {
  /** Every saved plan, newest change first (the pickers' choices). */
  plans = $state.raw<PlanSummary[]>([]);
  error = $state<string | null>(null);
  a = new CompareSide();
  b = new CompareSide();

  /** The inputs line by line, with what differs marked (both sides loaded). */
  diff = $derived(
    this.a.stored && this.b.stored ? diffPlans(this.a.stored.plan, this.b.stored.plan) : [],
  );
  /** Both sides are the same revision of the same plan. */
  same = $derived(
    this.a.stored !== null &&
      this.b.stored !== null &&
      this.a.stored.id === this.b.stored.id &&
      this.a.stored.revision === this.b.stored.revision,
  );

  /** Load the plan list; a side whose plan is gone is emptied, the others reloaded. */
  async refresh(): Promise<void> {
    const r = await call('listPlans', {});
    if (!r.ok) {
      this.error = `Could not list the saved plans: ${r.error.message}`;
      return;
    }
    this.error = null;
    this.plans = r.value;
    for (const side of [this.a, this.b]) {
      if (side.planId && !r.value.some((p) => p.id === side.planId)) await side.pick(null);
      else if (side.planId) await side.reload();
    }
  }

  /**
   * Compare `id` with something: it goes on the left; the right side is the same plan's
   * previous revision when it has one, else the next other plan, else left empty.
   */
  async compareWith(id: string): Promise<void> {
    await this.refresh();
    await this.a.pick(id);
    const revisions = this.a.revisions;
    if (revisions.length > 1) {
      const latest = Math.max(...revisions.map((r) => r.revision));
      const previous = revisions
        .map((r) => r.revision)
        .filter((r) => r < latest)
        .sort((x, y) => y - x)[0];
      this.b.planId = id;
      await this.b.pickRevision(previous);
      return;
    }
    await this.b.pick(this.plans.find((p) => p.id !== id)?.id ?? null);
  }
}

/** The window's one comparison. */
export const compare = new CompareState();
