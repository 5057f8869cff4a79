/**
 * The import worker's progress, thinned to one message per PROGRESS_EVERY_MS: the first and
 * the last report always go, the ones between only once the interval has passed.
 */
import { describe, expect, it } from 'vitest';
import { PROGRESS_EVERY_MS, throttleProgress } from './importHost';
import type { ReadProgress } from './mbp10';

/** Reports of a 10-chunk file at the given times (ms), through the throttle. */
function sent(times: number[], total = 10): ReadProgress[] {
  const out: ReadProgress[] = [];
  let clock = 0;
  const report = throttleProgress(
    (p) => out.push(p),
    PROGRESS_EVERY_MS,
    () => clock,
  );
  times.forEach((t, k) => {
    clock = t;
    report({ bytes: k === 0 ? 0 : Math.min(k, total), totalBytes: total });
  });
  return out;
}

describe('throttleProgress', () => {
  it('sends the first report, then one per interval, and always the last', () => {
    // bytes 0 (begun) at 0 ms, then chunks 1…10 two milliseconds apart: 0, 2, …, 20 ms.
    const times = Array.from({ length: 11 }, (_, k) => 2 * k);
    expect(sent(times).map((p) => p.bytes)).toEqual([0, 10]);
  });

  it('sends a report between once the interval has passed since the last one sent', () => {
    const times = [0, 10, PROGRESS_EVERY_MS - 1, PROGRESS_EVERY_MS, PROGRESS_EVERY_MS + 5, 200];
    expect(sent(times, 5).map((p) => p.bytes)).toEqual([0, 3, 5]);
  });

  it('sends every report that comes slower than the interval', () => {
    const times = Array.from({ length: 6 }, (_, k) => k * (PROGRESS_EVERY_MS + 1));
    expect(sent(times, 5).map((p) => p.bytes)).toEqual([0, 1, 2, 3, 4, 5]);
  });
});
