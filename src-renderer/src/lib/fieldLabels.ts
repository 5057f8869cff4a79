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
  impact: 'Impact model',
  'impact.model': 'Impact model',
  'impact.beta': 'Beta',
  'impact.exponent': 'Exponent',
  'impact.profile': 'Intraday profile',
  'impact.curves': 'Impact curve',
  'impact.ladders': 'Order book ladders',
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
 * the form's words ("Cap per period: caps allow at most …"); other messages are returned as is.
 */
export function withFieldLabel(message: string): string {
  const m = /^([A-Za-z]+(?:\.[A-Za-z]+)*)((?:\[\d+\])*): /.exec(message);
  if (!m || !(m[1] in FIELD_LABELS)) return message;
  const { label, rest } = labelFor(m[1] + m[2]);
  const where = rest.length > 0 ? ` (period ${rest[0] + 1})` : '';
  return `${label}${where}: ${message.slice(m[0].length)}`;
}
