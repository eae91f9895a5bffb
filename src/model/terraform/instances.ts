import type { Expr, HclBody } from '../../parse/terraform-hcl/hcl-ast.js';
import type { Range } from '../range.js';
import type { ObjectEntry, Value } from '../value.js';
import { valueKey } from '../choices.js';

/**
 * One instance of a block with `count` or `for_each`: its key (`0`, `"public"`), the suffix its
 * address takes (`[0]`, `["public"]`), and the names its expressions see (`count`, `each`).
 */
export interface Instance {
  key: string | number;
  suffix: string;
  names: ReadonlyMap<string, Value>;
}

/**
 * A block's instances: undefined when it has neither meta-argument (one instance, the plain address);
 * 'unknown' when the count or collection is not known (analysed once, as if it had neither).
 */
export type Instances = Instance[] | 'unknown' | undefined;

/** More instances than this are analysed as one, unknown: a generated count must not multiply the model. */
const MAX_INSTANCES = 256;

/** `count` / `for_each` of a resource, data source or module call, evaluated with `evaluate` (the module's own scope). */
export function blockInstances(body: HclBody, evaluate: (expr: Expr) => Value): Instances {
  let count: Expr | undefined;
  let forEach: Expr | undefined;
  for (const attribute of body.attributes) {
    if (attribute.name === 'count') count = attribute.expr;
    else if (attribute.name === 'for_each') forEach = attribute.expr;
  }
  if (count) {
    const value = evaluate(count);
    if (value.kind !== 'number' || !Number.isInteger(value.value) || value.value < 0 || value.value > MAX_INSTANCES) return 'unknown';
    const instances: Instance[] = [];
    for (let i = 0; i < value.value; i++) instances.push({ key: i, suffix: `[${i}]`, names: new Map([['count', iterator([['index', { kind: 'number', value: i, range: value.range }]], value.range)]]) });
    return instances;
  }
  if (!forEach) return undefined;
  const elements = collectionElements(evaluate(forEach), false);
  return elements ? forEachInstances(elements) : 'unknown';
}

/** The instances a `for_each` makes of its collection's elements. */
export function forEachInstances(elements: Element[]): Instance[] {
  return elements.map(({ key, value, range }) => ({
    key: key.value as string,
    suffix: `[${JSON.stringify(key.value)}]`,
    names: new Map([['each', iterator([['key', key], ['value', value]], range)]]),
  }));
}

/**
 * The elements of every alternative collection a plan-time choice offers a `for_each` (`var.prod ? { public = "*" } : {}`),
 * each distinct element once, sorted by key as Terraform orders them; undefined when one is not known, or they are too many.
 */
export function elementsOfAlternatives(collections: Value[]): Element[] | undefined {
  const seen = new Set<string>();
  const union: Element[] = [];
  for (const collection of collections) {
    const elements = collectionElements(collection, false);
    if (!elements) return undefined;
    for (const element of elements) {
      const id = `${element.key.value}\0${valueKey(element.value)}`;
      if (seen.has(id)) continue;
      seen.add(id);
      union.push(element);
    }
  }
  if (union.length > MAX_INSTANCES) return undefined;
  return union.sort((a, b) => (a.key.value < b.key.value ? -1 : a.key.value > b.key.value ? 1 : 0));
}

export interface Element {
  key: Extract<Value, { kind: 'string' | 'number' }>;
  value: Value;
  range: Range;
}

/**
 * The elements a `for_each` iterates, when the collection is known: a map's entries (by key, sorted
 * as Terraform orders them), a set of strings' members (key and value alike). A dynamic block's
 * for_each (`lists`) also takes a list, keyed by position. Undefined: not known, or too large.
 */
export function collectionElements(collection: Value, lists: boolean): Element[] | undefined {
  if (collection.kind === 'object') {
    if (collection.open) return undefined;
    const byKey = new Map<string, ObjectEntry>();
    for (const entry of collection.entries) byKey.set(entry.key, entry);
    if (byKey.size > MAX_INSTANCES) return undefined;
    return [...byKey.values()]
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
      .map((e) => ({ key: { kind: 'string', value: e.key, range: e.keyRange }, value: e.value, range: e.keyRange }));
  }
  if (collection.kind !== 'list' || collection.items.length > MAX_INSTANCES) return undefined;
  if (lists) return collection.items.map((item, i) => ({ key: { kind: 'number', value: i, range: item.range }, value: item, range: item.range }));
  // A set of strings: each member is its own key. Numbers and bools convert to strings, as Terraform's toset does.
  const members = new Map<string, Value>();
  for (const item of collection.items) {
    const text = item.kind === 'string' ? item.value : item.kind === 'number' || item.kind === 'bool' ? String(item.value) : undefined;
    if (text === undefined) return undefined;
    if (!members.has(text)) members.set(text, item);
  }
  return [...members]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([text, item]) => {
      const key: Element['key'] = { kind: 'string', value: text, range: item.range };
      return { key, value: key, range: item.range };
    });
}

/** `each`, `count` or a dynamic block's iterator: an object of its attributes. */
export function iterator(entries: Array<[string, Value]>, range: Range): Value {
  return { kind: 'object', range, entries: entries.map(([key, value]) => ({ key, keyRange: range, value })) };
}
