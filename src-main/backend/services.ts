/**
 * The backend's handler object: one function per contract operation, shared by Electron IPC
 * and the browser-mode HTTP server. Inputs arrive already parsed (see contract.parseInput);
 * handlers throw PlannerError for anything the user must be told.
 */
import { basename } from 'node:path';
import {
  PlannerError,
  type AppInfo,
  type ExportedFile,
  type OpOutput,
  type OpParsed,
  type ProgressEvent,
  type ReportPageSize,
  type Services,
} from '@shared/contract';
import { scheduleCsvFileName, scheduleToCsv, tradeDate } from '@shared/csv';
import { sessionDayProblem } from '@shared/session';
import { parseJsonText, parsePlan, summarizeErrors, type Plan } from '@shared/plan';
import {
  MAX_PLAN_FILE_BYTES,
  PLAN_FILE_MIME_TYPE,
  planFileJson,
  planFileName,
} from '@shared/planFile';
import { fromColumns, type SolveResultColumns } from '@shared/resultColumns';
import type { BookService } from '../book/service';
import type { SolverHost } from '../solver/host';
import type { StorageClient } from '../storage/protocol';
import { FileTooLargeError, fileErrorReason, readFileLimited } from '../platform/fileErrors';

/** Largest plan file accepted, in bytes read (the CLI's limit too). */
export { MAX_PLAN_FILE_BYTES };

/** Native dialogs (Electron only). Each returns null when the user cancels. */
export interface NativeDialogs {
  openPlanFile(): Promise<string | null>;
  openBookFile(): Promise<string | null>;
  saveFile(file: ExportedFile): Promise<string | null>;
  /** Print the window to a PDF of that paper size and save it through a save dialog
   *  suggesting `fileName`: the path, or null when cancelled. */
  saveReportPdf?(fileName: string, pageSize: ReportPageSize): Promise<string | null>;
}

export interface ServicesDeps {
  /** The database, through the storage thread: every call is answered by a promise. */
  storage: StorageClient;
  solverHost: SolverHost;
  books: BookService;
  mode: AppInfo['mode'];
  version: string;
  dataDir: string;
  databasePath: string;
  /** Told to the user through appInfo (e.g. a corrupt database was moved aside). */
  notices?: string[];
  emitProgress: (event: ProgressEvent) => void;
  /** A `file` reference of importBook (an opaque id from stageFile: Electron's picked-file
   *  registry, or a browser-mode upload) → a path. */
  resolveFile: (ref: string) => { path: string; fileName: string };
  dialogs?: NativeDialogs;
}

export function createServices(deps: ServicesDeps) {
  const { storage, solverHost, books } = deps;

  async function deliver(file: ExportedFile): Promise<ExportedFile> {
    if (!deps.dialogs) return file;
    return { ...file, savedTo: await deps.dialogs.saveFile(file) };
  }

  async function scheduleSource(input: OpParsed<'exportScheduleCsv'>): Promise<{
    plan: Plan;
    result: SolveResultColumns;
    solvedAt?: string;
    stale?: boolean;
  }> {
    if ('plan' in input) return input;
    const stored = await storage.getPlan(input.id);
    if (!stored.result) {
      throw new PlannerError(
        'not_found',
        `Plan "${stored.plan.name}" has no solved schedule saved with it: solve it and save, then export.`,
      );
    }
    // A stored result is the result of solving exactly the stored plan, saved at updatedAt.
    return { plan: stored.plan, result: stored.result, solvedAt: stored.updatedAt };
  }

  async function readPlanText(
    input: OpParsed<'importPlanFile'>,
  ): Promise<{ text: string; fileName: string } | null> {
    if (input.text !== undefined)
      return { text: input.text, fileName: input.fileName ?? 'plan file' };
    // A file the operating system handed the app (opened from the file manager): an id of
    // main's picked-file registry, read exactly like a file picked in the dialog.
    if (input.file !== undefined) {
      const { path, fileName } = deps.resolveFile(input.file);
      return { text: await readPlanFileText(path), fileName };
    }
    if (!deps.dialogs) {
      throw new PlannerError('invalid_input', "text: the plan file's content is required");
    }
    const path = await deps.dialogs.openPlanFile();
    if (path === null) return null;
    return { text: await readPlanFileText(path), fileName: basename(path) };
  }

  const services = {
    /** The window gets the result in columns (src-shared/resultColumns.ts), as the worker
     *  sent it. */
    async solve({ plan, curve }) {
      return solverHost.solve(plan, (fraction) => deps.emitProgress({ op: 'solve', fraction }), {
        curve,
      });
    },
    /** The curve after the schedule: the solver host's curve job (a newer solve discards it). */
    async costCurve({ plan }) {
      return solverHost.curve(plan);
    },
    async frontier({ plan, points }) {
      return solverHost.frontier(plan, points, (fraction) =>
        deps.emitProgress({ op: 'frontier', fraction }),
      );
    },
    /** Cancels whatever the solver runs: a solve or a frontier (and every queued job). */
    cancelSolve() {
      return { cancelled: solverHost.cancel() };
    },
    /** Resolves once the save has committed (durable), see docs/storage.md. */
    savePlan({ plan, id, result, baseRevision }) {
      return storage.savePlan({ plan, id, result, baseRevision });
    },
    listPlans({ query, limit }) {
      return storage.listPlans({ query, limit });
    },
    getPlan({ id, revision }) {
      return storage.getPlan(id, revision);
    },
    renamePlan({ id, name }) {
      return storage.renamePlan(id, name);
    },
    duplicatePlan({ id }) {
      return storage.duplicatePlan(id);
    },
    deletePlan({ id }) {
      return storage.deletePlan(id);
    },
    listRevisions({ id }) {
      return storage.listRevisions(id);
    },
    async exportScheduleCsv(input) {
      const { plan, result, solvedAt, stale } = await scheduleSource(input);
      const date = input.date ?? tradeDate(plan);
      // A weekend, a holiday or an early close the session runs past: as `solve --csv --date`.
      const dayProblem = sessionDayProblem(date, plan.session);
      if (dayProblem) throw new PlannerError('invalid_input', `date: ${dayProblem}`);
      return deliver({
        fileName: scheduleCsvFileName(plan.symbol, plan.side, date),
        mimeType: 'text/csv',
        content: scheduleToCsv(fromColumns(result), {
          plan,
          date,
          solvedAt,
          stale,
          raw: input.raw,
        }),
      });
    },
    async importPlanFile(input): Promise<OpOutput<'importPlanFile'>> {
      const source = await readPlanText(input);
      if (source === null) return { cancelled: true as const };
      const json = parseJsonText(source.text);
      const parsed = json.ok ? parsePlan(json.value) : json;
      if (!parsed.ok) {
        throw new PlannerError(
          'invalid_input',
          `${source.fileName}: ${summarizeErrors(parsed.errors, 5)}`,
        );
      }
      const { id } = await storage.savePlan({ plan: parsed.value });
      return { id, plan: parsed.value };
    },
    async exportPlanFile(input) {
      const plan = 'plan' in input ? input.plan : (await storage.getPlan(input.id)).plan;
      return deliver({
        fileName: planFileName(fileStem(plan.name)),
        mimeType: PLAN_FILE_MIME_TYPE,
        content: `${planFileJson(plan, 2)}\n`,
      });
    },
    /** Electron only: browser mode prints through the browser's own dialog (browserApi). */
    async exportReportPdf({ name, pageSize }) {
      if (!deps.dialogs?.saveReportPdf) {
        throw new PlannerError(
          'invalid_input',
          "PDF export is done by the browser here: use its print dialog's Save as PDF",
        );
      }
      const fileName = `${fileStem(name)} report.pdf`;
      return { fileName, savedTo: await deps.dialogs.saveReportPdf(fileName, pageSize) };
    },
    appInfo() {
      return {
        name: 'Order Planner',
        version: deps.version,
        mode: deps.mode,
        dataDir: deps.dataDir,
        databasePath: deps.databasePath,
        notices: [...(deps.notices ?? [])],
      };
    },
    async importBook(input): Promise<OpOutput<'importBook'>> {
      let path: string;
      let fileName: string;
      if (input.file !== undefined) {
        ({ path, fileName } = deps.resolveFile(input.file));
      } else if (deps.dialogs) {
        const picked = await deps.dialogs.openBookFile();
        if (picked === null) return { cancelled: true as const };
        path = picked;
        fileName = basename(picked);
      } else {
        throw new PlannerError(
          'invalid_input',
          'file: upload the order-book file first (stageFile)',
        );
      }
      return books.importBook({ ...input, path, fileName: input.fileName ?? fileName });
    },
    cancelImport: (input) => books.cancelImport(input),
    listBooks: (input) => books.listBooks(input),
    getBook: (input) => books.getBook(input),
    deleteBook: (input) => books.deleteBook(input),
    bookPlan: (input) => books.bookPlan(input),
    averageBooks: (input) => books.averageBooks(input),
    replayBook: (input) => books.replayBook(input),
    // Plans are built and books walked here (milliseconds); every fold's solve runs in the
    // solver process, so a long validation never blocks the main process.
    validateBooks: (input) =>
      books.validateBooks(input, (plan) => solverHost.solve(plan, () => {}).then(fromColumns)),
  } satisfies Services;
  return services;
}

/** A picked plan file's text; reading stops past MAX_PLAN_FILE_BYTES (counted as read). */
async function readPlanFileText(path: string): Promise<string> {
  try {
    return (await readFileLimited(path, MAX_PLAN_FILE_BYTES)).toString('utf8');
  } catch (e) {
    throw new PlannerError(
      e instanceof FileTooLargeError ? 'too_large' : 'invalid_input',
      `${basename(path)}: ${fileErrorReason(e, 'plan file')}`,
    );
  }
}

/** A plan name as a safe file name stem: "Buy AAPL / close" → "Buy AAPL - close". */
export function fileStem(name: string): string {
  const stem = name
    .replace(/[\\/:*?"<>|\p{Cc}]+/gu, '-')
    .replace(/\s+/g, ' ')
    .replace(/^[\s.-]+|[\s.]+$/g, '')
    .slice(0, 100);
  return stem || 'plan';
}
