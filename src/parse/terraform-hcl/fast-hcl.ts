import type { PositionMapper, Range } from '../../model/range.js';
import { commentCoverage, type LineSpan } from '../comments.js';
import { BINARY_PRECEDENCE, type BinaryOperator, type Expr, type HclAttribute, type HclBlock, type HclBody, type HclFile, type TemplateDirective, type TemplatePart, type TemplateTagPart } from './hcl-ast.js';
import { traversalExpr, type SourceText, type SplatMark, type TraversalStep } from './traversal.js';
import { unescapeQuoted } from './unescape.js';

/** Thrown (never escapes this module) when the input leaves the subset parsed here. */
const BAIL = { bail: true };

/**
 * A hand-written parser for the HCL that Terraform code is made of, producing exactly the AST
 * that the tree-sitter path (parse-hcl.ts) produces, many times faster (no WASM calls per node).
 * It is deliberately strict: on a syntax error, or on constructs it leaves to tree-sitter
 * (unmatched template directives, strip markers apart from their brace, non-ASCII identifiers or
 * whitespace, root-level objects),
 * it returns undefined and the caller parses the file with tree-sitter, which also locates errors.
 * Differential tests check that both paths agree on every input this one accepts.
 */
export function parseHclFast(file: string, text: string, mapper: PositionMapper): HclFile | undefined {
  try {
    return new FastHclParser(file, text, mapper).file();
  } catch (error) {
    if (error === BAIL) return undefined;
    // Deep nesting: leave it to tree-sitter, which is not recursive.
    if (error instanceof RangeError) return undefined;
    throw error;
  }
}

/**
 * A template file (`templatefile`) as a template expression located in that file: literal text,
 * `${...}` interpolations and `%{...}` directives, as a heredoc's content. Undefined for a tag spanning
 * lines, or anything else the fast parser declines (the caller's value is then unknown).
 */
export function parseTemplateFast(file: string, text: string, mapper: PositionMapper): Extract<Expr, { t: 'template' }> | undefined {
  try {
    return new FastHclParser(file, text, mapper).templateFile();
  } catch (error) {
    if (error === BAIL || error instanceof RangeError) return undefined;
    throw error;
  }
}

function bail(): never {
  throw BAIL;
}

const isIdentStart = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
const isIdentPart = (c: number) => isIdentStart(c) || (c >= 48 && c <= 57) || c === 45;
const isDigit = (c: number) => c >= 48 && c <= 57;
const isHex = (c: number) => isDigit(c) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
/** ASCII whitespace as C's iswspace sees it (space, \t, \n, \v, \f, \r). */
const isSpace = (c: number) => c === 32 || (c >= 9 && c <= 13);
const KEYWORDS = new Set(['for', 'in', 'if', 'else', 'endif', 'endfor']);
const TWO_CHAR_OPERATORS: BinaryOperator[] = ['>=', '<=', '==', '!=', '&&', '||'];

class FastHclParser {
  private pos = 0;
  /** End offset of the last expression parsed. */
  private end = 0;
  private readonly comments: HclFile['comments'] = [];
  private commentsUpTo = 0;
  private coverage: ((range: Range) => LineSpan) | undefined;
  /** Set by primary() to the name of a bare variable it returns; read and cleared by traversal(). */
  private variable: string | undefined;

  constructor(
    private readonly fileName: string,
    private readonly text: string,
    private readonly mapper: PositionMapper,
  ) {}

  file(): HclFile {
    this.skip();
    if (this.code() === 123) bail(); // a root-level object (JSON-like tfvars): tree-sitter's job
    const body = this.body(true);
    return { file: this.fileName, body, comments: this.comments };
  }

  private code(offset = 0): number {
    return this.text.charCodeAt(this.pos + offset);
  }

  private range(start: number, end: number) {
    return this.mapper.range(start, end);
  }

  /** Whitespace and comments (recorded once each, in document order). */
  private skip(): void {
    const text = this.text;
    while (this.pos < text.length) {
      const c = text.charCodeAt(this.pos);
      if (isSpace(c)) this.pos++;
      else if (c === 35 || (c === 47 && text.charCodeAt(this.pos + 1) === 47)) {
        let end = text.indexOf('\n', this.pos);
        if (end < 0) end = text.length;
        this.comment(this.pos, end);
      } else if (c === 47 && text.charCodeAt(this.pos + 1) === 42) {
        const close = text.indexOf('*/', this.pos + 2);
        if (close < 0) bail();
        this.comment(this.pos, close + 2);
      } else if (c > 127 && /\s/.test(text[this.pos])) bail();
      else return;
    }
  }

  private comment(start: number, end: number): void {
    if (start >= this.commentsUpTo) {
      const range = this.range(start, end);
      this.coverage ??= commentCoverage(this.text);
      this.comments.push({ text: this.text.slice(start, end), range, covers: this.coverage(range) });
      this.commentsUpTo = end;
    }
    this.pos = end;
  }

  private expect(char: string): void {
    this.skip();
    if (this.text[this.pos] !== char) bail();
    this.pos++;
  }

  private identifier(): string | undefined {
    const start = this.pos;
    const c = this.code();
    if (!isIdentStart(c)) {
      if (c > 127) bail();
      return undefined;
    }
    this.pos++;
    for (;;) {
      const d = this.code();
      if (isIdentPart(d)) this.pos++;
      else if (d === 58 && this.code(1) === 58) this.pos += 2;
      else if (d > 127) bail();
      else break;
    }
    return this.text.slice(start, this.pos);
  }

  /** The keyword `word` at the cursor (not a longer identifier)? */
  private atWord(word: string): boolean {
    return this.text.startsWith(word, this.pos) && !isIdentPart(this.code(word.length)) && this.code(word.length) !== 58;
  }

  private body(top: boolean): HclBody {
    const body: HclBody = { attributes: [], blocks: [] };
    for (;;) {
      this.skip();
      if (this.pos >= this.text.length) {
        if (top) return body;
        bail();
      }
      if (this.code() === 125) {
        if (top) bail();
        return body;
      }
      const start = this.pos;
      const name = this.identifier() ?? bail();
      this.skip();
      if (this.code() === 61) {
        if (this.code(1) === 61 || this.code(1) === 62) bail();
        this.pos++;
        const expr = this.expression();
        body.attributes.push({ name, expr, range: this.range(start, this.end) } satisfies HclAttribute);
      } else {
        body.blocks.push(this.block(start, name));
      }
    }
  }

  private block(start: number, type: string): HclBlock {
    const labels: string[] = [];
    for (;;) {
      this.skip();
      const c = this.code();
      if (c === 34) {
        const label = this.quoted();
        if (label.t !== 'literal') bail();
        labels.push(label.value as string);
      } else if (c === 123) break;
      else labels.push(this.identifier() ?? bail());
    }
    this.pos++;
    const body = this.body(false);
    this.pos++; // the closing brace body() stopped at
    return { type, labels, body, range: this.range(start, this.pos) };
  }

  /** A full expression: operations and (left-associative, as tree-sitter's grammar has it) conditionals. */
  private expression(): Expr {
    this.skip();
    const start = this.pos;
    let expr = this.operation();
    for (;;) {
      const save = this.pos;
      this.skip();
      if (this.code() !== 63) {
        this.pos = save;
        return expr;
      }
      this.pos++;
      const then = this.expression();
      this.expect(':');
      this.skip();
      const otherwise = this.operation();
      expr = { t: 'conditional', condition: expr, then, otherwise, range: this.range(start, this.end) };
    }
  }

  /** Terms joined by binary operators, grouped by precedence (left-associative), as tree-sitter's grammar has them. */
  private operation(minPrecedence = 1): Expr {
    const start = this.pos;
    let expr = this.unary();
    for (;;) {
      const save = this.pos;
      this.skip();
      const op = this.binaryOperator();
      if (op === undefined || BINARY_PRECEDENCE[op] < minPrecedence) {
        this.pos = save;
        break;
      }
      this.pos += op.length;
      this.skip();
      const right = this.operation(BINARY_PRECEDENCE[op] + 1);
      expr = { t: 'binary', op, left: expr, right, text: this.text.slice(start, this.end), range: this.range(start, this.end) };
    }
    return expr;
  }

  private binaryOperator(): BinaryOperator | undefined {
    for (const op of TWO_CHAR_OPERATORS) if (this.text.startsWith(op, this.pos)) return op;
    const c = this.code();
    // * / % + - > <  (`=` alone ends the expression: an object key, or `=>`)
    return c === 42 || c === 47 || c === 37 || c === 43 || c === 45 || c === 62 || c === 60 ? (this.text[this.pos] as BinaryOperator) : undefined;
  }

  private unary(): Expr {
    const c = this.code();
    if (c === 45 || c === 33) {
      const start = this.pos;
      if (this.code(1) === 61) bail();
      this.pos++;
      this.skip();
      const operand = this.unary();
      return { t: 'unary', op: c === 33 ? '!' : '-', operand, text: this.text.slice(start, this.end), range: this.range(start, this.end) };
    }
    return this.traversal();
  }

  /**
   * A primary followed by `.attr`, `[index]`, `.0` or splats (`[*]`, `.*`), made into an expression by
   * traversalExpr, as the tree-sitter converter does.
   */
  private traversal(): Expr {
    const start = this.pos;
    const expr = this.primary();
    // Read and cleared at once, so an enclosing traversal (`(a).b`) never sees a nested one's variable.
    const variable = this.variable;
    this.variable = undefined;
    // Most terms have no step: no list until the first. Steps are pushed inline (no closure per
    // term: its context and function object were a third of what this parser allocated).
    let steps: Array<string | number | Expr> | undefined;
    let computed = false;
    // Only a splat (rare) needs each step's kind and end: collected from the splat on.
    let splat: SplatMark | 'nested' | undefined;
    let after: TraversalStep[] | undefined;
    for (;;) {
      const save = this.pos;
      this.skip();
      const c = this.code();
      let step: string | number | Expr;
      let attribute = false;
      if (c === 46 && this.code(1) === 42) {
        splat = splat ? 'nested' : { at: steps?.length ?? 0, full: false, sourceEnd: this.end, end: this.pos + 2 };
        after ??= [];
        this.pos += 2;
        this.end = this.pos;
        continue;
      } else if (c === 46 && isDigit(this.code(1))) {
        const digits = ++this.pos;
        while (isDigit(this.code())) this.pos++;
        if (isIdentPart(this.code())) bail();
        step = Number(this.text.slice(digits, this.pos));
      } else if (c === 46 && this.code(1) !== 46) {
        this.pos++;
        this.skip();
        step = this.identifier() ?? bail();
        attribute = true;
      } else if (c === 91 && this.text.startsWith('[*]', this.pos)) {
        splat = splat ? 'nested' : { at: steps?.length ?? 0, full: true, sourceEnd: this.end, end: this.pos + 3 };
        after ??= [];
        this.pos += 3;
        this.end = this.pos;
        continue;
      } else if (c === 91) {
        this.pos++;
        const index = this.expression();
        this.expect(']');
        step = index.t === 'literal' && (typeof index.value === 'number' || typeof index.value === 'string') ? index.value : index;
      } else {
        this.pos = save;
        break;
      }
      (steps ??= []).push(step);
      if (after) after.push({ step, attribute, end: this.pos });
      else if (typeof step === 'object') computed = true;
      this.end = this.pos;
    }
    if (splat) {
      // Steps before the splat only make its source: their kind and end are not read.
      const all = [...(steps ?? []).slice(0, (steps?.length ?? 0) - after!.length).map((step) => ({ step, attribute: false, end: 0 })), ...after!];
      return traversalExpr(expr, variable, all, splat, start, this.end, this.source);
    }
    if (steps === undefined) return expr;
    const text = this.text.slice(start, this.end);
    const range = this.range(start, this.end);
    if (variable !== undefined && !computed) return { t: 'ref', path: [variable, ...(steps as Array<string | number>)], text, range };
    return { t: 'traverse', base: expr, steps, text, range };
  }

  /** Source slices and ranges, for traversalExpr. */
  private readonly source: SourceText = { slice: (start, end) => this.text.slice(start, end), range: (start, end) => this.range(start, end) };

  /** A term; a bare variable (`aws_x`, `var`, `each`) is also left in `variable` for traversal() to read. */
  private primary(): Expr {
    const start = this.pos;
    const c = this.code();
    if (c === 34) return this.quoted();
    if (c === 60 && this.code(1) === 60) return this.heredoc();
    if (c === 91) return this.tuple();
    if (c === 123) return this.object();
    if (c === 40) {
      this.pos++;
      const inner = this.expression();
      this.expect(')');
      this.end = this.pos;
      return inner;
    }
    if (isDigit(c)) return this.number();
    const name = this.identifier() ?? bail();
    this.end = this.pos;
    if (name === 'true' || name === 'false') return { t: 'literal', value: name === 'true', range: this.range(start, this.pos) };
    if (name === 'null') return { t: 'literal', value: null, range: this.range(start, this.pos) };
    if (KEYWORDS.has(name)) bail();
    const save = this.pos;
    this.skip();
    if (this.code() === 40) return this.call(start, name);
    this.pos = save;
    this.variable = name;
    return { t: 'ref', path: [name], text: name, range: this.range(start, this.pos) };
  }

  private number(): Expr {
    const start = this.pos;
    if (this.code() === 48 && this.code(1) === 120) {
      this.pos += 2;
      if (!isIdentPart(this.code()) || this.code() === 45 || this.code() === 95) bail();
      while ((isIdentPart(this.code()) && this.code() !== 45 && this.code() !== 95)) this.pos++;
    } else {
      while (isDigit(this.code())) this.pos++;
      if (this.code() === 46 && isDigit(this.code(1))) {
        this.pos++;
        while (isDigit(this.code())) this.pos++;
        if ((this.code() === 101 || this.code() === 69) && (isDigit(this.code(1)) || ((this.code(1) === 43 || this.code(1) === 45) && isDigit(this.code(2))))) {
          this.pos += 2;
          while (isDigit(this.code())) this.pos++;
        }
      }
    }
    const after = this.code();
    if (isIdentPart(after) || after === 46 || after > 127) bail();
    this.end = this.pos;
    return { t: 'literal', value: Number(this.text.slice(start, this.pos)), range: this.range(start, this.pos) };
  }

  private call(start: number, name: string): Expr {
    this.pos++;
    const args: Expr[] = [];
    this.skip();
    if (this.code() !== 41) {
      for (;;) {
        args.push(this.expression());
        this.skip();
        if (this.code() === 44) {
          this.pos++;
          this.skip();
          if (this.code() === 41) break;
        } else if (this.text.startsWith('...', this.pos)) {
          this.pos += 3;
          this.skip();
          break;
        } else break;
      }
    }
    if (this.code() !== 41) bail();
    this.pos++;
    this.end = this.pos;
    return { t: 'call', name, args, range: this.range(start, this.pos) };
  }

  private tuple(): Expr {
    const start = this.pos;
    this.pos++;
    this.skip();
    if (this.atWord('for')) return this.forExpression(start, false);
    const items: Expr[] = [];
    if (this.code() !== 93) {
      for (;;) {
        items.push(this.expression());
        this.skip();
        if (this.code() === 44) {
          this.pos++;
          this.skip();
          if (this.code() === 93) break;
        } else break;
      }
    }
    if (this.code() !== 93) bail();
    this.pos++;
    this.end = this.pos;
    return { t: 'tuple', items, range: this.range(start, this.pos) };
  }

  private object(): Expr {
    const start = this.pos;
    this.pos++;
    this.skip();
    if (this.atWord('for')) return this.forExpression(start, true);
    const items: Array<{ key: Expr; value: Expr }> = [];
    for (;;) {
      this.skip();
      if (this.code() === 125) break;
      const key = this.expression();
      this.skip();
      const c = this.code();
      if (c === 61) {
        if (this.code(1) === 61 || this.code(1) === 62) bail();
      } else if (c !== 58) bail();
      this.pos++;
      items.push({ key, value: this.expression() });
      this.skip();
      if (this.code() === 44) {
        this.pos++;
        this.skip();
        if (this.code() === 44) bail();
      }
    }
    this.pos++;
    this.end = this.pos;
    return { t: 'object', items, range: this.range(start, this.pos) };
  }

  /** `k, v in` or `v in` after a `for` (of an expression or a template directive), the cursor left past `in`. */
  private forVariables(): { keyVar?: string; valueVar: string } {
    this.skip();
    const first = this.identifier() ?? bail();
    this.skip();
    if (this.code() !== 44) {
      if (!this.atWord('in')) bail();
      this.pos += 2;
      return { valueVar: first };
    }
    this.pos++;
    this.skip();
    const valueVar = this.identifier() ?? bail();
    this.skip();
    if (!this.atWord('in')) bail();
    this.pos += 2;
    return { keyVar: first, valueVar };
  }

  /** `[for k, v in x : v if c]` / `{for k, v in x : k => v... if c}`. */
  private forExpression(start: number, object: boolean): Expr {
    this.pos += 3;
    const { keyVar, valueVar } = this.forVariables();
    const collection = this.expression();
    this.expect(':');
    let key: Expr | undefined;
    let value = this.expression();
    let grouped = false;
    if (object) {
      this.skip();
      if (!this.text.startsWith('=>', this.pos)) bail();
      this.pos += 2;
      key = value;
      value = this.expression();
      this.skip();
      if (this.text.startsWith('...', this.pos)) {
        this.pos += 3;
        grouped = true;
      }
    }
    this.skip();
    let condition: Expr | undefined;
    if (this.atWord('if')) {
      this.pos += 2;
      condition = this.expression();
    }
    this.expect(object ? '}' : ']');
    this.end = this.pos;
    const expr: Expr = { t: 'for', object, valueVar, collection, value, text: this.text.slice(start, this.pos), range: this.range(start, this.pos) };
    if (keyVar !== undefined) expr.keyVar = keyVar;
    if (key) expr.key = key;
    if (grouped) expr.grouped = true;
    if (condition) expr.condition = condition;
    return expr;
  }

  /** `"..."`: a literal when there is no interpolation, else a template. */
  private quoted(): Expr {
    const start = this.pos;
    const text = this.text;
    this.pos++;
    const parts: TemplatePart[] = [];
    let literalStart = this.pos;
    let interpolated = false;
    for (;;) {
      const c = text.charCodeAt(this.pos);
      if (Number.isNaN(c) || c === 10) bail(); // unterminated, or a newline Terraform rejects
      if (c === 34) break;
      if (c === 92) {
        const e = text.charCodeAt(this.pos + 1);
        if (e === 110 || e === 114 || e === 116 || e === 34 || e === 92) this.pos += 2;
        else if (e === 117 || e === 85) {
          const digits = e === 117 ? 4 : 8;
          for (let i = 2; i < 2 + digits; i++) if (!isHex(text.charCodeAt(this.pos + i))) bail();
          this.pos += 2 + digits;
        } else bail();
      } else if (c === 36 || c === 37) {
        const next = text.charCodeAt(this.pos + 1);
        if (next === 123) {
          if (this.pos > literalStart) parts.push({ kind: 'text', text: unescapeQuoted(text.slice(literalStart, this.pos)) });
          parts.push(c === 37 ? this.directive() : this.interpolation());
          literalStart = this.pos;
          interpolated = true;
        } else if (next === c) this.pos += text.charCodeAt(this.pos + 2) === 123 ? 3 : 2;
        else this.pos++;
      } else this.pos++;
    }
    this.pos++;
    this.end = this.pos;
    const range = this.range(start, this.pos);
    if (!interpolated) return { t: 'literal', value: unescapeQuoted(text.slice(start + 1, this.pos - 1)), range };
    checkDirectiveNesting(parts);
    if (this.pos - 1 > literalStart) parts.push({ kind: 'text', text: unescapeQuoted(text.slice(literalStart, this.pos - 1)) });
    return { t: 'template', parts, range };
  }

  /** `${ expr }` at the cursor; `base` makes start/end relative (heredoc content). */
  private interpolation(base = 0): TemplatePart {
    const start = this.pos;
    const stripBefore = this.openTag();
    if (this.code() === 126 || this.code() === 125) bail(); // a strip marker not right after `${`, an empty interpolation
    const expr = this.expression();
    return this.closeTag({ kind: 'interpolation', expr, start: start - base, end: 0 }, stripBefore, base);
  }

  /** `%{ if c }`, `%{ else }`, `%{ endif }`, `%{ for k, v in c }`, `%{ endfor }` at the cursor (see interpolation). */
  private directive(base = 0): TemplatePart {
    const start = this.pos;
    const stripBefore = this.openTag();
    const keyword = this.identifier() ?? bail();
    let directive: TemplateDirective;
    if (keyword === 'if') directive = { tag: 'if', condition: this.expression() };
    else if (keyword === 'for') {
      const { keyVar, valueVar } = this.forVariables();
      directive = { tag: 'for', valueVar, collection: this.expression() };
      if (keyVar !== undefined) directive.keyVar = keyVar;
    } else if (keyword === 'else' || keyword === 'endif' || keyword === 'endfor') directive = { tag: keyword };
    else bail();
    return this.closeTag({ kind: 'directive', directive, start: start - base, end: 0 }, stripBefore, base);
  }

  /** Past `${` or `%{` and a strip marker right after it (whether there was one), and the whitespace after. */
  private openTag(): boolean {
    this.pos += 2;
    const strip = this.code() === 126;
    if (strip) this.pos++;
    this.skip();
    return strip;
  }

  /** The closing `}` (a strip marker right before it) of a tag `part`, whose end and strip flags it sets. */
  private closeTag<T extends TemplateTagPart>(part: T, stripBefore: boolean, base: number): T {
    this.skip();
    const stripAfter = this.code() === 126;
    if (stripAfter) this.pos++;
    if (this.code() !== 125) bail();
    this.pos++;
    part.end = this.pos - base;
    if (stripBefore) part.stripBefore = true;
    if (stripAfter) part.stripAfter = true;
    return part;
  }

  /** `<<EOF` / `<<-EOF` ... `EOF`: the closing marker alone on a line (indent allowed, as tree-sitter's scanner has it). */
  private heredoc(): Expr {
    const text = this.text;
    const start = this.pos;
    this.pos += this.code(2) === 45 ? 3 : 2;
    const idStart = this.pos;
    while (isIdentPart(this.code())) this.pos++;
    const id = text.slice(idStart, this.pos);
    if (id === '') bail();
    while (this.code() === 32 || this.code() === 9 || this.code() === 13) this.pos++;
    if (this.code() !== 10) bail();
    const contentStart = this.pos + 1;
    let lineStart = contentStart;
    let closeStart = -1;
    while (closeStart < 0) {
      if (lineStart >= text.length) bail();
      let i = lineStart;
      while (i < text.length && isSpace(text.charCodeAt(i)) && text.charCodeAt(i) !== 10) i++;
      if (text.startsWith(id, i)) {
        let k = i + id.length;
        while (k < text.length && isSpace(text.charCodeAt(k)) && text.charCodeAt(k) !== 10) k++;
        if (text.charCodeAt(k) === 10) {
          closeStart = i;
          break;
        }
      }
      const newline = text.indexOf('\n', lineStart);
      if (newline < 0) bail();
      lineStart = newline + 1;
    }
    const contentEnd = lineStart;
    const content = text.slice(contentStart, contentEnd);
    const parts = this.templateParts(contentStart, contentEnd);
    this.pos = closeStart + id.length;
    this.end = this.pos;
    return {
      t: 'template',
      parts,
      range: this.range(start, this.pos),
      verbatim: { text: content, range: this.range(contentStart, contentStart + content.length) },
    };
  }

  /** The whole text as a template file's content (see parseTemplateFast). */
  templateFile(): Extract<Expr, { t: 'template' }> {
    const range = this.range(0, this.text.length);
    return { t: 'template', parts: this.templateParts(0, this.text.length), range, verbatim: { text: this.text, range } };
  }

  /** Heredoc or template file content from `contentStart` to `contentEnd`: text and one-line interpolations (hole offsets relative to the start). */
  private templateParts(contentStart: number, contentEnd: number): TemplatePart[] {
    const text = this.text;
    const parts: TemplatePart[] = [];
    let cursor = contentStart;
    this.pos = contentStart;
    while (this.pos < contentEnd) {
      const c = text.charCodeAt(this.pos);
      const next = text.charCodeAt(this.pos + 1);
      if ((c === 36 || c === 37) && next === 123) {
        if (this.pos > cursor) parts.push({ kind: 'text', text: text.slice(cursor, this.pos).replace(/\$\$\{/g, '${') });
        const partStart = this.pos;
        parts.push(c === 37 ? this.directive(contentStart) : this.interpolation(contentStart));
        if (this.pos > contentEnd || text.slice(partStart, this.pos).includes('\n')) bail();
        cursor = this.pos;
      } else if ((c === 36 || c === 37) && next === c) this.pos += text.charCodeAt(this.pos + 2) === 123 ? 3 : 2;
      else this.pos++;
    }
    if (contentEnd > cursor) parts.push({ kind: 'text', text: text.slice(cursor, contentEnd).replace(/\$\$\{/g, '${') });
    checkDirectiveNesting(parts);
    return parts;
  }
}

/** Template directives pair up as HCL's grammar has them (one `else` per `if`, none in a `for`); else tree-sitter locates the error. */
function checkDirectiveNesting(parts: readonly TemplatePart[]): void {
  const open: Array<'if' | 'else' | 'for'> = [];
  for (const part of parts) {
    if (part.kind !== 'directive') continue;
    const { tag } = part.directive;
    const top = open[open.length - 1];
    if (tag === 'if' || tag === 'for') open.push(tag);
    else if (tag === 'else' && top === 'if') open[open.length - 1] = 'else';
    else if ((tag === 'endif' && (top === 'if' || top === 'else')) || (tag === 'endfor' && top === 'for')) open.pop();
    else bail();
  }
  if (open.length > 0) bail();
}
