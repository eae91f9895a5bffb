import type { Range } from '../model/range.js';
import type { ObjectEntry, Value } from '../model/value.js';
import type { InputError } from './types.js';

/** Who reads the file, for the message: CloudFormation deploys the last value; any JSON parser keeps it. */
export type DuplicateKeyReader = 'cloudformation' | 'json';

/**
 * The value as its reader takes it: in each mapping, only the last entry of a repeated key,
 * the kept entries in source order. Each earlier entry becomes an IG904 input error at its key,
 * naming the line of the value that takes effect. A reviewer reads the first value top-down;
 * CloudFormation (and JSON.parse) use the last, so an earlier key can hide a grant.
 * Unchanged parts of the tree are returned as they are (no copy when nothing repeats).
 */
export function keepLastValues(value: Value, reader: DuplicateKeyReader): { value: Value; errors: InputError[] } {
  const found: Array<{ path: string; ignored: ObjectEntry; kept: ObjectEntry }> = [];
  const path: Array<string | number> = [];
  const visit = (node: Value): Value => {
    if (node.kind === 'list') {
      let items: Value[] | undefined;
      for (let i = 0; i < node.items.length; i++) {
        path.push(i);
        const item = visit(node.items[i]);
        path.pop();
        if (item !== node.items[i]) (items ??= node.items.slice())[i] = item;
      }
      return items ? { ...node, items } : node;
    }
    if (node.kind !== 'object') return node;
    let entries: ObjectEntry[] | undefined;
    const last = lastIndexByKey(node.entries);
    for (let i = 0; i < node.entries.length; i++) {
      const entry = node.entries[i];
      path.push(entry.key);
      const at = last ? (last.get(entry.key) ?? i) : i;
      if (at !== i) found.push({ path: pathText(path), ignored: entry, kept: node.entries[at] });
      const inner = visit(entry.value);
      path.pop();
      if (at !== i || inner !== entry.value) entries ??= node.entries.slice(0, i);
      if (entries && at === i) entries.push(inner === entry.value ? entry : { ...entry, value: inner });
    }
    return entries ? { ...node, entries } : node;
  };
  const kept = visit(value);
  // An aliased YAML mapping is expanded (and visited) once per alias: report each key once.
  const seen = new Set<string>();
  const errors: InputError[] = [];
  for (const { path: at, ignored, kept: winner } of found) {
    const where = `${ignored.keyRange.line}:${ignored.keyRange.column}`;
    if (seen.has(where)) continue;
    seen.add(where);
    errors.push({ kind: 'duplicate-key', message: duplicateMessage(ignored.key, at, winner.keyRange, reader), range: ignored.keyRange });
  }
  return { value: kept, errors };
}

/**
 * keepLastValues for a file as parsed: after a syntax error (`errors` not empty) a repeat may be the
 * parser's recovery, a key pulled into the wrong mapping, so only that error is reported; the value
 * still keeps each key once.
 */
export function lastValuesOf(value: Value, errors: InputError[], reader: DuplicateKeyReader): { value: Value; errors: InputError[] } {
  const kept = keepLastValues(value, reader);
  return { value: kept.value, errors: errors.length > 0 ? errors : kept.errors };
}

/** Key → index of its last entry, for a mapping where some key repeats; undefined (the common case) where none does. */
function lastIndexByKey(entries: readonly ObjectEntry[]): Map<string, number> | undefined {
  if (entries.length < 2) return undefined;
  let repeats = false;
  // Most mappings are small: compare keys pairwise rather than build a Map per mapping.
  if (entries.length <= 16) {
    for (let i = 1; i < entries.length && !repeats; i++) for (let j = 0; j < i; j++) if (entries[i].key === entries[j].key) repeats = true;
    if (!repeats) return undefined;
  }
  const last = new Map<string, number>();
  for (let i = 0; i < entries.length; i++) last.set(entries[i].key, i);
  return last.size < entries.length ? last : undefined;
}

/** `Resources.Url.Properties.AuthType`, `Statement[0].Effect`. */
function pathText(path: ReadonlyArray<string | number>): string {
  let text = '';
  for (const step of path) text += typeof step === 'number' ? `[${step}]` : text ? `.${step}` : step;
  return text;
}

function duplicateMessage(key: string, path: string, kept: Range, reader: DuplicateKeyReader): string {
  const named = `duplicate key ${JSON.stringify(key)}${path !== key ? ` (${path})` : ''}`;
  return reader === 'cloudformation'
    ? `${named}: CloudFormation uses only the last value, at line ${kept.line}; this one is ignored`
    : `${named}: a JSON parser keeps only the last value, at line ${kept.line}; this one is ignored`;
}
