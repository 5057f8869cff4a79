/**
 * Test helper: how a worker test looks at an outcome. The PlannerError a promise rejects
 * with, and whether a process is still there.
 */
import { PlannerError } from '@shared/contract';

/** The PlannerError `p` rejects with (anything else, or a resolution, fails the test). */
export async function rejection(p: Promise<unknown>): Promise<PlannerError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof PlannerError) return e;
    throw e;
  }
  throw new Error('expected a rejection');
}

/** Whether a process with this pid exists (signal 0). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
