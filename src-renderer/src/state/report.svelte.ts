/**
 * The printable report: whether its preview is open, its paper size, and exporting it (Electron:
 * the backend prints the window to a PDF and asks where to save it; browser mode: the browser's
 * print dialog). The print style sheet shows the preview's pages alone.
 */
import type { ReportPageSize } from '@shared/contract';
import { pageSizeForLocale } from '../lib/report';
import { call } from './backend';
import { planner } from './planner.svelte';
import type { StatusState } from './status.svelte';

export class ReportState {
  /** The preview (the report as it will print) is on screen. */
  open = $state(false);
  pageSize = $state<ReportPageSize>(
    pageSizeForLocale(typeof navigator === 'undefined' ? undefined : navigator.language),
  );
  exporting = $state(false);

  constructor(private readonly status: StatusState) {}

  show(): void {
    this.open = true;
  }

  close(): void {
    this.open = false;
  }

  /** Print the report on screen to a PDF (`name`: the plan's, for the file name). */
  async export(name: string): Promise<void> {
    if (!this.open || this.exporting) return;
    this.exporting = true;
    try {
      const r = await call('exportReportPdf', { name, pageSize: this.pageSize });
      if (!r.ok)
        return this.status.show(`Could not export the report: ${r.error.message}`, 'error');
      if (r.value.savedTo) this.status.show(`Exported ${r.value.savedTo}`);
    } finally {
      this.exporting = false;
    }
  }
}

/** The window's one report (its status messages go to the planner's status line). */
export const report = new ReportState(planner.status);
