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
    text: 'How the cost of trading changes through the day: a multiplier per period on β, normalised to average 1. "U-shaped" makes the open and the close costlier to trade than midday (3× the midday multiplier at either end); "Flat" is 1 everywhere. Not the volume profile, whose U shape means busier at the open and the close.',
  },
  {
    id: 'volume-profile',
    term: 'Volume profile',
    text: 'The expected market volume in each period, in shares. "U-shaped" spreads the daily volume busier at the open and the close (3× midday at either end); "Flat" spreads it evenly. It defines the VWAP baseline, the participation figures and a participation cap.',
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
    text: 'The part of the price move that stays after you trade. In the calibrated model it is γ·σ·(S / V_day) over the whole order and costs ½·γ·σ·(S / V_day)·S whatever the schedule: it is in the expected cost of every strategy alike, and the savings are on that whole cost. The Risk section’s γ (Almgren–Chriss, $ per share traded) is different: each order moves the price that every later order pays, γ·(S² − Σx²)/2 in all. That sum is zero for one block and largest at an even pace, so it rewards fewer, larger orders and does change the plan: with linear impact (β per share) the optimum degenerates into a block trade once γ ≥ 2β. Lower γ, or raise β, if that is not what you meant.',
  },
  {
    id: 'calibrated',
    term: 'Calibrated model (Almgren et al. 2005)',
    text: 'Impact per share g_t(x) = fee + ½·s_t + η·σ·p_t·(x / V_t)^β: half the spread, plus a temporary impact that grows with your participation x / V_t and the daily volatility σ. The defaults η = 0.142, β = 0.6, γ = 0.314 are the values Almgren, Thum, Hauptmann and Li fitted on US equities; a plan made from data fits σ, the spread and the volumes instead.',
  },
  {
    id: 'sigma-daily',
    term: 'σ (daily volatility)',
    text: 'The standard deviation of the price change over one trading day, in $ per share (a $50 stock with 1.2% daily volatility has σ = $0.60). The calibrated model scales temporary and permanent impact by it.',
  },
  {
    id: 'volatility',
    term: 'σ (volatility)',
    text: 'How much the price moves while you wait: the standard deviation of the price change over one period, in $ per share (the Risk section also takes it as % a year of the reference price and converts). It sets the timing risk; without it there is no timing risk and no frontier.',
  },
  {
    id: 'arrival-price',
    term: 'Arrival price',
    text: 'The market price when the order arrives, before any of it trades: the mid (halfway between the best bid and ask) at the arrival time, by default the first mid of the continuous session. The implementation shortfall is measured from it.',
  },
  {
    id: 'shortfall',
    term: 'Implementation shortfall',
    text: 'What the order really paid against the arrival price: (average fill price − arrival price) × shares for a buy (the other way round for a sell), in $ and in bps of the order’s value. It includes impact and the price moves while you traded.',
  },
  {
    id: 'depth',
    term: 'Depth',
    text: 'The shares offered in the visible order book near the best price (here the ten best levels on a side). An order larger than the depth walks further into the book and pays more per share.',
  },
  {
    id: 'r2',
    term: 'R² (fit quality)',
    text: 'How much of the variation of the measured impact the fitted curve explains: 1 is a perfect fit, 0 explains nothing. Below about 0.5 the fitted coefficients are a rough guide only.',
  },
  {
    id: 'pov',
    term: 'POV (percent of volume)',
    text: 'A baseline that trades a fixed share of the market volume in each period (for example 10%) until the order is done: it follows the volume like VWAP but its duration depends on the participation rate.',
  },
  {
    id: 'spread',
    term: 'Spread',
    text: 'The typical gap between the best ask and the best bid, in $. Crossing it costs about half the spread on every share, whatever the order size.',
  },
  {
    id: 'eta',
    term: 'η (temporary-impact coefficient)',
    text: 'How strongly a child order pushes the price in its own period, in units of σ at 100% participation: g = η·σ·(x / V_t)^β on top of half the spread. No unit; 0.142 by default.',
  },
  {
    id: 'beta-calibrated',
    term: 'β (calibrated exponent)',
    text: 'The power of participation in the calibrated model: impact per share grows as (x / V_t)^β. 0.6 by default; 0.5 would be the square-root law. Not the β of the linear and power-law models, which is a scale in $.',
  },
  {
    id: 'gamma',
    term: 'γ (permanent-impact coefficient)',
    text: 'The permanent price move per unit of the order’s share of the day’s volume, in units of σ: the price moves γ·σ·(S / V_day). No unit; 0.314 by default. This γ costs every schedule the same and does not change the plan; the Risk section’s γ does (see Permanent impact).',
  },
  {
    id: 'v-day',
    term: 'V_t and V_day (volumes)',
    text: 'V_t is the market volume expected in period t (the plan’s volume profile, in shares); a period without volume cannot trade. V_day is the day’s volume, by default the sum of the volume profile.',
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

/**
 * Words the window shows (labels, column headings, figures) and the entry that explains each:
 * the tests check that each has its entry and that the glossary dialog lists it.
 */
export const SCREEN_TERMS: readonly [word: string, id: GlossaryId][] = [
  ['σ', 'volatility'],
  ['Volatility', 'volatility'],
  ['Arrival price', 'arrival-price'],
  ['Implementation shortfall', 'shortfall'],
  ['Spread', 'spread'],
  ['Depth', 'depth'],
  ['Replay', 'replay'],
  ['R²', 'r2'],
  ['Participation', 'participation'],
  ['POV', 'pov'],
  ['Timing risk', 'timing-risk'],
  ['In-sample', 'in-sample'],
  ['Out-of-sample', 'out-of-sample'],
  ['TWAP', 'twap'],
  ['VWAP', 'vwap'],
  ['bps', 'bps'],
  ['Intraday profile', 'profile'],
  ['Volume profile', 'volume-profile'],
  ['Permanent impact', 'permanent'],
  ['γ', 'gamma'],
  ['λ', 'aversion'],
  ['Efficient frontier', 'frontier'],
  ['Certified', 'certified'],
  ['Lot size', 'lot'],
  ['95% bound', 'upper95'],
];

export function glossaryEntry(id: GlossaryId): GlossaryEntry {
  return GLOSSARY.find((e) => e.id === id)!;
}
