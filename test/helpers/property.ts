/**
 * fast-check settings shared by the property tests: a fixed seed by default, so CI is repeatable;
 * `FC_SEED=<n>` replays a reported failure, `FC_SEED=random` explores new inputs.
 */
export function propertyParameters(numRuns: number): { numRuns: number; seed?: number } {
  const seed = process.env.FC_SEED;
  if (seed === 'random') return { numRuns };
  return { numRuns, seed: seed === undefined ? 20261123 : Number(seed) };
}
