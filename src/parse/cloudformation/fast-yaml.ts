import { lineIndex, lineStartsOf, type PositionMapper, type Range } from '../../model/range.js';
import type { ObjectEntry, Value } from '../../model/value.js';
import { getAttList, SHORT_FORMS } from './short-forms.js';
import { yamlScalarPositions } from './yaml-scalar-positions.js';

/** Thrown (never escapes this module) when the input leaves the subset parsed here. */
const BAIL = { bail: true };
function bail(): never {
  throw BAIL;
}

/**
 * A fast path for CloudFormation/SAM YAML as templates are written: block maps and sequences,
 * plain scalars, quoted scalars and flow collections (over several lines too; plain ones in
 * block collections only), literal/folded block scalars, short-form tags and core-schema tags on
 * scalars (`!!int`), values on the line after their key, empty values.
 * It builds the same Value tree (ranges included) as the `yaml`-library path in
 * parse-cloudformation.ts, several times faster. Anything else (anchors and aliases, tabs, a lone
 * CR, document markers and directives (but a first `---` line), unknown tags, syntax errors) returns undefined
 * and the caller uses the `yaml` library, which also reports errors. A repeated key is kept, both
 * entries, as the library path keeps it (`uniqueKeys: false`); `found.duplicateKeys` tells the
 * caller to apply the same last-value rule, so only templates with a repeat pay for that walk;
 * `found.jsonStrings` that some string got a `positions` map (the fix stage's spans are looked for then).
 * Windows line ends (CRLF) are read as LF, as YAML reads a line break in any scalar, with each
 * offset mapped back to the text as written.
 * Differential tests check both paths agree on every input this one accepts.
 */
export function parseCloudFormationYamlFast(text: string, mapper: PositionMapper, found?: { duplicateKeys: boolean; jsonStrings?: boolean }): Value | undefined {
  if (text.includes('\r')) {
    // Windows line ends: parsed with each CRLF read as LF, every offset mapped back to the text as written.
    const normalised = text.replaceAll('\r\n', '\n');
    if (normalised.includes('\r')) return undefined; // a lone CR (a line break to YAML): left to the library
    return parseLf(normalised, crlfMapper(normalised, mapper), found);
  }
  return parseLf(text, mapper, found);
}

/** parseCloudFormationYamlFast on a text without CR. */
function parseLf(text: string, mapper: PositionMapper, found?: { duplicateKeys: boolean; jsonStrings?: boolean }): Value | undefined {
  // A template may open with a document start marker line (`---`); any other marker or directive declines.
  const body = text.startsWith(DOCUMENT_START) ? DOCUMENT_START.length : 0;
  if (text.includes('\t') || markerLine(text, body)) return undefined;
  try {
    const parser = new FastYaml(text, mapper, body);
    const value = parser.document();
    if (found) {
      found.duplicateKeys = parser.duplicateKeys;
      found.jsonStrings = parser.jsonStrings;
    }
    return value;
  } catch (error) {
    if (error === BAIL || error instanceof RangeError) return undefined;
    throw error;
  }
}

/**
 * Maps offsets of `normalised` (a CRLF text with each CRLF read as LF) to the text as written: each
 * line break before an offset lost its CR there. An offset at a line break maps to its CR, where
 * the library, reading the CRLF text, ends a line's content.
 */
function crlfMapper(normalised: string, asWritten: PositionMapper): PositionMapper {
  const lineStarts = lineStartsOf(normalised);
  let hint = 0;
  const original = (offset: number): number => offset + (hint = lineIndex(lineStarts, offset, hint));
  return { range: (start, end) => asWritten.range(original(start), original(end)) };
}

const NULL = /^(?:~|[Nn]ull|NULL)$/;
const TRUE = /^(?:[Tt]rue|TRUE)$/;
const FALSE = /^(?:[Ff]alse|FALSE)$/;
const INT = /^[-+]?[0-9]+$/;
const OCT = /^0o[0-7]+$/;
const HEX = /^0x[0-9a-fA-F]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
const SPECIAL_FLOAT = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
/** Characters that cannot start a plain scalar here (YAML indicators, or constructs left to the library). */
const NOT_PLAIN_START = new Set(['[', ']', '{', '}', '#', '&', '*', '!', '|', '>', "'", '"', '%', '@', '`', ',']);
const DOUBLE_ESCAPES: Record<string, string> = { '\\': '\\', '"': '"', '/': '/', n: '\n', t: '\t', r: '\r', '0': '\0', b: '\b', f: '\f' };
const MAX_NODES = 200_000;
/** A first line holding only the document start marker: the library's tree is the same as without it. */
const DOCUMENT_START = '---\n';
const SPACE = 32;
const NEWLINE = 10;
const DASH = 45;
const HASH = 35;
const COLON = 58;
/**
 * Core-schema tags on a plain scalar, each with the test its text must pass for the library to read
 * the same null, bool, number or text as without the tag (compose-scalar.js, findScalarTagByName:
 * the first of the tag's resolvers whose test matches; none matching is a warning and the text
 * stays a string: declined). `!!float` excludes what resolves as an int untagged.
 */
const CORE_TAGS: Record<string, (source: string) => boolean> = {
  '!!str': () => true,
  '!!int': (source) => INT.test(source) || OCT.test(source) || HEX.test(source),
  '!!float': (source) => FLOAT.test(source) && !INT.test(source),
  '!!bool': (source) => TRUE.test(source) || FALSE.test(source),
  '!!null': (source) => NULL.test(source),
};
/** Characters that end a tag's name. */
const TAG_END = new Set([' ', '\n', ',', '[', ']', '{', '}']);
/** By char code: the first characters of a null, bool or number (-+.0-9~nNtTfF). */
const MAY_RESOLVE: boolean[] = [];
for (const c of '-+.0123456789~nNtTfF') MAY_RESOLVE[c.charCodeAt(0)] = true;
/** By char code: the first characters of a number (-+.0-9). */
const NUMBER_START: boolean[] = [];
for (const c of '-+.0123456789') NUMBER_START[c.charCodeAt(0)] = true;
/** What NULL, TRUE and FALSE match, each word's value. */
const WORDS = new Map<string, null | boolean>([
  ['~', null],
  ...['null', 'Null', 'NULL'].map((w): [string, null] => [w, null]),
  ...['true', 'True', 'TRUE'].map((w): [string, boolean] => [w, true]),
  ...['false', 'False', 'FALSE'].map((w): [string, boolean] => [w, false]),
]);

class FastYaml {
  private pos = 0;
  /** Offset just past the last line a node consumed (its newline included). */
  private lineEnd = 0;
  private nodes = 0;
  /** The range of the key key() last read (fields, not a result object per key: less garbage). */
  private keyRange: Range | undefined;
  /** The key keyAhead() last read: where it starts, its text and range, the offset after its colon. */
  private aheadAt = -1;
  private aheadText = '';
  private aheadRange: Range | undefined;
  private aheadAfter = 0;
  /** nextContentLine's last question and answer (a value's end and the next entry ask the same). */
  private contentFrom = -1;
  private contentLine = -1;
  /** Where the last value's node ends when a collection kept the comment lines after it (see closeCollection); -1 otherwise. */
  private keptEnd = -1;
  /** A core-schema tag (`!!int`) read before a plain scalar, for scalarValue to apply (see coreTagged). */
  private coreTag: string | undefined;
  /** Whether some mapping repeats a key (the caller then keeps each key's last value, as for the library's tree). */
  duplicateKeys = false;
  /** Some string got a `positions` map (it may hold a policy as JSON text). */
  jsonStrings = false;

  constructor(
    private readonly text: string,
    private readonly mapper: PositionMapper,
    /** Where the template's lines start (after a `---` line). */
    private readonly body = 0,
  ) {}

  document(): Value {
    const first = this.nextContentLine(this.body);
    if (first < 0) bail();
    const indent = this.indent(first);
    this.pos = first + indent;
    if (!this.keyAhead()) bail(); // templates are mappings
    const root = this.blockMap(indent);
    if (this.nextContentLine(this.lineEnd) >= 0) bail();
    return root;
  }

  private range(start: number, end: number): Range {
    return this.mapper.range(start, end);
  }

  private char(at = this.pos): string {
    return this.text[at] ?? '';
  }

  private column(at: number): number {
    return at - (this.text.lastIndexOf('\n', at - 1) + 1);
  }

  private indent(lineStart: number): number {
    let i = lineStart;
    while (this.text.charCodeAt(i) === SPACE) i++;
    return i - lineStart;
  }

  /** Start of the next line holding something other than spaces and a comment, or -1. */
  private nextContentLine(from: number): number {
    if (from === this.contentFrom) return this.contentLine;
    this.contentFrom = from;
    return (this.contentLine = this.findContentLine(from));
  }

  private findContentLine(from: number): number {
    let lineStart = from;
    while (lineStart < this.text.length) {
      const i = lineStart + this.indent(lineStart);
      const c = this.text.charCodeAt(i);
      if (c !== NEWLINE && c !== HASH && i < this.text.length) return lineStart;
      const newline = this.text.indexOf('\n', i);
      if (newline < 0) return -1;
      lineStart = newline + 1;
    }
    return -1;
  }

  /** After a node on a line: spaces, an optional ` # comment`, the newline. Sets lineEnd. */
  private finishLine(): void {
    this.skipSpaces();
    const c = this.char();
    if (c === '#' && this.pos > 0 && this.text[this.pos - 1] !== ' ' && this.text[this.pos - 1] !== '\n') bail();
    if (c !== '#' && c !== '\n' && c !== '') bail();
    const newline = this.text.indexOf('\n', this.pos);
    this.lineEnd = newline < 0 ? this.text.length : newline + 1;
  }

  /**
   * Ends a block collection at column `col` whose last value ended at lineEnd: returns the end of
   * its range and leaves in lineEnd where its node ends for its parent. The yaml library's parser
   * (parse/parser.js, pop()) puts the comment lines after a collection's last item into that
   * collection while it is open, and when the collection closes, moves them to its parent if every
   * one is indented less than the collection (or the collection is at column 0). Where they stay,
   * the collection's node ends where the next token starts (its range[2]: the line breaks and the
   * next line's indentation go with the comments), and a parent whose last value it is ends its
   * value there (resolve-block-map.js: range[1] is the last value's range[2]).
   * The comment lines (blank lines between them) are the same for every collection closing here,
   * so the parent, starting from the same lineEnd, finds them again unless a child kept them
   * (keptEnd: then they end the parent's value and node too).
   */
  private closeCollection(col: number): number {
    if (this.keptEnd >= 0) return this.keptEnd;
    const end = this.lineEnd;
    if (col === 0) return end;
    const text = this.text;
    let lineStart = end;
    let deepest = -1;
    let nextToken = text.length;
    while (lineStart < text.length) {
      const indent = this.indent(lineStart);
      const c = text.charCodeAt(lineStart + indent);
      if (c !== HASH && c !== NEWLINE) {
        nextToken = Math.min(lineStart + indent, text.length);
        break;
      }
      if (c === HASH && indent > deepest) deepest = indent;
      const newline = text.indexOf('\n', lineStart + indent);
      lineStart = newline < 0 ? text.length : newline + 1;
    }
    if (deepest >= col) this.keptEnd = nextToken;
    return end;
  }

  /**
   * After a scalar or flow collection ending a line: comment lines indented past `col` (the column
   * of its entry), blank lines between, up to the first comment line that is not, belong to that
   * value's node in the library's tree (parser.js, atIndentedComment): its node ends after them.
   */
  private takeIndentedComments(col: number): void {
    const text = this.text;
    let lineStart = this.lineEnd;
    while (lineStart < text.length) {
      const indent = this.indent(lineStart);
      const c = text.charCodeAt(lineStart + indent);
      if (c === HASH && indent <= col) return;
      if (c !== HASH && c !== NEWLINE) return;
      const newline = text.indexOf('\n', lineStart + indent);
      const next = newline < 0 ? text.length : newline + 1;
      if (c === HASH) this.lineEnd = next;
      lineStart = next;
    }
  }

  /**
   * `Key:` with nothing after it but spaces, a comment or comment lines: a null at `at`, after the
   * colon and the spaces following it (compose/util-empty-scalar-position.js). The library's parser
   * keeps every comment and line break up to the next token in that entry's separator tokens
   * (parser.js, blockMap), whatever their indentation; when the entry is its mapping's last and a
   * comment is among them, its node ends where the next token starts (compose-node.js,
   * composeEmptyNode: range[2] is the separator's end), and so do the mapping's value and those of
   * the collections closing with it (keptEnd, as in closeCollection). When the next entry follows,
   * the parser hands the comments to it or not, which changes no value or range here.
   */
  private emptyValue(at: number, col: number): Value {
    this.lineEnd = at;
    const next = this.nextContentLine(at);
    const indent = next < 0 ? -1 : this.indent(next);
    if (indent < col) {
      const token = next < 0 ? this.text.length : next + indent;
      for (let i = at; i < token; i++)
        if (this.text.charCodeAt(i) === HASH) {
          this.keptEnd = token;
          break;
        }
    }
    return { kind: 'null', range: this.range(at, at) };
  }

  private isSeqItem(at: number): boolean {
    if (this.text.charCodeAt(at) !== DASH) return false;
    const next = this.text.charCodeAt(at + 1);
    return next === SPACE || next === NEWLINE || at + 1 >= this.text.length;
  }

  private count(): void {
    if (++this.nodes > MAX_NODES) bail();
  }

  /** Is there a `key:` (plain or quoted, then `: ` or `:` at the end of the line) at the cursor? */
  private keyAhead(): boolean {
    const save = this.pos;
    try {
      const found = this.key();
      // The caller reads this key next: key() hands it over instead of reading it twice.
      if (found !== undefined) {
        this.aheadAt = save;
        this.aheadText = found;
        this.aheadRange = this.keyRange;
        this.aheadAfter = this.pos;
      }
      return found !== undefined;
    } catch (error) {
      if (error === BAIL) return false;
      throw error;
    } finally {
      this.pos = save;
    }
  }

  /** Reads `key:` and leaves the cursor after the colon; undefined (cursor unchanged) when there is none. */
  private key(): string | undefined {
    const start = this.pos;
    if (this.aheadAt === start) {
      this.pos = this.aheadAfter;
      this.keyRange = this.aheadRange;
      return this.aheadText;
    }
    const c = this.char();
    let key: string;
    let end: number;
    if (c === '"' || c === "'") {
      key = c === '"' ? this.doubleQuoted() : this.singleQuoted();
      end = this.pos;
      this.skipSpaces();
      if (this.char() !== ':') {
        this.pos = start;
        return undefined;
      }
    } else {
      if (NOT_PLAIN_START.has(c) || c === '' || c === '\n' || c === ' ' || ((c === '-' || c === '?' || c === ':') && spaceOrEnd(this.char(start + 1)))) return undefined;
      const newline = this.text.indexOf('\n', start);
      const lineEnd = newline < 0 ? this.text.length : newline;
      const text = this.text;
      let colon = -1;
      for (let i = start; i < lineEnd; i++) {
        const d = text.charCodeAt(i);
        if (d === HASH && text.charCodeAt(i - 1) === SPACE) break;
        if (d === COLON && (i + 1 === lineEnd || text.charCodeAt(i + 1) === SPACE)) {
          colon = i;
          break;
        }
      }
      if (colon < 0) return undefined;
      key = this.text.slice(start, colon).trimEnd();
      end = start + key.length;
      this.pos = colon;
      const resolved = plainScalar(key);
      if (typeof resolved !== 'string') bail(); // keys that YAML reads as null/bool/number
      if (key === '<<') bail(); // a merge key: the library path merges the mapping it names
    }
    this.pos++; // the colon
    const after = this.char();
    if (after !== ' ' && after !== '\n' && after !== '') bail();
    this.keyRange = this.range(start, end);
    return key;
  }

  private blockMap(col: number): Value {
    const start = this.pos;
    const entries: ObjectEntry[] = [];
    let seen: Set<string> | undefined;
    for (;;) {
      this.count();
      const key = this.key() ?? bail();
      const keyRange = this.keyRange!;
      if (seen ? seen.has(key) : hasKey(entries, key)) this.duplicateKeys = true;
      this.keptEnd = -1;
      entries.push({ key, keyRange, value: this.blockValue(col, true) });
      seen = keyIndex(entries, seen);
      const next = this.nextContentLine(this.lineEnd);
      const indent = next < 0 ? -1 : this.indent(next);
      if (indent < col) break;
      if (indent > col || this.isSeqItem(next + indent)) bail();
      this.pos = next + indent;
    }
    return { kind: 'object', entries: exact(entries), range: this.range(start, this.closeCollection(col)) };
  }

  private blockSeq(col: number): Value {
    const start = this.pos;
    const items: Value[] = [];
    for (;;) {
      this.count();
      this.pos++; // the dash
      this.keptEnd = -1;
      items.push(this.blockValue(col, false));
      const next = this.nextContentLine(this.lineEnd);
      const indent = next < 0 ? -1 : this.indent(next);
      if (indent < col) break;
      if (indent > col) bail();
      if (!this.isSeqItem(next + indent)) break; // a key of the mapping this sequence is a value of
      this.pos = next + indent;
    }
    return { kind: 'list', items: exact(items), range: this.range(start, this.closeCollection(col)) };
  }

  /** The value after `key:` or `-` of an entry at column `col`. */
  private blockValue(col: number, inMap: boolean): Value {
    this.skipSpaces();
    const c = this.char();
    if (c === '\n' || c === '' || c === '#') {
      const valueAt = this.pos;
      this.finishLine();
      const nested = this.nestedBlock(col, inMap);
      if (nested) return nested;
      if (!inMap) bail();
      return this.emptyValue(valueAt, col);
    }
    if (c === '!') return this.taggedValue(col, inMap, true);
    if (!inMap && this.isSeqItem(this.pos)) return this.blockSeq(this.column(this.pos));
    if (!inMap && this.keyAhead()) return this.blockMap(this.column(this.pos));
    return this.inlineValue(col, true);
  }

  /**
   * `!Tag` and the value it tags: on the same line, or a block collection or a value on the lines after.
   * `afterIndicator`: the tag stands on the line of its entry's `key:` or `-` (see inlineValue).
   */
  private taggedValue(col: number, inMap: boolean, afterIndicator: boolean): Value {
    const tagged = this.tag();
    this.skipSpaces();
    const d = this.char();
    if (d === '\n' || d === '' || d === '#') {
      this.finishLine();
      return tagged(this.nestedBlock(col, inMap, true) ?? bail());
    }
    return tagged(this.inlineValue(col, afterIndicator));
  }

  /**
   * The value of an entry at column `col` on the lines after the current one: a block collection
   * indented past `col` (or a sequence at `col` under a key), or a flow collection, a scalar or a
   * tagged value indented past `col`.
   */
  private nestedBlock(col: number, inMap: boolean, afterTag = false): Value | undefined {
    const next = this.nextContentLine(this.lineEnd);
    if (next < 0) return undefined;
    const indent = this.indent(next);
    const at = next + indent;
    if (indent > col || (inMap && indent === col && this.isSeqItem(at))) {
      this.pos = at;
      if (this.isSeqItem(at)) return this.blockSeq(indent);
      if (this.keyAhead()) return this.blockMap(indent);
      if (this.lowersIndentNext(this.lineEnd, next, col)) bail();
      const c = this.char();
      // A second tag on one node (`R: !Sub` then `!GetAtt X` below) is an error the library reports.
      if (c === '!') return afterTag ? bail() : this.taggedValue(col, inMap, false);
      if (c === '|' || c === '>') bail(); // a block scalar's header alone on its line: left to the library
      return this.inlineValue(col, false);
    }
    return undefined;
  }

  /**
   * Whether a line from `from` up to `to` (line starts) lowers what the yaml lexer asks of a plain
   * scalar's continuation lines below col + 1 (lexer.js, parseLineStart: a line indented k less than
   * that whose first character is followed by one that is not white space sets it to k; on an empty
   * line, the line break followed by the next line's first character). A plain scalar on the line
   * after its key would then run on over less-indented lines (the library reports an implicit key
   * over several lines): a scalar there, whatever its kind, is left to the library.
   */
  private lowersIndentNext(from: number, to: number, col: number): boolean {
    const text = this.text;
    for (let lineStart = from; lineStart < to; ) {
      const indent = this.indent(lineStart);
      const after = text.charCodeAt(lineStart + indent + 1);
      if (indent <= col && after !== SPACE && after !== NEWLINE && !Number.isNaN(after)) return true;
      lineStart = text.indexOf('\n', lineStart + indent) + 1;
    }
    return false;
  }

  /**
   * A value that starts on the current line and (for scalars and flow collections) ends on it.
   * `afterIndicator`: it stands on the line of its entry's `key:` or `-`. Then a multi-line quoted
   * scalar's or flow collection's lines may be indented to any column: YAML 1.2 wants them past `col`, and the library
   * path, on that error, reads the text again with them indented to col + 1 (lenient-indent.ts,
   * which mends only constructs that start after an indicator), so it reads the same value, its
   * offsets mapped back to the text as written. Not after an indicator, nothing is mended: decline.
   */
  private inlineValue(col: number, afterIndicator: boolean): Value {
    const c = this.char();
    if (c === '|' || c === '>') return this.blockScalar(col);
    let value: Value;
    if (c === '[' || c === '{') {
      this.flowAnyIndent = afterIndicator;
      value = this.flow(col);
    } else if (c === '"' || c === "'") {
      const start = this.pos;
      const continuationIndent = afterIndicator ? 0 : col + 1;
      const text = c === '"' ? this.doubleQuoted(continuationIndent) : this.singleQuoted(continuationIndent);
      value = this.quotedString(text, start);
    } else value = this.plainBlock(col);
    this.finishLine();
    // A more-indented line next would continue a scalar the library reads otherwise (or an error): its job.
    const next = this.nextContentLine(this.lineEnd);
    if (next >= 0 && this.indent(next) > col) bail();
    if (next !== this.lineEnd) this.takeIndentedComments(col);
    return value;
  }

  /**
   * A plain scalar in a block collection's entry at column `col`, on one line or continued on lines
   * indented past `col`, folded as YAML folds them (lexer.js, parsePlainScalar and continueScalar:
   * the `:` or `-` of the entry asks the continuation lines for col + 1; see lowersIndentNext).
   */
  private plainBlock(col: number): Value {
    const start = this.pos;
    const c = this.char();
    if (NOT_PLAIN_START.has(c) || ((c === '-' || c === '?' || c === ':') && spaceOrEnd(this.char(start + 1)))) bail();
    const end = this.plainLineEnd(start);
    const source = this.text.slice(start, end).trimEnd();
    if (source.includes(': ') || source.endsWith(':')) bail();
    this.pos = start + source.length;
    // The common case, one line: the next content line is not indented past `col` (or a comment ends this one).
    const next = end < this.text.length && this.text.charCodeAt(end) === NEWLINE ? this.nextContentLine(end + 1) : -1;
    if (next < 0 || this.indent(next) <= col) return this.scalarValue(source, start, this.pos);
    return this.multiLinePlain(source, start, end + 1, col);
  }

  /** Where a plain scalar's text on the line holding `from` ends: the line break, ` #` or the end of the text. */
  private plainLineEnd(from: number): number {
    let end = this.text.indexOf('\n', from);
    if (end < 0) end = this.text.length;
    // ` #` searched within the line only: a search of the whole rest of the text made parsing quadratic.
    for (let i = from; i + 1 < end; i++) if (this.text.charCodeAt(i) === SPACE && this.text.charCodeAt(i + 1) === HASH) return i;
    return end;
  }

  /**
   * The continuation of a plain scalar whose first line `first` starts at `start`, from the line
   * starting at `lineStart`: lines indented past `col` (empty lines between), up to a comment line,
   * a line not indented past `col`, or a line ending in ` # comment`. Each line trimmed, one line
   * break a space, n+1 line breaks n newlines (compose/resolve-flow-scalar.js, foldLines). A `: `
   * or a line ending in `:` on a continuation line makes it a multi-line key (an error): declined.
   * The text is always a string: no null, bool or number holds a space or a line break.
   */
  private multiLinePlain(first: string, start: number, lineStart: number, col: number): Value {
    const text = this.text;
    let value = first;
    let breaks = 0;
    let end = start + first.length;
    while (lineStart < text.length) {
      const indent = this.indent(lineStart);
      const at = lineStart + indent;
      const c = text.charCodeAt(at);
      if (c === NEWLINE) {
        breaks++;
        lineStart = at + 1;
        continue;
      }
      if (c === HASH || indent <= col || Number.isNaN(c)) break;
      const lineEnd = this.plainLineEnd(at);
      const part = text.slice(at, lineEnd).trimEnd();
      if (part.includes(': ') || part.endsWith(':')) bail();
      value += breaks > 0 ? '\n'.repeat(breaks) : ' ';
      value += part;
      breaks = 0;
      end = at + part.length;
      if (lineEnd === text.length || text.charCodeAt(lineEnd) !== NEWLINE) break; // a comment ends it
      lineStart = lineEnd + 1;
    }
    if (this.coreTag !== undefined && this.coreTag !== '!!str') bail(); // a folded text is no null, bool or number
    this.coreTag = undefined;
    this.count();
    this.pos = end;
    return { kind: 'string', value, range: this.range(start, end) };
  }

  private scalarValue(source: string, start: number, end: number): Value {
    this.count();
    const range = this.range(start, end);
    if (this.coreTag !== undefined) {
      const tag = this.coreTag;
      this.coreTag = undefined;
      if (!CORE_TAGS[tag](source)) bail();
      if (tag === '!!str') return { kind: 'string', value: source, range };
    }
    const value = plainScalar(source);
    if (value === null) return { kind: 'null', range };
    if (typeof value === 'boolean') return { kind: 'bool', value, range };
    if (typeof value === 'number') {
      // As parse-cloudformation keeps them: "012345678901" (an account id) stays text.
      if (/^0\d/.test(source)) return { kind: 'string', value: source, range };
      return { kind: 'number', value, range };
    }
    return { kind: 'string', value, range };
  }

  /** A quoted scalar's value, from its opening quote at `start` to the cursor. */
  private quotedString(value: string, start: number): Value {
    return this.stringAt(value, start, this.pos);
  }

  /** A string scalar at [start, end); one that may hold a JSON policy gets its inner positions, as the library path gives them. */
  private stringAt(value: string, start: number, end: number): Value {
    const range = this.range(start, end);
    const positions = yamlScalarPositions(this.text, start, end, value, this.mapper);
    if (!positions) return { kind: 'string', value, range };
    this.jsonStrings = true;
    return { kind: 'string', value, range, positions };
  }

  /** `!Ref` etc.: returns a wrapper giving the long form of the tagged node. */
  private tag(): (node: Value) => Value {
    const start = this.pos;
    while (this.pos < this.text.length && !TAG_END.has(this.char())) this.pos++;
    const name = this.text.slice(start, this.pos);
    // `!Sub[x]`: the library wants white space after a tag (and reports an error without it).
    if (this.char() !== ' ' && this.char() !== '\n') bail();
    if (name in CORE_TAGS) return this.coreTagged(name);
    const longForm = SHORT_FORMS[name] ?? bail();
    return (node) => {
      // The library gives a tagged scalar its text as written (no null/number resolution).
      const value: Value = node.kind === 'null' || node.kind === 'bool' || node.kind === 'number' ? bail() : node;
      const argument = longForm === 'Fn::GetAtt' && value.kind === 'string' ? getAttList(value) : value;
      return { kind: 'object', range: value.range, entries: [{ key: longForm, keyRange: value.range, value: argument }] };
    };
  }

  /**
   * `!!int 86400` and the like: a core-schema tag on the scalar after it on the same line. A plain
   * scalar takes it in scalarValue (coreTag), where the scalar's text must pass the tag's test;
   * `!!str` may tag a quoted scalar too (its value unchanged). The library's node is the scalar's,
   * located without its tag, with no short form around it. Anything else (a collection, a value on
   * the next line, `!!int "1"`) is left to the library.
   */
  private coreTagged(name: string): (node: Value) => Value {
    let at = this.pos;
    while (this.text.charCodeAt(at) === SPACE) at++;
    const c = this.char(at);
    if ((c === '"' || c === "'") && name === '!!str') return (node) => (node.kind === 'string' ? node : bail());
    if (NOT_PLAIN_START.has(c) || c === '\n' || c === '' || ((c === '-' || c === '?' || c === ':') && spaceOrEnd(this.char(at + 1)))) bail();
    this.coreTag = name;
    return (node) => (this.coreTag === undefined ? node : bail());
  }

  /** A double-quoted scalar; one on several lines only where `block` (the least indentation of its continuation lines) is given. */
  private doubleQuoted(block?: number): string {
    const text = this.text;
    const plain = quotedWithout(text, this.pos, '"', '\\');
    if (plain !== undefined) {
      this.pos += plain.length + 2;
      return plain;
    }
    let out = '';
    let i = this.pos + 1;
    for (;;) {
      const c = text[i];
      if (c === undefined || (c === '\n' && block === undefined)) bail();
      if (c === '\n') return this.multiLineQuoted(block!);
      if (c === '"') break;
      if (c === '\\') {
        const [decoded, length] = escapeAt(text, i);
        out += decoded;
        i += length;
      } else {
        out += c;
        i++;
      }
    }
    this.pos = i + 1;
    return out;
  }

  /** A single-quoted scalar; one on several lines only where `block` (the least indentation of its continuation lines) is given. */
  private singleQuoted(block?: number): string {
    const text = this.text;
    const plain = quotedWithout(text, this.pos, "'", "'");
    if (plain !== undefined) {
      this.pos += plain.length + 2;
      return plain;
    }
    let out = '';
    let i = this.pos + 1;
    for (;;) {
      const c = text[i];
      if (c === undefined || (c === '\n' && block === undefined)) bail();
      if (c === '\n') return this.multiLineQuoted(block!);
      if (c === "'") {
        if (text[i + 1] !== "'") break;
        out += "'";
        i += 2;
      } else {
        out += c;
        i++;
      }
    }
    this.pos = i + 1;
    return out;
  }

  /**
   * A quoted scalar over several lines (the cursor on its opening quote), folded as YAML folds
   * them: each line trimmed, one line break a space, n+1 line breaks n newlines. Its continuation
   * lines must be indented at least `minIndent`; an escaped line break or escaped trailing space declines.
   */
  private multiLineQuoted(minIndent: number): string {
    const text = this.text;
    const quote = this.char();
    const double = quote === '"';
    let close = this.pos + 1;
    for (;;) {
      const c = text[close];
      if (c === undefined) bail();
      if (double && c === '\\') close += 2;
      else if (c === quote && !double && text[close + 1] === "'") close += 2;
      else if (c === quote) break;
      else close++;
    }
    const lines = text.slice(this.pos + 1, close).split('\n');
    const last = lines.length - 1;
    let out = '';
    let breaks = 0;
    for (let k = 0; k <= last; k++) {
      const line = lines[k];
      let from = 0;
      if (k > 0) {
        while (line.charCodeAt(from) === SPACE) from++;
        if (from === line.length && k < last) {
          breaks++; // an empty line
          continue;
        }
        if (from < minIndent) bail(); // the library reports an error here (see inlineValue)
      }
      let to = line.length;
      if (k < last) while (to > from && line.charCodeAt(to - 1) === SPACE) to--;
      const part = line.slice(from, to);
      if (double && k < last && part.endsWith('\\')) bail(); // an escaped line break or space
      if (k > 0) out += breaks > 0 ? '\n'.repeat(breaks) : ' ';
      breaks = 0;
      out += double ? unescapeDouble(part) : part.replaceAll("''", "'");
    }
    this.pos = close + 1;
    return out;
  }

  /**
   * `|` or `>` with clip, strip (`-`) or keep (`+`) chomping and auto-detected indentation, as
   * the library reads them (the range of a kept scalar takes in its trailing empty lines).
   * Explicit indentation indicators, more-indented leading empty lines, an empty scalar followed by empty lines and a scalar running to the end of a
   * text without a final newline are left to the library.
   */
  private blockScalar(col: number): Value {
    const start = this.pos;
    const folded = this.char() === '>';
    this.pos++;
    const strip = this.char() === '-';
    const keep = this.char() === '+';
    if (strip || keep) this.pos++;
    this.finishLine();
    const text = this.text;
    const contentStart = this.lineEnd;
    const first = this.nextContentLineAllowingHash(contentStart);
    const indent = first < 0 ? -1 : this.indent(first);
    this.count();
    if (indent <= col) {
      // Empty: ends where the next line starts (it holds a key, an item or the end of the text).
      if (contentStart < text.length && (first !== contentStart || text[first + indent] === '#')) bail();
      this.lineEnd = this.pos = contentStart;
      return { kind: 'string', value: '', range: this.range(start, contentStart) };
    }
    const lines: string[] = [];
    let lineStart = contentStart;
    let end = contentStart; // after the last line with text
    let keptEnd = contentStart; // after the last line of the scalar, trailing empty lines included
    while (lineStart < text.length) {
      let newline = text.indexOf('\n', lineStart);
      if (newline < 0) newline = text.length;
      const lineIndent = this.indent(lineStart);
      const empty = lineStart + lineIndent === newline;
      if (!empty && lineIndent < indent) break;
      if (empty && lineIndent <= indent) lines.push('');
      else {
        // Spaces past the indentation are text; on a leading line the library wants an indentation indicator.
        if (lineStart < first) bail();
        lines.push(text.slice(lineStart + indent, newline));
        end = Math.min(newline + 1, text.length);
      }
      keptEnd = Math.min(newline + 1, text.length);
      lineStart = newline + 1;
    }
    let trailing = 0;
    while (lines.length > 0 && lines[lines.length - 1] === '') {
      lines.pop();
      trailing++;
    }
    let value: string;
    value = folded ? foldLines(lines) : lines.join('\n');
    if (keep) value += '\n'.repeat(1 + trailing);
    else if (!strip) value += '\n';
    const stop = keep ? keptEnd : end;
    if (stop === text.length && !text.endsWith('\n') && !strip && trailing > 0) bail(); // empty lines at the end of a text without a final newline
    this.lineEnd = this.pos = stop;
    return this.stringAt(value, start, stop);
  }

  /** Like nextContentLine, but a `#` line counts as content (inside a block scalar it is text). */
  private nextContentLineAllowingHash(from: number): number {
    let lineStart = from;
    while (lineStart < this.text.length) {
      const i = lineStart + this.indent(lineStart);
      const c = this.text[i];
      if (c !== '\n' && c !== undefined) return lineStart;
      if (c === undefined) return -1;
      lineStart = i + 1;
    }
    return -1;
  }

  /**
   * A flow collection, on one line or several. Inside a block collection at column `col`, its
   * lines must be indented past `col` (the outermost closing bracket may stand at `col`), as the library
   * requires, unless flowAnyIndent (see inlineValue).
   */
  private flow(col: number): Value {
    const start = this.pos;
    this.flowDepth++;
    const map = this.char() === '{';
    const close = map ? '}' : ']';
    this.pos++;
    const entries: ObjectEntry[] = [];
    const items: Value[] = [];
    let seen: Set<string> | undefined;
    this.count();
    for (;;) {
      this.flowSpaces(col);
      if (this.char() === close) break;
      if (map) {
        const keyStart = this.pos;
        const key = this.flowNode(true, col);
        if (key.kind !== 'string') bail();
        if (seen ? seen.has(key.value) : hasKey(entries, key.value)) this.duplicateKeys = true;
        // `{ Key : v }` (spaces before the colon), and `{"Key":"v"}`: after a quoted (JSON-like) key the value may follow the colon directly.
        const quotedKey = this.char(keyStart) === '"' || this.char(keyStart) === "'";
        this.skipSpaces();
        const afterColon = this.char(this.pos + 1);
        if (this.char() !== ':' || (afterColon !== ' ' && afterColon !== '\n' && !quotedKey)) bail();
        this.pos++;
        this.flowSpaces(col);
        entries.push({ key: key.value, keyRange: this.range(keyStart, this.rangeEnd), value: this.flowNode(false, col) });
        seen = keyIndex(entries, seen);
      } else items.push(this.flowNode(false, col));
      this.flowSpaces(col);
      if (this.char() === ',') this.pos++;
      else if (this.char() !== close) bail();
    }
    this.pos++;
    this.flowDepth--;
    const range = this.range(start, this.pos);
    return map ? { kind: 'object', entries: exact(entries), range } : { kind: 'list', items: exact(items), range };
  }

  /** End offset of the last flow scalar (for key ranges). */
  private rangeEnd = 0;
  /** How many flow collections the cursor is in. */
  private flowDepth = 0;
  /** The outermost flow collection stands after its entry's indicator: its lines may be indented less (see inlineValue). */
  private flowAnyIndent = false;

  /**
   * Spaces, line breaks and comments between flow tokens. A comment needs a space or a line start
   * before its `#`; a line holding a token must be indented past `col` (the outermost collection's
   * closing bracket: at least to `col`). A plain scalar running onto the next line is refused by the caller, which
   * then finds neither `,` nor a closing bracket.
   */
  private flowSpaces(col: number): void {
    const text = this.text;
    for (;;) {
      this.skipSpaces();
      let c = text.charCodeAt(this.pos);
      if (c === HASH) {
        const before = text.charCodeAt(this.pos - 1);
        if (before !== SPACE && before !== NEWLINE) bail();
        const newline = text.indexOf('\n', this.pos);
        if (newline < 0) bail();
        this.pos = newline;
        c = NEWLINE;
      }
      if (c !== NEWLINE) break;
      const lineStart = this.pos + 1;
      const indent = this.indent(lineStart);
      this.pos = lineStart + indent;
      const d = text[this.pos];
      if (d === undefined) bail(); // the text ends inside the collection
      if (d === '\n') continue;
      if (!this.flowAnyIndent && (indent < col || (indent === col && (this.flowDepth > 1 || (d !== ']' && d !== '}'))))) bail();
    }
    if (this.pos >= text.length) bail();
  }

  /** Moves the cursor past spaces (a loop on char codes: this runs for every node). */
  private skipSpaces(): void {
    const text = this.text;
    let pos = this.pos;
    while (text.charCodeAt(pos) === SPACE) pos++;
    this.pos = pos;
  }

  private flowNode(isKey: boolean, col: number): Value {
    const c = this.char();
    if (c === '!' && !isKey) {
      const tagged = this.tag();
      this.flowSpaces(col);
      return tagged(this.flowNode(false, col));
    }
    if (c === '[' || c === '{') {
      if (isKey) bail();
      const value = this.flow(col);
      this.rangeEnd = this.pos;
      return value;
    }
    const start = this.pos;
    if (c === '"' || c === "'") {
      const text = c === '"' ? this.doubleQuoted() : this.singleQuoted();
      this.rangeEnd = this.pos;
      this.count();
      return this.quotedString(text, start);
    }
    if (NOT_PLAIN_START.has(c) || ((c === '-' || c === '?' || c === ':') && (endsFlowPlain(this.char(start + 1)) || this.char(start + 1) === '\n'))) bail();
    let i = start;
    for (; i < this.text.length; i++) {
      const d = this.text[i];
      if (d === '\n' || d === ',' || d === '[' || d === ']' || d === '{' || d === '}') break;
      if (d === ':' && (endsFlowPlain(this.text[i + 1] ?? '') || this.text[i + 1] === '\n')) break;
      if (d === '#' && this.text[i - 1] === ' ') break;
    }
    const source = this.text.slice(start, i).trimEnd();
    if (source === '') bail();
    this.pos = start + source.length;
    this.rangeEnd = this.pos;
    if (!isKey && this.char() === ':') bail(); // an implicit pair inside a flow sequence
    if (isKey) {
      const resolved = plainScalar(source);
      if (typeof resolved !== 'string' || source === '<<') bail(); // `<<`: a merge key, as above
    }
    return this.scalarValue(source, start, this.pos);
  }
}

/** The character a backslash escape at `at` stands for, and the escape's length; bails on escapes left to the library. */
function escapeAt(text: string, at: number): [string, number] {
  const e = text[at + 1];
  if (e !== undefined && e in DOUBLE_ESCAPES) return [DOUBLE_ESCAPES[e], 2];
  if (e === 'x' || e === 'u' || e === 'U') {
    const digits = e === 'x' ? 2 : e === 'u' ? 4 : 8;
    const hex = text.slice(at + 2, at + 2 + digits);
    if (!new RegExp(`^[0-9a-fA-F]{${digits}}$`).test(hex)) bail();
    return [String.fromCodePoint(parseInt(hex, 16)), 2 + digits];
  }
  bail();
}

/** A double-quoted line's text with its escapes decoded. */
function unescapeDouble(raw: string): string {
  if (!raw.includes('\\')) return raw;
  let out = '';
  for (let i = 0; i < raw.length; ) {
    if (raw[i] === '\\') {
      const [decoded, length] = escapeAt(raw, i);
      out += decoded;
      i += length;
    } else out += raw[i++];
  }
  return out;
}

/**
 * Folded block scalar lines (past the indentation; '' for an empty line) joined as the yaml library
 * joins them (compose/resolve-block-scalar.js, mirrored step for step): leading empty lines are
 * newlines; a line break between two text lines folds to a space, or to the empty lines between
 * them; a more-indented line (one starting with a space) keeps the breaks around it.
 */
function foldLines(lines: readonly string[]): string {
  let value = '';
  let i = 0;
  for (; i < lines.length && lines[i] === ''; i++) value += '\n';
  let sep = '';
  let previousMoreIndented = false;
  for (; i < lines.length; i++) {
    const line = lines[i];
    if (line.startsWith(' ')) {
      if (sep === ' ') sep = '\n';
      else if (!previousMoreIndented && sep === '\n') sep = '\n\n';
      value += sep + line;
      sep = '\n';
      previousMoreIndented = true;
    } else if (line === '') {
      if (sep === '\n') value += '\n';
      else sep = '\n';
    } else {
      value += sep + line;
      sep = ' ';
      previousMoreIndented = false;
    }
  }
  return value;
}

/** After `:`, `-` or `?` in a flow collection: a space, `,`, `]`, `}` or the end of the text (''). */
function endsFlowPlain(c: string): boolean {
  return c === ' ' || c === ',' || c === ']' || c === '}' || c === '';
}

/**
 * Duplicate keys are kept, and flagged for the caller. Most mappings are small: their keys are scanned
 * (hasKey) rather than put in a Set per mapping; past SCAN_KEYS entries a Set takes over
 * (keyIndex), so a huge mapping stays linear.
 */
function hasKey(entries: readonly ObjectEntry[], key: string): boolean {
  for (let i = 0; i < entries.length; i++) if (entries[i].key === key) return true;
  return false;
}

const SCAN_KEYS = 16;

/** The Set of keys once a mapping has SCAN_KEYS entries (kept up to date after each entry). */
function keyIndex(entries: readonly ObjectEntry[], seen: Set<string> | undefined): Set<string> | undefined {
  if (seen) return seen.add(entries[entries.length - 1].key);
  return entries.length >= SCAN_KEYS ? new Set(entries.map((e) => e.key)) : undefined;
}

/**
 * Whether a line starting at or after `from` (itself a line start) starts with `---`, `...` or `%`
 * (document markers, directives): what /^(?:---|\.\.\.|%)/m finds in text.slice(from), line
 * terminators as JavaScript counts them (\r is refused before). That regex tried a match at every
 * offset of every file: these searches are native.
 */
export function markerLine(text: string, from = 0): boolean {
  for (const [marker, afterBreaks] of MARKERS) {
    // Most templates hold no marker anywhere: one search rules out its three line-start forms.
    if (!text.includes(marker, from)) continue;
    if (text.startsWith(marker, from) || afterBreaks.some((needle) => text.includes(needle, from))) return true;
  }
  return false;
}

/** Each marker markerLine looks for, and the marker after each line terminator. */
const MARKERS = ['---', '...', '%'].map((marker) => [marker, ['\n', '\u2028', '\u2029'].map((terminator) => terminator + marker)] as const);

/**
 * A collection's array at its length. Arrays grown by push keep room for 16 or more elements;
 * every template node is kept until the model is built, and the garbage collector copies that
 * room with it (a fifth of a parsed template's memory).
 */
function exact<T>(array: T[]): T[] {
  return array.length < 16 ? array.slice() : array;
}

/**
 * The text of a quoted scalar starting at `open` when it is on one line and holds no `escape`
 * (a backslash; a doubled single quote): a slice, where the loops below build a string one
 * character at a time. Undefined otherwise (the loops handle it, or bail).
 */
function quotedWithout(text: string, open: number, quote: string, escape: string): string | undefined {
  const close = text.indexOf(quote, open + 1);
  if (close < 0) return undefined;
  const newline = text.indexOf('\n', open + 1);
  if (newline >= 0 && newline < close) return undefined;
  const content = text.slice(open + 1, close);
  if (escape === quote ? text[close + 1] === quote : content.includes(escape)) return undefined;
  return content;
}

/** A space, a newline or the end of the text (''). */
function spaceOrEnd(c: string): boolean {
  return c === ' ' || c === '\n' || c === '';
}

/** A plain scalar as the YAML 1.2 core schema (the library's default) resolves it. */
export function plainScalar(source: string): string | number | boolean | null {
  // Only these first characters can start a null, bool or number: most scalars are text.
  const first = source.charCodeAt(0);
  if (!MAY_RESOLVE[first]) return source;
  // A letter or ~ can start only a null or a bool, each one exact word: no regex needed.
  if (!NUMBER_START[first]) return WORDS.has(source) ? WORDS.get(source)! : source;
  if (NULL.test(source)) return null;
  if (TRUE.test(source)) return true;
  if (FALSE.test(source)) return false;
  if (OCT.test(source)) return parseInt(source.slice(2), 8);
  if (HEX.test(source)) return parseInt(source.slice(2), 16);
  if (INT.test(source)) {
    if (source.replace(/^[-+]/, '').length > 15 || /^-0+$/.test(source)) bail(); // precision and -0: the library's job
    return Number(source);
  }
  if (FLOAT.test(source)) {
    if (/^-0*\.?0*(?:[eE].*)?$/.test(source)) bail();
    return parseFloat(source);
  }
  if (SPECIAL_FLOAT.test(source)) bail();
  return source;
}
