/** book-plan --max-participation: a percentage, a fraction or none; anything else exits 2. */
import { describe, expect, it } from 'vitest';
import { participationFlag, runBookPlan } from './bookPlan';

describe('--max-participation', () => {
  it('reads 25%, 0.25 and none', () => {
    expect(participationFlag('25%')).toBe(0.25);
    expect(participationFlag('0.1')).toBe(0.1);
    expect(participationFlag('none')).toBeNull();
    expect(participationFlag(undefined)).toBeUndefined();
  });

  it('refuses 0, 25 (without %) and junk with one error line naming the flag', async () => {
    for (const bad of ['0', '25', 'lots', '150%']) {
      let stderr = '';
      const status = await runBookPlan(
        ['day.csv', '--shares', '100', '--side', 'buy', '--max-participation', bad],
        { stdout: () => {}, stderr: (t) => (stderr += t) },
      );
      expect(status).toBe(2);
      expect(stderr).toBe(
        `error: --max-participation: must be a percentage such as 25% or a fraction such as 0.25 (above 0, at most 100%), or none (got "${bad}")\n`,
      );
    }
  });
});
