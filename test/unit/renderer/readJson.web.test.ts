/** readJson reads what response.json() reads, chunk by chunk as the body arrives. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readJson } from '../../../src-renderer/src/lib/api/readJson';

/** A response whose body arrives in the given pieces (split anywhere, inside a character too). */
function chunked(bytes: Uint8Array, cuts: number[]): Response {
  const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const pieces: Uint8Array[] = [];
  let from = 0;
  for (const c of [...at, bytes.length]) {
    pieces.push(bytes.slice(from, c));
    from = c;
  }
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const p of pieces) controller.enqueue(p);
      controller.close();
    },
  });
  return new Response(stream);
}

const reference = (bytes: Uint8Array) =>
  new Response(bytes as Uint8Array<ArrayBuffer>).json().then(
    (v) => ({ ok: true, v }),
    (e: Error) => ({ ok: false, name: e.name }),
  );
const ours = (bytes: Uint8Array, cuts: number[]) =>
  readJson(chunked(bytes, cuts)).then(
    (v) => ({ ok: true, v }),
    (e: Error) => ({ ok: false, name: e.name }),
  );

describe('readJson', () => {
  it('reads a result split across chunks, a character cut in two included', async () => {
    const text = JSON.stringify({ name: 'Café ☕ 𝄞', values: [1, 2.5, null] });
    const bytes = new TextEncoder().encode(text);
    const cut = text.indexOf('☕') + 1; // inside the 3-byte character
    expect(await readJson(chunked(bytes, [cut, cut + 1, 3]))).toEqual(JSON.parse(text));
  });

  it('agrees with response.json() on any bytes: JSON, a BOM, broken UTF-8, not JSON', async () => {
    const json = fc.jsonValue().map((v) => new TextEncoder().encode(JSON.stringify(v)));
    const withBom = json.map((b) => new Uint8Array([0xef, 0xbb, 0xbf, ...b]));
    const anyBytes = fc.uint8Array({ maxLength: 40 });
    const broken = fc
      .tuple(json, fc.nat(), fc.constantFrom(0xff, 0xc3, 0xe2))
      .map(
        ([b, at, x]) =>
          new Uint8Array([...b.slice(0, at % (b.length + 1)), x, ...b.slice(at % (b.length + 1))]),
      );
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(json, withBom, anyBytes, broken),
        fc.array(fc.nat(), { maxLength: 6 }),
        async (bytes, cuts) => {
          expect(await ours(bytes, cuts)).toEqual(await reference(bytes));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a response without a body stream is read by json()', async () => {
    const fake = { body: null, json: async () => ({ ok: true }) } as unknown as Response;
    expect(await readJson(fake)).toEqual({ ok: true });
  });
});
