import { parseJsonValue } from '../model/json-value.js';
import { createPositionMapper, type Range, type TextPositionMapper } from '../model/range.js';
import type { Value } from '../model/value.js';
import type { InputError } from './types.js';

/** Parses a whole JSON file; on a syntax error, keeps what parsed minus the construct it broke. */
export function parseJsonFile(file: string, text: string, mapper: TextPositionMapper = createPositionMapper(file, text)): { value?: Value; errors: InputError[] } {
  const parsed = parseJsonValue(text, mapper);
  const value = parsed.value && parsed.errors[0] ? withoutBrokenConstruct(parsed.value, parsed.errors[0].range) : parsed.value;
  return { ...(value ? { value } : {}), errors: parsed.errors };
}

/**
 * Drops the innermost object or array that a JSON syntax error falls in, so a construct the
 * error cut short is reported once as IG901 and never analysed half-read (a truncated plan
 * resource has lost exactly the attributes that would scope its grant). The rest is kept.
 */
export function withoutBrokenConstruct(value: Value, error: Range): Value | undefined {
  if (!contains(value.range, error)) return value;
  if (value.kind === 'object') {
    const inner = value.entries.find((e) => isContainer(e.value) && contains(e.value.range, error));
    if (!inner) return undefined;
    const kept = withoutBrokenConstruct(inner.value, error);
    return { ...value, entries: value.entries.flatMap((e) => (e !== inner ? [e] : kept ? [{ ...e, value: kept }] : [])) };
  }
  if (value.kind === 'list') {
    const inner = value.items.find((i) => isContainer(i) && contains(i.range, error));
    if (!inner) return undefined;
    const kept = withoutBrokenConstruct(inner, error);
    return { ...value, items: value.items.flatMap((i) => (i !== inner ? [i] : kept ? [kept] : [])) };
  }
  return value;
}

function isContainer(value: Value): boolean {
  return value.kind === 'object' || value.kind === 'list';
}

function contains(outer: Range, inner: Range): boolean {
  const after = inner.line > outer.line || (inner.line === outer.line && inner.column >= outer.column);
  const before = inner.line < outer.endLine || (inner.line === outer.endLine && inner.column <= outer.endColumn);
  return after && before;
}
