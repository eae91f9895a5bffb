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
  const star = firstWildcard(pattern);
  if (star < 0 && ASCII.test(pattern)) return pattern.length === value.length && pattern.toLowerCase() === value.toLowerCase();
  // The text before the first wildcard must begin the value: most patterns fail there, before a RegExp is
  // compiled for them (policies hold thousands of distinct ARN patterns). ASCII only: the RegExp's case folding
  // never equates a non-ASCII character with an ASCII one, so a differing ASCII prefix cannot match.
  if (star > 0) {
    const head = pattern.slice(0, star);
    if (ASCII.test(head) && value.slice(0, star).toLowerCase() !== head.toLowerCase()) return false;
  }
  return wildcardRegExp(pattern).test(value);
}

function firstWildcard(pattern: string): number {
  const star = pattern.indexOf('*');
  const question = pattern.indexOf('?');
  return star < 0 ? question : question < 0 ? star : Math.min(star, question);
}
