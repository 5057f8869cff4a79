/**
 * What the solve bar says while the form has problems. It counts the same list the form shows
 * (the problem list and the red fields), so the two never disagree: "Shares: must be a multiple
 * of lot size 100 (got 1,050) (and 1 more problem)" beside "2 problems to fix before solving".
 * Problems of fields not edited yet are not counted there; they are named, so Solve's reason is
 * complete: "…; also Symbol, Periods".
 */
import type { FieldIssue } from './planCheck';

export function problemsBlocker(
  shown: readonly FieldIssue[],
  all: readonly FieldIssue[],
): string | null {
  if (all.length === 0) return null;
  const labels = (list: readonly FieldIssue[]) =>
    list.map((i) => i.label).filter((label, k, every) => every.indexOf(label) === k);
  // A fresh form whose only problems are empty fields asks for them.
  if (shown.length === 0 && all.every((i) => i.message === 'is required'))
    return `Fill in ${labels(all).join(', ')} to solve.`;
  const list = shown.length > 0 ? shown : all;
  const more = list.length - 1;
  const rest = all.filter((i) => !list.includes(i));
  return (
    list[0].text +
    (more > 0 ? ` (and ${more} more ${more === 1 ? 'problem' : 'problems'})` : '') +
    (rest.length > 0 ? `; also ${labels(rest).join(', ')}` : '')
  );
}
