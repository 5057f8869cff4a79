/**
 * Child process for the killed-save durability test: saves large plans in a loop through the
 * storage thread (as the app does) and reports each save to the parent over IPC as soon as
 * its promise resolves (the save is acknowledged), until it is killed.
 */
import { openStorageThread } from './client';
import { samplePlan } from '../testing/plans';

const path = process.argv[2];
const { storage } = openStorageThread(path);
// A large plan (~0.5 MB of JSON) so that a save takes long enough to be killed in the middle.
const curves = Array.from({ length: 390 }, (_, i) =>
  Array.from({ length: 60 }, (_, j) => [j * 1000, 0.001 * (i + 1) * (j + 1)] as [number, number]),
);
const base = samplePlan({ periods: 390, impact: { model: 'table', curves } });

async function loop(): Promise<never> {
  let ids: string[] = [];
  for (let n = 0; ; n++) {
    const name = `save ${n}`;
    // Alternate between new plans and new revisions of existing ones.
    const id = n % 3 === 0 || ids.length === 0 ? undefined : ids[n % ids.length];
    const saved = await storage.savePlan({ id, plan: { ...base, name, shares: 100 * (n + 1) } });
    if (id === undefined) ids = [...ids, saved.id];
    process.send?.({ id: saved.id, revision: saved.revision, name });
    if (n === 0) await storage.getPlan(saved.id); // sanity: the first save reads back
  }
}

void loop();
