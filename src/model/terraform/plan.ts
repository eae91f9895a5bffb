import { entryRange } from '../policy-document.js';
import type { Range } from '../range.js';
import type { Attribute, Model } from '../types.js';
import { asList, get, knownString, type UnknownValue, type Value } from '../value.js';
import { addTerraformResource, type TerraformBlockView, type TerraformResourceView } from './resources.js';

/**
 * Adds the resources of a `terraform show -json` document: a plan's `planned_values` (or, for
 * state, `values`), root module and child modules. Values are resolved already; attributes known
 * only after apply (`resource_changes[].change.after_unknown`) stay explicitly unknown, and name
 * the resource their `configuration` expression references, as the HCL evaluator's would.
 */
export function addTerraformPlan(model: Model, plan: Value): void {
  const root = get(get(plan, 'planned_values'), 'root_module') ?? get(get(plan, 'values'), 'root_module');
  const changes = asList(get(plan, 'resource_changes'));
  if (!root && changes.length === 0) return;
  const afterUnknown = new Map<string, Value>();
  for (const change of changes) {
    const address = knownString(get(change, 'address'));
    const unknown = get(get(change, 'change'), 'after_unknown');
    if (address !== undefined && unknown) afterUnknown.set(address, unknown);
  }
  const planned: PlannedResource[] = [];
  const visit = (module: Value, prefix: string | undefined, depth: number) => {
    for (const resource of asList(get(module, 'resources'))) planned.push({ resource, prefix });
    if (depth < 32) for (const child of asList(get(module, 'child_modules'))) {
      const address = knownString(get(child, 'address'));
      visit(child, address === undefined ? undefined : `${address}.`, depth + 1);
    }
  };
  if (root) visit(root, '', 0);
  // A plan trimmed to `resource_changes` (some CI tools keep only that part): each change's `after` is what deploys.
  else for (const change of changes) {
    const resource = changedResource(change);
    if (resource) planned.push(resource);
  }
  const addresses = new Set<string>();
  for (const { resource } of planned) {
    const address = knownString(get(resource, 'address'));
    if (address !== undefined) addresses.add(address);
  }
  const expressions = configurationExpressions(get(get(plan, 'configuration'), 'root_module'));
  for (const { resource, prefix } of planned) {
    const view = planResourceView(resource, afterUnknown, expressions, { prefix, addresses });
    if (view) addTerraformResource(model, view);
  }
}

/** A `resource_changes` entry as a planned resource: its `change.after` as values (none when the change deletes it). */
function changedResource(change: Value): PlannedResource | undefined {
  const after = get(get(change, 'change'), 'after');
  if (after?.kind !== 'object') return undefined;
  const field = (key: string) => get(change, key);
  const entries = ['address', 'mode', 'type', 'name']
    .map((key) => ({ key, value: field(key) }))
    .filter((e): e is { key: string; value: Value } => e.value !== undefined)
    .map(({ key, value }) => ({ key, keyRange: value.range, value }));
  const moduleAddress = knownString(field('module_address'));
  return {
    resource: { kind: 'object', entries: [...entries, { key: 'values', keyRange: after.range, value: after }], range: change.range },
    prefix: moduleAddress === undefined ? '' : `${moduleAddress}.`,
  };
}

interface PlannedResource {
  resource: Value;
  /** The address of the module instance it stands in, with a trailing dot (`module.app["k"].`); '' for the root module; undefined when the plan does not say. */
  prefix: string | undefined;
}

/** Where a resource's configuration references are resolved: its module instance, among the plan's resource addresses. */
interface ReferenceScope {
  prefix: string | undefined;
  addresses: ReadonlySet<string>;
}

/**
 * Each configuration resource's `expressions`, by its address with module calls spelled out and
 * no instance keys (`module.app.aws_x.y`): every instance of a block shares its configuration.
 */
function configurationExpressions(root: Value | undefined): Map<string, Value> {
  const found = new Map<string, Value>();
  const visit = (module: Value | undefined, prefix: string, depth: number) => {
    for (const resource of asList(get(module, 'resources'))) {
      const address = knownString(get(resource, 'address'));
      const expressions = get(resource, 'expressions');
      if (address !== undefined && expressions) found.set(prefix + address, expressions);
    }
    const calls = get(module, 'module_calls');
    if (depth < 32 && calls?.kind === 'object') for (const call of calls.entries) visit(get(call.value, 'module'), `${prefix}module.${call.key}.`, depth + 1);
  };
  visit(root, '', 0);
  return found;
}

/** An address without its instance keys (`module.a["k"].aws_x.y[0]` → `module.a.aws_x.y`), skipping brackets inside quoted keys. */
export function withoutInstanceKeys(address: string): string {
  if (!address.includes('[')) return address;
  let out = '';
  for (let i = 0; i < address.length; i++) {
    if (address[i] !== '[') {
      out += address[i];
      continue;
    }
    for (i++; i < address.length && address[i] !== ']'; i++) {
      if (address[i] !== '"') continue;
      for (i++; i < address.length && address[i] !== '"'; i++) if (address[i] === '\\') i++;
    }
  }
  return out;
}

function planResourceView(resource: Value, afterUnknown: Map<string, Value>, expressions: Map<string, Value>, scope: ReferenceScope): TerraformResourceView | undefined {
  const address = knownString(get(resource, 'address'));
  const type = knownString(get(resource, 'type'));
  const name = knownString(get(resource, 'name'));
  const mode = knownString(get(resource, 'mode')) ?? 'managed';
  const values = get(resource, 'values');
  if (address === undefined || type === undefined || name === undefined || mode !== 'managed' || values?.kind !== 'object') return undefined;
  const configured = expressions.size > 0 ? expressions.get(withoutInstanceKeys(address)) : undefined;
  return { ...blockView(values, resource.range, afterUnknown.get(address), configured, scope), address, type, name };
}

/**
 * An object of plan values seen as a block; an attribute absent from it but marked unknown is Unknown,
 * naming the resource its configuration expression references when that is one resource of the plan.
 */
function blockView(values: Value, range: Range, unknown: Value | undefined, expressions: Value | undefined, scope: ReferenceScope): TerraformBlockView {
  return {
    range,
    attribute(name: string): Attribute | undefined {
      const entry = values.kind === 'object' ? values.entries.find((e) => e.key === name) : undefined;
      if (entry) return { value: entry.value, range: entryRange(entry) };
      const marked = get(unknown, name);
      if (marked?.kind === 'bool' && marked.value) return { value: referencedUnknown(get(get(expressions, name), 'references'), range, scope), range };
      return undefined;
    },
    blocks: (blockType) => {
      const marked = get(unknown, blockType);
      // No rule reads a reference from a nested block, and `dynamic` blocks keep the configuration's from lining up with
      // the planned ones: nested attributes known after apply stay plainly unknown.
      return asList(get(values, blockType))
        .filter((b) => b.kind === 'object')
        .map((b, i) => blockView(b, b.range, marked?.kind === 'list' ? marked.items[i] : undefined, undefined, scope));
    },
  };
}

/** Reference roots that are not resources: their value, and so what the expression yields, is not a resource's. */
const NOT_RESOURCES = new Set(['var', 'local', 'module', 'data', 'each', 'count', 'path', 'terraform', 'self']);

/**
 * A value known after apply, from the references of its configuration expression
 * (`["aws_organizations_policy.x.id", "aws_organizations_policy.x"]`, relative to the module).
 * When they all name one resource instance of the plan, the value is that resource's, as the HCL
 * evaluator's symbolic reference is; anything else (a variable, a module output, two resources,
 * an instance picked by `count.index`) leaves it plainly unknown.
 */
function referencedUnknown(references: Value | undefined, range: Range, scope: ReferenceScope): UnknownValue {
  const plain: UnknownValue = { kind: 'unknown', ref: '(known after apply)', range };
  const texts = asList(references).map(knownString);
  if (texts.length === 0 || scope.prefix === undefined) return plain;
  let block: string | undefined;
  let type: string | undefined;
  let instance: string | undefined;
  for (const text of texts) {
    const match = text === undefined ? null : /^([A-Za-z_][\w-]*)\.([A-Za-z_][\w-]*)(\[(?:"(?:[^"\\]|\\.)*"|\d+)\])?/.exec(text);
    if (!match || NOT_RESOURCES.has(match[1])) return plain;
    const address = `${scope.prefix}${match[1]}.${match[2]}`;
    if (block !== undefined && block !== address) return plain;
    block = address;
    type = match[1];
    const named = match[3] === undefined ? undefined : address + match[3];
    if (named !== undefined) {
      if (instance !== undefined && instance !== named) return plain;
      instance = named;
    }
  }
  // The block itself is a resource only without count/for_each; with them, the instance must be named.
  const resource = instance ?? block!;
  if (!scope.addresses.has(resource)) return plain;
  return { kind: 'unknown', ref: texts[0]!, range, resource, resourceType: type! };
}
