/**
 * Schedule columns the binary answer (resultBinary.ts) may leave out because the window can
 * rebuild them, bit for bit, from the columns it does get: the shares still to trade, the cost
 * in bps, the participation, a column whose every entry is the same number, and (in a getPlan
 * answer) the expected volume, which is the plan's own volume profile. Each is the solver's
 * own formula (src-shared/solver/solvePlan.ts). The server leaves a column out only after
 * rebuilding it here and finding every entry's bits equal to the column's (`recipeFor`); any
 * difference, and the column is sent as it is. So a result comes back exactly as it was, and
 * the answer is smaller by those columns (docs/window.md, "Columns the window rebuilds").
 */

/** How a left-out column is rebuilt; it travels in the answer's header in the column's place. */
export type Recipe =
  /** Every entry is `value` (a finite number, not -0). */
  | { derive: 'fill'; value: number }
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
  cost: Float64Array;
  expectedVolume: Float64Array | null;
  /** The plan's volume profile, when the answer holds the plan. */
  volumeProfile?: readonly number[];
}

/** What each schedule column may be rebuilt by, tried in this order. */
export const DERIVABLE = {
  remaining: ['remaining', 'fill'],
  costBps: ['costBps', 'fill'],
  participation: ['participation', 'fill'],
  riskVariance: ['fill'],
  expectedVolume: ['volume', 'fill'],
} as const satisfies Record<string, readonly Recipe['derive'][]>;
export type DerivableColumn = keyof typeof DERIVABLE;

const plain = (x: unknown): x is number =>
  typeof x === 'number' && Number.isFinite(x) && !Object.is(x, -0);

/** Entry i of the column `recipe` rebuilds (`left` carries the running remainder). */
function entryOf(recipe: Recipe, from: RecipeInputs, i: number, left: { v: number }): number {
  switch (recipe.derive) {
    case 'fill':
      return recipe.value;
    case 'remaining':
      left.v -= from.shares[i];
      return left.v;
    case 'costBps': {
      const x = from.shares[i];
      return x > 0 ? (from.cost[i] / (x * recipe.price)) * 1e4 : 0;
    }
    case 'participation': {
      const v = from.expectedVolume![i];
      return v > 0 ? from.shares[i] / v : NaN;
    }
    case 'volume':
      // As the plan's JSON carries it: -0 is written 0.
      return from.volumeProfile![i] + 0;
  }
}

/** Whether `recipe` can be applied to these inputs at all (the columns it reads are there). */
function usable(recipe: Recipe, from: RecipeInputs, n: number): boolean {
  switch (recipe.derive) {
    case 'fill':
      return plain(recipe.value);
    case 'remaining':
      return plain(recipe.total);
    case 'costBps':
      return plain(recipe.price) && recipe.price !== 0;
    case 'participation':
      return from.expectedVolume !== null && from.expectedVolume.length === n;
    case 'volume':
      return (
        Array.isArray(from.volumeProfile) &&
        from.volumeProfile.length === n &&
        from.volumeProfile.every((v) => typeof v === 'number' && Number.isFinite(v))
      );
  }
}

/** The column `recipe` rebuilds, n entries long; throws when its inputs are not there. */
export function derive(recipe: Recipe, from: RecipeInputs, n: number): Float64Array {
  if (!usable(recipe, from, n)) throw new Error(`cannot rebuild a column by "${recipe.derive}"`);
  const out = new Float64Array(n);
  if (recipe.derive === 'fill') return recipe.value === 0 ? out : out.fill(recipe.value);
  const left = { v: recipe.derive === 'remaining' ? recipe.total : 0 };
  for (let i = 0; i < n; i++) out[i] = entryOf(recipe, from, i, left);
  return out;
}

const CANONICAL_NAN_HIGH = 0x7ff80000;

/** Whether entry i of `column` has exactly the bits of `x` (a NaN: the canonical one). */
function sameBits(column: Float64Array, words: Uint32Array, i: number, x: number): boolean {
  const y = column[i];
  if (y === y) return Object.is(x, y);
  return x !== x && words[2 * i] === 0 && words[2 * i + 1] === CANONICAL_NAN_HIGH;
}

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
  if (n === 0 || from.shares.length !== n || from.cost.length !== n) return null;
  const words = new Uint32Array(column.buffer, column.byteOffset, 2 * n);
  for (const kind of DERIVABLE[name]) {
    const recipe = candidate(kind, column, from, hints);
    if (!recipe || !usable(recipe, from, n)) continue;
    const left = { v: recipe.derive === 'remaining' ? recipe.total : 0 };
    let i = 0;
    while (i < n && sameBits(column, words, i, entryOf(recipe, from, i, left))) i++;
    if (i === n) return recipe;
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

const RECIPE_KINDS = { fill: 1, remaining: 1, costBps: 1, participation: 1, volume: 1 };
