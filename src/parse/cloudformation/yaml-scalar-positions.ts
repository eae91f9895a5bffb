import type { PositionMapper } from '../../model/range.js';
import { mayHoldJson, positionsFromRuns, type SourceRun, type StringPositions } from '../../model/string-positions.js';

/**
 * Where each character of a YAML scalar's value stands in the text: quoted scalars (escapes,
 * doubled quotes, line folding) and literal/folded block scalars (indentation, folding). Both YAML
 * paths (fast-yaml.ts and the yaml library's tree) ask it with the scalar's span and the value they
 * read; the value is decoded again here from the text and the map is kept only when that agrees with
 * what the parser read, so a construct read differently here gives no map, never a wrong one.
 * Only for values that may hold JSON (a policy written as a string): other scalars need none.
 * Plain scalars cannot start with `{` (that is a flow mapping), so they never hold a policy.
 */
export function yamlScalarPositions(text: string, start: number, end: number, value: string, mapper: PositionMapper): StringPositions | undefined {
  if (!mayHoldJson(value)) return undefined;
  let at = start;
  if (text[at] === '!') {
    // A tagged scalar's span may start at its tag (`!Sub '{...}'`).
    while (at < end && text[at] !== ' ' && text[at] !== '\n') at++;
    while (at < end && (text[at] === ' ' || text[at] === '\n')) at++;
  }
  const c = text[at];
  const decoded = c === '"' || c === "'" ? quoted(text, at, end) : c === '|' || c === '>' ? block(text, at, end) : undefined;
  if (!decoded || decoded.text.trimEnd() !== value.trimEnd()) return undefined;
  return positionsFromRuns(decoded.runs, decoded.text.length, mapper);
}

interface Decoded {
  text: string;
  runs: SourceRun[];
}

/** Builds decoded text and its runs from `source`, a run growing while characters are copied as written. */
function decoder(source: string): Decoded & { copy(from: number, to: number): void; put(decoded: string, from: number, length: number): void } {
  const runs: SourceRun[] = [];
  let text = '';
  let copying = false;
  return {
    runs,
    get text() {
      return text;
    },
    /** Source characters [from, to) copied as they are (on one line). */
    copy(from, to) {
      if (to <= from) return;
      const last = runs[runs.length - 1];
      if (copying && last.sourceStart + last.sourceLength === from) last.sourceLength += to - from;
      else runs.push({ decodedStart: text.length, sourceStart: from, sourceLength: to - from });
      copying = true;
      text += source.slice(from, to);
    },
    /** `decoded` standing for the source span [from, from + length) as a whole (an escape, a folded line break). */
    put(decoded, from, length) {
      runs.push({ decodedStart: text.length, sourceStart: from, sourceLength: length });
      copying = false;
      text += decoded;
    },
  };
}

const ESCAPES: Record<string, string> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  t: '\t',
  '\t': '\t',
  n: '\n',
  v: '\v',
  f: '\f',
  r: '\r',
  e: '\x1b',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
  N: '\x85',
  _: '\xa0',
  L: '\u2028',
  P: '\u2029',
};

/** White space a line break folds away; a CRLF's carriage return counts as such (it is part of the break). */
function isBlank(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\r';
}

/** A quoted scalar from its opening quote at `open`: YAML's flow folding, escapes in double quotes. */
function quoted(text: string, open: number, end: number): Decoded | undefined {
  const quote = text[open];
  const double = quote === '"';
  const out = decoder(text);
  let i = open + 1;
  while (i < end) {
    const c = text[i];
    if (c === quote) {
      if (double || text[i + 1] !== "'") return out;
      out.put("'", i, 2);
      i += 2;
    } else if (double && c === '\\') {
      const e = text[i + 1];
      if (e === '\n') {
        // An escaped line break: joined without a space, the next line's leading blanks dropped.
        i += 2;
        while (isBlank(text[i])) i++;
        continue;
      }
      if (e === 'x' || e === 'u' || e === 'U') {
        const digits = e === 'x' ? 2 : e === 'u' ? 4 : 8;
        const hex = text.slice(i + 2, i + 2 + digits);
        if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== digits) return undefined;
        const code = parseInt(hex, 16);
        if (code > 0x10ffff) return undefined;
        out.put(String.fromCodePoint(code), i, 2 + digits);
        i += 2 + digits;
      } else if (e !== undefined && e in ESCAPES) {
        out.put(ESCAPES[e], i, 2);
        i += 2;
      } else return undefined;
    } else if (c === '\n' || isBlank(c)) {
      let j = i;
      while (isBlank(text[j])) j++;
      if (text[j] !== '\n') {
        out.copy(i, j); // blanks inside a line are text
        i = j;
        continue;
      }
      // A line break, trailing blanks before it dropped: one break folds to a space, n+1 to n newlines.
      let breaks = 0;
      let k = j + 1;
      for (;;) {
        let m = k;
        while (isBlank(text[m])) m++;
        if (text[m] !== '\n') {
          k = m;
          break;
        }
        breaks++;
        k = m + 1;
      }
      // A CRLF break starts at its CR (as in block scalars): where a CRLF text read as LF puts it too.
      out.put(breaks === 0 ? ' ' : '\n'.repeat(breaks), text[j - 1] === '\r' ? j - 1 : j, 1);
      i = k;
    } else {
      let j = i + 1;
      while (j < end && text[j] !== quote && text[j] !== '\n' && !isBlank(text[j]) && !(double && text[j] === '\\')) j++;
      out.copy(i, j);
      i = j;
    }
  }
  return undefined;
}

/**
 * A literal (`|`) or folded (`>`) block scalar from its indicator at `at` to `end`, trailing line
 * breaks left out (the caller compares without them). An explicit indentation indicator, or a
 * more-indented line in folded text, gives no map.
 */
function block(text: string, at: number, end: number): Decoded | undefined {
  const folded = text[at] === '>';
  let i = at + 1;
  while (text[i] === '-' || text[i] === '+') i++;
  if (/[1-9]/.test(text[i] ?? '')) return undefined;
  const headerEnd = text.indexOf('\n', i);
  if (headerEnd < 0) return undefined;
  const out = decoder(text);
  let indent = -1;
  let previousBreak = -1; // the line break after the last text line
  let empties = 0;
  for (let lineStart = headerEnd + 1; lineStart < end; ) {
    let newline = text.indexOf('\n', lineStart);
    if (newline < 0) newline = text.length;
    if (text[newline - 1] === '\r' && newline > lineStart) newline--; // CRLF: the break starts at its CR
    let spaces = 0;
    while (text[lineStart + spaces] === ' ') spaces++;
    const empty = lineStart + spaces === newline;
    if (!empty && indent < 0) indent = spaces;
    if (!empty && spaces < indent) break;
    // Spaces past the indentation on a blank line are text in a literal scalar.
    if (empty && !(indent >= 0 && spaces > indent && !folded)) empties++;
    else {
      if (folded && spaces > indent) return undefined;
      if (previousBreak >= 0 || empties > 0) flushBreaks();
      out.copy(lineStart + indent, newline);
      previousBreak = newline;
    }
    lineStart = newline + (text[newline] === '\r' ? 2 : 1);
  }
  return out;

  /** The line breaks between the last text line and the next: as written (literal) or folded. */
  function flushBreaks(): void {
    if (previousBreak < 0) {
      // Leading empty lines: each a newline, standing at the header's line break (at its CR in a CRLF text).
      out.put('\n'.repeat(empties), text[headerEnd - 1] === '\r' ? headerEnd - 1 : headerEnd, 1);
    } else if (folded) out.put(empties === 0 ? ' ' : '\n'.repeat(empties), previousBreak, 1);
    else out.put('\n'.repeat(empties + 1), previousBreak, 1);
    empties = 0;
    previousBreak = -1;
  }
}
