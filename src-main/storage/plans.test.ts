import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PlannerError } from '@shared/contract';
import { toColumns } from '@shared/resultColumns';
import { samplePlan, sampleColumns, sampleResult } from '../testing/plans';
import { openDatabase, type Db } from './db';
import {
  deletePlan,
  duplicatePlan,
  encodeResult,
  encodeResultFormat3,
  getPlan,
  listPlans,
  listRevisions,
  readResult,
  renamePlan,
  savePlan,
} from './plans';

let db: Db;
beforeEach(() => {
  db = openDatabase(':memory:').db;
});
afterEach(() => db.close());

/** The head row's stored result, as its bytes. */
function storedResult(id: string): Buffer {
  return (
    db.prepare('SELECT CAST(result_json AS BLOB) AS r FROM plans WHERE id = ?').get(id) as {
      r: Buffer;
    }
  ).r;
}

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof PlannerError ? e.code : 'not a PlannerError';
  }
  return undefined;
}

describe('plans storage', () => {
  it('result-of-another-plan-saved: a result whose schedule does not fit the plan is refused', () => {
    // A 5,000-share plan used to be saved with a 1,000-share result, later exported as its CSV.
    const plan = samplePlan();
    const other = samplePlan({ shares: 5000, periods: 4 });
    const { id } = savePlan(db, { plan, result: sampleColumns(plan) });
    expect(() => savePlan(db, { plan: other, id, result: sampleColumns(plan) })).toThrow(
      /^result: belongs to another plan \(5 periods, 1000 shares; this plan has 4 periods, 5000 shares\)/,
    );
    expect(code(() => savePlan(db, { plan: other, result: sampleColumns(plan) }))).toBe(
      'invalid_input',
    );
    // Nothing was written: the plan keeps its one revision and its own result.
    expect(listRevisions(db, id)).toHaveLength(1);
    expect(getPlan(db, id).result).toEqual(sampleColumns(plan));
  });

  it('creates a plan and reads it back with its result', () => {
    const plan = samplePlan();
    const result = sampleColumns(plan, 42);
    const { id, revision } = savePlan(db, { plan, result });
    expect(revision).toBe(1);
    const stored = getPlan(db, id);
    expect(stored.plan).toEqual(plan);
    expect(stored.result).toEqual(result);
    expect(stored.revision).toBe(1);
    expect(stored.createdAt).toBe(stored.updatedAt);
    expect(listPlans(db)).toEqual([
      expect.objectContaining({
        id,
        name: 'Buy AAPL',
        symbol: 'AAPL',
        side: 'buy',
        shares: 1000,
        totalCost: 42,
      }),
    ]);
  });

  it('every save keeps the previous revision; a revision can be reopened', () => {
    const v1 = samplePlan({ shares: 1000 });
    const { id } = savePlan(db, { plan: v1, result: sampleColumns(v1, 10) });
    const v2 = samplePlan({ shares: 2000, name: 'Bigger' });
    expect(savePlan(db, { id, plan: v2 })).toEqual({ id, revision: 2 });
    const head = getPlan(db, id);
    expect(head.plan.shares).toBe(2000);
    expect(head.result).toBeUndefined(); // a changed plan without a result stores none
    const revs = listRevisions(db, id);
    expect(revs.map((r) => [r.revision, r.name, r.shares, r.totalCost])).toEqual([
      [2, 'Bigger', 2000, null],
      [1, 'Buy AAPL', 1000, 10],
    ]);
    const old = getPlan(db, id, 1);
    expect(old.plan).toEqual(v1);
    expect(old.result?.totalCost).toBe(10);
    expect(old.revision).toBe(1);
    expect(code(() => getPlan(db, id, 7))).toBe('not_found');
  });

  it('renames (a new revision keeping the result) and duplicates', () => {
    const plan = samplePlan();
    const { id } = savePlan(db, { plan, result: sampleColumns(plan, 5) });
    expect(renamePlan(db, id, 'Renamed')).toEqual({ id, revision: 2 });
    expect(getPlan(db, id).plan.name).toBe('Renamed');
    expect(getPlan(db, id).result?.totalCost).toBe(5);
    const { id: copy } = duplicatePlan(db, id);
    expect(copy).not.toBe(id);
    const dup = getPlan(db, copy);
    expect(dup.plan.name).toBe('Renamed (copy)');
    expect(dup.revision).toBe(1);
    expect(dup.result?.totalCost).toBe(5);
    expect(listPlans(db).map((p) => p.id)).toEqual([copy, id]);
  });

  it('lists newest change first and searches name or symbol, case-insensitive, literal', () => {
    const a = savePlan(db, { plan: samplePlan({ name: 'Morning MSFT', symbol: 'MSFT' }) }).id;
    const b = savePlan(db, { plan: samplePlan({ name: '100% fill_test', symbol: 'IBM' }) }).id;
    const c = savePlan(db, { plan: samplePlan({ name: 'Close', symbol: 'AAPL' }) }).id;
    expect(listPlans(db).map((p) => p.id)).toEqual([c, b, a]);
    savePlan(db, { id: a, plan: samplePlan({ name: 'Morning MSFT v2', symbol: 'MSFT' }) });
    expect(listPlans(db).map((p) => p.id)).toEqual([a, c, b]);
    expect(listPlans(db, { query: 'msft' }).map((p) => p.id)).toEqual([a]);
    expect(listPlans(db, { query: 'aapl' }).map((p) => p.id)).toEqual([c]);
    expect(listPlans(db, { query: '%' }).map((p) => p.id)).toEqual([b]);
    expect(listPlans(db, { query: 'l%t' })).toEqual([]); // % is literal, not a wildcard
    expect(listPlans(db, { query: 'g_m' })).toEqual([]); // _ too ("Morning" would match)
    expect(listPlans(db, { query: 'fill_' }).map((p) => p.id)).toEqual([b]);
    expect(listPlans(db, { query: '   ' }).length).toBe(3);
    expect(listPlans(db, { limit: 2 }).length).toBe(2);
  });

  it('deletes a plan with its revisions; unknown ids are not_found', () => {
    const { id } = savePlan(db, { plan: samplePlan() });
    savePlan(db, { id, plan: samplePlan({ name: 'again' }) });
    expect(deletePlan(db, id)).toEqual({ id });
    expect(listPlans(db)).toEqual([]);
    expect(db.prepare('SELECT count(*) AS n FROM plan_revisions').get()).toEqual({ n: 0 });
    expect(code(() => getPlan(db, id))).toBe('not_found');
    expect(code(() => deletePlan(db, id))).toBe('not_found');
    expect(code(() => listRevisions(db, id))).toBe('not_found');
    expect(code(() => renamePlan(db, id, 'x'))).toBe('not_found');
    expect(code(() => duplicatePlan(db, id))).toBe('not_found');
    // A save to a deleted plan has its own code: the window offers Save As.
    expect(code(() => savePlan(db, { id, plan: samplePlan() }))).toBe('plan_gone');
    expect(() => savePlan(db, { id, plan: samplePlan() })).toThrow(
      /^The saved plan "Buy AAPL" no longer exists .*save it as a new plan/,
    );
  });

  it('save-conflict-lost-version: a save based on an older revision than the latest is refused; overwriting keeps both', () => {
    const v1 = samplePlan({ shares: 1000 });
    const { id } = savePlan(db, { plan: v1 });
    // Window B saves revision 2 while window A still edits revision 1.
    const b = samplePlan({ shares: 2000, name: 'From B' });
    expect(savePlan(db, { id, plan: b, baseRevision: 1 })).toEqual({ id, revision: 2 });
    const a = samplePlan({ shares: 3000, name: 'From A' });
    expect(code(() => savePlan(db, { id, plan: a, baseRevision: 1 }))).toBe('conflict');
    expect(() => savePlan(db, { id, plan: a, baseRevision: 1 })).toThrow(
      '"From B" was saved elsewhere since revision 1 was opened: the latest is revision 2.',
    );
    // Nothing was written.
    expect(listRevisions(db, id)).toHaveLength(2);
    expect(getPlan(db, id).plan.shares).toBe(2000);
    // Overwrite: based on the latest it becomes revision 3; B's revision stays in the history.
    expect(savePlan(db, { id, plan: a, baseRevision: 2 })).toEqual({ id, revision: 3 });
    expect(listRevisions(db, id).map((r) => [r.revision, r.name, r.shares])).toEqual([
      [3, 'From A', 3000],
      [2, 'From B', 2000],
      [1, 'Buy AAPL', 1000],
    ]);
    expect(getPlan(db, id, 2).plan).toEqual(b);
    // A rename elsewhere is a new revision too: a save based on the one before conflicts.
    renamePlan(db, id, 'Renamed in B');
    expect(code(() => savePlan(db, { id, plan: a, baseRevision: 3 }))).toBe('conflict');
  });

  it('saved-marker-vs-stored-revision: an older revision reads back with the latest revision number', () => {
    const { id } = savePlan(db, { plan: samplePlan({ shares: 1000 }) });
    savePlan(db, { id, plan: samplePlan({ shares: 1200 }) });
    expect(getPlan(db, id, 1)).toMatchObject({ revision: 1, latestRevision: 2 });
    expect(getPlan(db, id)).toMatchObject({ revision: 2, latestRevision: 2 });
  });

  it('a failed save leaves nothing behind (one transaction)', () => {
    const { id } = savePlan(db, { plan: samplePlan() });
    // Sabotage the second statement of the next save: the head update must roll back too.
    db.exec(`CREATE TRIGGER boom BEFORE INSERT ON plan_revisions WHEN NEW.revision = 2
             BEGIN SELECT RAISE(ABORT, 'disk on fire'); END`);
    expect(() => savePlan(db, { id, plan: samplePlan({ name: 'never' }) })).toThrow(/disk on fire/);
    expect(getPlan(db, id).plan.name).toBe('Buy AAPL');
    expect(getPlan(db, id).revision).toBe(1);
  });

  it('with 10,000 plans, listing and searching walk the updated index (no sort)', () => {
    const plan = samplePlan();
    db.transaction(() => {
      for (let i = 0; i < 10_000; i++)
        savePlan(db, { plan: { ...plan, name: `Plan ${i}`, symbol: `S${i % 500}` } });
    })();
    const plans = (sql: string) =>
      (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[])
        .map((r) => r.detail)
        .join(' | ');
    const list = plans('SELECT id FROM plans ORDER BY updated_at DESC LIMIT 1000');
    expect(list).toMatch(/SCAN plans USING INDEX plans_by_updated/);
    expect(list).not.toMatch(/TEMP B-TREE/);
    const search = plans(
      "SELECT id FROM plans WHERE name LIKE '%x%' ESCAPE '\\' OR symbol LIKE '%x%' ESCAPE '\\' ORDER BY updated_at DESC LIMIT 1000",
    );
    expect(search).toMatch(/USING INDEX plans_by_updated/);
    expect(search).not.toMatch(/TEMP B-TREE/);
    const revs = plans(
      "SELECT revision FROM plan_revisions WHERE plan_id = 'x' ORDER BY revision DESC",
    );
    expect(revs).toMatch(/SEARCH plan_revisions USING PRIMARY KEY \(plan_id=\?\)/);
    expect(revs).not.toMatch(/TEMP B-TREE/);
    expect(listPlans(db).length).toBe(1000);
    expect(listPlans(db)[0].name).toBe('Plan 9999');
    expect(listPlans(db, { query: 's499' }).length).toBe(20);
  });

  it('damaged-plan-json: one unreadable stored plan names itself; the list and other plans stay usable', () => {
    // A row cut short on disk used to make getPlan throw "Unterminated string in JSON at
    // position 11" as an internal error.
    const { id } = savePlan(db, { plan: samplePlan({ name: 'Broken' }) });
    savePlan(db, { id, plan: samplePlan({ name: 'Broken' }) });
    const { id: other } = savePlan(db, { plan: samplePlan({ name: 'Fine' }) });
    db.prepare(`UPDATE plans SET plan_json = '{"name": "Bro' WHERE id = ?`).run(id);
    let error: unknown;
    try {
      getPlan(db, id);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PlannerError);
    expect((error as PlannerError).code).toBe('storage');
    expect((error as Error).message).toBe(
      `The saved plan "Broken" (id ${id}, revision 2) is damaged and cannot be opened (not readable JSON); its other revisions can still be opened from the plan's history.`,
    );
    expect(listPlans(db).map((p) => p.name)).toEqual(['Fine', 'Broken']);
    expect(listRevisions(db, id)).toHaveLength(2);
    expect(getPlan(db, id, 1).plan.name).toBe('Broken'); // the earlier revision still opens
    expect(getPlan(db, other).plan.name).toBe('Fine');
    expect(code(() => duplicatePlan(db, id))).toBe('storage');
    expect(deletePlan(db, id)).toEqual({ id }); // and it can be deleted
  });

  it('damaged-plan-json: a stored plan that is JSON but not a plan, with no other revision, says so', () => {
    const { id } = savePlan(db, { plan: samplePlan({ name: 'Odd' }) });
    db.prepare(`UPDATE plans SET plan_json = '{"name": "Odd"}' WHERE id = ?`).run(id);
    expect(() => getPlan(db, id)).toThrow(
      new RegExp(
        `^The saved plan "Odd" \\(id ${id}, revision 1\\) is damaged and cannot be opened \\(symbol: .*; it has no other revision: delete it to remove it from the list\\.$`,
      ),
    );
  });

  it('damaged-result-json: an unreadable stored result is dropped and the plan opens without one', () => {
    const plan = samplePlan();
    const { id } = savePlan(db, { plan, result: sampleColumns(plan, 7) });
    db.prepare(`UPDATE plans SET result_json = '{"schedule": [{"per' WHERE id = ?`).run(id);
    db.prepare(`UPDATE plan_revisions SET result_json = '[]' WHERE plan_id = ?`).run(id);
    const stored = getPlan(db, id);
    expect(stored.plan).toEqual(plan);
    expect(stored.result).toBeUndefined();
    expect(getPlan(db, id, 1).result).toBeUndefined();
    expect(listPlans(db)[0].totalCost).toBe(7);
    // Renaming keeps going (there is no result to keep).
    expect(renamePlan(db, id, 'Renamed')).toEqual({ id, revision: 2 });
  });

  it('stores a result as a BLOB in the binary layout with its hash, and trusts it on reopen', () => {
    const plan = samplePlan();
    const result = sampleColumns(plan, 7);
    const { id } = savePlan(db, { plan, result });
    const blob = storedResult(id);
    expect(Buffer.isBuffer(blob)).toBe(true);
    expect(blob.toString('latin1', 0, 4)).toBe('OPR4');
    // The header names each number column's index; whole-share columns are Int32.
    const headLength = blob.readUInt32LE(4);
    const header = JSON.parse(blob.toString('utf8', 40, 40 + headLength)) as {
      result: { layout: string; schedule: { shares: unknown } };
      columns: number[];
      int32: number[];
    };
    expect(header.result).toMatchObject({ layout: 'columns', schedule: { shares: { column: 0 } } });
    expect(header.int32).toContain(0);
    const at = 40 + headLength;
    expect(Array.from(new Int32Array(blob.buffer.slice(blob.byteOffset + at), 0, 5))).toEqual([
      200, 200, 200, 200, 200,
    ]);
    expect(readResult(blob)).toEqual(result);
    expect(getPlan(db, id).result).toEqual(result);
    // Checked once, when stored: reopening checks the hash, not every field. Stored bytes
    // that match their hash are read as they are (here a cost the schema would refuse) …
    const odd = encodeResult({ ...result, totalCost: -1 });
    expect(readResult(odd)?.totalCost).toBe(-1);
  });

  it('stored-result-damaged: a result changed since it was stored (header, column or hash) is dropped', () => {
    const plan = samplePlan();
    const result = sampleColumns(plan, 7);
    const { id } = savePlan(db, { plan, result });
    const blob = storedResult(id);
    const changed = (at: number) => {
      const copy = Buffer.from(blob);
      copy[at] ^= 1;
      return copy;
    };
    const headLength = blob.readUInt32LE(4);
    const totalCostAt = blob.indexOf('"totalCost":7') + '"totalCost":'.length;
    for (const at of [totalCostAt, 40 + headLength + 3, blob.length - 1, 10]) {
      expect(readResult(changed(at))).toBeNull();
      db.prepare('UPDATE plans SET result_json = ? WHERE id = ?').run(changed(at), id);
      const stored = getPlan(db, id);
      expect(stored.plan).toEqual(plan);
      expect(stored.result).toBeUndefined();
    }
    // Cut short, or its header length changed: dropped too.
    expect(readResult(blob.subarray(0, blob.length - 8))).toBeNull();
    expect(readResult(changed(4))).toBeNull();
    // The bytes as stored still read back.
    expect(readResult(blob)).toEqual(result);
  });

  it('damaged-after-open: a result or plan changed after it was opened once is still caught on the next open', () => {
    const plan = samplePlan({ name: 'Twice' });
    const result = sampleColumns(plan, 7);
    const { id } = savePlan(db, { plan, result });
    expect(getPlan(db, id).result).toEqual(result);
    expect(getPlan(db, id).result).toEqual(result); // the same bytes: not hashed again
    const blob = storedResult(id);
    const last = Buffer.from(blob);
    last[last.length - 5] ^= 1; // inside the last column
    db.prepare('UPDATE plans SET result_json = ? WHERE id = ?').run(last, id);
    expect(getPlan(db, id).result).toBeUndefined();
    db.prepare('UPDATE plans SET result_json = ? WHERE id = ?').run(blob, id);
    expect(getPlan(db, id).result).toEqual(result);
    db.prepare(`UPDATE plans SET plan_json = '{"name": "Twice"}' WHERE id = ?`).run(id);
    expect(() => getPlan(db, id)).toThrow(/is damaged and cannot be opened/);
  });

  it('a result saved as base64 columns (format 3) by the previous version still opens', () => {
    const plan = samplePlan();
    const result = sampleColumns(plan, 7);
    const { id } = savePlan(db, { plan });
    const json = encodeResultFormat3(result);
    db.prepare('UPDATE plans SET result_json = ? WHERE id = ?').run(json, id);
    expect(getPlan(db, id).result).toEqual(result);
    // Renaming rewrites the result in the current format, the same result.
    renamePlan(db, id, 'Renamed');
    expect(getPlan(db, id).result).toEqual(result);
    expect(storedResult(id).toString('latin1', 0, 4)).toBe('OPR4');
    // A format-3 text changed since it was stored is dropped, in the header or in a column.
    const changed = json.replace('"totalCost":7', '"totalCost":8');
    expect(changed).not.toBe(json);
    expect(readResult(changed)).toBeNull();
    const at = json.indexOf('"columns":"') + 12;
    const flipped = json.slice(0, at) + (json[at] === 'A' ? 'B' : 'A') + json.slice(at + 1);
    expect(readResult(flipped)).toBeNull();
    db.prepare('UPDATE plans SET result_json = ? WHERE id = ?').run(changed, id);
    expect(getPlan(db, id).result).toBeUndefined();
  });

  it('a result saved as column-wise JSON (format 2) by the previous version still opens', () => {
    const plan = samplePlan();
    const result = sampleColumns(plan, 7);
    // Format 2 as the previous version wrote it: plain arrays (NaN as null), hashed.
    const columns = (a: Float64Array) => Array.from(a, (x) => (Number.isNaN(x) ? null : x));
    const body = JSON.stringify({
      ...result,
      schedule: {
        ...result.schedule,
        shares: columns(result.schedule.shares),
        impactPerShare: columns(result.schedule.impactPerShare),
        cost: columns(result.schedule.cost),
        costBps: result.schedule.costBps && columns(result.schedule.costBps),
      },
      baselines: Object.fromEntries(
        Object.entries(result.baselines).map(([k, b]) => [k, { ...b, shares: columns(b.shares) }]),
      ),
    });
    const hash = createHash('sha256').update(body).digest('hex');
    const json = `{"format":2,"sha256":"${hash}","result":${body}}`;
    const { id } = savePlan(db, { plan });
    db.prepare('UPDATE plans SET result_json = ? WHERE id = ?').run(json, id);
    expect(getPlan(db, id).result).toEqual(result);
    // Renaming rewrites the result in the current format, the same result.
    renamePlan(db, id, 'Renamed');
    expect(getPlan(db, id).result).toEqual(result);
    expect(storedResult(id).toString('latin1', 0, 4)).toBe('OPR4');
    // A format-2 text changed since is dropped as before.
    db.prepare('UPDATE plans SET result_json = ? WHERE id = ?').run(json.replace(':7,', ':8,'), id);
    expect(getPlan(db, id).result).toBeUndefined();
  });

  it('a result saved row-wise by an earlier version still opens, checked field by field', () => {
    const plan = samplePlan();
    const { id } = savePlan(db, { plan });
    const rows = sampleResult(plan, 9);
    db.prepare('UPDATE plans SET result_json = ? WHERE id = ?').run(JSON.stringify(rows), id);
    expect(getPlan(db, id).result).toEqual(toColumns(rows));
    const bad = { ...rows, totalCost: 'nine' };
    db.prepare('UPDATE plans SET result_json = ? WHERE id = ?').run(JSON.stringify(bad), id);
    expect(getPlan(db, id).result).toBeUndefined();
  });
});
