import fc from 'fast-check';

/**
 * fast-check settings shared by the property tests: a fixed seed by default, so CI is repeatable;
 * `FC_SEED=<n>` replays a reported failure, `FC_SEED=random` explores new inputs.
 */
export function propertyParameters(numRuns: number): { numRuns: number; seed?: number } {
  const seed = process.env.FC_SEED;
  if (seed === 'random') return { numRuns };
  return { numRuns, seed: seed === undefined ? 20261123 : Number(seed) };
}

/** A random edit for `mutate`: delete a character, insert one of `alphabet`, or duplicate a few. */
export function mutationFrom(alphabet: string) {
  return fc.tuple(fc.constantFrom('delete', 'insert', 'duplicate'), fc.nat(), fc.constantFrom(...alphabet.split('')));
}

/** Applies edits from `mutationFrom` in order; a duplicate repeats the next `duplicate` characters. */
export function mutate(text: string, mutations: ReadonlyArray<readonly [string, number, string]>, duplicate = 2): string {
  let out = text;
  for (const [kind, at, char] of mutations) {
    const i = at % (out.length + 1);
    out = kind === 'delete' ? out.slice(0, i) + out.slice(i + 1) : kind === 'insert' ? out.slice(0, i) + char + out.slice(i) : out.slice(0, i) + out.slice(i, i + duplicate) + out.slice(i);
  }
  return out;
}
