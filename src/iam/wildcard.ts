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
  // Most patterns (ARNs, action names) hold no wildcard: compare without compiling a RegExp.
  const star = firstWildcard(pattern);
  if (star < 0) {
    const same = pattern.length === value.length ? asciiHeadMatches(pattern, value, pattern.length) : false;
    if (same !== undefined) return same;
  }
  // The text before the first wildcard must begin the value: most patterns fail there, before a RegExp is
  // compiled for them (policies hold thousands of distinct ARN patterns). ASCII only: the RegExp's case folding
  // never equates a non-ASCII character with an ASCII one, so a differing ASCII prefix cannot match.
  if (star > 0 && asciiHeadMatches(pattern, value, star) === false) return false;
  return wildcardRegExp(pattern).test(value);
}

/**
 * Whether `value` begins with the first `length` characters of `pattern`, ignoring ASCII case, as the
 * RegExp would see it; undefined when that part of the pattern is not all ASCII (the RegExp decides).
 * Compares character codes: this runs for every (pattern, probe) pair, and lower-casing both allocated.
 */
function asciiHeadMatches(pattern: string, value: string, length: number): boolean | undefined {
  let differs = value.length < length;
  for (let i = 0; i < length; i++) {
    const p = pattern.charCodeAt(i);
    if (p > 0x7f) return undefined;
    if (differs) continue;
    const v = value.charCodeAt(i);
    // A non-ASCII character in the value never equals an ASCII one under the RegExp's case folding.
    if (p !== v && (v > 0x7f || lowerAscii(p) !== lowerAscii(v))) differs = true;
  }
  return !differs;
}

function lowerAscii(code: number): number {
  return code >= 0x41 && code <= 0x5a ? code | 0x20 : code;
}

function firstWildcard(pattern: string): number {
  const star = pattern.indexOf('*');
  const question = pattern.indexOf('?');
  return star < 0 ? question : question < 0 ? star : Math.min(star, question);
}
