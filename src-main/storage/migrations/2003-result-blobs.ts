import type Database from 'better-sqlite3';
import type { Migration } from './index';

/**
 * Results are stored as BLOBs in the binary layout (format 4, storage/resultBlob.ts) from now
 * on. No table changes: the version marks a database that may hold them, so that an earlier
 * Order Planner, which would drop such a result without a word (it reads it as damaged),
 * refuses the whole database instead with its clear "written by a newer version of Order
 * Planner … install the newer version" (db.ts). Results of formats 1–3 stay as they are and
 * still open.
 */
export const m2003ResultBlobs: Migration = {
  version: 2003,
  name: 'result-blobs',
  up(_db: Database.Database) {
    // Nothing to change: see above.
  },
};
