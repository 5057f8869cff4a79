/** The solve bar and the form's problem list count the same problems. */
import { describe, expect, it } from 'vitest';
import type { FieldIssue } from '../../../src-renderer/src/lib/planCheck';
import { problemsBlocker } from '../../../src-renderer/src/lib/solveBlocker';

const issue = (label: string, message: string): FieldIssue => ({
  field: label.toLowerCase(),
  label,
  message,
  text: `${label}: ${message}`,
});
const shares = issue('Shares', 'must be a multiple of lot size 100 (got 1,050)');
const beta = issue('Beta', 'must not be negative');
const symbol = issue('Symbol', 'is required');
const periods = issue('Periods', 'is required');

describe('problemsBlocker', () => {
  it('counts the problems the form lists, not the ones of fields not edited yet', () => {
    // The form lists 2 problems (Shares, Beta); Symbol and Periods were never edited.
    const text = problemsBlocker([shares, beta], [shares, beta, symbol, periods]);
    expect(text).toBe(
      'Shares: must be a multiple of lot size 100 (got 1,050) (and 1 more problem); also Symbol, Periods',
    );
    expect(text).not.toMatch(/3 more/);
  });

  it('says the whole list when every problem is shown', () => {
    expect(problemsBlocker([shares, beta], [shares, beta])).toBe(
      'Shares: must be a multiple of lot size 100 (got 1,050) (and 1 more problem)',
    );
    expect(problemsBlocker([shares], [shares])).toBe(shares.text);
  });

  it('asks for the empty fields of a fresh form, and is null without problems', () => {
    expect(problemsBlocker([], [symbol, periods])).toBe('Fill in Symbol, Periods to solve.');
    expect(problemsBlocker([], [])).toBeNull();
    // Nothing shown yet but a real problem: the first one, with the count of all.
    expect(problemsBlocker([], [beta, symbol])).toBe(
      'Beta: must not be negative (and 1 more problem)',
    );
  });
});
