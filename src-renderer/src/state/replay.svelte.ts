/**
 * Replay of a solve result against one imported day: the optimum, the buildable baselines and
 * a POV baseline (built from the day's traded volume per period) walk the real books of that
 * day (the book in effect when each child order is sent). Days of another symbol than the
 * plan's are not offered. Only this class calls replayBook; the datasets come from the book
 * state.
 */
import type { BookSummary, Replay } from '@shared/contract';
import type { Plan } from '@shared/plan';
import { fromColumns, type SolveResultColumns } from '@shared/resultColumns';
import {
  otherSymbol,
  symbolOfPlan,
  plannedSchedules,
  povBaseline,
  type PlannedSchedule,
  type PovBaseline,
} from '@shared/replay';
import { call } from './backend';
import { book, type BookState } from './book.svelte';
import { isAverage } from '../lib/bookDays';

/** A dataset that cannot be replayed against a plan, and why. */
export interface Unlisted {
  name: string;
  why: string;
}

export class ReplayState {
  /** The dataset picked in the list (may no longer be eligible: see chosen()). */
  datasetId = $state('');
  running = $state(false);
  error = $state<string | null>(null);
  replay = $state.raw<Replay | null>(null);
  /** What the plan expected of each replayed schedule, in the replay's order. */
  planned = $state.raw<PlannedSchedule[]>([]);
  /** The POV baseline of the replay on screen (its rate and basis), or why there is none. */
  pov = $state.raw<PovBaseline | null>(null);
  /** The result the replay belongs to (a new solve makes it old). */
  forResult = $state.raw<SolveResultColumns | null>(null);

  constructor(readonly books: BookState = book) {}

  /** Reload the datasets (another tab may have imported some). */
  async refresh(): Promise<void> {
    await this.books.refresh();
  }

  /** Single days of the plan's symbol with its number of periods, newest import first. */
  eligible(plan: Plan): BookSummary[] {
    return this.books.books.filter(
      (b) => !isAverage(b) && b.periods === plan.periods && otherSymbol(plan, b.symbol) === null,
    );
  }

  /** The datasets left out of the list, with the reason. */
  unlisted(plan: Plan): Unlisted[] {
    return this.books.books.flatMap((b) => {
      if (isAverage(b))
        return [
          {
            name: `${b.symbol} average of ${b.stats.days!.length} days`,
            why: 'an average, not a real day',
          },
        ];
      if (otherSymbol(plan, b.symbol) !== null)
        return [
          {
            name: `${b.symbol} ${b.date}`,
            why: `another symbol: the plan ${plan.source ? 'was made from' : 'is of'} ${symbolOfPlan(plan)}`,
          },
        ];
      if (b.periods !== plan.periods)
        return [
          {
            name: `${b.symbol} ${b.date}`,
            why: `${b.periods} periods of ${b.periodMinutes} min, the plan has ${plan.periods}`,
          },
        ];
      return [];
    });
  }

  /** The dataset to replay against: the picked one while it is eligible, else the first. */
  chosen(plan: Plan): BookSummary | null {
    const list = this.eligible(plan);
    return list.find((b) => b.id === this.datasetId) ?? list[0] ?? null;
  }

  /** The replay on screen belongs to this result. */
  isFor(result: SolveResultColumns): boolean {
    return this.replay !== null && this.forResult === result;
  }

  async run(plan: Plan, result: SolveResultColumns): Promise<void> {
    const day = this.chosen(plan);
    if (!day || this.running) return;
    // Replay walks each schedule as plain arrays: the rows are built for it (a user's click).
    const schedules = plannedSchedules(fromColumns(result));
    this.running = true;
    this.error = null;
    // The POV baseline trades a share of each period's traded volume that day.
    const detail = await call('getBook', { id: day.id });
    const pov: PovBaseline = detail.ok
      ? povBaseline(
          plan,
          detail.value.series.map((p) => p.volume),
        )
      : { ok: false, problem: `the day's volumes could not be read (${detail.error.message})` };
    const r = await call('replayBook', {
      id: day.id,
      side: plan.side,
      schedules: [
        ...schedules.map((s) => ({ label: s.label, shares: s.shares })),
        ...(pov.ok ? [{ label: pov.label, shares: pov.shares }] : []),
      ],
    });
    this.running = false;
    if (!r.ok) {
      this.error = `Could not replay against ${day.symbol} ${day.date}: ${r.error.message}`;
      return;
    }
    this.replay = r.value;
    this.planned = schedules;
    this.pov = pov;
    this.forResult = result;
  }

  clear(): void {
    this.replay = null;
    this.planned = [];
    this.pov = null;
    this.forResult = null;
    this.error = null;
  }
}

/**
 * Whether the plan was built from this day: by the dates the plan records (plan.source), else
 * going by the note a book plan starts with
 * ("From FILE, DATE, …" or, for an average, "From …, FIRST…LAST, …"): 'in' (the same day,
 * or inside the averaged days' range), 'out' (built from other days), null (not a book plan).
 */
export function sampleOf(plan: Plan, day: BookSummary): 'in' | 'out' | null {
  if (plan.source) return plan.source.dates.includes(day.date) ? 'in' : 'out';
  const m = /^From (.*?), (\d{4}-\d{2}-\d{2})(?:…(\d{4}-\d{2}-\d{2}))?, (?:ask|bid) side/.exec(
    plan.notes ?? '',
  );
  if (!m) return null;
  const [, file, from, to] = m;
  if (to === undefined) return file === day.fileName && from === day.date ? 'in' : 'out';
  return day.date >= from && day.date <= to ? 'in' : 'out';
}
