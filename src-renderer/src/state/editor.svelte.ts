/**
 * The plan being edited: the form (Draft), its mapping to a plan, validation with the same
 * PlanSchema as the backend (long per-period lists checked once each: lib/planCheck), and
 * whether it differs from what was last saved or loaded.
 */
import type { Plan } from '@shared/plan';
import { afterTable, LONG } from '../lib/afterPaint';
import { fmtCoef, fmtInput } from '../lib/format';
import { checkPlan, collectIssues, planKey } from '../lib/planCheck';
import { localizeText, numberText, toNumber } from '../lib/profiles';
import {
  annualToPeriod,
  draftMinutesPerYear,
  draftPeriodMinutes,
  periodToAnnual,
  type VolatilityMode,
  hasMarketInput,
  lengthFromPeriods,
  longList,
  MARKET_VOLUME_SOURCE,
  type ModelKind,
  newDraft,
  periodsFromLength,
  type Draft,
} from '../lib/draft';
import { draftFromPlan } from '../lib/draftFromPlan';
import { draftToInput } from '../lib/draftToPlan';

/** The other form's text already says this value (to the six digits a conversion keeps). */
function close(typed: number | null, value: number): boolean {
  return typed !== null && Math.abs(typed - value) <= 1e-5 * Math.abs(value);
}

/** The solve key without λ: what the efficient frontier of a plan depends on. */
export function frontierKeyOf(solveKey: string): string {
  if (!solveKey) return '';
  const input = JSON.parse(solveKey) as { risk?: Record<string, unknown> };
  if (input.risk) input.risk = { ...input.risk, aversion: undefined };
  return JSON.stringify(input);
}

export type { FieldIssue } from '../lib/planCheck';

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
  #parsed = $derived(checkPlan(this.mapped.input));
  /**
   * A long plan was just put in the form: whether its caps can fill the order (the solver's
   * grid, built over every period) is checked once the first frame that shows it has been
   * painted (lib/afterPaint `afterTable`), not before it. Until then that one problem is not
   * listed; every other check runs as usual.
   */
  #capsLater = $state(false);
  #loads = 0;
  /** Every problem of the form, one per problem: what the fields and the solve bar show. */
  issues = $derived(collectIssues(this.draft, this.mapped, this.#parsed, !this.#capsLater));
  /** The validated plan (it can be saved), or null while a plan field has problems. */
  plan = $derived<Plan | null>(
    this.#parsed.success && this.mapped.issues.length === 0 ? this.#parsed.data : null,
  );
  /**
   * Identity of the form's content; equal keys mean equal plans. Long lists are in it by
   * identity (lib/planCheck planKey), so a keystroke does not stringify every period.
   */
  key = $derived(planKey(this.mapped.input));
  dirty = $derived(this.key !== this.#savedKey);
  /**
   * Identity of what the solver sees: the key without the labels (name, symbol, notes), so
   * that renaming a solved plan keeps its result current (and saved with it).
   */
  solveKey = $derived(
    planKey({ ...this.mapped.input, name: undefined, symbol: undefined, notes: undefined }),
  );
  /**
   * Identity of what the efficient frontier depends on: the solve key without λ (the frontier
   * sweeps λ itself), so that picking a point of it keeps it current.
   */
  frontierKey = $derived(frontierKeyOf(this.solveKey));
  constructor() {
    this.#savedKey = this.key;
  }

  /**
   * Set λ (per $) in the Risk section, rounded to what the field shows (six significant
   * digits), so that the λ solved is exactly the λ on screen.
   */
  setAversion(value: number): void {
    this.draft.aversion = localizeText(fmtCoef(value));
    this.touch('risk.aversion');
  }

  /**
   * Switch how the volatility is typed; a value already typed is converted (when the reference
   * price and the period length allow) so that the plan keeps the same σ.
   */
  setVolatilityMode(mode: VolatilityMode): void {
    const d = this.draft;
    if (d.volatilityMode === mode) return;
    const price = toNumber(d.referencePrice);
    const minutes = draftPeriodMinutes(d);
    const perYear = draftMinutesPerYear(d);
    if (price !== null && price > 0 && minutes !== null && minutes > 0) {
      if (mode === 'annual') {
        const sigma = toNumber(d.volatility);
        if (sigma !== null && sigma >= 0) {
          const v = periodToAnnual(sigma, price, minutes, perYear);
          if (!close(toNumber(d.annualVolatilityPct), v))
            d.annualVolatilityPct = numberText(Number(fmtInput(Number(v.toPrecision(6)))));
        }
      } else {
        const pct = toNumber(d.annualVolatilityPct);
        if (pct !== null && pct >= 0) {
          const v = annualToPeriod(pct, price, minutes, perYear);
          if (!close(toNumber(d.volatility), v))
            d.volatility = numberText(Number(fmtInput(Number(v.toPrecision(6)))));
        }
      }
    }
    d.volatilityMode = mode;
  }

  /**
   * Choose the impact model. Leaving the market figures for the calibrated model's own fields
   * carries what the figures came to (σ, spread, fee, V_day in $ and shares, the volume per
   * period), so the plan stays the same until a coefficient is changed.
   */
  setModel(model: ModelKind): void {
    const d = this.draft;
    const im = this.mapped.input.impact as Record<string, unknown>;
    const volume = this.mapped.input.volumeProfile as number[] | undefined;
    if (
      d.model === 'market' &&
      model === 'calibrated' &&
      hasMarketInput(d) &&
      this.mapped.issues.length === 0 &&
      typeof im.sigma === 'number'
    ) {
      d.sigma = numberText(im.sigma);
      d.spread = numberText(im.spread as number);
      d.spreadValues = null;
      d.sigmaProfile = null;
      d.feePerShare = numberText(im.feePerShare as number);
      d.calDailyVolume = numberText(im.dailyVolume as number);
      if (volume) {
        d.volumeKind = 'custom';
        d.volumeValues = longList([...volume]);
        d.volumeSource = MARKET_VOLUME_SOURCE;
      }
    }
    d.model = model;
  }

  /** Problems the user should see now: a fresh form does not shout about empty fields. */
  shownIssues = $derived(
    this.revealAll ? this.issues : this.issues.filter((i) => i.always || this.#isTouched(i.field)),
  );

  /** The first message for a field (for the message under its input), once it is shown. */
  issueFor(field: string): string | undefined {
    const hit = this.issues.find((i) => i.field === field || i.field.startsWith(field + '.'));
    if (!hit || (!this.revealAll && !hit.always && !this.touched[field])) return undefined;
    return hit.message;
  }

  /** The first problem the solve bar names ("Session end: must be after …"), or null. */
  firstIssue = $derived(this.shownIssues[0] ?? this.issues[0] ?? null);

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
    this.#loads++;
    this.#capsLater = false;
    this.draft = newDraft();
    this.planId = null;
    this.revision = null;
    this.viewingRevision = null;
    this.touched = {};
    this.revealAll = false;
    this.markSaved();
  }

  /**
   * Put a plan in the form as a starting point (the first screen's worked example): not
   * stored, and not a change to lose until the user edits it.
   */
  start(plan: Plan): void {
    this.load(plan, null);
    this.revealAll = false;
    this.markSaved();
  }

  /** Put a plan in the form. `id` null means a new, unsaved plan (marked as changed). */
  load(plan: Plan, id: string | null, revision: number | null = null): void {
    const load = ++this.#loads;
    this.#capsLater = plan.periods > LONG;
    if (this.#capsLater)
      afterTable(() => {
        if (load === this.#loads) this.#capsLater = false;
      });
    this.draft = draftFromPlan(plan);
    this.planId = id;
    this.revision = revision;
    this.viewingRevision = null;
    this.touched = {};
    this.revealAll = true;
    if (id === null) this.#savedKey = '';
    else this.markSaved();
  }

  /** The form's content (or the content whose key is `key`) is what is stored now. */
  markSaved(key: string = this.key): void {
    this.#savedKey = key;
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
}
