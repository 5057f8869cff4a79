import { chromium } from '@playwright/test';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage();
await page.goto('about:blank');
const r = await page.evaluate(`(() => {
  const n = 100000, cols = 6, out = {};
  const buf = new ArrayBuffer(n * 4 * cols);
  const i32 = new Int32Array(buf); for (let i = 0; i < i32.length; i++) i32[i] = (i * 7919) % 100000;
  const keep = [];
  const run = (mode) => {
    const t0 = performance.now();
    if (mode === 'one') { const all = new Float64Array(n * cols); all.set(i32); for (let c = 0; c < cols; c++) keep.push(all.subarray(c * n, (c + 1) * n)); }
    else for (let c = 0; c < cols; c++) {
      const src = new Int32Array(buf, c * n * 4, n);
      let col;
      if (mode === 'set') { col = new Float64Array(n); col.set(src); }
      else if (mode === 'alloc') { col = new Float64Array(n); }
      else if (mode === 'loop') { col = new Float64Array(n); for (let k = 0; k < n; k++) col[k] = src[k]; }
      keep.push(col);
    }
    return +(performance.now() - t0).toFixed(2);
  };
  for (const m of ['set','alloc','loop','one','set','one','loop','set','alloc']) (out[m] ??= []).push(run(m));
  return out;
})()`);
console.log(JSON.stringify(r));
await browser.close();
