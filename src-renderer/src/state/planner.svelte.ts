/**
 * The window's actions, tying the editor, the solver, the library and the dialogs together:
 * new/open/save/solve/export/import, each asking before unsaved changes would be lost.
 */
import { copyName, PlanSchema, type Plan } from '@shared/plan';
import { workedExamplePlan } from '@shared/traderTerms';
import type { OpenedPlanFile, OpInput } from '@shared/contract';
import type { MenuCommand } from '@shared/operations';
import type { SolveResultColumns } from '@shared/resultColumns';
import { defaultTradingDay, sessionDayProblem } from '@shared/session';
import { fmtDateTime, nowIso } from '../lib/format';
import { problemsBlocker } from '../lib/solveBlocker';
import { call, deliver, onMenuCommand, onOpenPlanFile } from './backend';
import { ConfirmState } from './confirm.svelte';
import { EditorState, frontierKeyOf } from './editor.svelte';
import { FrontierState } from './frontier.svelte';
import { LibraryState } from './library.svelte';
import { ReplayState } from './replay.svelte';
import { SolveState } from './solve.svelte';
import { StatusState } from './status.svelte';
import { theme } from './theme.svelte';

/** Where the window remembers the plan opened or saved last (the next first screen). */
const LAST_PLAN_KEY = 'order-planner.last-plan';

function lastPlanId(): string | null {
  try {
    return globalThis.localStorage?.getItem(LAST_PLAN_KEY) ?? null;
  } catch {
    return null;
  }
}

function rememberLastPlan(id: string | null): void {
  try {
    if (id) globalThis.localStorage?.setItem(LAST_PLAN_KEY, id);
    else globalThis.localStorage?.removeItem(LAST_PLAN_KEY);
  } catch {
    // Storage refused (private mode, quota): the first screen is the worked example then.
  }
}

export class PlannerState {
  editor = new EditorState();
  solver = new SolveState();
  frontier = new FrontierState();
  library = new LibraryState();
  status = new StatusState();
  confirm = new ConfirmState();
  /** Replays of the result on screen against imported days. */
  replay = new ReplayState();
  theme = theme;
  /** Which main view is shown. */
  view = $state<'plan' | 'book' | 'compare' | 'validation'>('plan');
  /** 'electron' or 'browser' once known (appInfo). */
  mode = $state<'electron' | 'browser' | null>(null);
  /** Bumped by the menu's Export Report: the window opens the report preview. */
  reportRequests = $state(0);
  /** Bumped to ask the library's search box to take focus (Ctrl/Cmd+O). */
  focusSearch = $state(0);
  /**
   * The stored plan's latest revision as this window last knew it (opened, saved or renamed
   * here): the base of the next save, which the backend refuses when another window has
   * saved since. Null for a plan not saved yet.
   */
  latestRevision = $state<number | null>(null);
  /** A save found the plan deleted (elsewhere): the form is stored nowhere now. */
  planGone = $state(false);
  /** CSV export options: the trading day ('' = today in the session's time zone), full precision. */
  csvDate = $state('');
  csvRaw = $state(false);
  /** When each result shown was computed (a stored one: when it was saved). */
  #solvedAt = new WeakMap<SolveResultColumns, string>();

  /** The result on screen belongs to an older version of the form. */
  stale = $derived(this.solver.result !== null && this.solver.solvedKey !== this.editor.solveKey);
  /**
   * Why Solve is disabled, or null when it can run: the first problem of the same list the
   * fields show, named by its field's label ("Session end: must be after the session start
   * (09:30)"), counted over that same list (lib/solveBlocker); Solve cannot run while any
   * problem is left. A fresh form whose only problems are empty fields asks for them.
   */
  solveBlocker = $derived.by(() => {
    if (this.solver.solving) return 'A solve is running.';
    if (this.frontier.computing) return 'The efficient frontier is being computed.';
    const issues = this.editor.issues;
    if (issues.length === 0 && this.editor.plan) return null;
    return problemsBlocker(this.editor.shownIssues, issues) ?? 'Fix the plan to solve.';
  });

  /**
   * The plan's own λ scale for the urgency presets (TWAP's expected cost / its variance), from
   * the last solve; null before a solve or when that plan had no timing risk.
   */
  riskScale = $derived(this.solver.result?.riskScale ?? null);
  /** Why the urgency presets are disabled, or null. */
  urgencyBlocker = $derived.by(() => {
    if (!this.solver.result)
      return 'Presets need a solve first (they scale with the plan); type λ directly.';
    if (this.riskScale === null || !(this.riskScale > 0))
      return 'Solve with a volatility first: presets are multiples of the plan’s own λ scale.';
    return null;
  });
  /** The scale comes from a solve of an older version of the plan (without λ). */
  riskScaleStale = $derived(
    this.solver.result !== null && frontierKeyOf(this.solver.solvedKey) !== this.editor.frontierKey,
  );

  /** The frontier on screen belongs to an older version of the plan (λ aside). */
  frontierStale = $derived(
    this.frontier.frontier !== null && this.frontier.key !== this.editor.frontierKey,
  );
  /** The solved plan's point on the frontier, when the frontier is for the same plan (λ aside). */
  frontierCurrent = $derived.by(() => {
    const r = this.solver.result;
    if (!r?.metrics || !this.frontier.frontier) return null;
    if (frontierKeyOf(this.solver.solvedKey) !== this.frontier.key) return null;
    return {
      expectedCost: r.metrics.expectedCost,
      timingRiskSd: r.metrics.timingRiskSd,
      aversion: r.aversion ?? 0,
    };
  });
  /** A frontier point can be picked (it solves at once) now. */
  canPickAversion = $derived(!this.solver.solving && !this.frontier.computing);
  /** Why Compute frontier is disabled, or null. */
  frontierBlocker = $derived.by(() => {
    if (this.frontier.computing) return 'The frontier is being computed.';
    if (this.solver.solving) return 'A solve is running.';
    const plan = this.editor.plan;
    if (!plan) return 'Fix the plan first.';
    if (!plan.risk) return 'Set a volatility in the Risk section to trade cost against risk.';
    if (plan.risk.volatility === 0 || plan.risk.annualVolatility === 0)
      return 'The volatility is 0: there is no timing risk to trade off.';
    return null;
  });

  /** Start: subscribe to progress, load the library. Returns the cleanup. */
  start(): () => void {
    const stopFrontier = this.frontier.listen();
    const stop = this.solver.listen();
    const stopMenu = onMenuCommand((command) => void this.#menu(command));
    const stopOpened = onOpenPlanFile((file) => void this.importOpenedPlanFile(file));
    this.#firstScreen();
    void this.library.refresh();
    void this.#notices();
    return () => {
      stop();
      stopFrontier();
      stopMenu();
      stopOpened();
    };
  }

  /**
   * The first screen: the plan opened or saved last, else a worked example in a trader's
   * terms (shared/traderTerms WORKED_EXAMPLE), never an empty form. The example is shown at
   * once; the last plan replaces it when it loads, unless the user has started on something.
   */
  #firstScreen(): void {
    const example = PlanSchema.safeParse(workedExamplePlan());
    if (example.success) this.editor.start(example.data);
    const id = lastPlanId();
    if (id) void this.#openLast(id, this.editor.key);
  }

  async #openLast(id: string, firstKey: string): Promise<void> {
    const stored = await this.library.get(id);
    if (typeof stored === 'string') return rememberLastPlan(null);
    if (this.editor.planId !== null || this.editor.key !== firstKey) return;
    await this.open(id);
  }

  /** Electron's application menu (its accelerators take the keys before the page sees them). */
  #menu(command: MenuCommand): unknown {
    switch (command) {
      case 'newPlan':
        return this.newPlan();
      case 'openPlan':
        return this.focusSearch++;
      case 'savePlan':
        return this.save();
      case 'savePlanAs':
        return this.saveAs();
      case 'importPlanFile':
        return this.importPlanFile();
      case 'exportPlanFile':
        return this.exportPlanFile();
      case 'exportScheduleCsv':
        return this.exportCsv();
      case 'exportReport':
        return this.reportRequests++;
      case 'solve':
        return this.solve();
      case 'cancelSolve':
        return this.solver.cancel();
    }
  }

  async #notices(): Promise<void> {
    const r = await call('appInfo', {});
    if (r.ok) this.mode = r.value.mode;
    if (r.ok && r.value.notices.length > 0) this.status.show(r.value.notices.join(' '), 'error');
  }

  /** The form holds something stored nowhere: changes, or a plan deleted elsewhere. */
  unsaved = $derived(this.editor.dirty || this.planGone);

  /** The window title: plan name and a marker for unsaved changes. */
  title = $derived(
    `${this.unsaved ? '• ' : ''}${this.editor.draft.name.trim() || 'Untitled plan'} — Order Planner`,
  );

  /**
   * What the toolbar says about the form against what is stored: compared with the stored
   * latest revision, so an older revision reopened is never "Saved".
   */
  savedMarker = $derived.by((): { kind: 'unsaved' | 'older' | 'saved'; text: string } | null => {
    const e = this.editor;
    if (this.planGone)
      return { kind: 'unsaved', text: '● Not saved: the plan was deleted (Save As keeps it)' };
    const latest = this.latestRevision;
    const elsewhere = this.library.plans.find((p) => p.id === e.planId)?.revision ?? null;
    const newer =
      latest !== null && elsewhere !== null && elsewhere > latest
        ? ` · revision ${elsewhere} was saved elsewhere`
        : '';
    if (e.dirty) return { kind: 'unsaved', text: `● Unsaved changes${newer}` };
    if (!e.planId || latest === null) return null;
    if (e.revision !== null && e.revision < latest)
      return {
        kind: 'older',
        text: `Revision ${e.revision}, not the latest (${latest}): saving makes it revision ${latest + 1}${newer}`,
      };
    return newer ? { kind: 'older', text: `Saved${newer}` } : { kind: 'saved', text: 'Saved' };
  });

  /** True when it is fine to replace the editor's content. */
  async guard(action: string): Promise<boolean> {
    if (!this.unsaved) return true;
    return this.confirm.ask({
      title: 'Discard unsaved changes?',
      message: `The plan "${this.editor.draft.name || 'Untitled'}" has changes that are not saved. ${action} anyway?`,
      confirmLabel: 'Discard changes',
      cancelLabel: 'Keep editing',
      danger: true,
    });
  }

  async newPlan(): Promise<void> {
    if (!(await this.guard('Start a new plan'))) return;
    this.editor.reset();
    this.#stored(null);
    this.solver.clear();
    this.frontier.clear();
    this.view = 'plan';
  }

  /** The stored plan the form now stands for: its latest revision, or null (not stored). */
  #stored(latest: number | null): void {
    this.latestRevision = latest;
    this.planGone = false;
  }

  async open(id: string, revision?: number): Promise<void> {
    if (!(await this.guard('Open another plan'))) return;
    const stored = await this.library.get(id, revision);
    if (typeof stored === 'string') return this.status.show(`Could not open: ${stored}`, 'error');
    this.editor.load(stored.plan, stored.id, stored.revision);
    this.#stored(stored.latestRevision);
    rememberLastPlan(stored.id);
    if (revision !== undefined) this.editor.viewingRevision = revision;
    if (stored.result) this.#solvedAt.set(stored.result, stored.updatedAt);
    this.solver.adopt(stored.plan, stored.result, this.editor.solveKey);
    this.frontier.clear();
    this.view = 'plan';
    this.status.show(
      revision !== undefined
        ? `Opened revision ${revision} of "${stored.plan.name}"`
        : `Opened "${stored.plan.name}"`,
    );
  }

  async solve(): Promise<void> {
    const plan = this.editor.plan;
    // Not while a solve or the frontier runs (the solver does one job at a time).
    if (!plan || this.solveBlocker) {
      this.editor.revealAll = true;
      if (this.solveBlocker) this.status.show(this.solveBlocker, 'error');
      return;
    }
    this.view = 'plan';
    // An earlier complaint ("Solve the plan before exporting.") no longer applies.
    if (this.status.kind === 'error') this.status.clear();
    await this.solver.solve(plan, this.editor.solveKey);
    const result = this.solver.result;
    if (result && !this.#solvedAt.has(result)) this.#solvedAt.set(result, nowIso());
  }

  async computeFrontier(): Promise<void> {
    const plan = this.editor.plan;
    if (!plan || this.frontierBlocker) {
      this.editor.revealAll = true;
      if (this.frontierBlocker) this.status.show(this.frontierBlocker, 'error');
      return;
    }
    await this.frontier.compute(plan, this.editor.frontierKey);
  }

  /**
   * A point of the frontier picked on the chart: its λ goes into the Risk section and the plan
   * is solved with it at once (the frontier stays: it does not depend on λ).
   */
  async useAversion(aversion: number): Promise<void> {
    this.editor.setAversion(aversion);
    if (!this.solver.solving && !this.frontier.computing) await this.solve();
  }

  async save(): Promise<void> {
    const plan = this.#planToSave();
    if (!plan) return;
    const id = this.editor.planId;
    if (!id) return this.#store(plan, {});
    await this.#store(plan, {
      id,
      ...(this.latestRevision !== null ? { baseRevision: this.latestRevision } : {}),
    });
  }

  /** Save the form as a new plan under a name asked for (the plan it came from stays). */
  async saveAs(): Promise<void> {
    const plan = this.#planToSave();
    if (!plan) return;
    const name = await this.confirm.prompt({
      title: 'Save as a new plan',
      message: this.editor.planId
        ? `The form is saved as a new plan; "${plan.name}" stays as it is.`
        : 'The form is saved as a new plan.',
      confirmLabel: 'Save',
      cancelLabel: 'Cancel',
      input: {
        label: 'Name of the new plan',
        value: this.editor.planId ? copyName(plan.name) : plan.name,
        maxLength: 200,
        check: (v) => (v ? null : 'A plan needs a name.'),
      },
    });
    if (name === null) return;
    this.editor.draft.name = name;
    await this.#store({ ...plan, name }, {});
  }

  #planToSave(): Plan | null {
    const plan = this.editor.plan;
    if (!plan) {
      this.editor.revealAll = true;
      this.status.show('Cannot save: fix the problems in the plan first.', 'error');
    }
    return plan;
  }

  /** savePlan, then what a refusal calls for: a conflict or a deleted plan asks the user. */
  async #store(plan: Plan, target: { id?: string; baseRevision?: number }): Promise<void> {
    const key = this.editor.key;
    const result = !this.stale ? (this.solver.result ?? undefined) : undefined;
    const r = await call('savePlan', { plan, ...target, ...(result ? { result } : {}) });
    if (!r.ok) {
      if (r.error.code === 'conflict' && target.id) return this.#conflict(plan, target.id);
      if (r.error.code === 'plan_gone') return this.#gone(plan);
      return this.status.show(`Could not save: ${r.error.message}`, 'error');
    }
    this.editor.planId = r.value.id;
    rememberLastPlan(r.value.id);
    this.editor.revision = r.value.revision;
    this.editor.viewingRevision = null;
    this.#stored(r.value.revision);
    // The form may have changed while saving: what was sent is what is stored now.
    this.editor.markSaved(key);
    this.status.show(`Saved "${plan.name}" (revision ${r.value.revision})`);
    await this.library.refresh();
    // An open revision list gains the new revision.
    if (this.library.history[r.value.id]) await this.library.loadHistory(r.value.id);
  }

  /** Another window saved this plan since: save as a new plan, or overwrite (both are kept). */
  async #conflict(plan: Plan, id: string): Promise<void> {
    const latest = await this.library.latestRevision(id);
    if (typeof latest === 'string') return this.status.show(`Could not save: ${latest}`, 'error');
    if (latest === null) return this.#gone(plan);
    const base = this.latestRevision;
    const choice = await this.confirm.choose({
      title: 'Saved in another window',
      message:
        `"${plan.name}" was saved elsewhere since ${base === null ? 'you opened it' : `revision ${base}`}: ` +
        `the latest is revision ${latest}. Save your form as a new plan, or overwrite: ` +
        `yours becomes revision ${latest + 1} and revision ${latest} stays in the history.`,
      confirmLabel: `Overwrite (becomes revision ${latest + 1})`,
      alternativeLabel: 'Save as new plan',
      cancelLabel: 'Cancel',
    });
    if (choice === 'confirm') return this.#store(plan, { id, baseRevision: latest });
    if (choice === 'alternative') return this.saveAs();
    this.status.show('Not saved: the other window’s revision is the latest.', 'error');
  }

  /** The plan was deleted (elsewhere): offer to save the form as a new plan. */
  async #gone(plan: Plan): Promise<void> {
    this.planGone = true;
    this.latestRevision = null;
    await this.library.refresh();
    const ok = await this.confirm.ask({
      title: 'Plan deleted',
      message: `"${plan.name}" is no longer in the saved plans (it was deleted, perhaps in another window). Save the form as a new plan?`,
      confirmLabel: 'Save As…',
      cancelLabel: 'Not now',
    });
    if (ok) return this.saveAs();
    this.status.show(`Not saved: "${plan.name}" was deleted; Save As keeps the form.`, 'error');
  }

  /**
   * Export the schedule as CSV. A result of an older form is exported only when the user says
   * so, and then the status line and the file's header block say it is not the current form.
   */
  async exportCsv(): Promise<void> {
    if (!this.solver.result || !this.solver.solvedPlan)
      return this.status.show('Nothing to export yet: solve the plan first.', 'error');
    let stale = this.stale;
    if (stale) {
      const at = this.#solvedAt.get(this.solver.result);
      const choice = await this.confirm.choose({
        title: 'The plan has changed since it was solved',
        message: `The schedule on screen is for the plan as last solved${at ? ` (${fmtDateTime(at)})` : ''}, not the current form. Solve the current form first, or export the last solved schedule?`,
        confirmLabel: 'Solve and export',
        alternativeLabel: 'Export last solved',
        cancelLabel: 'Cancel',
      });
      if (choice === 'cancel') return;
      if (choice === 'confirm') {
        await this.solve();
        if (this.stale || this.solver.error || !this.solver.result) {
          if (this.status.kind !== 'error' || !this.status.message)
            this.status.show(
              `Not exported: ${this.solver.error ?? 'the solve did not finish'}`,
              'error',
            );
          return;
        }
        stale = false;
      }
    }
    const result = this.solver.result;
    const solvedPlan = this.solver.solvedPlan;
    if (!result || !solvedPlan) return;
    const dayProblem = this.csvDateProblem;
    if (dayProblem) return this.status.show(`Not exported: trading day: ${dayProblem}`, 'error');
    // A result still current for the form goes out under the form's name and symbol.
    const plan = !stale && this.editor.plan ? this.editor.plan : solvedPlan;
    const solvedAt = this.#solvedAt.get(result);
    const r = await call('exportScheduleCsv', {
      plan,
      result,
      date: this.csvDate || this.csvDefaultDate,
      ...(this.csvRaw ? { raw: true } : {}),
      ...(solvedAt ? { solvedAt } : {}),
      ...(stale ? { stale: true } : {}),
    });
    if (!r.ok) return this.status.show(`Could not export: ${r.error.message}`, 'error');
    const done = deliver(r.value);
    if (!done) return;
    if (stale)
      this.status.show(
        `${done}: the schedule as last solved${solvedAt ? ` (${fmtDateTime(solvedAt)})` : ''}, NOT the current form`,
        'error',
      );
    else this.status.show(done);
  }

  /** The export's default trading day: the next NYSE trading day in the session's time zone. */
  get csvDefaultDate(): string {
    return defaultTradingDay((this.editor.plan ?? this.solver.solvedPlan)?.session);
  }

  /** Why the export's trading day cannot hold the session (a weekend, a holiday, an early close). */
  get csvDateProblem(): string | null {
    const plan = this.editor.plan ?? this.solver.solvedPlan;
    return sessionDayProblem(this.csvDate || this.csvDefaultDate, plan?.session);
  }

  async exportPlanFile(): Promise<void> {
    const plan = this.editor.plan;
    if (!plan)
      return this.status.show('Cannot export: fix the problems in the plan first.', 'error');
    const r = await call('exportPlanFile', { plan });
    if (!r.ok) return this.status.show(`Could not export: ${r.error.message}`, 'error');
    const done = deliver(r.value);
    if (done) this.status.show(done);
  }

  /** Import a picked file; without one (Electron menu) the backend shows its open dialog. */
  async importPlanFile(file?: File): Promise<void> {
    if (!(await this.guard('Import a plan file'))) return;
    const input = file ? { text: await file.text(), fileName: file.name } : {};
    await this.#importPlan(input, file?.name);
  }

  /**
   * Plan files the operating system opened (a double click on a `.orderplan` file): imported
   * one after another, each exactly as a file picked with Import plan.
   */
  importOpenedPlanFile(file: OpenedPlanFile): Promise<void> {
    const run = async () => {
      if (!(await this.guard(`Open ${file.fileName}`))) return;
      await this.#importPlan({ file: file.ref, fileName: file.fileName }, file.fileName);
    };
    this.#opening = this.#opening.then(run, run);
    return this.#opening;
  }
  #opening: Promise<void> = Promise.resolve();

  async #importPlan(input: OpInput<'importPlanFile'>, fileName?: string): Promise<void> {
    const r = await call('importPlanFile', input);
    if (!r.ok) {
      // The backend's message already starts with the file name when it knows it.
      const name = fileName ?? 'the plan file';
      const message = r.error.message.startsWith(`${name}: `)
        ? r.error.message.slice(name.length + 2)
        : r.error.message;
      return this.status.show(`Could not import ${name}: ${message}`, 'error');
    }
    if ('cancelled' in r.value) return;
    // An imported file is stored as a new plan's revision 1.
    this.editor.load(r.value.plan, r.value.id, 1);
    this.#stored(1);
    this.solver.clear();
    this.frontier.clear();
    this.view = 'plan';
    this.status.show(`Imported "${r.value.plan.name}" into the library`);
    await this.library.refresh();
  }

  /** A plan built by the order-book panel. */
  async useBookPlan(plan: Plan): Promise<void> {
    if (!(await this.guard('Load the order-book plan'))) return;
    this.editor.load(plan, null);
    this.#stored(null);
    this.solver.clear();
    this.frontier.clear();
    this.view = 'plan';
    this.status.show(`Loaded "${plan.name}" from the order book; solve it or save it.`);
  }

  /**
   * Renaming stores a new revision: the latest's plan under the new name. A form on the
   * latest revision moves onto it (still saved when it was); a form on an older revision
   * takes the new name too, as a change, so that saving it does not bring the old name back.
   */
  async rename(id: string, name: string): Promise<void> {
    const r = await this.library.rename(id, name);
    if (typeof r === 'string') return this.status.show(`Could not rename: ${r}`, 'error');
    if (this.editor.planId === id) {
      const onLatest =
        this.editor.revision !== null && this.editor.revision === this.latestRevision;
      const wasClean = !this.editor.dirty;
      // A revision saved elsewhere in between stays unknown here: the next save asks.
      if (this.latestRevision !== null && r.revision === this.latestRevision + 1)
        this.latestRevision = r.revision;
      this.editor.draft.name = name.trim();
      if (onLatest && this.latestRevision === r.revision) {
        this.editor.revision = r.revision;
        this.editor.viewingRevision = null;
        if (wasClean) this.editor.markSaved();
      }
    }
    this.status.show(`Renamed to "${name.trim()}" (revision ${r.revision})`);
  }

  async duplicate(id: string): Promise<void> {
    const r = await this.library.duplicate(id);
    if (typeof r === 'string') return this.status.show(`Could not duplicate: ${r}`, 'error');
    this.status.show('Plan duplicated');
  }

  async remove(id: string, name: string): Promise<void> {
    const ok = await this.confirm.ask({
      title: 'Delete plan?',
      message: `Delete "${name}" and all its revisions? This cannot be undone.${
        this.editor.planId === id && this.editor.dirty
          ? ' It is open with unsaved changes, which are discarded too.'
          : ''
      }`,
      confirmLabel: 'Delete',
      cancelLabel: 'Keep plan',
      danger: true,
    });
    if (!ok) return;
    const error = await this.library.remove(id);
    if (error) return this.status.show(`Could not delete: ${error}`, 'error');
    if (lastPlanId() === id) rememberLastPlan(null);
    if (this.editor.planId === id) {
      this.editor.reset();
      this.#stored(null);
      this.solver.clear();
      this.frontier.clear();
    }
    this.status.show(`Deleted "${name}"`);
  }
}

export const planner = new PlannerState();
