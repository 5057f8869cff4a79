/**
 * Schedule columns the binary answer (resultBinary.ts) may leave out because the window can
 * rebuild them, bit for bit, from the columns it does get: the cost (shares × impact per share,
 * where the model's cost is exactly that), the shares still to trade, the cost in bps, the
 * participation, a column whose every entry is the same number, and (in a getPlan
 * answer) the expected volume, which is the plan's own volume profile. Each is the solver's
 * own formula (src-shared/solver/solvePlan.ts). The server leaves a column out only after
 * rebuilding it here and finding every entry's bits equal to the column's (`recipeFor`); any
 * difference, and the column is sent as it is. So a result comes back exactly as it was, and
 * the answer is smaller by those columns (docs/window.md, "Opening a long plan").
 */

/** How a left-out column is rebuilt; it travels in the answer's header in the column's place. */
export type Recipe =
  /** Every entry is `value` (a finite number, not -0). */
  | { derive: 'fill'; value: number }
  /** shares · impact per share. */
  | { derive: 'product' }
  /** `total` less the running sum of the shares: remaining after each period. */
  | { derive: 'remaining'; total: number }
  /** (cost / (shares · price)) · 10⁴ where shares > 0, else 0. */
  | { derive: 'costBps'; price: number }
  /** shares / expected volume where the volume is above 0, else NaN (no figure). */
  | { derive: 'participation' }
  /** The plan's volume profile (a getPlan answer, whose plan is beside the result). */
  | { derive: 'volume' };

/** The schedule columns a recipe reads. */
export interface RecipeInputs {
  shares: Float64Array;
  impactPerShare: Float64Array | null;
  /** Null while the cost is itself to be rebuilt. */
  cost: Float64Array | null;
  expectedVolume: Float64Array | null;
  /** The plan's volume profile, when the answer holds the plan. */
  volumeProfile?: readonly number[];
}

/** What each schedule column may be rebuilt by, tried in this order. */
export const DERIVABLE = {
  cost: ['product'],
  remaining: ['remaining', 'fill'],
  costBps: ['costBps', 'fill'],
  participation: ['participation', 'fill'],
  riskVariance: ['fill'],
  expectedVolume: ['volume', 'fill'],
} as const satisfies Record<string, readonly Recipe['derive'][]>;
export type DerivableColumn = keyof typeof DERIVABLE;

/** Every entry a finite number (a plain loop: it runs over 100,000 entries once an answer). */
function finite(xs: readonly unknown[]): boolean {
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i];
    if (typeof x !== 'number' || !Number.isFinite(x)) return false;
  }
  return true;
}

const plain = (x: unknown): x is number =>
  typeof x === 'number' && Number.isFinite(x) && !Object.is(x, -0);

/** Whether `recipe` can be applied to these inputs at all (the columns it reads are there). */
function usable(recipe: Recipe, from: RecipeInputs, n: number): boolean {
  switch (recipe.derive) {
    case 'fill':
      return plain(recipe.value);
    case 'remaining':
      return plain(recipe.total);
    case 'product':
      return from.impactPerShare !== null && from.impactPerShare.length === n;
    case 'costBps':
      return (
        plain(recipe.price) && recipe.price !== 0 && from.cost !== null && from.cost.length === n
      );
    case 'participation':
      return from.expectedVolume !== null && from.expectedVolume.length === n;
    case 'volume':
      return (
        Array.isArray(from.volumeProfile) &&
        from.volumeProfile.length === n &&
        finite(from.volumeProfile)
      );
  }
}

/** The column `recipe` rebuilds, n entries long; throws when its inputs are not there. */
export function derive(recipe: Recipe, from: RecipeInputs, n: number): Float64Array {
  if (!usable(recipe, from, n)) throw new Error(`cannot rebuild a column by "${recipe.derive}"`);
  const out = new Float64Array(n);
  if (recipe.derive !== 'fill' || recipe.value !== 0) rebuildInto(recipe, from, n, out, null);
  return out;
}

/**
 * The recipe's entries, each written into `out` or, when `check` is given, compared with the
 * entry of `check` instead (bit for bit: a NaN only as the canonical NaN the window makes);
 * returns whether every entry compared equal. One plain loop per recipe: this runs once per
 * answer over 100,000 entries, before the compiler has seen it.
 */
function rebuildInto(
  recipe: Recipe,
  from: RecipeInputs,
  n: number,
  out: Float64Array | null,
  check: Float64Array | null,
): boolean {
  const { shares, cost } = from;
  const words = check ? new Uint32Array(check.buffer, check.byteOffset, 2 * n) : null;
  /** Entry i of `check` is x bit for bit (-0 is not 0; NaN is the canonical NaN). */
  const same = (i: number, x: number): boolean => {
    const y = check![i];
    if (y === y) return y === x && (y !== 0 || 1 / y === 1 / x);
    return x !== x && words![2 * i] === 0 && words![2 * i + 1] === CANONICAL_NAN_HIGH;
  };
  switch (recipe.derive) {
    case 'fill': {
      const v = recipe.value;
      if (!check) out!.fill(v);
      else for (let i = 0; i < n; i++) if (!same(i, v)) return false;
      return true;
    }
    case 'remaining': {
      let left = recipe.total;
      for (let i = 0; i < n; i++) {
        left -= shares[i];
        if (!check) out![i] = left;
        else if (!same(i, left)) return false;
      }
      return true;
    }
    case 'product': {
      const impact = from.impactPerShare!;
      for (let i = 0; i < n; i++) {
        const v = shares[i] * impact[i];
        if (!check) out![i] = v;
        else if (!same(i, v)) return false;
      }
      return true;
    }
    case 'costBps': {
      const price = recipe.price;
      for (let i = 0; i < n; i++) {
        const x = shares[i];
        const v = x > 0 ? (cost![i] / (x * price)) * 1e4 : 0;
        if (!check) out![i] = v;
        else if (!same(i, v)) return false;
      }
      return true;
    }
    case 'participation': {
      const volume = from.expectedVolume!;
      for (let i = 0; i < n; i++) {
        const v = volume[i] > 0 ? shares[i] / volume[i] : NaN;
        if (!check) out![i] = v;
        else if (!same(i, v)) return false;
      }
      return true;
    }
    case 'volume': {
      // As the plan's JSON carries it: -0 is written 0.
      const volume = from.volumeProfile!;
      for (let i = 0; i < n; i++) {
        const v = volume[i] + 0;
        if (!check) out![i] = v;
        else if (!same(i, v)) return false;
      }
      return true;
    }
  }
}

const CANONICAL_NAN_HIGH = 0x7ff80000;

/**
 * A recipe that rebuilds `column` bit for bit from `from`, or null: each candidate of
 * DERIVABLE[name] is tried entry by entry (no column is built) and dropped at its first
 * differing entry. `hints` give the candidates' numbers (the order's shares, the reference
 * price) from the plan when the answer has it.
 */
export function recipeFor(
  name: DerivableColumn,
  column: Float64Array,
  from: RecipeInputs,
  hints: { total?: unknown; price?: unknown },
): Recipe | null {
  const n = column.length;
  if (n === 0 || from.shares.length !== n) return null;
  for (const kind of DERIVABLE[name]) {
    const recipe = candidate(kind, column, from, hints);
    if (!recipe || !usable(recipe, from, n)) continue;
    if (rebuildInto(recipe, from, n, null, column)) return recipe;
  }
  return null;
}

function candidate(
  kind: Recipe['derive'],
  column: Float64Array,
  from: RecipeInputs,
  hints: { total?: unknown; price?: unknown },
): Recipe | null {
  switch (kind) {
    case 'fill':
      return { derive: 'fill', value: column[0] };
    case 'remaining':
      // The order's shares: the plan's, else what the first period leaves plus its shares.
      return {
        derive: 'remaining',
        total: typeof hints.total === 'number' ? hints.total : column[0] + from.shares[0],
      };
    case 'costBps':
      return typeof hints.price === 'number' ? { derive: 'costBps', price: hints.price } : null;
    case 'product':
      return { derive: 'product' };
    case 'participation':
      return { derive: 'participation' };
    case 'volume':
      return { derive: 'volume' };
  }
}

/** Whether a header entry is a recipe (not a `{ column: i }` placeholder). */
export function isRecipe(x: unknown): x is Recipe {
  const d = (x as { derive?: unknown } | null)?.derive;
  return typeof d === 'string' && Object.hasOwn(RECIPE_KINDS, d);
}

const RECIPE_KINDS = { fill: 1, product: 1, remaining: 1, costBps: 1, participation: 1, volume: 1 };
