/**
 * The words a trader meets in the window, each explained in a sentence or two. The glossary
 * dialog lists them all; a `Term` next to a label or a column heading shows its entry as a
 * tooltip and opens the dialog at it.
 */
export interface GlossaryEntry {
  /** Anchor id inside the glossary ("beta"). */
  id: string;
  /** The word as the window writes it ("β (impact coefficient)"). */
  term: string;
  /** What it means, in plain words. */
  text: string;
}

export const GLOSSARY = [
  {
    id: 'impact',
    term: 'Temporary impact',
    text: 'How far your own order pushes the price you pay in the period it trades: g(x) per share for a child order of x shares. The plan minimises Σ g(x)·x over the periods.',
  },
  {
    id: 'beta',
    term: 'β (impact coefficient)',
    text: 'The scale of the impact model: in the linear model g(x) = β·x, in the power law g(x) = β·x^α (price units per share). Larger β means every share costs more to trade quickly.',
  },
  {
    id: 'alpha',
    term: 'α (exponent)',
    text: 'The power of the power-law model g(x) = β·x^α. α = 0.5 is the square-root law; α = 1 is linear impact. Between 0 and 1, doubling a child order less than doubles its impact per share.',
  },
  {
    id: 'profile',
    term: 'Intraday profile',
    text: 'How liquidity changes through the day: a multiplier per period on β (a U shape makes the open and close cheaper to trade than midday). The profile is normalised to average 1.',
  },
  {
    id: 'volume-profile',
    term: 'Volume profile',
    text: 'The expected market volume in each period. It defines the VWAP baseline, the participation figures and a participation cap.',
  },
  {
    id: 'participation',
    term: 'Participation',
    text: 'Your child order as a share of the market volume expected in its period (10% means one share in ten traded is yours). Overall participation is the order over the volume of the periods it trades in.',
  },
  {
    id: 'twap',
    term: 'Naive (TWAP)',
    text: 'Time-weighted average price: the same number of shares in every period. The usual benchmark for a schedule.',
  },
  {
    id: 'vwap',
    term: 'VWAP',
    text: 'Volume-weighted average price: shares in proportion to the expected volume of each period. Needs a volume profile.',
  },
  {
    id: 'front-loaded',
    term: 'Front-loaded',
    text: 'A baseline that trades most early and less each period (weights N, N−1, …, 1): less exposure to price moves, more impact. Saved in plan files as "aggressive".',
  },
  {
    id: 'back-loaded',
    term: 'Back-loaded',
    text: 'A baseline that starts slowly and trades most at the end (weights 1, 2, …, N). Saved in plan files as "conservative".',
  },
  {
    id: 'bps',
    term: 'bps (basis points)',
    text: 'Hundredths of a percent of the order’s value at the reference price: 1 bps of a $3,150,000 order is $315.',
  },
  {
    id: 'timing-risk',
    term: 'Timing risk',
    text: 'The uncertainty of the cost from price moves while shares are still to trade, as a standard deviation in $. It grows with the volatility and with how long shares wait.',
  },
  {
    id: 'upper95',
    term: '95% bound',
    text: 'Expected cost + 1.645 × timing risk: the cost is below it on 95 days out of 100 if price moves are normally distributed.',
  },
  {
    id: 'aversion',
    term: 'λ (risk aversion)',
    text: 'How many dollars of expected cost you would pay to remove one dollar² of timing-risk variance. λ = 0 minimises expected cost alone; larger λ trades faster. The urgency presets are multiples of the plan’s own scale.',
  },
  {
    id: 'frontier',
    term: 'Efficient frontier',
    text: 'The schedules that are optimal for some λ, drawn as expected cost against timing risk. No schedule is both cheaper and less risky than a point on it.',
  },
  {
    id: 'certified',
    term: 'Certified',
    text: 'The solver proved that no schedule on the share grid costs less than the one shown (up to rounding), so the plan is the exact optimum, not an approximation.',
  },
  {
    id: 'lot',
    term: 'Lot size',
    text: 'Child orders are whole multiples of it (100 shares is a round lot); the order size must be one too.',
  },
  {
    id: 'permanent',
    term: 'Permanent impact',
    text: 'The part of the price move that stays after you trade (γ per share traded). It adds a cost that does not depend on the schedule, so it changes the totals but not the plan.',
  },
  {
    id: 'replay',
    term: 'Replay',
    text: "Sending each period's child order into the order book really in effect on a recorded day when the period starts, and adding up what walking its levels costs: what the schedule would have cost that day. It never uses a book from later in the day.",
  },
  {
    id: 'in-sample',
    term: 'In-sample',
    text: 'A figure measured on the same days the plan was made from. It flatters the plan: the plan already knew those books. A planned saving is in-sample.',
  },
  {
    id: 'out-of-sample',
    term: 'Out-of-sample',
    text: 'A figure measured on a day the plan never saw: the plan is made from other days, then replayed on this one. It is the honest estimate of what the plan will save on a new day.',
  },
  {
    id: 'bias',
    term: 'Bias (realised / planned)',
    text: 'The cost a replay really found divided by the cost the plan expected. 1 means the forecast was right; 1.3 means trading cost 30% more than planned.',
  },
  {
    id: 'confidence-interval',
    term: '95% confidence interval',
    text: 'The range the average saving over the tested days could plausibly be in, given how much it varied from day to day. An interval that includes 0 does not show a saving.',
  },
] as const satisfies readonly GlossaryEntry[];

export type GlossaryId = (typeof GLOSSARY)[number]['id'];

export function glossaryEntry(id: GlossaryId): GlossaryEntry {
  return GLOSSARY.find((e) => e.id === id)!;
}
