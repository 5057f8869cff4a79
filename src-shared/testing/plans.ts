/** Test-only: build a valid plan in one line, and catch the PlannerError a call throws. */
import { PlannerError } from '../contract';
import { parsePlan, type Plan, type PlanInput } from '../plan';

/** Fields a test may leave out; the impact model is always the test's own choice. */
export type TestPlanInput = Partial<PlanInput> & Pick<PlanInput, 'impact'>;

/** A parsed plan: buy 1,000 TST in lots of 100 over 4 periods unless `input` says otherwise. */
export function testPlan(input: TestPlanInput): Plan {
  const r = parsePlan({
    name: 'test',
    symbol: 'TST',
    side: 'buy',
    shares: 1000,
    lotSize: 100,
    periods: 4,
    ...input,
  });
  if (!r.ok) throw new Error(r.errors.join('; '));
  return r.value;
}

/** The PlannerError that `fn` throws; fails the test if it throws nothing or something else. */
export function thrownPlannerError(fn: () => unknown): PlannerError {
  try {
    fn();
  } catch (e) {
    if (e instanceof PlannerError) return e;
    throw e;
  }
  throw new Error('expected a PlannerError');
}
