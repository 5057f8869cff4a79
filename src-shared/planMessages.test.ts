/**
 * Messages about a plan file's contents that must stay short and say what is wrong: unknown
 * keys (a file may hold a million), numbers beyond what the arithmetic can carry, and files
 * in a wide encoding.
 */
import { describe, expect, it } from 'vitest';
import { parsePlan, parsePlanJson } from './plan';

const base = {
  name: 'n',
  symbol: 'X',
  side: 'buy',
  shares: 300,
  lotSize: 100,
  periods: 2,
  impact: { model: 'linear', beta: 0.0001 },
};

function errorsOf(data: unknown): string[] {
  const r = parsePlan(data);
  if (r.ok) throw new Error('expected the plan to be refused');
  return r.errors;
}

describe('unknown keys', () => {
  it('unknown-keys-capped: unknown keys by the thousand give the first 10 and how many more', () => {
    const plan: Record<string, unknown> = { ...base };
    for (let i = 0; i < 20_000; i++) plan[`k${i}`] = 1;
    const errors = errorsOf(plan);
    expect(errors).toEqual([
      '(plan): unknown fields "k0", "k1", "k2", "k3", "k4", "k5", "k6", "k7", "k8", "k9" and 19990 more (not part of the plan format; check the spelling)',
    ]);
  });

  it('unknown-keys-capped: a key a million characters long is shortened in the message', () => {
    const errors = errorsOf({ ...base, ['x'.repeat(1_000_000)]: 1 });
    expect(errors).toEqual([
      `(plan): unknown field "${'x'.repeat(40)}…" (not part of the plan format; check the spelling)`,
    ]);
  });
});

describe('numbers too large for the arithmetic', () => {
  const text = (plan: object, replace: [string, string]) =>
    JSON.stringify(plan).replace(replace[0], replace[1]);

  it('too-large-numbers: a size beyond doubles (1e400) is too large, not "not finite"', () => {
    const r = parsePlanJson(text(base, ['"shares":300', '"shares":1e400']));
    expect(r).toEqual({
      ok: false,
      errors: [
        'shares: is too large (shares): beyond the largest number the arithmetic can carry (about 1.8e308)',
      ],
    });
  });

  it('too-large-numbers: a fee whose total no double carries is too large', () => {
    expect(errorsOf({ ...base, fixedFeePerOrder: 1e308 })).toEqual([
      'fixedFeePerOrder: is too large: 1e+308 per order over 2 periods is beyond what the arithmetic can carry (at most 1e+300 in all)',
    ]);
    const r = parsePlanJson(text({ ...base, fixedFeePerOrder: 1 }, ['Order":1', 'Order":1e999']));
    expect(r.ok || r.errors).toEqual([
      'fixedFeePerOrder: is too large (fee): beyond the largest number the arithmetic can carry (about 1.8e308)',
    ]);
    expect(parsePlan({ ...base, fixedFeePerOrder: 1e12 }).ok).toBe(true);
  });

  it('too-large-numbers: σ and aversion whose risk term no double carries are too large', () => {
    expect(errorsOf({ ...base, risk: { volatility: 1e200, aversion: 1 } })).toEqual([
      'risk.volatility: is too large: σ² × shares² over 2 periods is beyond what the arithmetic can carry (at most 1e+300)',
    ]);
    expect(errorsOf({ ...base, risk: { volatility: 0.02, aversion: 1e308 } })).toEqual([
      'risk.aversion: is too large: λ × σ² × shares² over 2 periods is beyond what the arithmetic can carry (at most 1e+300)',
    ]);
    expect(parsePlan({ ...base, risk: { volatility: 0.02, aversion: 1e-6 } }).ok).toBe(true);
  });
});

describe('wide encodings', () => {
  const utf32 = (text: string, littleEndian: boolean, bom: boolean) => {
    const chars = [...(bom ? '\ufeff' : ''), ...text];
    const out = Buffer.alloc(chars.length * 4);
    chars.forEach((c, i) =>
      littleEndian
        ? out.writeUInt32LE(c.codePointAt(0)!, i * 4)
        : out.writeUInt32BE(c.codePointAt(0)!, i * 4),
    );
    return out.toString('utf8');
  };

  it.each([
    ['LE with BOM', true, true],
    ['BE with BOM', false, true],
    ['LE without BOM', true, false],
    ['BE without BOM', false, false],
  ])('utf32-plan-file: a UTF-32 %s file is called UTF-32, not UTF-16', (_, le, bom) => {
    expect(parsePlanJson(utf32(JSON.stringify(base), le, bom), 'p.json')).toEqual({
      ok: false,
      errors: ['p.json: the file is UTF-32 text; save it as UTF-8'],
    });
  });

  it('utf32-plan-file: UTF-16 is still called UTF-16', () => {
    const text = Buffer.from(`\ufeff${JSON.stringify(base)}`, 'utf16le').toString('utf8');
    expect(parsePlanJson(text, 'p.json')).toEqual({
      ok: false,
      errors: ['p.json: the file is UTF-16 text; save it as UTF-8'],
    });
  });
});
