import { type Node as JsonNode, type ParseError, parseTree, printParseErrorCode } from 'jsonc-parser';
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
 * into a Value whose every node carries its range.
 */
export function parseJsonValue(text: string, mapper: PositionMapper, holes: readonly Hole[] = []): { value?: Value; errors: InputError[] } {
  const standalone = new Set<Hole>();
  let source = text;
  if (holes.length > 0) {
    const inString = holesInsideStrings(text, holes);
    for (const hole of holes) {
      if (inString.has(hole)) continue;
      // Same-length placeholder keeps every offset valid; the value is put back below.
      const width = hole.end - hole.start;
      const placeholder = width >= 2 ? `"${'_'.repeat(width - 2)}"` : '0';
      source = source.slice(0, hole.start) + placeholder + source.slice(hole.end);
      standalone.add(hole);
    }
  }
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
      case 'string': {
        const exact = holes.find((h) => standalone.has(h) && h.start === node.offset && h.end === node.offset + node.length);
        if (exact) return { ...exact.value, range } as Value;
        const inner = holes.filter((h) => !standalone.has(h) && h.start > node.offset && h.end < node.offset + node.length);
        if (inner.length === 0) {
          const value = String(node.value);
          const positions = mayHoldJson(value) ? jsonStringPositions(text, node.offset, node.length, value, mapper) : undefined;
          return positions ? { kind: 'string', value, range, positions } : { kind: 'string', value, range };
        }
        return templateFromString(text, node, inner, range);
      }
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

const JSON_ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

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
      let char = JSON_ESCAPES[e];
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
function templateFromString(text: string, node: JsonNode, holes: Hole[], range: Value['range']): Value {
  const parts: Array<string | UnknownValue> = [];
  let cursor = node.offset + 1;
  const end = node.offset + node.length - 1;
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
