const cache = new Map<string, RegExp>();
const ASCII = /^[\x00-\x7f]*$/;

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
  // Most patterns (ARNs, action names) hold no wildcard: compare without compiling a RegExp.
  if (!pattern.includes('*') && !pattern.includes('?') && ASCII.test(pattern)) return pattern.length === value.length && pattern.toLowerCase() === value.toLowerCase();
  return wildcardRegExp(pattern).test(value);
}
