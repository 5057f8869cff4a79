/**
 * The tie-break among optimal schedules, shared by the DP engine and the Lagrange method:
 * the rule, the tolerance within which the engine's costs tie (its offer() in engineRow.ts
 * applies them), and the Lagrange method's exact choice among tied increments (placeTies,
 * with addEvenly as its approximate fallback).
 *
 * Cost is minimised first and never traded for shape. Among the schedules of (equal) optimal
 * cost the solver returns the one closest to an even pace: the smallest
 *
 *     D = Σ_{i=1..N} (s_i − M·i/N)²      s_i = lots traded in periods 1..i (cumulative)
 *
 * (computed as Σ (N·s_i − M·i)², whole numbers, so equal D compare equal). Schedules equal in
 * cost and in D (exact symmetry, rare) go to the one that trades more later: the
 * lexicographically largest (x_N, …, x_1).
 *
 * What "equal cost" means: the engine sums the same costs in different orders along
 * different paths, so a cost v ties with the least cost m offered to the same total when
 * v ≤ m + tieTolerance(N)·|m|: relative to the values compared (about 1e−12, floating-point
 * noise of sums of terms ≥ 0), never to the largest cost of a row or period, which would
 * swallow real differences when costs span many orders of magnitude. The chosen tie is kept
 * within that limit of the least cost (engineRow.ts, offer). The Lagrange method compares single
 * marginal increments, which carry no summation noise, and uses exact equality (see convex.ts).
 */
import { PlannerError } from '../contract';

/** Work bound (rows + runs moved) of the exact tie-break before it falls back to even spacing. */
export const MAX_TIE_WORK = 2e7;

export const TIE_BREAK_RULE =
  'among schedules of equal cost, the one closest to an even pace (smallest Σ (cumulative shares − S·i/N)²)';

/** Relative tolerance r (v ties with the least cost m when v ≤ m + r·|m|), for N periods. */
export function tieTolerance(n: number): number {
  return 1e-12 + n * 2.3e-16;
}

// ---------------------------------------------------------------------------------------
// The Lagrange method's exact tie-break

/**
 * Choose y_p ∈ [0, a_p] for the tie periods (0-based indices `periods`, ascending), Σ y_p = R,
 * minimising D = Σ_{i=1..N} (s_i − M·i/N)² with s_i = B_i + Y_i (B: cumulative `base`, Y:
 * cumulative y); among schedules of equal D the lexicographically largest (y_P, …, y_1), i.e.
 * more later. Returns null when the work exceeds MAX_TIE_WORK (caller spreads evenly).
 *
 * Dynamic programme over Y = lots placed among the ties so far, one row per tie period
 * (periods between two tie periods keep Y and fold their terms into the earlier one's):
 *   F_p(Y) = min_{Y − a_p ≤ Y' ≤ Y} F_{p−1}(Y') + Σ_{i in group p} (B_i + Y − M·i/N)².
 * Every row is convex, so the window minimum only inserts a run of a_p zero differences at
 * the row's smallest minimiser m, and the group's quadratic adds a linear function to the
 * differences. The differences are kept as arithmetic runs on two stacks either side of m
 * (the right one shifted lazily), so a row costs O(1) amortised plus the runs the minimiser
 * passes, never O(R); backtracking needs only m_p: Y_{p−1} = clamp(m_{p−1}, Y_p − a_p, Y_p),
 * the smallest choice among equal D.
 *
 * The differences are kept as N·(F(Y+1) − F(Y)) = Σ_i N·(2Y + 1) + 2·(N·B_i − M·i): integers,
 * so every comparison (the minimiser, equal D) is exact while the intermediates stay below
 * 2^53, i.e. about N·Σ_i |B_i − M·i/N| + 8·N²·R < 9·10^15 (N = 390: any M up to ~10^10;
 * N = 10^5: a base within ~10^5 lots of the even pace and R up to ~10^5). Beyond that they
 * are floating-point comparisons, like the DP engine's own sums of D.
 *
 * Work: one step per tie period plus one per run the minimiser passes (amortised O(1) in
 * practice, O(P²) at the very worst); past `maxWork` steps it gives up.
 */
export function placeTies(
  M: number,
  base: ArrayLike<number>,
  periods: Int32Array,
  avail: ArrayLike<number>,
  R: number,
  shouldCancel?: () => boolean,
  maxWork: number = MAX_TIE_WORK,
): Float64Array | null {
  const n = base.length;
  const P = periods.length;
  const y = new Float64Array(P);
  if (P === 0) return y;
  if (P === 1) {
    y[0] = R;
    return y;
  }
  // Linear functions α·Y + β added to the differences by groups 0..P−2 (the last group sits
  // at Y = R and those before the first tie at Y = 0: constants).
  const alpha = new Float64Array(P - 1);
  const beta = new Float64Array(P - 1);
  let B = 0;
  let g = -1;
  for (let i = 1; i <= n; i++) {
    B += base[i - 1];
    if (g + 1 < P && periods[g + 1] === i - 1) g++;
    if (g < 0 || g >= P - 1) continue;
    alpha[g] += 2 * n;
    beta[g] += n + 2 * (n * B - M * i);
  }
  const dp = new TieRows(R);
  const mArr = new Float64Array(P - 1);
  const hiArr = new Float64Array(P - 1);
  for (let q = 0; q < P - 1; q++) {
    if ((q & 4095) === 4095 && shouldCancel?.())
      throw new PlannerError('cancelled', 'solve cancelled');
    dp.boxMin(avail[q]);
    dp.add(alpha[q], beta[q]);
    mArr[q] = dp.root();
    hiArr[q] = dp.hi;
    if (++dp.work > maxWork) return null;
  }
  let Y = R;
  for (let q = P - 2; q >= 0; q--) {
    const lo = Math.max(0, Y - avail[q + 1]);
    const up = Math.min(Y, hiArr[q]);
    const Yq = Math.min(Math.max(mArr[q], lo), up);
    y[q + 1] = Y - Yq;
    Y = Yq;
  }
  y[0] = Y;
  return y;
}

/**
 * The differences δ(Y) = F(Y+1) − F(Y), Y = 0..hi−1, of a convex row as arithmetic runs
 * (start, length, value at start, step). Left stack: Y < cursor, absolute positions, lazy
 * aL·Y + bL. Right stack: Y ≥ cursor, positions relative to `off` (absolute = rel + off, so
 * inserting at the cursor shifts the whole stack at once), lazy aR·rel + bR; its bottom is
 * the far right end, trimmed when the domain is capped at R.
 */
class TieRows {
  hi = 0;
  work = 0;
  private cursor = 0;
  private off = 0;
  private aL = 0;
  private bL = 0;
  private aR = 0;
  private bR = 0;
  private Ls = new Float64Array(64);
  private Ll = new Float64Array(64);
  private Lv = new Float64Array(64);
  private Ld = new Float64Array(64);
  private nL = 0;
  private Rs = new Float64Array(64);
  private Rl = new Float64Array(64);
  private Rv = new Float64Array(64);
  private Rd = new Float64Array(64);
  private rHead = 0;
  private nR = 0;

  constructor(private readonly R: number) {}

  /** G(Y) = min over [Y − a, Y] of F: a zero run of length a at the cursor (the minimiser). */
  boxMin(a: number): void {
    this.off += a;
    this.hi = Math.min(this.hi + a, this.R);
    const hi = this.hi;
    // Trim the far right end to the domain [0, hi).
    while (this.nR > this.rHead) {
      const t = this.rHead;
      const s = this.Rs[t] + this.off;
      if (s >= hi) {
        this.rHead++;
        continue;
      }
      if (s + this.Rl[t] > hi) this.Rl[t] = hi - s;
      break;
    }
    const len = Math.min(a, hi - this.cursor);
    if (len > 0) this.pushR(this.cursor, len, 0, 0);
    if (this.off > this.R) this.rebase();
  }

  /** δ(Y) += α·Y + β on the whole row. */
  add(alpha: number, beta: number): void {
    this.aL += alpha;
    this.bL += beta;
    this.aR += alpha;
    this.bR += beta + alpha * this.off;
  }

  /** Move the cursor to the smallest Y with δ(Y) ≥ 0 (hi when none): the smallest minimiser. */
  root(): number {
    let moved = false;
    while (this.nL > 0) {
      const t = this.nL - 1;
      const s = this.Ls[t];
      const l = this.Ll[t];
      const D = this.Ld[t] + this.aL;
      const first = this.Lv[t] + this.aL * s + this.bL;
      const last = first + D * (l - 1);
      if (last < 0) break;
      moved = true;
      this.work++;
      if (first >= 0) {
        this.nL--;
        this.pushR(s, l, first, D);
        this.cursor = s;
        continue;
      }
      const j = firstNonNegative(first, D, l);
      this.Ll[t] = j;
      this.pushR(s + j, l - j, first + D * j, D);
      this.cursor = s + j;
      break;
    }
    if (!moved) {
      while (this.nR > this.rHead) {
        const t = this.nR - 1;
        const rs = this.Rs[t];
        const l = this.Rl[t];
        const s = rs + this.off;
        const first = this.Rv[t] + this.aR * rs + this.bR;
        if (first >= 0) break;
        this.work++;
        const D = this.Rd[t] + this.aR;
        const last = first + D * (l - 1);
        if (last < 0) {
          this.nR--;
          this.pushL(s, l, first, D);
          this.cursor = s + l;
          continue;
        }
        const j = firstNonNegative(first, D, l);
        this.pushL(s, j, first, D);
        this.Rs[t] = rs + j;
        this.Rl[t] = l - j;
        this.Rv[t] = first + D * j - this.aR * (rs + j) - this.bR;
        this.cursor = s + j;
        break;
      }
    }
    return this.cursor;
  }

  /** Push a run (absolute start s, actual first value and step) on the left stack. */
  private pushL(s: number, l: number, first: number, D: number): void {
    if (this.nL === this.Ls.length) {
      this.Ls = grow(this.Ls);
      this.Ll = grow(this.Ll);
      this.Lv = grow(this.Lv);
      this.Ld = grow(this.Ld);
    }
    const t = this.nL++;
    this.Ls[t] = s;
    this.Ll[t] = l;
    this.Lv[t] = first - this.aL * s - this.bL;
    this.Ld[t] = D - this.aL;
  }

  /** Push a run (absolute start s, actual first value and step) on top of the right stack. */
  private pushR(s: number, l: number, first: number, D: number): void {
    if (this.nR === this.Rs.length) {
      if (this.rHead > this.Rs.length / 2) {
        // Compact: the bottom was trimmed away.
        const h = this.rHead;
        this.Rs.copyWithin(0, h, this.nR);
        this.Rl.copyWithin(0, h, this.nR);
        this.Rv.copyWithin(0, h, this.nR);
        this.Rd.copyWithin(0, h, this.nR);
        this.nR -= h;
        this.rHead = 0;
      } else {
        this.Rs = grow(this.Rs);
        this.Rl = grow(this.Rl);
        this.Rv = grow(this.Rv);
        this.Rd = grow(this.Rd);
      }
    }
    const t = this.nR++;
    const rs = s - this.off;
    this.Rs[t] = rs;
    this.Rl[t] = l;
    this.Rv[t] = first - this.aR * rs - this.bR;
    this.Rd[t] = D - this.aR;
  }

  /** Re-origin the right stack (off = 0) so that magnitudes stay bounded by R. */
  private rebase(): void {
    const off = this.off;
    for (let t = this.rHead; t < this.nR; t++) this.Rs[t] += off;
    this.work += this.nR - this.rHead;
    this.bR -= this.aR * off;
    this.off = 0;
  }
}

/** Smallest j in [1, l − 1] with first + D·j ≥ 0, given first < 0 ≤ first + D·(l − 1). */
function firstNonNegative(first: number, D: number, l: number): number {
  let j = Math.ceil(-first / D);
  if (!(j >= 1)) j = 1;
  if (j > l - 1) j = l - 1;
  while (j > 1 && first + D * (j - 1) >= 0) j--;
  while (j < l - 1 && first + D * j < 0) j++;
  return j;
}

function grow(a: Float64Array): Float64Array<ArrayBuffer> {
  const b = new Float64Array(a.length * 2);
  b.set(a);
  return b;
}

/**
 * Add r lots in total to `counts`, at most avail[i] to period i, as evenly as possible: a
 * common level L for every period with room, the remainder spread at even spacing in time.
 * (The approximate tie-break, used only past MAX_TIE_WORK.)
 */
export function addEvenly(counts: Float64Array, avail: Float64Array, r: number): void {
  if (r <= 0) return;
  const idx: number[] = [];
  for (let i = 0; i < avail.length; i++) if (avail[i] > 0) idx.push(i);
  idx.sort((x, y) => avail[x] - avail[y]);
  let rem = r;
  let active = idx.length;
  let p = 0;
  while (p < idx.length && avail[idx[p]] * active <= rem) {
    counts[idx[p]] += avail[idx[p]];
    rem -= avail[idx[p]];
    active--;
    p++;
  }
  if (active === 0) return;
  const rest = idx.slice(p).sort((x, y) => x - y);
  const level = Math.floor(rem / active);
  const extra = rem - level * active;
  for (let j = 0; j < rest.length; j++) {
    const bump = Math.floor(((j + 1) * extra) / active) - Math.floor((j * extra) / active);
    counts[rest[j]] += level + bump;
  }
}
