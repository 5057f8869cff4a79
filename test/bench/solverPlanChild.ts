/**
 * Child of the solver benchmark's CLI rows: what `solve PLAN.json` does (read and validate
 * the plan, solvePlan, the JSON written out), with the engine's cost bounds chosen by argv[3]
 * ('chord' or 'multipliers': the method before the chord bound) and the evaluation limit
 * raised, so that the method of before can be timed where its estimate is refused.
 */
import { readFileSync, writeSync } from 'node:fs';
import { parsePlan } from '../../src-shared/plan';
import { solvePlan } from '../../src-shared/solver';
import { PlannerError } from '../../src-shared/contract';

const [file, costBounds] = process.argv.slice(2);
const r = parsePlan(JSON.parse(readFileSync(file, 'utf8')));
if (!r.ok) throw new Error(r.errors.join('; '));
try {
  const result = solvePlan(r.value, {
    costBounds: costBounds === 'multipliers' ? 'multipliers' : 'chord',
    maxEvaluations: 1e11,
  });
  const out = JSON.stringify(result, null, 2);
  writeSync(
    1,
    `${JSON.stringify({ ok: true, bytes: out.length, kept: result.solver.work?.keptStates })}\n`,
  );
} catch (e) {
  if (!(e instanceof PlannerError)) throw e;
  writeSync(1, `${JSON.stringify({ ok: false, error: `${e.code}: ${e.message}` })}\n`);
}
