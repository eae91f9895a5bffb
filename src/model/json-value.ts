import { type Node as JsonNode, type ParseError, parseTree, printParseErrorCode } from 'jsonc-parser';
import { fastPaths } from '../parse/fast-paths.js';
import { jsonEscape, type JsonStringNode, parseJsonFast } from '../parse/fast-json.js';
import type { InputError } from '../parse/types.js';
import type { PositionMapper } from './range.js';
import { mayHoldJson, positionsFromRuns, type SourceRun, type StringPositions } from './string-positions.js';
import type { UnknownValue, Value } from './value.js';

/**
 * A span of the text that is not JSON but an already-evaluated value, e.g. a Terraform
 * `${aws_lambda_function.api.arn}` inside a heredoc policy.
 */
export interface Hole {
  start: number;
  end: number;
  value: Value;
}

/**
 * Parses JSON (tolerating trailing commas and comments, as policy heredocs often have them)
 * into a Value whose every node carries its range. Strict JSON takes the fast path
 * (parse/fast-json.ts); whatever it declines, jsonc-parser parses and locates the errors of.
 */
export function parseJsonValue(text: string, mapper: PositionMapper, holes: readonly Hole[] = []): { value?: Value; errors: InputError[]; jsonStrings?: boolean } {
  const prepared = prepare(text, mapper, holes);
  const fast = fastPaths.enabled ? parseJsonFast(prepared.source, mapper, prepared.stringNode) : undefined;
  const parsed = fast ? { value: fast, errors: [] } : parseWithJsonc(prepared, mapper);
  // Some string got a `positions` map (it may hold a policy as JSON text): the fix stage keeps such strings' spans.
  return prepared.found.jsonStrings ? { ...parsed, jsonStrings: true } : parsed;
}

/** The fast path alone (for tests): its Value, or undefined where it declines. */
export function parseJsonValueFast(text: string, mapper: PositionMapper, holes: readonly Hole[] = []): Value | undefined {
  const prepared = prepare(text, mapper, holes);
  return parseJsonFast(prepared.source, mapper, prepared.stringNode);
}

/** The reference path alone (for tests): jsonc-parser, with its errors. */
export function parseJsonValueWithJsonc(text: string, mapper: PositionMapper, holes: readonly Hole[] = []): { value?: Value; errors: InputError[] } {
  return parseWithJsonc(prepare(text, mapper, holes), mapper);
}

/** The text both parsers read (standalone holes replaced by placeholders) and how each string literal becomes a Value. */
interface Prepared {
  source: string;
  stringNode: JsonStringNode;
  found: { jsonStrings: boolean };
}

function prepare(text: string, mapper: PositionMapper, holes: readonly Hole[]): Prepared {
  const found = { jsonStrings: false };
  if (holes.length === 0) return { source: text, stringNode: plainStringNode(text, mapper, found), found };
  const standalone = new Set<Hole>();
  let source = text;
  const inString = holesInsideStrings(text, holes);
  for (const hole of holes) {
    if (inString.has(hole)) continue;
    // Same-length placeholder keeps every offset valid; the value is put back by stringNodeWithHoles.
    const width = hole.end - hole.start;
    const placeholder = width >= 2 ? `"${'_'.repeat(width - 2)}"` : '0';
    source = source.slice(0, hole.start) + placeholder + source.slice(hole.end);
    standalone.add(hole);
  }
  return { source, stringNode: stringNodeWithHoles(text, mapper, holes, standalone, found), found };
}

function parseWithJsonc({ source, stringNode }: Prepared, mapper: PositionMapper): { value?: Value; errors: InputError[] } {
  const parseErrors: ParseError[] = [];
  const tree = parseTree(source, parseErrors, { allowTrailingComma: true, disallowComments: false });
  const errors = parseErrors.slice(0, 1).map((e) => ({
    message: `invalid JSON: ${describeJsonError(printParseErrorCode(e.error))}`,
    range: mapper.range(e.offset, e.offset + Math.max(1, e.length)),
  }));
  if (!tree) return { errors };
  const convert = (node: JsonNode): Value => {
    const range = mapper.range(node.offset, node.offset + node.length);
    switch (node.type) {
      case 'object':
        return {
          kind: 'object',
          range,
          entries: (node.children ?? []).flatMap((property) => {
            const [key, value] = property.children ?? [];
            if (!key || !value) return [];
            return [{ key: String(key.value), keyRange: mapper.range(key.offset, key.offset + key.length), value: convert(value) }];
          }),
        };
      case 'array':
        return { kind: 'list', items: (node.children ?? []).map(convert), range };
      case 'string':
        return stringNode(node.offset, node.length, String(node.value), range);
      case 'number':
        return { kind: 'number', value: Number(node.value), range };
      case 'boolean':
        return { kind: 'bool', value: Boolean(node.value), range };
      default:
        return { kind: 'null', range };
    }
  };
  return { value: convert(tree), errors };
}

/** A string literal's Value where there are no holes: with a `positions` map when it may hold a JSON policy. */
function plainStringNode(text: string, mapper: PositionMapper, found: { jsonStrings: boolean }): JsonStringNode {
  return (offset, length, value, range) => {
    const positions = mayHoldJson(value) ? jsonStringPositions(text, offset, length, value, mapper) : undefined;
    if (!positions) return { kind: 'string', value, range };
    found.jsonStrings = true;
    return { kind: 'string', value, range, positions };
  };
}

/** A string literal's Value where holes were cut out: a hole's own value, or a template around the holes inside it. */
function stringNodeWithHoles(text: string, mapper: PositionMapper, holes: readonly Hole[], standalone: ReadonlySet<Hole>, found: { jsonStrings: boolean }): JsonStringNode {
  const plain = plainStringNode(text, mapper, found);
  return (offset, length, value, range) => {
    const exact = holes.find((h) => standalone.has(h) && h.start === offset && h.end === offset + length);
    if (exact) return { ...exact.value, range } as Value;
    const inner = holes.filter((h) => !standalone.has(h) && h.start > offset && h.end < offset + length);
    if (inner.length === 0) return plain(offset, length, value, range);
    return templateFromString(text, offset, length, inner, range);
  };
}

/**
 * Where each character of a JSON string literal's value stands (its escapes mapped to their spans):
 * a policy written as a JSON string inside a JSON template is located at its own lines. Kept only
 * when the decoding agrees with the parser's value.
 */
function jsonStringPositions(text: string, offset: number, length: number, value: string, mapper: PositionMapper): StringPositions | undefined {
  const runs: SourceRun[] = [];
  let decoded = '';
  let copying = false;
  const end = offset + length - 1; // the closing quote
  for (let i = offset + 1; i < end; ) {
    if (text[i] === '\\') {
      const e = text[i + 1];
      let width = 2;
      let char = jsonEscape(text.charCodeAt(i + 1));
      if (e === 'u') {
        width = 6;
        char = String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
      }
      if (char === undefined) return undefined;
      runs.push({ decodedStart: decoded.length, sourceStart: i, sourceLength: width });
      decoded += char;
      copying = false;
      i += width;
      continue;
    }
    let j = i + 1;
    while (j < end && text[j] !== '\\' && text[j] !== '\n') j++;
    if (text[j] === '\n') j++; // a raw line break (invalid JSON, but kept by the parser): the run ends with it
    const last = runs[runs.length - 1];
    if (copying && last.sourceStart + last.sourceLength === i && text[i - 1] !== '\n') last.sourceLength += j - i;
    else runs.push({ decodedStart: decoded.length, sourceStart: i, sourceLength: j - i });
    copying = true;
    decoded += text.slice(i, j);
    i = j;
  }
  return decoded === value ? positionsFromRuns(runs, decoded.length, mapper) : undefined;
}

function describeJsonError(code: string): string {
  const words: Record<string, string> = {
    InvalidSymbol: 'unexpected character',
    ValueExpected: 'expected a value',
    ColonExpected: "expected ':'",
    CommaExpected: "expected ','",
    CloseBraceExpected: "expected '}'",
    CloseBracketExpected: "expected ']'",
    PropertyNameExpected: 'expected a property name',
    EndOfFileExpected: 'expected end of input',
    UnexpectedEndOfString: 'unterminated string',
  };
  return words[code] ?? code;
}

/** A JSON string with holes in it becomes a template: its known text around the holes' values. */
function templateFromString(text: string, offset: number, length: number, holes: Hole[], range: Value['range']): Value {
  const parts: Array<string | UnknownValue> = [];
  let cursor = offset + 1;
  const end = offset + length - 1;
  const pushText = (s: string) => {
    if (s) parts.push(unescapeJsonFragment(s));
  };
  for (const hole of [...holes].sort((a, b) => a.start - b.start)) {
    pushText(text.slice(cursor, hole.start));
    const value = hole.value;
    if (value.kind === 'string') parts.push(value.value);
    else if (value.kind === 'template') parts.push(...value.parts);
    else if (value.kind === 'unknown') parts.push(value);
    else parts.push({ kind: 'unknown', range: value.range });
    cursor = hole.end;
  }
  pushText(text.slice(cursor, end));
  if (parts.every((p) => typeof p === 'string')) return { kind: 'string', value: parts.join(''), range };
  return { kind: 'template', parts, range };
}

function unescapeJsonFragment(s: string): string {
  try {
    return JSON.parse(`"${s}"`) as string;
  } catch {
    return s;
  }
}

/** Which holes sit inside a JSON string literal (scanning quotes, skipping the holes themselves). */
function holesInsideStrings(text: string, holes: readonly Hole[]): Set<Hole> {
  const sorted = [...holes].sort((a, b) => a.start - b.start);
  const inside = new Set<Hole>();
  let inString = false;
  let next = 0;
  for (let i = 0; i < text.length; i++) {
    if (next < sorted.length && i === sorted[next].start) {
      if (inString) inside.add(sorted[next]);
      i = sorted[next].end - 1;
      next++;
      continue;
    }
    const ch = text[i];
    if (inString && ch === '\\') i++;
    else if (ch === '"') inString = !inString;
  }
  return inside;
}
