/** Deeper bracket nesting than any real IaC file has; deeper input would overflow recursive parsing and evaluation. */
export const MAX_NESTING = 500;

/**
 * The offset where bracket nesting (`[`, `{`, `(`, outside double-quoted strings) first exceeds
 * `limit`, or undefined. A linear pre-check, so hostile input is refused before any recursive stage.
 */
export function excessiveNesting(text: string, limit = MAX_NESTING): number | undefined {
  // Nesting past `limit` needs more than `limit` opening brackets: most files have far fewer,
  // and counting them with indexOf is much cheaper than the walk below.
  if (!moreThan(text, limit, ['[', '{', '('])) return undefined;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      // Skip a double-quoted string (escapes honoured; a newline ends it, so one stray quote cannot hide the rest).
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 92) i++;
        else if (d === 34 || d === 10) break;
      }
    } else if (c === 91 || c === 123 || c === 40) {
      if (++depth > limit) return i;
    } else if ((c === 93 || c === 125 || c === 41) && depth > 0) depth--;
  }
  return undefined;
}

/** Whether `text` holds more than `limit` of the characters `chars`, counted together. */
function moreThan(text: string, limit: number, chars: readonly string[]): boolean {
  let count = 0;
  for (const c of chars) for (let i = text.indexOf(c); i >= 0; i = text.indexOf(c, i + 1)) if (++count > limit) return true;
  return false;
}
