/** Backend messages put in the form's words (the solver names plan paths, traders see labels). */
import { describe, expect, it } from 'vitest';
import { labelFor, withFieldLabel } from '../../../src-renderer/src/lib/fieldLabels';

describe('withFieldLabel', () => {
  it('replaces a leading plan path by the label of its field', () => {
    expect(withFieldLabel('maxPerPeriod: caps allow at most 15,000 shares')).toBe(
      'Cap per period: caps allow at most 15,000 shares',
    );
    expect(withFieldLabel('impact.ladders: the books hold at most 967,800 shares')).toBe(
      'Order book ladders: the books hold at most 967,800 shares',
    );
  });

  it('says which period an indexed path points at', () => {
    expect(withFieldLabel('impact.curves[2][1]: x beyond the last point')).toBe(
      'Impact curve (period 3): x beyond the last point',
    );
  });

  it('leaves other messages alone', () => {
    for (const message of [
      'Solve cancelled.',
      'solve: could not reach the Order Planner server',
      'bad.json: malformed JSON',
      'shares must be positive',
    ])
      expect(withFieldLabel(message)).toBe(message);
  });
});

describe('labelFor', () => {
  it('finds the nearest labelled field of a nested path', () => {
    expect(labelFor('session.timeZone')).toEqual({
      field: 'session.timeZone',
      label: 'Time zone',
      rest: [],
    });
    expect(labelFor('impact.curves[3][1][0]')).toEqual({
      field: 'impact.curves',
      label: 'Impact curve',
      rest: [3, 1, 0],
    });
  });
});

describe('backend messages in the form words', () => {
  it('files the memory refusal under Lot size, saying what to change', () => {
    expect(
      withFieldLabel(
        'shares: the exact DP on 390 periods × 2,000,000,001 lot counts needs 14.5 GiB of memory even with checkpointed rows, more than the budget of 1.5 GiB; use a larger lotSize or tighter caps',
      ),
    ).toBe(
      'Lot size: the exact solver on 390 periods × 2,000,000,001 lot counts needs 14.5 GiB of memory even with checkpointed rows, more than the budget of 1.5 GiB: use a larger lot size or tighter caps',
    );
  });

  it('puts plan paths inside a message in words', () => {
    expect(
      withFieldLabel(
        'maxParticipation: 10% of volumeProfile allows at most 39,000 shares, fewer than shares 100,000',
      ),
    ).toBe(
      'Max participation: 10% of the volume profile allows at most 39,000 shares, fewer than the 100,000 shares',
    );
  });
});
