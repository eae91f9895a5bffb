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

/** StringLike's glob: `*` any run, `?` one character, compared case-sensitively (wildcardMatches folds case, as ARNs need). */
export function globMatches(pattern: string, value: string): boolean {
  let regexp = caseSensitiveCache.get(pattern);
  if (!regexp) {
    const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
    regexp = new RegExp(`^${source}$`, 's');
    if (caseSensitiveCache.size < 10_000) caseSensitiveCache.set(pattern, regexp);
  }
  return regexp.test(value);
}

/** Compiled StringLike globs: the guardrail search matches the same few SCP patterns against many targets. */
const caseSensitiveCache = new Map<string, RegExp>();

/**
 * Whether `value` matches the glob `pattern`: exactly what `wildcardRegExp(pattern).test(value)` answers.
 * Policies hold thousands of distinct ARN patterns, each matched against a few probes: compiling a
 * RegExp for each cost more than the matching, so the glob is matched by hand unless it needs the
 * RegExp's Unicode case folding.
 */
export function wildcardMatches(pattern: string, value: string): boolean {
  return asciiGlobMatches(pattern, value) ?? wildcardRegExp(pattern).test(value);
}

const STAR = 0x2a;
const QUESTION = 0x3f;

/**
 * The glob match over UTF-16 code units (as the non-Unicode RegExp sees them), comparing ASCII case-
 * insensitively; undefined when it would have to compare a non-ASCII pattern character (the RegExp
 * decides those). The classic greedy match: on a mismatch, only the last `*` seen needs to take one
 * more character, so it never backtracks further.
 */
export function asciiGlobMatches(pattern: string, value: string): boolean | undefined {
  let p = 0;
  let v = 0;
  let star = -1;
  let starValue = 0;
  while (v < value.length) {
    if (p < pattern.length) {
      const c = pattern.charCodeAt(p);
      if (c === STAR) {
        star = p++;
        starValue = v;
        continue;
      }
      if (c > 0x7f) return undefined;
      if (c === QUESTION || sameAscii(c, value.charCodeAt(v))) {
        p++;
        v++;
        continue;
      }
    }
    if (star < 0) return false;
    p = star + 1;
    v = ++starValue;
  }
  while (p < pattern.length && pattern.charCodeAt(p) === STAR) p++;
  return p === pattern.length;
}

/**
 * Whether an ASCII pattern character `p` equals the value's `v` under the RegExp's `i` flag: ASCII
 * letters ignoring case. A non-ASCII `v` stays itself, so never equals one: a non-Unicode RegExp's
 * case folding never maps a non-ASCII character to ASCII (not even the Kelvin sign).
 */
function sameAscii(p: number, v: number): boolean {
  return p === v || lowerAscii(p) === lowerAscii(v);
}

function lowerAscii(code: number): number {
  return code >= 0x41 && code <= 0x5a ? code | 0x20 : code;
}

/**
 * An Action entry as a wildcard grant reads it: `*` for an entry every action matches (`*`, `*:*`, `**`), the entry
 * itself for every action of the services it names (`lambda:*`, `s*:*`), else undefined. IAM matches the whole
 * `service:action` text, so `*:*` is as much every action as `*` is.
 */
export function actionWildcard(entry: string): string | undefined {
  const text = entry.trim();
  const colon = text.indexOf(':');
  const actionPart = colon < 0 ? text : text.slice(colon + 1);
  if (actionPart === '' || !/^\*+$/.test(actionPart)) return undefined;
  if (colon < 0 || /^\*+$/.test(text.slice(0, colon))) return '*';
  return /^[a-z0-9*?-]+$/i.test(text.slice(0, colon)) ? text : undefined;
}
