/**
 * A response's JSON, read as it arrives: each chunk is decoded (UTF-8) when it comes in, so
 * that once the last byte is there only JSON.parse is left. `response.json()` does both after
 * the whole body has arrived, which for a 100,000-period result (8 MB) kept the window waiting
 * about twice as long after the last byte (docs/window.md, "The table first"). Same text, same
 * errors: invalid UTF-8 becomes U+FFFD and a leading BOM is dropped, as `json()` does, and text
 * that is not JSON throws.
 */
export async function readJson(response: Response): Promise<unknown> {
  const body = response.body;
  if (!body || typeof body.getReader !== 'function') return response.json();
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const parts: string[] = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(decoder.decode(value, { stream: true }));
  }
  parts.push(decoder.decode());
  return JSON.parse(parts.join(''));
}
