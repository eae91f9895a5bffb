const cache = new Map<string, RegExp>();

/** IAM-style glob (`*` any run, `?` one character) as an anchored, case-insensitive RegExp. */
export function wildcardRegExp(pattern: string): RegExp {
  let regexp = cache.get(pattern);
  if (!regexp) {
    const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
    regexp = new RegExp(`^${source}$`, 'is');
    cache.set(pattern, regexp);
  }
  return regexp;
}

export function wildcardMatches(pattern: string, value: string): boolean {
  return wildcardRegExp(pattern).test(value);
}
