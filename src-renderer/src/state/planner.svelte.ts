/**
 * The window's actions, tying the editor, the solver, the library and the dialogs together:
 * new/open/save/solve/export/import, each asking before unsaved changes would be lost.
 */
import type { Plan } from '@shared/plan';
import type { MenuCommand } from '@shared/operations';
import { call, deliver, onMenuCommand } from './backend';
import { ConfirmState } from './confirm.svelte';
import { EditorState, frontierKeyOf } from './editor.svelte';
import { FrontierState } from './frontier.svelte';
import { LibraryState } from './library.svelte';
import { ReplayState } from './replay.svelte';
import { SolveState } from './solve.svelte';
import { StatusState } from './status.svelte';
import { theme } from './theme.svelte';

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
  view = $state<'plan' | 'book' | 'compare'>('plan');
  /** 'electron' or 'browser' once known (appInfo). */
  mode = $state<'electron' | 'browser' | null>(null);
  /** Bumped to ask the library's search box to take focus (Ctrl/Cmd+O). */
  focusSearch = $state(0);

  /** The result on screen belongs to an older version of the form. */
  stale = $derived(this.solver.result !== null && this.solver.solvedKey !== this.editor.solveKey);
  /**
   * Why Solve is disabled, or null when it can run: the first problem of the same list the
   * fields show, named by its field's label ("Session end: must be after the session start
   * (09:30)"); Solve cannot run while any problem is left. A fresh form whose only problems
   * are empty fields asks for them.
   */
  solveBlocker = $derived.by(() => {
    if (this.solver.solving) return 'A solve is running.';
    if (this.frontier.computing) return 'The efficient frontier is being computed.';
    const issues = this.editor.issues;
    if (issues.length === 0 && this.editor.plan) return null;
    if (this.editor.shownIssues.length === 0 && issues.every((i) => i.message === 'is required')) {
      const labels = issues.map((i) => i.label).filter((label, k, all) => all.indexOf(label) === k);
      return `Fill in ${labels.join(', ')} to solve.`;
    }
    const first = this.editor.firstIssue;
    if (!first) return 'Fix the plan to solve.';
    const more = issues.length - 1;
    return `${first.text}${more > 0 ? ` (and ${more} more ${more === 1 ? 'problem' : 'problems'})` : ''}`;
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
    void this.library.refresh();
    void this.#notices();
    return () => {
      stop();
      stopFrontier();
      stopMenu();
    };
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
      case 'importPlanFile':
        return this.importPlanFile();
      case 'exportPlanFile':
        return this.exportPlanFile();
      case 'exportScheduleCsv':
        return this.exportCsv();
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

  /** The window title: plan name and a marker for unsaved changes. */
  title = $derived(
    `${this.editor.dirty ? '• ' : ''}${this.editor.draft.name.trim() || 'Untitled plan'} — Order Planner`,
  );

  /** True when it is fine to replace the editor's content. */
  async guard(action: string): Promise<boolean> {
    if (!this.editor.dirty) return true;
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
    this.solver.clear();
    this.frontier.clear();
    this.view = 'plan';
  }

  async open(id: string, revision?: number): Promise<void> {
    if (!(await this.guard('Open another plan'))) return;
    const stored = await this.library.get(id, revision);
    if (typeof stored === 'string') return this.status.show(`Could not open: ${stored}`, 'error');
    this.editor.load(stored.plan, stored.id, stored.revision);
    if (revision !== undefined) this.editor.viewingRevision = revision;
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
    const plan = this.editor.plan;
    if (!plan) {
      this.editor.revealAll = true;
      return this.status.show('Cannot save: fix the problems in the plan first.', 'error');
    }
    const key = this.editor.key;
    const result = !this.stale ? (this.solver.result ?? undefined) : undefined;
    const r = await call('savePlan', {
      plan,
      ...(this.editor.planId ? { id: this.editor.planId } : {}),
      ...(result ? { result } : {}),
    });
    if (!r.ok) return this.status.show(`Could not save: ${r.error.message}`, 'error');
    this.editor.planId = r.value.id;
    this.editor.revision = r.value.revision;
    this.editor.viewingRevision = null;
    if (this.editor.key === key) this.editor.markSaved();
    this.status.show(`Saved "${plan.name}" (revision ${r.value.revision})`);
    await this.library.refresh();
    // An open revision list gains the new revision.
    if (this.library.history[r.value.id]) await this.library.loadHistory(r.value.id);
  }

  async exportCsv(): Promise<void> {
    const { result, solvedPlan } = this.solver;
    if (!result || !solvedPlan)
      return this.status.show('Nothing to export yet: solve the plan first.', 'error');
    // A result still current for the form goes out under the form's name and symbol.
    const plan = !this.stale && this.editor.plan ? this.editor.plan : solvedPlan;
    const r = await call('exportScheduleCsv', { plan, result });
    if (!r.ok) return this.status.show(`Could not export: ${r.error.message}`, 'error');
    const done = deliver(r.value);
    if (done) this.status.show(done);
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
    const r = await call('importPlanFile', input);
    if (!r.ok) {
      // The backend's message already starts with the file name when it knows it.
      const name = file?.name ?? 'the plan file';
      const message = r.error.message.startsWith(`${name}: `)
        ? r.error.message.slice(name.length + 2)
        : r.error.message;
      return this.status.show(`Could not import ${name}: ${message}`, 'error');
    }
    if ('cancelled' in r.value) return;
    this.editor.load(r.value.plan, r.value.id);
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
    this.solver.clear();
    this.frontier.clear();
    this.view = 'plan';
    this.status.show(`Loaded "${plan.name}" from the order book; solve it or save it.`);
  }

  async rename(id: string, name: string): Promise<void> {
    const error = await this.library.rename(id, name);
    if (error) return this.status.show(`Could not rename: ${error}`, 'error');
    if (this.editor.planId === id) {
      const wasClean = !this.editor.dirty;
      this.editor.draft.name = name.trim();
      if (wasClean) this.editor.markSaved();
    }
    this.status.show(`Renamed to "${name.trim()}"`);
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
    if (this.editor.planId === id) {
      this.editor.reset();
      this.solver.clear();
      this.frontier.clear();
    }
    this.status.show(`Deleted "${name}"`);
  }
}

export const planner = new PlannerState();
