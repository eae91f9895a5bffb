import type { Range } from '../range.js';
import { getEntry, knownString, unknownValue, type ObjectEntry, type UnknownValue, type Value } from '../value.js';
import { ownedString } from './intern.js';

/**
 * Terraform's built-in functions that IAM and Lambda code commonly uses, interpreted on values
 * (nothing is run). Each follows Terraform's semantics: an argument Terraform would reject makes
 * the result invalid (an error `try` can catch), an argument not known yet makes it unknown.
 * A value passed through (lookup, element, coalesce) keeps its own range: findings point there.
 */
type Builtin = (args: Value[], range: Range, ref: string) => Value;

/** Whether Terraform would fail evaluating the value (anywhere inside it). */
export function hasInvalid(value: Value): boolean {
  switch (value.kind) {
    case 'unknown':
      return value.invalid === true;
    case 'template':
      return value.parts.some((p) => typeof p !== 'string' && p.invalid === true);
    case 'list':
      return value.items.some(hasInvalid);
    case 'object':
      return value.entries.some((e) => hasInvalid(e.value));
    default:
      return false;
  }
}

/** Whether the value has no unknown part. */
export function whollyKnown(value: Value): boolean {
  switch (value.kind) {
    case 'unknown':
    case 'template':
      return false;
    case 'list':
      return value.items.every(whollyKnown);
    case 'object':
      return !value.open && value.entries.every((e) => whollyKnown(e.value));
    default:
      return true;
  }
}

export function invalidValue(range: Range, ref: string): UnknownValue {
  return { kind: 'unknown', ref, range, invalid: true };
}

/** The result of a call some argument of which is not known: invalid when one is invalid, else unknown. */
export function unknownResult(range: Range, ref: string, args: readonly Value[]): UnknownValue {
  return args.some(hasInvalid) ? invalidValue(range, ref) : unknownValue(range, ref);
}

export function mergeText(parts: Array<string | UnknownValue>): Array<string | UnknownValue> {
  const out: Array<string | UnknownValue> = [];
  for (const part of parts) {
    const last = out[out.length - 1];
    if (typeof part === 'string' && typeof last === 'string') out[out.length - 1] = last + part;
    else if (part !== '') out.push(part);
  }
  return out;
}

/**
 * What one value may grow to. Functions and templates can multiply what they are given (flatten of
 * lists of lists, a template repeating a local that repeats another): past these a value is unknown,
 * so hostile code cannot exhaust the scan's memory or time.
 */
export const MAX_TEXT_LENGTH = 1_000_000;
export const MAX_LIST_ITEMS = 10_000;

/** The length of the known text among `parts`. */
export function textLength(parts: ReadonlyArray<string | UnknownValue>): number {
  let length = 0;
  for (const part of parts) if (typeof part === 'string') length += part.length;
  return length;
}

/** Text pieces as a string value, or a template when some are unknown. */
function textValue(parts: Array<string | UnknownValue>, range: Range): Value {
  if (parts.length > MAX_LIST_ITEMS || textLength(parts) > MAX_TEXT_LENGTH) return unknownValue(range);
  const merged = mergeText(parts);
  if (merged.every((p) => typeof p === 'string')) return { kind: 'string', value: ownedString(merged.join('')), range };
  return { kind: 'template', parts: merged, range };
}

/** A scalar as text pieces (an unknown or template as its pieces); undefined for what Terraform will not convert to a string. */
function textPieces(value: Value): Array<string | UnknownValue> | undefined {
  const known = knownString(value);
  if (known !== undefined) return [known];
  if (value.kind === 'unknown') return [value];
  if (value.kind === 'template') return value.parts;
  return undefined;
}

/** A wholly known value as a comparable string; undefined when some part is unknown. */
export function valueKey(value: Value): string | undefined {
  return canonical(value);
}

function canonical(value: Value): string | undefined {
  switch (value.kind) {
    case 'string':
      return `s${JSON.stringify(value.value)}`;
    case 'number':
      return `n${value.value}`;
    case 'bool':
      return `b${value.value}`;
    case 'null':
      return 'null';
    case 'list': {
      const items = value.items.map(canonical);
      return items.every((i) => i !== undefined) ? `[${items.join(',')}]` : undefined;
    }
    case 'object': {
      if (value.open) return undefined;
      const entries = uniqueEntries(value).map((e) => [e.key, canonical(e.value)] as const);
      return entries.every(([, v]) => v !== undefined) ? `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}` : undefined;
    }
    default:
      return undefined;
  }
}

/** An object's entries as Terraform holds them: one per key (the last written), sorted by key. */
function uniqueEntries(value: Extract<Value, { kind: 'object' }>): ObjectEntry[] {
  const byKey = new Map<string, ObjectEntry>();
  for (const entry of value.entries) byKey.set(entry.key, entry);
  return [...byKey.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** `list` as its items; `unknown`/`invalid` say why not. */
function listItems(value: Value): Value[] | 'unknown' | 'invalid' {
  if (value.kind === 'list') return value.items;
  if (value.kind === 'unknown') return value.invalid ? 'invalid' : 'unknown';
  return 'invalid';
}

const format: Builtin = (args, range, ref) => {
  const spec = args[0];
  if (spec?.kind !== 'string') return unknownResult(range, ref, args);
  const parts: Array<string | UnknownValue> = [];
  let next = 1;
  let at = 0;
  for (;;) {
    const percent = spec.value.indexOf('%', at);
    if (percent < 0) break;
    parts.push(spec.value.slice(at, percent));
    const verb = spec.value[percent + 1];
    at = percent + 2;
    if (verb === '%') {
      parts.push('%');
      continue;
    }
    // Flags, widths, precisions and explicit argument indexes are not interpreted.
    if (verb !== 's' && verb !== 'd' && verb !== 'v' && verb !== 'q') return unknownResult(range, ref, args);
    const value = args[next++];
    if (!value) return invalidValue(range, ref); // not enough arguments
    if (hasInvalid(value)) return invalidValue(range, ref);
    if (verb === 'q') {
      if (value.kind !== 'string') return unknownResult(range, ref, args);
      parts.push(JSON.stringify(value.value));
    } else if (verb === 'd') {
      if (value.kind === 'number' && Number.isInteger(value.value)) parts.push(String(value.value));
      else if (value.kind === 'unknown') parts.push(value);
      else return value.kind === 'string' || value.kind === 'template' ? unknownResult(range, ref, args) : invalidValue(range, ref);
    } else {
      const pieces = textPieces(value);
      if (!pieces) return value.kind === 'null' ? invalidValue(range, ref) : unknownResult(range, ref, args);
      for (const piece of pieces) parts.push(piece);
    }
  }
  parts.push(spec.value.slice(at));
  if (next < args.length) return invalidValue(range, ref); // too many arguments
  return textValue(parts, range);
};

const lookup: Builtin = (args, range, ref) => {
  const [map, key, fallback] = args;
  if (!map || !key || args.some(hasInvalid)) return invalidValue(range, ref);
  const name = knownString(key);
  if (map.kind !== 'object' || name === undefined) return map.kind === 'null' || map.kind === 'list' ? invalidValue(range, ref) : unknownResult(range, ref, args);
  const entry = getEntry(map, name);
  if (entry) return entry.value;
  if (map.open) return unknownValue(range, ref);
  return fallback ?? invalidValue(range, ref);
};

const merge: Builtin = (args, range, ref) => {
  const byKey = new Map<string, ObjectEntry>();
  let open = false;
  for (const arg of args) {
    if (arg.kind === 'null') continue;
    if (arg.kind !== 'object') return arg.kind === 'unknown' ? unknownResult(range, ref, args) : invalidValue(range, ref);
    if (arg.open) open = true;
    for (const entry of arg.entries) byKey.set(entry.key, entry);
  }
  const merged: Value = { kind: 'object', entries: [...byKey.values()], range };
  if (open) merged.open = true;
  return merged;
};

const coalesce: Builtin = (args, range, ref) => {
  for (const arg of args) {
    if (hasInvalid(arg)) return invalidValue(range, ref);
    if (arg.kind === 'null' || (arg.kind === 'string' && arg.value === '')) continue;
    // A template with known text is not empty; a wholly unknown value may be null or "".
    if (arg.kind === 'unknown' || (arg.kind === 'template' && !arg.parts.some((p) => typeof p === 'string' && p !== ''))) return unknownValue(range, ref);
    return arg;
  }
  return invalidValue(range, ref); // no non-null, non-empty argument
};

const join: Builtin = (args, range, ref) => {
  const [separator, ...lists] = args;
  if (!separator || lists.length === 0) return invalidValue(range, ref);
  const sep = knownString(separator);
  if (sep === undefined) return unknownResult(range, ref, args);
  const parts: Array<string | UnknownValue> = [];
  let first = true;
  for (const list of lists) {
    const items = listItems(list);
    if (items === 'invalid') return invalidValue(range, ref);
    if (items === 'unknown') return unknownValue(range, ref);
    for (const item of items) {
      const pieces = textPieces(item);
      if (!pieces || hasInvalid(item)) return invalidValue(range, ref);
      if (!first) parts.push(sep);
      for (const piece of pieces) parts.push(piece);
      first = false;
    }
  }
  return textValue(parts, range);
};

const element: Builtin = (args, range, ref) => {
  const [list, index] = args;
  if (!list || !index) return invalidValue(range, ref);
  const items = listItems(list);
  if (items === 'invalid') return invalidValue(range, ref);
  if (items === 'unknown' || index.kind === 'unknown' || index.kind === 'template') return unknownResult(range, ref, args);
  const i = index.kind === 'number' ? index.value : Number(knownString(index));
  if (!Number.isInteger(i) || i < 0 || items.length === 0) return invalidValue(range, ref);
  return items[i % items.length];
};

const flatten: Builtin = (args, range, ref) => {
  const out: Value[] = [];
  const add = (value: Value): 'unknown' | 'invalid' | undefined => {
    const items = listItems(value);
    if (typeof items === 'string') return items;
    for (const item of items) {
      if (item.kind === 'list' || item.kind === 'unknown') {
        const failed = add(item);
        if (failed) return failed;
      } else if (out.push(item) > MAX_LIST_ITEMS) return 'unknown';
    }
    return undefined;
  };
  const failed = args[0] ? add(args[0]) : 'invalid';
  if (failed) return failed === 'invalid' ? invalidValue(range, ref) : unknownValue(range, ref);
  return { kind: 'list', items: out, range };
};

const distinct: Builtin = (args, range, ref) => {
  const items = args[0] ? listItems(args[0]) : 'invalid';
  if (typeof items === 'string') return items === 'invalid' ? invalidValue(range, ref) : unknownValue(range, ref);
  const seen = new Set<string>();
  const out: Value[] = [];
  for (const item of items) {
    const key = canonical(item);
    if (key === undefined) return unknownResult(range, ref, items);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(item);
  }
  return { kind: 'list', items: out, range };
};

const compact: Builtin = (args, range, ref) => {
  const items = args[0] ? listItems(args[0]) : 'invalid';
  if (typeof items === 'string') return items === 'invalid' ? invalidValue(range, ref) : unknownValue(range, ref);
  const out: Value[] = [];
  for (const item of items) {
    if (item.kind === 'null' || (item.kind === 'string' && item.value === '')) continue;
    if (item.kind === 'list' || item.kind === 'object' || hasInvalid(item)) return invalidValue(range, ref);
    if (item.kind === 'unknown' || (item.kind === 'template' && !item.parts.some((p) => typeof p === 'string' && p !== ''))) return unknownValue(range, ref);
    out.push(item);
  }
  return { kind: 'list', items: out, range };
};

/** `keys` / `values`: an object's keys (each at its own range) or values, sorted by key as Terraform does. */
const keysOrValues =
  (want: 'keys' | 'values'): Builtin =>
  (args, range, ref) => {
    const object = args[0];
    if (object?.kind !== 'object') return object?.kind === 'unknown' ? unknownResult(range, ref, args) : invalidValue(range, ref);
    if (object.open) return unknownValue(range, ref);
    const entries = uniqueEntries(object);
    return { kind: 'list', items: entries.map((e): Value => (want === 'keys' ? { kind: 'string', value: e.key, range: e.keyRange } : e.value)), range };
  };

const length: Builtin = (args, range, ref) => {
  const value = args[0];
  if (!value) return invalidValue(range, ref);
  if (value.kind === 'list') return { kind: 'number', value: value.items.length, range };
  if (value.kind === 'object' && !value.open) return { kind: 'number', value: uniqueEntries(value).length, range };
  if (value.kind === 'string') return { kind: 'number', value: [...value.value].length, range };
  if (value.kind === 'null' || value.kind === 'number' || value.kind === 'bool') return invalidValue(range, ref);
  return unknownResult(range, ref, args);
};

const contains: Builtin = (args, range, ref) => {
  const [list, wanted] = args;
  if (!list || !wanted) return invalidValue(range, ref);
  const items = listItems(list);
  if (items === 'invalid') return invalidValue(range, ref);
  const key = canonical(wanted);
  if (items === 'unknown' || key === undefined) return unknownResult(range, ref, args);
  let unknown = false;
  for (const item of items) {
    const itemKey = canonical(item);
    if (itemKey === key) return { kind: 'bool', value: true, range };
    if (itemKey === undefined) unknown = true;
  }
  return unknown ? unknownResult(range, ref, items) : { kind: 'bool', value: false, range };
};

/** A function of known strings to a string; anything else unknown (or invalid). */
const stringFunction =
  (arity: number, apply: (...strings: string[]) => string | undefined): Builtin =>
  (args, range, ref) => {
    if (args.length !== arity) return invalidValue(range, ref);
    const strings = args.map(knownString);
    if (strings.some((s) => s === undefined)) return args.some((a) => a.kind === 'null' || a.kind === 'list' || a.kind === 'object') ? invalidValue(range, ref) : unknownResult(range, ref, args);
    const result = apply(...(strings as string[]));
    return result === undefined ? unknownValue(range, ref) : { kind: 'string', value: ownedString(result), range };
  };

/** `setproduct(a, b, …)`: every combination, one item of each list (a list of lists), bounded like other lists here. */
const setproduct: Builtin = (args, range, ref) => {
  if (args.length < 2) return invalidValue(range, ref);
  let product: Value[][] = [[]];
  for (const arg of args) {
    const items = listItems(arg);
    if (typeof items === 'string') return items === 'invalid' ? invalidValue(range, ref) : unknownResult(range, ref, args);
    if (product.length * items.length > MAX_LIST_ITEMS) return unknownValue(range, ref);
    product = product.flatMap((combination) => items.map((item) => [...combination, item]));
  }
  return { kind: 'list', items: product.map((items): Value => ({ kind: 'list', items, range })), range };
};

const split: Builtin = (args, range, ref) => {
  const [separator, text] = args.map(knownString);
  if (args.length !== 2) return invalidValue(range, ref);
  if (separator === undefined || text === undefined || separator === '') return unknownResult(range, ref, args);
  return { kind: 'list', items: text.split(separator).map((s): Value => ({ kind: 'string', value: ownedString(s), range })), range };
};

const slice: Builtin = (args, range, ref) => {
  const [list, from, to] = args;
  if (!list || !from || !to) return invalidValue(range, ref);
  const items = listItems(list);
  if (items === 'invalid') return invalidValue(range, ref);
  if (items === 'unknown' || from.kind !== 'number' || to.kind !== 'number') return unknownResult(range, ref, args);
  if (!Number.isInteger(from.value) || !Number.isInteger(to.value) || from.value < 0 || to.value > items.length || from.value > to.value) return invalidValue(range, ref);
  return { kind: 'list', items: items.slice(from.value, to.value), range };
};

const coalescelist: Builtin = (args, range, ref) => {
  for (const arg of args) {
    const items = listItems(arg);
    if (items === 'invalid') return invalidValue(range, ref);
    if (items === 'unknown') return unknownValue(range, ref);
    if (items.length > 0) return arg;
  }
  return invalidValue(range, ref);
};

const zipmap: Builtin = (args, range, ref) => {
  const [keys, values] = args.map((a) => (a ? listItems(a) : 'invalid'));
  if (keys === 'invalid' || values === 'invalid' || args.length !== 2) return invalidValue(range, ref);
  if (keys === 'unknown' || values === 'unknown') return unknownValue(range, ref);
  if (keys.length !== values.length) return invalidValue(range, ref);
  const entries: ObjectEntry[] = [];
  for (let i = 0; i < keys.length; i++) {
    const key = knownString(keys[i]);
    if (key === undefined) return unknownResult(range, ref, keys);
    entries.push({ key: ownedString(key), keyRange: keys[i].range, value: values[i] });
  }
  return { kind: 'object', entries, range };
};

/** `tostring`: a string stays as it is (its range too); numbers and bools convert; a list or object is an error. */
const tostring: Builtin = (args, range, ref) => {
  const value = args[0];
  if (!value || value.kind === 'list' || value.kind === 'object') return invalidValue(range, ref);
  if (value.kind === 'number' || value.kind === 'bool') return { kind: 'string', value: String(value.value), range: value.range };
  return value;
};

/** `one`: the only element of a list, null for an empty one, an error for more. */
const one: Builtin = (args, range, ref) => {
  const items = args[0] ? listItems(args[0]) : 'invalid';
  if (items === 'invalid' || (Array.isArray(items) && items.length > 1)) return invalidValue(range, ref);
  if (items === 'unknown') return unknownValue(range, ref);
  return items[0] ?? { kind: 'null', range };
};

const BUILTINS: Record<string, Builtin> = {
  format,
  lookup,
  merge,
  coalesce,
  join,
  element,
  flatten,
  distinct,
  compact,
  keys: keysOrValues('keys'),
  values: keysOrValues('values'),
  length,
  contains,
  lower: stringFunction(1, (s) => s.toLowerCase()),
  upper: stringFunction(1, (s) => s.toUpperCase()),
  // A `/pattern/` substring is a regular expression in Terraform: not interpreted.
  replace: stringFunction(3, (s, substring, replacement) => (substring === '' || (substring.length > 1 && substring.startsWith('/') && substring.endsWith('/')) ? undefined : s.split(substring).join(replacement))),
  // Terraform trims Unicode whitespace; JavaScript's trim takes the same characters.
  trimspace: stringFunction(1, (s) => s.trim()),
  trimprefix: stringFunction(2, (s, prefix) => (s.startsWith(prefix) ? s.slice(prefix.length) : s)),
  trimsuffix: stringFunction(2, (s, suffix) => (suffix !== '' && s.endsWith(suffix) ? s.slice(0, -suffix.length) : s)),
  chomp: stringFunction(1, (s) => s.replace(/(?:\r\n|\n)+$/, '')),
  setproduct,
  split,
  slice,
  coalescelist,
  zipmap,
  tostring,
  one,
};

/** The built-in function of that name, if interpreted. */
export function builtin(name: string): Builtin | undefined {
  return Object.hasOwn(BUILTINS, name) ? BUILTINS[name] : undefined;
}
