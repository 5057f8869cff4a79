/**
 * Schemas built on first use instead of when their module loads. Building a zod schema costs
 * far more than checking a value with it (a plan's schema: tens of milliseconds on a cold
 * start), and most processes that load contract.ts use a handful of its schemas or none: the
 * CLI's `solve` only needs PlannerError from it. Each schema is built once, on the first
 * read, and kept (docs/architecture.md, CLI start-up).
 */

/** A value computed on the first call and returned by every later one. */
export function memo<T>(build: () => T): () => T {
  let value: T | undefined;
  let built = false;
  return () => {
    if (!built) {
      value = build();
      built = true;
    }
    return value as T;
  };
}

/**
 * A schema that is built on its first use: it stands for `build()`'s schema everywhere
 * (parse, shape, optional(), inside another schema, instanceof), every read going to the one
 * built schema.
 */
export function lazySchema<T extends object>(build: () => T): T {
  const schema = memo(build);
  return new Proxy(Object.create(null) as T, {
    get: (_, key) => Reflect.get(schema(), key, schema()),
    set: (_, key, value) => Reflect.set(schema(), key, value, schema()),
    has: (_, key) => Reflect.has(schema(), key),
    ownKeys: () => Reflect.ownKeys(schema()),
    // Reported configurable: the stand-in itself has none of the schema's own properties.
    getOwnPropertyDescriptor: (_, key) => {
      const d = Reflect.getOwnPropertyDescriptor(schema(), key);
      return d && { ...d, configurable: true };
    },
    getPrototypeOf: () => Reflect.getPrototypeOf(schema()),
  });
}

/**
 * An object of schemas, each built when its key is first read and then kept as the key's
 * value: `lazyRecord({ a: () => z.string() }).a` is that string schema, built once.
 */
export function lazyRecord<T extends Record<string, () => unknown>>(
  builders: T,
): { readonly [K in keyof T]: ReturnType<T[K]> } {
  const out = {} as { [K in keyof T]: ReturnType<T[K]> };
  for (const key of Object.keys(builders) as (keyof T & string)[]) {
    Object.defineProperty(out, key, {
      enumerable: true,
      configurable: true,
      get() {
        const value = builders[key]();
        Object.defineProperty(out, key, { value, enumerable: true, writable: false });
        return value;
      },
    });
  }
  return out;
}
