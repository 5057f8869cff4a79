/** Human names of the plan's fields, as the labels in the form show them (validation messages, backend errors). */
export const FIELD_LABELS: Record<string, string> = {
  name: 'Name',
  symbol: 'Symbol',
  side: 'Side',
  shares: 'Shares',
  lotSize: 'Lot size',
  periods: 'Periods',
  /** Not a plan field: the form's period length, which sets Periods from the session. */
  periodMinutes: 'Period length',
  referencePrice: 'Reference price',
  maxPerPeriod: 'Cap per period',
  maxParticipation: 'Max participation',
  volumeProfile: 'Volume profile',
  dailyVolume: 'Daily volume',
  fixedFeePerOrder: 'Fee per order',
  minOrderSize: 'Minimum order',
  session: 'Session',
  'session.start': 'Session start',
  'session.end': 'Session end',
  'session.timeZone': 'Time zone',
  /** Not plan fields: the market in a trader's terms, which make the calibrated model. */
  'market.adv': 'Average daily volume',
  'market.dailyVolatility': 'Daily volatility (%)',
  'market.spread': 'Spread (bps)',
  'market.commission': 'Commission (¢/share)',
  impact: 'Impact model',
  'impact.model': 'Impact model',
  'impact.beta': 'Beta',
  'impact.exponent': 'Exponent',
  'impact.profile': 'Intraday profile',
  'impact.curves': 'Impact curve',
  'impact.ladders': 'Order book ladders',
  'impact.intercept': 'Intercept',
  'impact.sigma': 'σ daily volatility',
  'impact.spread': 'Spread',
  'impact.eta': 'η temporary impact',
  /** The calibrated model's β (the power of the participation), not the power law's. */
  'impact.calBeta': 'β exponent',
  'impact.gamma': 'γ permanent impact',
  'impact.volatilityProfile': 'σ intraday profile',
  'impact.dailyVolume': 'Daily volume V_day',
  'impact.feePerShare': 'Fee per share',
  'impact.sources': 'Parameter sources',
  'impact.calibration': 'Calibration',
  risk: 'Risk',
  'risk.volatility': 'Volatility ($ per period)',
  'risk.annualVolatility': 'Annual volatility (%)',
  'risk.minutesPerYear': 'Minutes per year',
  'risk.volatilityProfile': 'Volatility profile',
  'risk.aversion': 'Risk aversion λ',
  permanentImpact: 'Permanent impact γ',
  notes: 'Notes',
};

/** Map a formatted path ("impact.curves[3][1][0]") to its form field and label. */
export function labelFor(path: string): { field: string; label: string; rest: number[] } {
  const rest = [...path.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1]));
  const field = path.replace(/\[\d+\].*$/, '');
  let key = field;
  while (key && !(key in FIELD_LABELS)) key = key.includes('.') ? key.replace(/\.[^.]*$/, '') : '';
  return { field, label: FIELD_LABELS[key] ?? (field || 'Plan'), rest };
}

/**
 * A backend message that starts with a plan path ("maxPerPeriod: caps allow at most …") put in
 * the form's words ("Cap per period: caps allow at most …"), plan paths inside it too ("of
 * volumeProfile" → "of the volume profile"); other messages are returned as is. The solver's
 * refusal of a plan too large for it (memory, work, time) starts with "shares:" but is fixed
 * by the lot size (the grid is shares ÷ lot size lot counts per period): it is filed under
 * Lot size.
 */
export function withFieldLabel(message: string): string {
  const m = /^([A-Za-z]+(?:\.[A-Za-z]+)*)((?:\[\d+\])*): /.exec(message);
  if (!m || !(m[1] in FIELD_LABELS)) return message;
  let body = message.slice(m[0].length);
  let path = m[1] + m[2];
  if (m[1] === 'shares' && /use a larger lotSize/.test(body)) {
    path = 'lotSize';
    body = body.replace(/^the exact DP\b/, 'the exact solver').replace('; use', ': use');
  }
  const { label, rest } = labelFor(path);
  const where = rest.length > 0 ? ` (period ${rest[0] + 1})` : '';
  return `${label}${where}: ${inWords(body)}`;
}

/** Plan paths inside a message in the form's words. */
function inWords(body: string): string {
  return body
    .replace(/fewer than shares ([\d,]+)/g, 'fewer than the $1 shares')
    .replace(/\b(?:of|a|the) volumeProfile\b/g, 'of the volume profile')
    .replace(
      /\b(lotSize|maxPerPeriod|maxParticipation|volumeProfile|minOrderSize|referencePrice|fixedFeePerOrder)\b/g,
      (k) => FIELD_LABELS[k].toLowerCase(),
    );
}
