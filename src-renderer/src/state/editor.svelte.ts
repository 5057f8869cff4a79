/**
 * The plan being edited: the form (Draft), its mapping to a plan, validation with the same
 * PlanSchema as the backend, and whether it differs from what was last saved or loaded.
 */
import type { z } from 'zod';
import { PlanSchema, formatPath, type Plan } from '@shared/plan';
import {
  draftFromPlan,
  draftToInput,
  lengthFromPeriods,
  newDraft,
  periodsFromLength,
  type Draft,
} from '../lib/draft';

export interface FieldIssue {
  /** Plan path of the field ("shares", "impact.beta"); used to place the message. */
  field: string;
  /** The field's label in the form ("Shares"). */
  label: string;
  /** "Shares: must be a multiple of lot size 100 (got 1050)": for the list of problems. */
  text: string;
  /** The same without the field's label: for the message under the field's input. */
  message: string;
}

/** Human names of the plan's fields, as the labels in the form show them. */
export const FIELD_LABELS: Record<string, string> = {
  name: 'Name',
  symbol: 'Symbol',
  side: 'Side',
  shares: 'Shares',
  lotSize: 'Lot size',
  periods: 'Periods',
  referencePrice: 'Reference price',
  maxPerPeriod: 'Cap per period',
  maxParticipation: 'Max participation',
  volumeProfile: 'Volume profile',
  dailyVolume: 'Daily volume',
  fixedFeePerOrder: 'Fee per order',
  minOrderSize: 'Minimum order',
  session: 'Session',
  'session.start': 'Session start',
  'session.end': 'Session end',
  'session.timeZone': 'Time zone',
  impact: 'Impact model',
  'impact.model': 'Impact model',
  'impact.beta': 'Beta',
  'impact.exponent': 'Exponent',
  'impact.profile': 'Intraday profile',
  'impact.curves': 'Impact curve',
  'impact.ladders': 'Order book ladders',
  notes: 'Notes',
};

export class EditorState {
  draft = $state<Draft>(newDraft());
  /** Id of the stored plan in the editor (null: not saved yet). */
  planId = $state<string | null>(null);
  /** Revision of the stored plan last loaded or saved. */
  revision = $state<number | null>(null);
  /** Set when an older revision was reopened (saving makes it the newest). */
  viewingRevision = $state<number | null>(null);
  #savedKey = $state('');
  /** Fields the user has edited or left (their problems are shown). */
  touched = $state<Record<string, true>>({});
  /** Show every problem (after a solve/save attempt, or for a loaded plan). */
  revealAll = $state(false);

  mapped = $derived(draftToInput(this.draft));
  #parsed = $derived(PlanSchema.safeParse(this.mapped.input));
  issues = $derived(this.#collectIssues());
  /** The validated plan, or null while the form has problems. */
  plan = $derived<Plan | null>(
    this.#parsed.success && this.mapped.issues.length === 0 ? this.#parsed.data : null,
  );
  /** Identity of the form's content; equal keys mean equal plans. */
  key = $derived(JSON.stringify(this.mapped.input));
  dirty = $derived(this.key !== this.#savedKey);

  constructor() {
    this.#savedKey = this.key;
  }

  /** Problems the user should see now: a fresh form does not shout about empty fields. */
  shownIssues = $derived(
    this.revealAll ? this.issues : this.issues.filter((i) => this.#isTouched(i.field)),
  );

  /** The first message for a field (for the message under its input), once it is shown. */
  issueFor(field: string): string | undefined {
    if (!this.revealAll && !this.touched[field]) return undefined;
    const hit = this.issues.find((i) => i.field === field || i.field.startsWith(field + '.'));
    return hit?.message;
  }

  /** Mark a field (by plan path) as edited or visited. */
  touch(field: string): void {
    if (field && !this.touched[field]) this.touched[field] = true;
  }

  #isTouched(field: string): boolean {
    for (let f = field; f; f = f.includes('.') ? f.replace(/\.[^.]*$/, '') : '')
      if (this.touched[f]) return true;
    return false;
  }

  reset(): void {
    this.draft = newDraft();
    this.planId = null;
    this.revision = null;
    this.viewingRevision = null;
    this.touched = {};
    this.revealAll = false;
    this.markSaved();
  }

  /** Put a plan in the form. `id` null means a new, unsaved plan (marked as changed). */
  load(plan: Plan, id: string | null, revision: number | null = null): void {
    this.draft = draftFromPlan(plan);
    this.planId = id;
    this.revision = revision;
    this.viewingRevision = null;
    this.touched = {};
    this.revealAll = true;
    if (id === null) this.#savedKey = '';
    else this.markSaved();
  }

  markSaved(): void {
    this.#savedKey = this.key;
  }

  setPeriods(value: string): void {
    this.draft.periods = value;
    if (this.draft.useSession) {
      const len = lengthFromPeriods(this.draft);
      if (len !== null) this.draft.periodMinutes = len;
    }
  }

  setPeriodMinutes(value: string): void {
    this.draft.periodMinutes = value;
    this.#syncPeriods();
  }

  setClock(which: 'start' | 'end', value: string): void {
    this.draft[which] = value;
    this.#syncPeriods();
  }

  #syncPeriods(): void {
    const n = periodsFromLength(this.draft);
    if (n !== null) this.draft.periods = String(n);
  }

  #collectIssues(): FieldIssue[] {
    const out: FieldIssue[] = [];
    const seen: Record<string, true> = {};
    const add = (field: string, label: string, message: string) => {
      const text = `${label}: ${message}`;
      if (seen[text]) return;
      seen[text] = true;
      out.push({ field, label, text, message });
    };
    for (const i of this.mapped.issues) add(i.path, labelFor(i.path).label, i.message);
    if (!this.#parsed.success) {
      for (const issue of this.#parsed.error.issues) {
        const { field, label, rest } = labelFor(formatPath(issue.path));
        add(field, label, `${this.#detail(field, rest)}${this.#message(issue)}`);
      }
    }
    return out;
  }

  /** Where inside a list field the problem is ("period 3, point 2"), for arrays only. */
  #detail(field: string, rest: number[]): string {
    if (rest.length === 0) return '';
    const replicated = field === 'impact.curves' && this.draft.curves === null;
    const parts: string[] = [];
    if (!replicated) parts.push(`period ${rest[0] + 1}`);
    if (rest.length > 1 && (field === 'impact.curves' || field === 'impact.ladders'))
      parts.push(`${field === 'impact.curves' ? 'point' : 'level'} ${rest[1] + 1}`);
    return parts.length ? `${parts.join(', ')}: ` : '';
  }

  /** The schema's message, put in form terms: an empty box is "required", junk "not a number". */
  #message(issue: z.core.$ZodIssue): string {
    let v: unknown = this.mapped.input;
    for (const p of issue.path) v = (v as Record<PropertyKey, unknown> | undefined)?.[p];
    if (issue.code === 'invalid_type' && v === undefined) return 'is required';
    if (typeof v === 'number' && Number.isNaN(v)) return 'must be a number';
    return issue.message.replace('lotSize', 'lot size');
  }
}

/** Map a formatted path ("impact.curves[3][1][0]") to its form field and label. */
function labelFor(path: string): { field: string; label: string; rest: number[] } {
  const rest = [...path.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1]));
  const field = path.replace(/\[\d+\].*$/, '');
  let key = field;
  while (key && !(key in FIELD_LABELS)) key = key.includes('.') ? key.replace(/\.[^.]*$/, '') : '';
  return { field, label: FIELD_LABELS[key] ?? (field || 'Plan'), rest };
}
