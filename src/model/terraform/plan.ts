import { entryRange } from '../policy-document.js';
import type { Range } from '../range.js';
import type { Attribute, Model } from '../types.js';
import { asList, get, knownString, type Value } from '../value.js';
import { addTerraformResource, type TerraformBlockView, type TerraformResourceView } from './resources.js';

/**
 * Adds the resources of a `terraform show -json` document: a plan's `planned_values` (or, for
 * state, `values`), root module and child modules. Values are resolved already; attributes known
 * only after apply (`resource_changes[].change.after_unknown`) stay explicitly unknown.
 */
export function addTerraformPlan(model: Model, plan: Value): void {
  const root = get(get(plan, 'planned_values'), 'root_module') ?? get(get(plan, 'values'), 'root_module');
  if (!root) return;
  const afterUnknown = new Map<string, Value>();
  for (const change of asList(get(plan, 'resource_changes'))) {
    const address = knownString(get(change, 'address'));
    const unknown = get(get(change, 'change'), 'after_unknown');
    if (address !== undefined && unknown) afterUnknown.set(address, unknown);
  }
  const visit = (module: Value, depth: number) => {
    for (const resource of asList(get(module, 'resources'))) {
      const view = planResourceView(resource, afterUnknown);
      if (view) addTerraformResource(model, view);
    }
    if (depth < 32) for (const child of asList(get(module, 'child_modules'))) visit(child, depth + 1);
  };
  visit(root, 0);
}

function planResourceView(resource: Value, afterUnknown: Map<string, Value>): TerraformResourceView | undefined {
  const address = knownString(get(resource, 'address'));
  const type = knownString(get(resource, 'type'));
  const name = knownString(get(resource, 'name'));
  const mode = knownString(get(resource, 'mode')) ?? 'managed';
  const values = get(resource, 'values');
  if (address === undefined || type === undefined || name === undefined || mode !== 'managed' || values?.kind !== 'object') return undefined;
  return { ...blockView(values, resource.range, afterUnknown.get(address)), address, type, name };
}

/** An object of plan values seen as a block; an attribute absent from it but marked unknown is Unknown. */
function blockView(values: Value, range: Range, unknown: Value | undefined): TerraformBlockView {
  return {
    range,
    attribute(name: string): Attribute | undefined {
      const entry = values.kind === 'object' ? values.entries.find((e) => e.key === name) : undefined;
      if (entry) return { value: entry.value, range: entryRange(entry) };
      const marked = get(unknown, name);
      if (marked?.kind === 'bool' && marked.value) return { value: { kind: 'unknown', ref: '(known after apply)', range }, range };
      return undefined;
    },
    blocks: (blockType) => {
      const marked = get(unknown, blockType);
      return asList(get(values, blockType))
        .filter((b) => b.kind === 'object')
        .map((b, i) => blockView(b, b.range, marked?.kind === 'list' ? marked.items[i] : undefined));
    },
  };
}
