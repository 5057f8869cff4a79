/**
 * A fake of window.planner for the state classes' unit tests: each operation answers what the
 * test set (a value, an error, or a reply held until the test releases it), every call is
 * recorded, and progress events and menu commands are sent by hand. install() stands it at
 * window.planner (the only door the state classes use: state/backend.ts).
 */
import { afterEach, beforeEach, vi } from 'vitest';
import type {
  ErrorCode,
  OpenedPlanFile,
  OpInput,
  OpOutput,
  PlannerApi,
  ProgressEvent,
  Result,
} from '@shared/contract';
import { OP_NAMES, type MenuCommand, type OpName } from '@shared/operations';

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = <T = never>(code: ErrorCode, message: string): Result<T> => ({
  ok: false,
  error: { code, message },
});

/**
 * Let the awaited chains run until `cond` holds: microtask turns only (no clock, no sleep), so
 * it works under fake timers too; it fails, naming `what`, when the state never gets there.
 */
export async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (cond()) return;
    await Promise.resolve();
  }
  throw new Error(`never happened: ${what}`);
}

/** The backend stages any file (its ref names it). */
const stageAny = async (file: File): Promise<Result<{ ref: string }>> =>
  ok({ ref: `staged:${file.name}` });

/** One fake for the test file, fresh and standing at window.planner in each test. */
export function fakeBackendEachTest(): FakeBackend {
  const backend = new FakeBackend();
  beforeEach(() => {
    backend.reset();
    backend.install();
  });
  afterEach(() => vi.unstubAllGlobals());
  return backend;
}

type Reply<K extends OpName> = Result<OpOutput<K>> | Promise<Result<OpOutput<K>>>;
type Handler<K extends OpName> = (input: OpInput<K>) => Reply<K>;

/** A call waiting for the test to answer it (see FakeBackend.hold). */
export interface Held<K extends OpName> {
  input: OpInput<K>;
  answer(result: Result<OpOutput<K>>): void;
}

export class FakeBackend {
  /** Every operation called, in order. */
  readonly calls: { op: OpName; input: unknown }[] = [];
  readonly api: PlannerApi;
  /** The names of the files staged (stageFile), in order. */
  readonly staged: string[] = [];
  /** What stageFile answers (a file the backend could read, by default). */
  stage = stageAny;
  #handlers = new Map<OpName, (input: unknown) => unknown>();
  #held = new Map<OpName, Held<OpName>[]>();
  #progress = new Set<(event: ProgressEvent) => void>();
  #menu = new Set<(command: MenuCommand) => void>();
  #opened = new Set<(file: OpenedPlanFile) => void>();

  constructor() {
    const ops: Record<string, (input: unknown) => Promise<unknown>> = Object.fromEntries(
      OP_NAMES.map((op) => [op, (input: unknown) => this.#call(op, input)]),
    );
    this.api = {
      ...ops,
      onProgress: (listener: (event: ProgressEvent) => void) => {
        this.#progress.add(listener);
        return () => void this.#progress.delete(listener);
      },
      onMenuCommand: (listener: (command: MenuCommand) => void) => {
        this.#menu.add(listener);
        return () => void this.#menu.delete(listener);
      },
      onOpenPlanFile: (listener: (file: OpenedPlanFile) => void) => {
        this.#opened.add(listener);
        return () => void this.#opened.delete(listener);
      },
      stageFile: (file: File) => {
        this.staged.push(file.name);
        return this.stage(file);
      },
    } as unknown as PlannerApi;
  }

  /** Forget every answer, call and listener (a fresh fake for the next test). */
  reset(): void {
    this.calls.length = 0;
    this.staged.length = 0;
    this.stage = stageAny;
    this.#handlers.clear();
    this.#held.clear();
    this.#progress.clear();
    this.#menu.clear();
    this.#opened.clear();
  }

  /** Stand this fake at window.planner (undone by vi.unstubAllGlobals). */
  install(): this {
    vi.stubGlobal('window', { planner: this.api });
    return this;
  }

  on<K extends OpName>(op: K, handler: Handler<K>): this {
    this.#handlers.set(op, handler as (input: unknown) => unknown);
    return this;
  }

  /** `op` succeeds with `value` (every call). */
  reply<K extends OpName>(op: K, value: OpOutput<K>): this {
    return this.on(op, () => ok(value));
  }

  /** `op` fails with this code and message (every call). */
  refuse<K extends OpName>(op: K, code: ErrorCode, message: string): this {
    return this.on(op, () => fail<OpOutput<K>>(code, message));
  }

  /** Every call of `op` waits until the test answers it: held(op) lists the waiting calls. */
  hold<K extends OpName>(op: K): this {
    return this.on(
      op,
      (input) =>
        new Promise<Result<OpOutput<K>>>((resolve) => {
          const list = this.#held.get(op) ?? [];
          const call: Held<K> = {
            input,
            answer: (result) => {
              // Answered: no longer waiting.
              list.splice(list.indexOf(call as unknown as Held<OpName>), 1);
              resolve(result);
            },
          };
          list.push(call as unknown as Held<OpName>);
          this.#held.set(op, list);
        }),
    );
  }

  /** The calls of `op` still waiting for an answer, oldest first (a copy). */
  held<K extends OpName>(op: K): Held<K>[] {
    return [...(this.#held.get(op) ?? [])] as unknown as Held<K>[];
  }

  /** Answer the oldest waiting call of `op`. */
  answer<K extends OpName>(op: K, result: Result<OpOutput<K>>): void {
    const next = this.#held.get(op)?.[0];
    if (!next) throw new Error(`no call of ${op} is waiting`);
    next.answer(result as Result<OpOutput<OpName>>);
  }

  /** The inputs `op` was called with, in order. */
  inputs<K extends OpName>(op: K): OpInput<K>[] {
    return this.calls.filter((c) => c.op === op).map((c) => c.input as OpInput<K>);
  }

  /** Send a progress event to the listeners. */
  progress(event: ProgressEvent): void {
    for (const listener of this.#progress) listener(event);
  }

  /** Send an application-menu command to the listeners. */
  menu(command: MenuCommand): void {
    for (const listener of this.#menu) listener(command);
  }

  /** The desktop app was asked by the operating system to open a plan file. */
  openPlanFile(file: OpenedPlanFile): void {
    for (const listener of this.#opened) listener(file);
  }

  get progressListeners(): number {
    return this.#progress.size;
  }

  async #call(op: OpName, input: unknown): Promise<unknown> {
    this.calls.push({ op, input });
    const handler = this.#handlers.get(op);
    if (!handler) throw new Error(`the fake backend has no answer for ${op}`);
    return handler(input);
  }
}
