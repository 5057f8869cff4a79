/**
 * Child process for the killed-save durability test: saves large plans in a loop and reports
 * each committed save to the parent over IPC, until it is killed.
 */
import { openDatabase } from './db';
import { getPlan, savePlan } from './plans';
import { samplePlan } from '../testing/plans';

const path = process.argv[2];
const { db } = openDatabase(path);
// A large plan (~0.5 MB of JSON) so that a save takes long enough to be killed in the middle.
const curves = Array.from({ length: 390 }, (_, i) =>
  Array.from({ length: 60 }, (_, j) => [j * 1000, 0.001 * (i + 1) * (j + 1)] as [number, number]),
);
const base = samplePlan({ periods: 390, impact: { model: 'table', curves } });

let ids: string[] = [];
for (let n = 0; ; n++) {
  const name = `save ${n}`;
  // Alternate between new plans and new revisions of existing ones.
  const id = n % 3 === 0 || ids.length === 0 ? undefined : ids[n % ids.length];
  const saved = savePlan(db, { id, plan: { ...base, name, shares: 100 * (n + 1) } });
  if (id === undefined) ids = [...ids, saved.id];
  process.send?.({ id: saved.id, revision: saved.revision, name });
  if (n === 0) getPlan(db, saved.id); // sanity: the first save reads back
}
