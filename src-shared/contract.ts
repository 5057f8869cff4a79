/**
 * The one API contract between the window and the backend (Electron IPC or browser-mode HTTP).
 *
 * Every operation has a zod input schema (parsed from `unknown` on the backend side) and a
 * result type. Results cross the boundary as `{ ok: true, value } | { ok: false, error }`.
 * - Electron: the preload exposes exactly these operations as `window.planner.<op>`.
 * - Browser mode: `POST /api/<op>` with the input as JSON body, the result union as response.
 * The backend's handler object must `satisfies Services`, so a missing operation is a
 * compile error.
 *
 * The schemas are built on first use (lazySchema.ts): loading this module for PlannerError or
 * a type builds none of them, and reading `contractInputs.solve` builds that input's alone.
 */
import { z } from 'zod';
import {
  MAX_SHARES,
  MAX_SHARES_MESSAGE,
  PlanSchema,
  SessionSchema,
  formatPath,
  summarizeErrors,
  type Plan,
} from './plan';
import { DATE_PATTERN, isCalendarDate } from './calendar';
import type { CostCurve, Frontier } from './result';
import { ResultInputSchema, type SolveResultColumns } from './resultColumns';
import { MENU_COMMANDS, OP_NAMES, type MenuCommand, type OpName } from './operations';
import { lazyRecord, lazySchema, memo } from './lazySchema';
import type { BookPeriod, BookStats } from './book';
import type { ValidationReport } from './validation';

// ---------------------------------------------------------------------------------------
// Errors and the result union

export const ERROR_CODES = [
  'invalid_input', // input failed its schema; message names the field
  'not_found', // no plan / dataset with that id
  'plan_gone', // a save to a plan that no longer exists (deleted elsewhere): save as a new plan
  'conflict', // a save based on an older revision than the stored latest (saved elsewhere)
  'infeasible', // the plan cannot be executed (caps, book depth)
  'too_large', // the grid or table exceeds the memory/size budget
  'time_limit', // a solve or frontier ran past its time limit and was stopped
  'cancelled', // the user cancelled (solve, import)
  'worker_crashed', // the solver process died; it has been restarted
  'busy', // another import is already running
  'storage', // the database failed
  'forbidden', // wrong sender / missing token
  'internal', // a bug: message says what failed, never a stack trace
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];
export interface ApiError {
  code: ErrorCode;
  message: string;
}
export type Result<T> = { ok: true; value: T } | { ok: false; error: ApiError };

/** An error a service throws on purpose; the wrapper turns it into `{ ok: false, error }`. */
export class PlannerError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'PlannerError';
  }
}

export function inputError(error: z.ZodError): ApiError {
  return { code: 'invalid_input', message: summarizeErrors(issueLines(error.issues, []), 5) };
}

type Issue = z.core.$ZodIssue;

/** One line per issue naming its field. A failed union reports the alternative that got
 *  furthest (deepest field), or every alternative joined by "or" when none did. */
function issueLines(issues: readonly Issue[], prefix: PropertyKey[]): string[] {
  return issues.flatMap((issue) => {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      const depth = (branch: Issue[]) => Math.max(...branch.map((i) => i.path.length));
      const best = Math.max(...issue.errors.map(depth));
      const chosen = issue.errors.filter((b) => depth(b) === best);
      if (chosen.length === 1) return issueLines(chosen[0], path);
      return [chosen.map((b) => issueLines(b, path).join('; ')).join(' or ')];
    }
    return [`${path.length ? formatPath(path) : 'input'}: ${issue.message}`];
  });
}

// ---------------------------------------------------------------------------------------
// Shared shapes

const id = lazySchema(() => z.string().min(1, 'must not be empty').max(100));

/** Shares or a lot size: a whole number within the plan schema's own limit (MAX_SHARES). */
const shareCount = lazySchema(() =>
  z
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .positive('must be greater than 0')
    .max(MAX_SHARES, MAX_SHARES_MESSAGE),
);

export interface PlanSummary {
  id: string;
  name: string;
  symbol: string;
  side: 'buy' | 'sell';
  shares: number;
  createdAt: string; // ISO-8601 UTC
  updatedAt: string;
  revision: number;
  /** Total cost of the stored result, when the plan was solved before saving. */
  totalCost: number | null;
}

export interface StoredPlan {
  id: string;
  plan: Plan;
  /** Columnar (src-shared/resultColumns.ts), as every result the backend sends. */
  result?: SolveResultColumns;
  revision: number;
  /** The plan's latest revision (equal to `revision` unless an older one was asked for). */
  latestRevision: number;
  createdAt: string;
  updatedAt: string;
}

export interface RevisionSummary {
  revision: number;
  savedAt: string;
  name: string;
  shares: number;
  totalCost: number | null;
}

/** A file produced for the user. Electron writes it through a save dialog (savedTo is the
 *  path, or null when the user cancelled); browser mode hands it over as a download. */
export interface ExportedFile {
  fileName: string;
  mimeType: string;
  content: string;
  savedTo?: string | null;
}

/** Paper sizes of the printed report. */
export const REPORT_PAGE_SIZES = ['A4', 'Letter'] as const;
export type ReportPageSize = (typeof REPORT_PAGE_SIZES)[number];

/** The report written as a PDF: savedTo is the path, or null when the user cancelled the save
 *  dialog or (browser mode) the browser's print dialog took over. */
export interface ExportedReport {
  fileName: string;
  savedTo: string | null;
}

export interface AppInfo {
  name: string;
  version: string;
  mode: 'electron' | 'browser';
  dataDir: string;
  databasePath: string;
  /** Things the user must be told once, e.g. a corrupt database that was moved aside. */
  notices: string[];
}

export const ImportBookOptionsSchema = lazySchema(() =>
  z.object({
    /** Minutes per period (default 1). */
    periodMinutes: z.number().positive('must be greater than 0').max(390).default(1),
    /** Session clock and zone (default 09:30–16:00 America/New_York). */
    session: SessionSchema.optional(),
    /** Trading date YYYY-MM-DD (default: taken from the data). */
    date: z
      .string()
      .regex(DATE_PATTERN, 'must be a date YYYY-MM-DD')
      .refine(isCalendarDate, 'must be a real calendar date')
      .optional(),
    /** 'average': the time-averaged book of each period; 'start': the book at its start. */
    sampling: z.enum(['average', 'start']).default('average'),
  }),
);

export interface BookSummary {
  id: string;
  symbol: string;
  date: string; // YYYY-MM-DD, session date
  fileName: string;
  sha256: string;
  rows: number;
  usableRows: number;
  /** Malformed rows skipped (wrong field count, unparsable number or timestamp). */
  skippedRows: number;
  /** First line numbers (1-based, header = line 1) of bad rows, at most 20. */
  badRowLines: number[];
  /** Rows without a best bid or a best ask (skipped). */
  oneSidedRows: number;
  /** Rows with best bid ≥ best ask, crossed or locked (skipped). */
  crossedRows: number;
  periods: number;
  periodMinutes: number;
  sessionStart: string; // "09:30"
  sessionEnd: string;
  timeZone: string;
  /** Periods with no usable book (cap 0). */
  emptyPeriods: number[];
  medianSpread: number | null;
  medianBidDepth: number | null;
  medianAskDepth: number | null;
  importedAt: string;
  /** Sampling, coverage, volume, σ, arrival price; several days averaged: the days. */
  stats: BookStats;
}

export interface PowerFit {
  beta: number;
  exponent: number;
  r2: number;
  points: number;
}

export interface BookDetail extends BookSummary {
  /** One entry per period (null fields where the period has no book). */
  series: BookPeriod[];
  /** Per-period ladders [offset, size], cheapest first, for each side. */
  ladders: { buy: [number, number][][]; sell: [number, number][][] };
  /** Fitted g ≈ β·x^α, pooled over the day, per side; per-period fits (null where unfit). */
  fit: {
    buy: { pooled: PowerFit | null; perPeriod: (PowerFit | null)[] };
    sell: { pooled: PowerFit | null; perPeriod: (PowerFit | null)[] };
  };
}

/** One schedule walked through a day's books. All costs in price units × shares. */
export interface ReplayRow {
  label: string;
  shares: number;
  /** Σ over periods of the walk cost of x_t through the book in effect when it is sent
   *  (offsets from that book's mid): the replayed impact cost, comparable to the plan's. */
  impactCost: number;
  /** Implementation shortfall against the arrival mid: impact cost plus side × Σ x_t (mid_t − arrival). */
  shortfall: number | null;
  /** Shares sent beyond the visible depth (priced at the deepest visible level: a lower bound). */
  beyondBook: number;
  /** Shares in periods with no book at all (not priced). */
  noBook: number;
  /** Per period: shares, walk cost, mid when sent (null: no book). */
  periods: { shares: number; cost: number; mid: number | null }[];
}

export interface Replay {
  id: string;
  symbol: string;
  date: string;
  fileName: string;
  side: 'buy' | 'sell';
  periods: number;
  arrivalMid: number | null;
  rows: ReplayRow[];
}

export type ProgressEvent = {
  op: 'solve' | 'frontier' | 'importBook';
  /** 0..1 */
  fraction: number;
  message?: string;
};

// ---------------------------------------------------------------------------------------
// Operations: input schemas

/** How a schedule CSV is written (see csv.ts): the trade date its times fall on, full precision. */
const csvOptions = memo(() => ({
  /** The trading day "YYYY-MM-DD" (default: today in the session's time zone). */
  date: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'must be a date YYYY-MM-DD')
    .refine(isCalendarDate, 'is not a day of the calendar')
    .optional(),
  /** Full precision (12 significant digits) instead of rounded shares, prices and bps. */
  raw: z.boolean().optional(),
}));
const exportScheduleInput = () =>
  z.union([
    z.object({ id, ...csvOptions() }),
    z.object({
      plan: PlanSchema,
      result: ResultInputSchema,
      ...csvOptions(),
      /** When the result was computed (ISO 8601), for the header block. */
      solvedAt: z.iso.datetime({ offset: true }).optional(),
      /** The result belongs to an older version of the form: the header block says so. */
      stale: z.boolean().optional(),
    }),
  ]);

/** Each operation's input schema, built when it is first read (lazyRecord). */
const inputBuilders = {
  /** curve: also return the cost-by-size curve C(N, s) (sampled to at most ~1,000 sizes). */
  solve: () => z.object({ plan: PlanSchema, curve: z.boolean().default(false) }),
  /**
   * The cost-by-size curve of a plan on its own (about a thousand sampled sizes), as `solve`
   * with curve would return it. The window asks for it once the solve's schedule is shown; a
   * newer solve discards it, cancelSolve stops it.
   */
  costCurve: () => z.object({ plan: PlanSchema }),
  /** The efficient frontier: `points` exact solves over λ from 0 to "trade now" (cancel: cancelSolve). */
  frontier: () =>
    z.object({
      plan: PlanSchema,
      points: z
        .number()
        .int('must be a whole number')
        .min(3, 'must be at least 3')
        .max(60, 'must be at most 60')
        .default(25),
    }),
  cancelSolve: () => z.object({}),
  /** baseRevision: the revision the plan was edited from; a newer stored one is a 'conflict'. */
  savePlan: () =>
    z.object({
      plan: PlanSchema,
      id: id.optional(),
      result: ResultInputSchema.optional(),
      baseRevision: z.number().int().positive('must be greater than 0').optional(),
    }),
  listPlans: () =>
    z.object({
      query: z.string().max(200).optional(),
      /** At most this many plans, newest change first (default and maximum 1000). */
      limit: z.number().int().positive('must be greater than 0').max(1000).optional(),
    }),
  getPlan: () =>
    z.object({
      id,
      revision: z
        .number()
        .int('must be a whole number')
        .positive('must be greater than 0')
        .optional(),
    }),
  renamePlan: () =>
    z.object({
      id,
      name: z
        .string()
        .trim()
        .min(1, 'must not be empty')
        .max(200, 'must be at most 200 characters'),
    }),
  duplicatePlan: () => z.object({ id }),
  deletePlan: () => z.object({ id }),
  listRevisions: () => z.object({ id }),
  exportScheduleCsv: exportScheduleInput,
  /** text: the file's content (browser mode); file: an opaque reference to a file the
   *  operating system handed the desktop app (never a path); with neither, Electron shows an
   *  open dialog. */
  importPlanFile: () =>
    z.object({
      text: z.string().max(50_000_000).optional(),
      file: z.string().min(1).max(4096).optional(),
      fileName: z.string().max(500).optional(),
    }),
  exportPlanFile: () => z.union([z.object({ id }), z.object({ plan: PlanSchema })]),
  /** The report on screen as a PDF (Electron: printToPDF and a save dialog; browser mode:
   *  the browser's print dialog). name: the plan's name, for the suggested file name. */
  exportReportPdf: () =>
    z.object({
      name: z.string().max(200).default('plan'),
      pageSize: z.enum(REPORT_PAGE_SIZES).default('A4'),
    }),
  appInfo: () => z.object({}),
  /** file: an opaque reference from `stageFile` (never a path); without it Electron shows an
   *  open dialog. */
  importBook: () =>
    z
      .object({
        file: z.string().min(1).max(4096).optional(),
        fileName: z.string().max(500).optional(),
      })
      .extend(ImportBookOptionsSchema.shape),
  cancelImport: () => z.object({}),
  listBooks: () => z.object({}),
  getBook: () => z.object({ id }),
  deleteBook: () => z.object({ id }),
  /** Build a plan from an imported book: exact `book` model, or the fitted power law. */
  bookPlan: () =>
    z
      .object({
        id,
        shares: shareCount,
        side: z.enum(['buy', 'sell']),
        lotSize: shareCount.default(1),
        fit: z.boolean().default(false),
        /** The cost model: calibrated (from the days' spreads, volumes and σ), the exact book,
         *  or the fitted power law; absent: the power law with `fit`, else calibrated (the exact
         *  book, said in the notes, when the dataset cannot be calibrated). */
        model: z.enum(['calibrated', 'book', 'power']).optional(),
        name: z.string().max(200).optional(),
        /** Clock time HH:MM whose mid is the reference (arrival) price; default the first mid
         *  inside the session. */
        arrival: z
          .string()
          .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a clock time HH:MM')
          .optional(),
        /** Cap on each child order as a fraction of its period's expected volume (0 < f ≤ 1);
         *  absent: the default for plans made from data (book/source.ts DEFAULT_MAX_PARTICIPATION);
         *  null: no cap. */
        maxParticipation: z
          .number({ error: 'must be a number' })
          .positive('must be greater than 0')
          .max(1, 'must be at most 1 (100%)')
          .nullable()
          .optional(),
      })
      // Only sizes that passed their own checks: a lot size past the limit is not also "not a
      // divisor" of the shares.
      .refine(
        (p) => !isShareCount(p.shares) || !isShareCount(p.lotSize) || p.shares % p.lotSize === 0,
        {
          path: ['shares'],
          error: (issue) => {
            const p = issue.input as { shares: number; lotSize: number };
            return `must be a multiple of the lot size ${p.lotSize} (got ${p.shares})`;
          },
        },
      ),
  /** Average several imported days of one symbol (same periods and session) into one dataset. */
  averageBooks: () =>
    z.object({
      ids: z.array(id).min(2, 'needs at least two days').max(250, 'at most 250 days'),
    }),
  /** Walk each schedule through a day's real books (the book in effect when a child order is sent). */
  replayBook: () =>
    z.object({
      id,
      side: z.enum(['buy', 'sell']),
      schedules: z
        .array(
          z.object({
            label: z.string().min(1).max(100),
            shares: z.array(z.number().nonnegative('must be 0 or more').finite()).max(1_000_000),
          }),
        )
        .min(1, 'needs at least one schedule')
        .max(50),
    }),
  /**
   * Out-of-sample validation over imported single days of one symbol (docs/orderbook.md,
   * Validation): plan from the other days (or the earlier ones) and replay on each day.
   */
  validateBooks: () =>
    z
      .object({
        ids: z
          .array(id)
          .min(2, 'needs at least two days of one symbol')
          .max(250, 'at most 250 days'),
        shares: shareCount,
        side: z.enum(['buy', 'sell']),
        lotSize: shareCount.default(1),
        model: z.enum(['calibrated', 'book', 'power']).default('calibrated'),
        mode: z.enum(['leave-one-out', 'walk-forward']).default('leave-one-out'),
        recoveryHalfLifeSeconds: z
          .number()
          .nonnegative('must be 0 or more seconds')
          .max(86_400, 'must be at most 86,400 seconds (a day)')
          .default(0),
      })
      .refine(
        (p) => !isShareCount(p.shares) || !isShareCount(p.lotSize) || p.shares % p.lotSize === 0,
        {
          path: ['shares'],
          error: (issue) => {
            const p = issue.input as { shares: number; lotSize: number };
            return `must be a multiple of the lot size ${p.lotSize} (got ${p.shares})`;
          },
        },
      ),
} as const satisfies Record<OpName, () => z.ZodType>;

/** Each operation's input schema: `contractInputs.solve.safeParse(…)`; built on first read. */
export const contractInputs = lazyRecord(inputBuilders);

export { OP_NAMES, MENU_COMMANDS, type OpName, type MenuCommand };

/** What the caller passes (defaults not applied). */
export type OpInput<K extends OpName> = z.input<(typeof contractInputs)[K]>;
/** What the handler receives (parsed, defaults applied). */
export type OpParsed<K extends OpName> = z.output<(typeof contractInputs)[K]>;

export interface OpOutputs {
  /** Columnar: one array per column (src-shared/resultColumns.ts). */
  solve: SolveResultColumns;
  costCurve: CostCurve;
  frontier: Frontier;
  cancelSolve: { cancelled: boolean };
  savePlan: { id: string; revision: number };
  listPlans: PlanSummary[];
  getPlan: StoredPlan;
  /** Renaming adds a revision (the latest's plan under the new name). */
  renamePlan: { id: string; revision: number };
  duplicatePlan: { id: string };
  deletePlan: { id: string };
  listRevisions: RevisionSummary[];
  exportScheduleCsv: ExportedFile;
  importPlanFile: { id: string; plan: Plan } | { cancelled: true };
  exportPlanFile: ExportedFile;
  exportReportPdf: ExportedReport;
  appInfo: AppInfo;
  importBook: BookSummary | { cancelled: true };
  cancelImport: { cancelled: boolean };
  listBooks: BookSummary[];
  getBook: BookDetail;
  deleteBook: { id: string };
  bookPlan: Plan;
  averageBooks: BookSummary;
  replayBook: Replay;
  validateBooks: ValidationReport;
}
export type OpOutput<K extends OpName> = OpOutputs[K];

// Compile-time check: every operation has an output type and vice versa.
type _SameKeys = [OpName] extends [keyof OpOutputs & keyof typeof contractInputs]
  ? [keyof OpOutputs | keyof typeof contractInputs] extends [OpName]
    ? true
    : never
  : never;
export const CONTRACT_COMPLETE: _SameKeys = true;

/** The backend's handler object. Handlers may throw PlannerError; the wrapper converts. */
export type Services = {
  [K in OpName]: (input: OpParsed<K>) => Promise<OpOutput<K>> | OpOutput<K>;
};

/** What the window sees as `window.planner`. */
export type PlannerApi = {
  [K in OpName]: (input: OpInput<K>) => Promise<Result<OpOutput<K>>>;
} & {
  /** Subscribe to progress of solves and imports; returns the unsubscribe function. */
  onProgress(listener: (event: ProgressEvent) => void): () => void;
  /** Make a dropped/picked file usable by `importBook`: an opaque id (Electron: main keeps the
   *  path; browser mode: an upload). */
  stageFile(file: File): Promise<Result<{ ref: string }>>;
  /** Subscribe to application-menu commands (Electron); browser mode has no app menu, so
   *  the subscription never fires there (keyboard shortcuts are the window's own). */
  onMenuCommand(listener: (command: MenuCommand) => void): () => void;
  /** Subscribe to plan files the operating system asks the desktop app to open (a double
   *  click in the file manager, a path on the command line): the files opened before the
   *  window listened come at once, later ones as they come. Each is an opaque reference for
   *  `importPlanFile({ file })`. Browser mode never fires it. */
  onOpenPlanFile(listener: (file: OpenedPlanFile) => void): () => void;
};

/** A plan file the operating system handed the desktop app: its reference and file name. */
export interface OpenedPlanFile {
  ref: string;
  fileName: string;
}

/** Parse an operation's input from unknown; the error names the field. */
export function parseInput<K extends OpName>(op: K, raw: unknown): Result<OpParsed<K>> {
  const schema = contractInputs[op] as unknown as z.ZodType<OpParsed<K>>;
  const r = schema.safeParse(raw ?? {});
  return r.success ? { ok: true, value: r.data } : { ok: false, error: inputError(r.error) };
}

/**
 * The one conversion of a thrown value into the error half of the union: a PlannerError
 * keeps its code and message; anything else is 'internal', its message after `what` (never a
 * stack trace). Every transport (IPC, HTTP, the worker processes) goes through here.
 */
export function toApiError(e: unknown, what = 'unexpected error'): ApiError {
  if (e instanceof PlannerError) return { code: e.code, message: e.message };
  return { code: 'internal', message: `${what}: ${e instanceof Error ? e.message : String(e)}` };
}

/** Run a handler and turn any throw into the error half of the union (toApiError). */
export async function runHandler<T>(fn: () => Promise<T> | T): Promise<Result<T>> {
  try {
    return { ok: true, value: await fn() };
  } catch (e) {
    return { ok: false, error: toApiError(e) };
  }
}

function isShareCount(n: number): boolean {
  return shareCount.safeParse(n).success;
}
