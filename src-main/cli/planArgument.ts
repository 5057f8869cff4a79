/**
 * The PLAN.json argument of `solve`, `frontier` and `replay`: the file read and validated
 * against the plan schema, every problem naming the file or the plan field. Apart from
 * commands.ts so that only the commands that read a plan load the plan schema.
 */
import { config } from 'zod';
import { parsePlanJson, summarizeErrors, type Plan } from '@shared/plan';
import { MAX_PLAN_FILE_BYTES } from '@shared/planFile';
import { fileErrorReason, readFileLimitedSync } from '../platform/fileErrors';
import { fail } from './commands';

// A command parses its plan once per process. zod would compile a fast path for each object
// schema on its first parse, which one parse never pays back (5–10 ms of a cold start); the
// same checks run without it, with the same messages.
config({ jitless: true });

/** The one PLAN.json argument of `solve` and `frontier`, read and validated (readPlanFile). */
export function planArgument(positionals: readonly string[], usage: string): Plan {
  if (positionals.length !== 1) {
    fail(
      positionals.length === 0
        ? `PLAN.json: the plan file is required (usage: ${usage})`
        : `PLAN.json: expected one plan file, got ${positionals.length}`,
    );
  }
  return readPlanFile(positionals[0]);
}

/**
 * Read and validate a plan file; every problem names the file or the plan field. Reading
 * stops past MAX_PLAN_FILE_BYTES (counted as read: /dev/zero reports a size of 0).
 */
export function readPlanFile(path: string): Plan {
  let bytes: Buffer;
  try {
    bytes = readFileLimitedSync(path, MAX_PLAN_FILE_BYTES);
  } catch (e) {
    return fail(`${path}: ${fileErrorReason(e, 'plan file')}`);
  }
  const r = parsePlanJson(bytes.toString('utf8'), path);
  if (!r.ok) return fail(summarizeErrors(r.errors, 3));
  return r.value;
}
