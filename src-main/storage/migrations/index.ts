import type Database from 'better-sqlite3';
import { m1001Plans } from './1001-plans';
import { m2001Books } from './2001-books';
import { m2002BookSampling } from './2002-book-sampling';
import { m2003ResultBlobs } from './2003-result-blobs';

/**
 * Numbered schema migrations (Signal style). Each file exports one Migration; the runner
 * (storage/db.ts) asserts strictly increasing versions (openDatabase checks before touching
 * the file), refuses a database whose PRAGMA user_version is newer than the last migration,
 * applies what is pending in one transaction and sets PRAGMA user_version.
 *
 * One global, strictly increasing sequence, whoever owns the tables: the next migration is
 * 2004, then 2005, … (1001 and 2001/2002 predate this rule). Append only: never edit or
 * renumber a released migration. Each version gets a fixture database (test/fixtures/db,
 * see docs/storage.md) that the upgrade test opens.
 */
export interface Migration {
  version: number;
  name: string;
  up(db: Database.Database): void;
}

export const migrations: Migration[] = [
  m1001Plans,
  m2001Books,
  m2002BookSampling,
  m2003ResultBlobs,
];
