/**
 * Plan storage: the only SQL that touches the plans tables. Functions take the db first;
 * statements are prepared once per connection with named parameters; every multi-statement
 * write runs in one transaction, so a crash mid-save leaves either the old or the new plan.
 * Every exported function maps SQLite errors to PlannerError('storage') (see errors.ts);
 * write transactions start IMMEDIATE, so waiting for another writer's lock is bounded by the
 * busy timeout instead of failing halfway through a transaction.
 * A stored row that no longer reads back damages only itself: its plan is a clear 'storage'
 * error naming it, its result is dropped, and the list and every other plan stay usable.
 */
import { randomUUID } from 'node:crypto';
import {
  PlannerError,
  type PlanSummary,
  type RevisionSummary,
  type StoredPlan,
} from '@shared/contract';
import { copyName, parsePlan, type Plan } from '@shared/plan';
import { columnSum, type SolveResultColumns } from '@shared/resultColumns';
import type { Db } from './db';
import { storageCall } from './errors';
import { VerifiedBlobs } from './resultBlob';
import { encodeResult, encodeResultFormat3, readResult } from './resultFormat';

export { encodeResult, encodeResultFormat3, readResult };

/** Default and largest number of plans one list call returns. */
export const LIST_LIMIT = 1000;

interface HeadRow {
  id: string;
  name: string;
  symbol: string;
  side: 'buy' | 'sell';
  shares: number;
  created_at: string;
  updated_at: string;
  revision: number;
  plan_json: string;
  /** The stored text's bytes (read with CAST … AS BLOB: no string is made of them). */
  result_json: Buffer | null;
  total_cost: number | null;
}

type SummaryRow = Omit<HeadRow, 'plan_json' | 'result_json'>;

interface RevisionRow {
  revision: number;
  saved_at: string;
  name: string;
  shares: number;
  plan_json: string;
  result_json: Buffer | null;
  total_cost: number | null;
}

const SUMMARY_COLUMNS =
  'id, name, symbol, side, shares, created_at, updated_at, revision, total_cost';

function prepare(db: Db) {
  return {
    head: db.prepare<{ id: string }, HeadRow>(
      `SELECT ${SUMMARY_COLUMNS}, plan_json, CAST(result_json AS BLOB) AS result_json
       FROM plans WHERE id = :id`,
    ),
    revision: db.prepare<{ id: string; revision: number }, RevisionRow>(
      `SELECT revision, saved_at, name, shares, plan_json, total_cost,
              CAST(result_json AS BLOB) AS result_json
       FROM plan_revisions WHERE plan_id = :id AND revision = :revision`,
    ),
    list: db.prepare<{ limit: number }, SummaryRow>(
      `SELECT ${SUMMARY_COLUMNS} FROM plans ORDER BY updated_at DESC LIMIT :limit`,
    ),
    search: db.prepare<{ pattern: string; limit: number }, SummaryRow>(
      `SELECT ${SUMMARY_COLUMNS} FROM plans
       WHERE name LIKE :pattern ESCAPE '\\' OR symbol LIKE :pattern ESCAPE '\\'
       ORDER BY updated_at DESC LIMIT :limit`,
    ),
    insertHead: db.prepare(
      `INSERT INTO plans (id, name, symbol, side, shares, created_at, updated_at, revision,
                          plan_json, result_json, total_cost)
       VALUES (:id, :name, :symbol, :side, :shares, :now, :now, :revision,
               :planJson, :resultJson, :totalCost)`,
    ),
    updateHead: db.prepare(
      `UPDATE plans SET name = :name, symbol = :symbol, side = :side, shares = :shares,
              updated_at = :now, revision = :revision, plan_json = :planJson,
              result_json = :resultJson, total_cost = :totalCost
       WHERE id = :id`,
    ),
    insertRevision: db.prepare(
      `INSERT INTO plan_revisions (plan_id, revision, saved_at, name, shares, plan_json,
                                   result_json, total_cost)
       VALUES (:id, :revision, :now, :name, :shares, :planJson, :resultJson, :totalCost)`,
    ),
    revisions: db.prepare<{ id: string }, RevisionRow>(
      `SELECT revision, saved_at, name, shares, total_cost FROM plan_revisions
       WHERE plan_id = :id ORDER BY revision DESC`,
    ),
    remove: db.prepare<{ id: string }>('DELETE FROM plans WHERE id = :id'),
  };
}

type Statements = ReturnType<typeof prepare> & {
  /** Results whose hash matched, by row (see VerifiedBlobs). */
  verified: VerifiedBlobs;
  /** The last few plans read back, by revision: the stored text and the plan it parsed to. */
  plans: Map<string, { json: string; plan: Plan }>;
};
const cache = new WeakMap<Db, Statements>();

function statements(db: Db): Statements {
  let s = cache.get(db);
  if (!s) {
    s = { ...prepare(db), verified: new VerifiedBlobs(), plans: new Map() };
    cache.set(db, s);
  }
  return s;
}

/** Plans kept parsed per connection (a 100,000-period plan: about 2 MB with its text). */
const PARSED_PLANS = 4;

let lastStamp = 0;
/** ISO-8601 UTC, strictly increasing within this process so "last changed" order is stable. */
export function timestamp(now: number = Date.now()): string {
  lastStamp = Math.max(now, lastStamp + 1);
  return new Date(lastStamp).toISOString();
}

function notFound(id: string): PlannerError {
  return new PlannerError('not_found', `No saved plan with id ${id}.`);
}

/** A save to a plan that is no longer stored (deleted, e.g. from another window). */
function planGone(name: string): PlannerError {
  return new PlannerError(
    'plan_gone',
    `The saved plan "${name}" no longer exists (it was deleted, perhaps in another window): save it as a new plan to keep it.`,
  );
}

function writeRevision(
  s: Statements,
  id: string,
  revision: number,
  plan: Plan,
  result: SolveResultColumns | null,
  now: string,
  isNew: boolean,
): void {
  const row = {
    id,
    revision,
    now,
    name: plan.name,
    symbol: plan.symbol,
    side: plan.side,
    shares: plan.shares,
    planJson: JSON.stringify(plan),
    resultJson: result ? encodeResult(result) : null,
    totalCost: result ? result.totalCost : null,
  };
  if (isNew) s.insertHead.run(row);
  else s.updateHead.run(row);
  s.insertRevision.run(row);
}

export interface SaveInput {
  plan: Plan;
  /** Update this plan (a new revision); without it a new plan is created. */
  id?: string;
  /** The result of solving exactly this plan; a changed plan without one stores none. */
  result?: SolveResultColumns | null;
  /**
   * With `id`: the stored revision the plan was edited from. When the stored latest is newer
   * (another window saved or renamed it since), the save is refused with 'conflict' and
   * nothing is written; without it the save always becomes the next revision.
   */
  baseRevision?: number;
}

/**
 * Create or update a plan; every save adds a revision and keeps the earlier ones, so even a
 * save that overrides a newer revision (a conflict the user chose to overwrite) keeps it in
 * the history. A save to an id that no longer exists is refused with 'plan_gone'.
 */
export function savePlan(db: Db, input: SaveInput): { id: string; revision: number } {
  if (input.result) checkResultFits(input.plan, input.result);
  return storageCall(db, 'save the plan', () => save(db, input));
}

function save(db: Db, input: SaveInput): { id: string; revision: number } {
  const s = statements(db);
  return db
    .transaction(() => {
      const now = timestamp();
      if (input.id === undefined) {
        const id = randomUUID();
        writeRevision(s, id, 1, input.plan, input.result ?? null, now, true);
        return { id, revision: 1 };
      }
      const head = s.head.get({ id: input.id });
      if (!head) throw planGone(input.plan.name);
      if (input.baseRevision !== undefined && head.revision > input.baseRevision) {
        throw new PlannerError(
          'conflict',
          `"${head.name}" was saved elsewhere since revision ${input.baseRevision} was opened: the latest is revision ${head.revision}.`,
        );
      }
      const revision = head.revision + 1;
      writeRevision(s, input.id, revision, input.plan, input.result ?? null, now, false);
      return { id: input.id, revision };
    })
    .immediate();
}

/** The latest revision, or the given one. */
export function getPlan(db: Db, id: string, revision?: number): StoredPlan {
  return storageCall(db, 'open the plan', () => readStored(db, id, revision));
}

function readStored(db: Db, id: string, revision?: number): StoredPlan {
  const s = statements(db);
  const head = s.head.get({ id });
  if (!head) throw notFound(id);
  let planJson = head.plan_json;
  let resultJson = head.result_json;
  let updatedAt = head.updated_at;
  let name = head.name;
  if (revision !== undefined && revision !== head.revision) {
    const rev = s.revision.get({ id, revision });
    if (!rev) {
      throw new PlannerError(
        'not_found',
        `Plan ${head.name} has no revision ${revision} (latest is ${head.revision}).`,
      );
    }
    planJson = rev.plan_json;
    resultJson = rev.result_json;
    updatedAt = rev.saved_at;
    name = rev.name;
  }
  const which = { id, name, revision: revision ?? head.revision, revisions: head.revision };
  const key = `${id}@${which.revision}`;
  const stored: StoredPlan = {
    id,
    plan: parsedPlan(s, key, which, planJson),
    revision: revision ?? head.revision,
    latestRevision: head.revision,
    createdAt: head.created_at,
    updatedAt,
  };
  const result = resultJson === null ? null : readResult(resultJson, { cache: s.verified, key });
  if (result) stored.result = result;
  return stored;
}

/** Sorted by last change, newest first; `query` matches name or symbol (case-insensitive). */
export function listPlans(db: Db, options: { query?: string; limit?: number } = {}): PlanSummary[] {
  const limit = Math.min(Math.max(1, Math.trunc(options.limit ?? LIST_LIMIT)), LIST_LIMIT);
  const query = options.query?.trim() ?? '';
  return storageCall(db, 'list the saved plans', () => {
    const s = statements(db);
    const rows = query
      ? s.search.all({ pattern: `%${escapeLike(query)}%`, limit })
      : s.list.all({ limit });
    return rows.map(toSummary);
  });
}

/**
 * Rename the latest revision: a new revision with the new name and the latest's plan and
 * result (the history records the rename, and another window's save based on the earlier
 * revision is refused as a conflict instead of silently taking the old name back).
 */
export function renamePlan(db: Db, id: string, name: string): { id: string; revision: number } {
  return storageCall(db, 'rename the plan', () =>
    db
      .transaction(() => {
        const current = getPlan(db, id);
        return savePlan(db, {
          id,
          plan: { ...current.plan, name },
          result: current.result ?? null,
        });
      })
      .immediate(),
  );
}

export function duplicatePlan(db: Db, id: string): { id: string } {
  return storageCall(db, 'duplicate the plan', () =>
    db
      .transaction(() => {
        const current = getPlan(db, id);
        const name = copyName(current.plan.name);
        const { id: newId } = savePlan(db, {
          plan: { ...current.plan, name },
          result: current.result ?? null,
        });
        return { id: newId };
      })
      .immediate(),
  );
}

export function deletePlan(db: Db, id: string): { id: string } {
  return storageCall(db, 'delete the plan', () => {
    const info = statements(db).remove.run({ id });
    if (info.changes === 0) throw notFound(id);
    return { id };
  });
}

export function listRevisions(db: Db, id: string): RevisionSummary[] {
  return storageCall(db, "list the plan's revisions", () => {
    const s = statements(db);
    if (!s.head.get({ id })) throw notFound(id);
    return s.revisions.all({ id }).map((r) => ({
      revision: r.revision,
      savedAt: r.saved_at,
      name: r.name,
      shares: r.shares,
      totalCost: r.total_cost,
    }));
  });
}

function toSummary(r: SummaryRow): PlanSummary {
  return {
    id: r.id,
    name: r.name,
    symbol: r.symbol,
    side: r.side,
    shares: r.shares,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    revision: r.revision,
    totalCost: r.total_cost,
  };
}

/** JSON.parse that answers undefined for text that is not JSON (a damaged row). */
function parseStored(json: string): unknown {
  try {
    return JSON.parse(json) as unknown;
  } catch {
    return undefined;
  }
}

interface WhichPlan {
  id: string;
  name: string;
  revision: number;
  /** The plan's latest revision number (how many it has). */
  revisions: number;
}

/**
 * `readPlan`, or the plan this same text parsed to when this revision was last read: a stored
 * revision's text never changes, and the same text parses to the same plan (checking a
 * 100,000-period plan's volume profile again costs tens of milliseconds). A plan read back is
 * never changed in place (callers copy it: renamePlan, duplicatePlan).
 */
function parsedPlan(s: Statements, key: string, which: WhichPlan, json: string): Plan {
  const known = s.plans.get(key);
  if (known && known.json === json) return known.plan;
  const plan = readPlan(which, json);
  s.plans.delete(key);
  s.plans.set(key, { json, plan });
  for (const k of s.plans.keys()) {
    if (s.plans.size <= PARSED_PLANS) break;
    s.plans.delete(k);
  }
  return plan;
}

function readPlan(which: WhichPlan, json: string): Plan {
  const raw = parseStored(json);
  // The one upgrade path of plan files applies to saved plans too.
  const r = raw === undefined ? null : parsePlan(raw);
  if (r?.ok) return r.value;
  const why = r ? r.errors.slice(0, 3).join('; ') : 'not readable JSON';
  const others =
    which.revisions > 1
      ? "its other revisions can still be opened from the plan's history"
      : 'it has no other revision: delete it to remove it from the list';
  throw new PlannerError(
    'storage',
    `The saved plan "${which.name}" (id ${which.id}, revision ${which.revision}) is damaged and cannot be opened (${why}); ${others}.`,
  );
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * A result saved with a plan must be that plan's: a schedule of another size would later be
 * exported as this plan's schedule. O(N).
 */
function checkResultFits(plan: Plan, result: SolveResultColumns): void {
  const rows = result.schedule.length;
  const shares = columnSum(result.schedule.shares);
  if (rows !== plan.periods || shares !== plan.shares) {
    throw new PlannerError(
      'invalid_input',
      `result: belongs to another plan (${rows} periods, ${shares} shares; this plan has ${plan.periods} periods, ${plan.shares} shares): solve the plan again before saving`,
    );
  }
}
