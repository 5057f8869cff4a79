/** The window bench's plans, shared with the e2e test of a 100,000-period schedule. */
import type { Plan } from '../../src-shared/plan';

/**
 * A plan of n periods: square-root impact, a U-shaped volume profile; timing risk at n = 390
 * only (risk sends the solve to the DP engine, whose time at 10^5 lots is not this bench's).
 */
export function windowPlan(n: number): Plan {
  const volume = Array.from({ length: n }, (_, i) => {
    const u = (i + 0.5) / n - 0.5;
    return Math.round((2_000_000 / n) * (0.6 + 4.8 * u * u));
  });
  return {
    name: `Bench ${n.toLocaleString('en-US')} periods`,
    symbol: 'BNCH',
    side: 'buy',
    shares: n >= 10_000 ? 10_000_000 : 100_000,
    lotSize: 100,
    periods: n,
    referencePrice: 31.5,
    volumeProfile: volume,
    // One-second periods fit a 6.5-hour session up to 23,400; beyond that, periods only.
    ...(n <= 23_400
      ? { session: { start: '09:30', end: '16:00', timeZone: 'America/New_York' } }
      : {}),
    impact: { model: 'power', beta: 2e-5, exponent: 0.5 },
    ...(n <= 390 ? { risk: { volatility: 0.02, aversion: 1e-7 } } : {}),
  } as Plan;
}
