/**
 * PyYAML and SnakeYAML (what SAM CLI, cfn-lint and CloudFormation read templates with) accept a
 * flow collection or a quoted scalar whose continuation lines are indented no deeper than its
 * key, as in
 *
 *     Cors: {
 *     "Fn::Join": [",", ["a", "b"]]
 *     }
 *
 * YAML 1.2, and so the `yaml` library, refuses it, and everything after it in the template would
 * go unanalysed. This finds such continuation lines and indents them one column past their key.
 * Leading whitespace on a continuation line means nothing in either construct (flow collections
 * ignore it, quoted scalars fold it away), so the values do not change; lines stay where they are,
 * and `original` maps offsets in the indented text back to the text as written.
 */
export interface Reindented {
  text: string;
  /** The offset in the text as written of an offset in `text` (inserted spaces map to their line's start). */
  original(offset: number): number;
}

/** Spaces inserted at the start of one line (`at`, an offset in the text as written). */
interface Insertion {
  at: number;
  count: number;
}

/** Undefined when no line needs indenting, or when the text is not one this can read safely (tabs, an unclosed construct). */
export function indentContinuations(text: string): Reindented | undefined {
  const insertions = new ContinuationScanner(text).scan();
  return insertions && insertions.length > 0 ? reindented(text, insertions) : undefined;
}

const SPACE = 32;
const NEWLINE = 10;
const TAB = 9;

/** Thrown inside the scanner when the text leaves what it reads safely; never escapes this module. */
const GIVE_UP = { giveUp: true };

class ContinuationScanner {
  private readonly insertions: Insertion[] = [];

  constructor(private readonly text: string) {}

  scan(): Insertion[] | undefined {
    try {
      this.lines();
      return this.insertions;
    } catch (error) {
      if (error === GIVE_UP) return undefined;
      throw error;
    }
  }

  /** Block context, line by line: finds where quoted scalars and flow collections start, and block scalars to skip. */
  private lines(): void {
    const { text } = this;
    let pos = 0;
    /** Inside a block scalar: its lines are those blank or indented past this column. */
    let blockScalarParent = -1;
    while (pos < text.length) {
      let lineEnd = this.lineEnd(pos);
      const first = this.skipSpaces(pos, lineEnd);
      const indent = first - pos;
      if (blockScalarParent >= 0) {
        if (first === lineEnd || indent > blockScalarParent) {
          pos = lineEnd + 1;
          continue;
        }
        blockScalarParent = -1;
      }
      if (text.charCodeAt(first) === TAB) throw GIVE_UP;
      // Sequence indicators ("- - key: value"): the node after the last one belongs to that sequence.
      let at = first;
      let parent = -1;
      while (text[at] === '-' && (at + 1 === lineEnd || text.charCodeAt(at + 1) === SPACE)) {
        parent = at - pos;
        at = this.skipSpaces(at + 1, lineEnd);
      }
      const nodeColumn = at - pos;
      let nodeStart = true;
      while (at < lineEnd) {
        const ch = text[at];
        if (ch === '#' && (at === first || text.charCodeAt(at - 1) === SPACE)) break;
        if (nodeStart) {
          if (ch === '!' || ch === '&') {
            at = this.skipSpaces(this.tokenEnd(at, lineEnd), lineEnd);
            continue;
          }
          if (ch === "'" || ch === '"' || ch === '[' || ch === '{') {
            at = this.construct(at, parent + 1);
            lineEnd = this.lineEnd(at);
            nodeStart = false;
            continue;
          }
          if (ch === '|' || ch === '>') {
            blockScalarParent = parent;
            break;
          }
          nodeStart = false;
        }
        if (ch === ':' && (at + 1 === lineEnd || text.charCodeAt(at + 1) === SPACE)) {
          // "key: value": the value belongs to the mapping whose keys stand at this line's node column.
          parent = nodeColumn;
          nodeStart = true;
          at = this.skipSpaces(at + 1, lineEnd);
          continue;
        }
        at++;
      }
      pos = lineEnd + 1;
    }
  }

  /**
   * Skips the quoted scalar or flow collection starting at `start`, indenting each of its
   * continuation lines to at least `minIndent` columns. Returns the offset just past it.
   */
  private construct(start: number, minIndent: number): number {
    const { text } = this;
    const open = text[start];
    if (open === "'" || open === '"') return this.quoted(start, minIndent);
    let depth = 0;
    let nodeStart = true;
    let at = start;
    while (at < text.length) {
      const ch = text[at];
      const code = text.charCodeAt(at);
      if (code === NEWLINE) {
        at = this.continuation(at + 1, minIndent);
        continue;
      }
      if (code === SPACE) {
        at++;
        continue;
      }
      if (ch === '#' && (text.charCodeAt(at - 1) === SPACE || text.charCodeAt(at - 1) === NEWLINE)) {
        at = this.lineEnd(at);
        continue;
      }
      if (ch === '[' || ch === '{') {
        depth++;
        nodeStart = true;
        at++;
        continue;
      }
      if (ch === ']' || ch === '}') {
        depth--;
        at++;
        if (depth === 0) return at;
        nodeStart = false;
        continue;
      }
      if (ch === ',') {
        nodeStart = true;
        at++;
        continue;
      }
      if (nodeStart && (ch === "'" || ch === '"')) {
        at = this.quoted(at, minIndent);
        // A quoted key may be followed directly by its ":" (JSON style).
        if (text[at] === ':') {
          nodeStart = true;
          at++;
        } else nodeStart = false;
        continue;
      }
      if (nodeStart && (ch === '!' || ch === '&')) {
        at = this.tokenEnd(at, text.length);
        continue;
      }
      if (ch === ':' && (at + 1 === text.length || text.charCodeAt(at + 1) === SPACE || text.charCodeAt(at + 1) === NEWLINE)) {
        nodeStart = true;
        at++;
        continue;
      }
      nodeStart = false;
      at++;
    }
    throw GIVE_UP; // unclosed: a real syntax error, left for the library to report
  }

  private quoted(start: number, minIndent: number): number {
    const { text } = this;
    const quote = text[start];
    let at = start + 1;
    while (at < text.length) {
      const ch = text[at];
      if (text.charCodeAt(at) === NEWLINE) {
        at = this.continuation(at + 1, minIndent);
        continue;
      }
      if (quote === '"' && ch === '\\') {
        // An escaped line break continues the scalar on the next line like any other.
        at = text.charCodeAt(at + 1) === NEWLINE ? at + 1 : at + 2;
        continue;
      }
      if (ch === quote) {
        if (quote === "'" && text[at + 1] === "'") {
          at += 2;
          continue;
        }
        return at + 1;
      }
      at++;
    }
    throw GIVE_UP;
  }

  /** A line inside a construct starts at `lineStart`: indents it if it is short of `minIndent`; returns where its content starts. */
  private continuation(lineStart: number, minIndent: number): number {
    const { text } = this;
    const lineEnd = this.lineEnd(lineStart);
    const first = this.skipSpaces(lineStart, lineEnd);
    if (first === lineEnd) return lineEnd; // blank lines fold the same at any indentation
    if (text.charCodeAt(first) === TAB) throw GIVE_UP;
    // A document marker would end the document for every parser: not a continuation to mend.
    if (first === lineStart && (text.startsWith('---', first) || text.startsWith('...', first))) throw GIVE_UP;
    const indent = first - lineStart;
    if (indent < minIndent) this.insertions.push({ at: lineStart, count: minIndent - indent });
    return first;
  }

  private lineEnd(from: number): number {
    const end = this.text.indexOf('\n', from);
    return end < 0 ? this.text.length : end;
  }

  private skipSpaces(from: number, to: number): number {
    while (from < to && this.text.charCodeAt(from) === SPACE) from++;
    return from;
  }

  /** The end of a tag or anchor token (`!Sub`, `&name`): the next space, line break or flow indicator. */
  private tokenEnd(from: number, to: number): number {
    let at = from + 1;
    while (at < to && !' \n,[]{}'.includes(this.text[at])) at++;
    return at;
  }
}

function reindented(text: string, insertions: readonly Insertion[]): Reindented {
  const parts: string[] = [];
  /** Where each insertion's spaces start in the new text, and the spaces inserted up to and including it. */
  const newStarts: number[] = [];
  const insertedThrough: number[] = [];
  let from = 0;
  let inserted = 0;
  for (const { at, count } of insertions) {
    parts.push(text.slice(from, at), ' '.repeat(count));
    newStarts.push(at + inserted);
    inserted += count;
    insertedThrough.push(inserted);
    from = at;
  }
  parts.push(text.slice(from));
  return {
    text: parts.join(''),
    original(offset) {
      // The last insertion starting at or before `offset`.
      let lo = 0;
      let hi = newStarts.length - 1;
      if (hi < 0 || offset < newStarts[0]) return offset;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (newStarts[mid] <= offset) lo = mid;
        else hi = mid - 1;
      }
      const count = insertions[lo].count;
      return offset < newStarts[lo] + count ? insertions[lo].at : offset - insertedThrough[lo];
    },
  };
}
