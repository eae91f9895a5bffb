import type { PositionMapper, Range } from '../model/range.js';
import type { ObjectEntry, Value } from '../model/value.js';
import { MAX_NESTING } from './nesting.js';

/**
 * Builds the Value of a string literal: its offset and length in the text (quotes included), its
 * decoded value and its range. Shared with the reference path, so holes and `positions` maps are
 * handled in one place (model/json-value.ts).
 */
export type JsonStringNode = (offset: number, length: number, value: string, range: Range) => Value;

/** Thrown (never escapes this module) when the input leaves strict JSON. */
const DECLINE = { decline: true };
function decline(): never {
  throw DECLINE;
}

const TAB = 9;
const NEWLINE = 10;
const RETURN = 13;
const SPACE = 32;
const QUOTE = 34;
const COMMA = 44;
const MINUS = 45;
const DOT = 46;
const ZERO = 48;
const NINE = 57;
const COLON = 58;
const OPEN_BRACKET = 91;
const BACKSLASH = 92;
const CLOSE_BRACKET = 93;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;

/** By char code after a backslash: what the escape stands for (`\u` is read apart). */
const ESCAPES: Array<string | undefined> = [];
for (const [c, s] of [['"', '"'], ['\\', '\\'], ['/', '/'], ['b', '\b'], ['f', '\f'], ['n', '\n'], ['r', '\r'], ['t', '\t']]) ESCAPES[c.charCodeAt(0)] = s;

/** What JSON's escape `\c` stands for, by the char code of `c`; undefined for `u` (read apart) and for no escape. */
export function jsonEscape(code: number): string | undefined {
  return ESCAPES[code];
}

/**
 * A fast path for strict JSON: one pass over char codes straight to the Value tree, with the same
 * shapes, key order (duplicate keys kept), ranges and string values as jsonc-parser's `parseTree`
 * converted in model/json-value.ts. Anything else — comments, trailing commas, a syntax error,
 * control characters or bad escapes in strings, whitespace other than space/tab/CR/LF (a BOM),
 * nesting deeper than MAX_NESTING — returns undefined, and jsonc parses it and reports the errors.
 * Differential tests check both paths agree on every input this one accepts.
 */
export function parseJsonFast(text: string, mapper: PositionMapper, stringNode: JsonStringNode): Value | undefined {
  try {
    return new FastJson(text, mapper, stringNode).document();
  } catch (error) {
    // RangeError: a stack too small even for MAX_NESTING levels; jsonc decides then.
    if (error === DECLINE || error instanceof RangeError) return undefined;
    throw error;
  }
}

class FastJson {
  private pos = 0;

  constructor(
    private readonly text: string,
    private readonly mapper: PositionMapper,
    private readonly stringNode: JsonStringNode,
  ) {}

  document(): Value {
    this.skipWhitespace();
    const value = this.value(0);
    this.skipWhitespace();
    if (this.pos !== this.text.length) decline();
    return value;
  }

  private skipWhitespace(): void {
    const text = this.text;
    let pos = this.pos;
    for (let c = text.charCodeAt(pos); c === SPACE || c === NEWLINE || c === RETURN || c === TAB; c = text.charCodeAt(++pos));
    this.pos = pos;
  }

  /** The value at `pos` (whitespace skipped), `depth` containers deep. */
  private value(depth: number): Value {
    const start = this.pos;
    const c = this.text.charCodeAt(start);
    if (c === QUOTE) {
      const value = this.string();
      return this.stringNode(start, this.pos - start, value, this.mapper.range(start, this.pos));
    }
    if (c === OPEN_BRACE) return this.object(depth + 1);
    if (c === OPEN_BRACKET) return this.list(depth + 1);
    if (c === MINUS || (c >= ZERO && c <= NINE)) return this.number();
    if (c === 116 && this.word('true')) return { kind: 'bool', value: true, range: this.mapper.range(start, this.pos) };
    if (c === 102 && this.word('false')) return { kind: 'bool', value: false, range: this.mapper.range(start, this.pos) };
    if (c === 110 && this.word('null')) return { kind: 'null', range: this.mapper.range(start, this.pos) };
    return decline();
  }

  private object(depth: number): Value {
    if (depth > MAX_NESTING) decline();
    const text = this.text;
    const start = this.pos++;
    const entries: ObjectEntry[] = [];
    this.skipWhitespace();
    if (text.charCodeAt(this.pos) !== CLOSE_BRACE) {
      for (;;) {
        const keyStart = this.pos;
        if (text.charCodeAt(keyStart) !== QUOTE) decline();
        const key = this.string();
        const keyRange = this.mapper.range(keyStart, this.pos);
        this.skipWhitespace();
        if (text.charCodeAt(this.pos++) !== COLON) decline();
        this.skipWhitespace();
        entries.push({ key, keyRange, value: this.value(depth) });
        this.skipWhitespace();
        const c = text.charCodeAt(this.pos++);
        if (c === CLOSE_BRACE) break;
        if (c !== COMMA) decline();
        this.skipWhitespace();
      }
    } else this.pos++;
    return { kind: 'object', range: this.mapper.range(start, this.pos), entries };
  }

  private list(depth: number): Value {
    if (depth > MAX_NESTING) decline();
    const text = this.text;
    const start = this.pos++;
    const items: Value[] = [];
    this.skipWhitespace();
    if (text.charCodeAt(this.pos) !== CLOSE_BRACKET) {
      for (;;) {
        items.push(this.value(depth));
        this.skipWhitespace();
        const c = text.charCodeAt(this.pos++);
        if (c === CLOSE_BRACKET) break;
        if (c !== COMMA) decline();
        this.skipWhitespace();
      }
    } else this.pos++;
    return { kind: 'list', items, range: this.mapper.range(start, this.pos) };
  }

  /** The decoded string whose opening quote is at `pos`; `pos` ends after its closing quote. */
  private string(): string {
    const text = this.text;
    let pos = this.pos + 1;
    let chunk = pos;
    let decoded = '';
    for (;;) {
      const c = text.charCodeAt(pos);
      if (c === QUOTE) break;
      if (c === BACKSLASH) {
        decoded += text.slice(chunk, pos);
        const e = text.charCodeAt(pos + 1);
        if (e === 117) {
          const code = hex(text, pos + 2);
          if (code < 0) decline();
          decoded += String.fromCharCode(code);
          pos += 6;
        } else {
          const s = ESCAPES[e];
          if (s === undefined) decline();
          decoded += s;
          pos += 2;
        }
        chunk = pos;
        continue;
      }
      // Control characters (line breaks included) are errors for jsonc; NaN is the end of the text.
      if (!(c >= SPACE)) decline();
      pos++;
    }
    this.pos = pos + 1;
    return decoded + text.slice(chunk, pos);
  }

  /** A number as strict JSON writes it: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][-+]?[0-9]+)? */
  private number(): Value {
    const text = this.text;
    const start = this.pos;
    let pos = start;
    if (text.charCodeAt(pos) === MINUS) pos++;
    if (text.charCodeAt(pos) === ZERO) pos++;
    else pos = digits(text, pos);
    if (text.charCodeAt(pos) === DOT) pos = digits(text, pos + 1);
    const e = text.charCodeAt(pos);
    if (e === 101 || e === 69) {
      const sign = text.charCodeAt(pos + 1);
      pos = digits(text, sign === 43 || sign === MINUS ? pos + 2 : pos + 1);
    }
    this.pos = pos;
    return { kind: 'number', value: Number(text.slice(start, pos)), range: this.mapper.range(start, pos) };
  }

  /** Whether `word` stands at `pos` (then skipped); what follows is checked by the caller's grammar. */
  private word(word: string): boolean {
    if (!this.text.startsWith(word, this.pos)) return false;
    this.pos += word.length;
    return true;
  }
}

/** The end of a run of one or more digits starting at `pos`; declines when there is none. */
function digits(text: string, pos: number): number {
  const first = text.charCodeAt(pos);
  if (!(first >= ZERO && first <= NINE)) decline();
  let end = pos + 1;
  for (let c = text.charCodeAt(end); c >= ZERO && c <= NINE; c = text.charCodeAt(++end));
  return end;
}

/** The value of the four hex digits at `pos`, or -1. */
function hex(text: string, pos: number): number {
  let code = 0;
  for (let i = pos; i < pos + 4; i++) {
    const c = text.charCodeAt(i);
    const d = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1;
    if (d < 0) return -1;
    code = code * 16 + d;
  }
  return code;
}
