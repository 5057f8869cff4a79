/**
 * Order-book dataset service (issue 5). The shell's services object delegates the book
 * operations of the contract (importBook, cancelImport, listBooks, getBook, deleteBook,
 * bookPlan) to this object. STUB until the book import is built.
 */
import type Database from 'better-sqlite3';
import { PlannerError, type OpOutput, type OpParsed, type ProgressEvent } from '@shared/contract';

export interface BookServiceDeps {
  db: Database.Database;
  /** Emit progress of a running import to every window / SSE client. */
  emitProgress: (event: ProgressEvent) => void;
  /** Resolve a `file` reference (Electron: a path; browser mode: an upload id) to a path. */
  resolveFile: (ref: string) => string;
}

export interface BookService {
  /** Import a file at `path` (already resolved), shown to the user as `fileName`. */
  importBook(
    input: OpParsed<'importBook'> & { path: string; fileName: string },
  ): Promise<OpOutput<'importBook'>>;
  cancelImport(input: OpParsed<'cancelImport'>): OpOutput<'cancelImport'>;
  listBooks(input: OpParsed<'listBooks'>): OpOutput<'listBooks'>;
  getBook(input: OpParsed<'getBook'>): OpOutput<'getBook'>;
  deleteBook(input: OpParsed<'deleteBook'>): OpOutput<'deleteBook'>;
  bookPlan(input: OpParsed<'bookPlan'>): OpOutput<'bookPlan'>;
}

export function createBookService(_deps: BookServiceDeps): BookService {
  const missing = (): never => {
    throw new PlannerError('internal', 'order-book import is not available yet');
  };
  return {
    importBook: async () => missing(),
    cancelImport: () => ({ cancelled: false }),
    listBooks: () => [],
    getBook: missing,
    deleteBook: missing,
    bookPlan: missing,
  };
}
