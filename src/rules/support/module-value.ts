import { dirname } from 'node:path';
import { rangeWithin, type Range } from '../../model/range.js';
import type { Model, ModuleCallSite, ResourceBase } from '../../model/types.js';
import { moduleInstance } from './suggest.js';

/**
 * Where a value a module instance's resource uses is written, when not in the attribute itself:
 * `default`, a variable default in the module's code that the instance's call does not set (every call
 * leaving it unset is as unsafe); `passed`, outside the module's folder: the call's own argument
 * (`argument`), or what the caller passes on (its variable, local or tfvars). Undefined for a value written
 * in the attribute, a root module's resource, or one from the module's own locals.
 */
export type ModuleValueOrigin =
  | { kind: 'default'; variable: string; written: Range; call: ModuleCallSite }
  | { kind: 'passed'; written: Range; call: ModuleCallSite; argument: boolean };

export function moduleValueOrigin(model: Model, resource: ResourceBase, attribute: Range, written: Range): ModuleValueOrigin | undefined {
  const instance = moduleInstance(resource.address);
  if (instance === '' || rangeWithin(written, attribute)) return undefined;
  // Roots calling a module by one name give one prefix: the calls written in the resource's root come first.
  const calls = (model.moduleCalls ?? []).filter((c) => c.prefix === instance).sort((a, b) => Number(inRoot(b, resource)) - Number(inRoot(a, resource)));
  if (dirname(written.file) === dirname(resource.range.file)) {
    for (const call of calls) {
      const fallback = call.defaults?.find((d) => rangeWithin(written, d.range));
      if (fallback) return { kind: 'default', variable: fallback.name, written, call };
    }
    return undefined;
  }
  const call = calls.find((c) => rangeWithin(written, c.range)) ?? calls[0];
  return call && { kind: 'passed', written, call, argument: rangeWithin(written, call.range) };
}

/** A module call's name as a message shows it: `module.api` (nested: `module.app.module.api`). */
export function callName(call: ModuleCallSite): string {
  return call.prefix.slice(0, -1);
}

export const at = (range: Range) => `${range.file}:${range.line}`;

/**
 * A place as a message names it: inside the resource's Terraform root, by its path in the root (`main.tf:4 in its
 * root`), so that roots written alike give one message, which the scan reports once naming every root.
 */
export function placeIn(range: Range, resource: Pick<ResourceBase, 'root'>): string {
  const { root } = resource;
  return root !== undefined && root !== '' && range.file.startsWith(`${root}/`) ? `${range.file.slice(root.length + 1)}:${range.line} in its root` : at(range);
}

/** Words for a message: where a resource's value comes from (after "is NONE"), naming the call. */
export function originText(origin: ModuleValueOrigin, used: Range, resource: ResourceBase): string {
  const call = `${callName(origin.call)} (${placeIn(origin.call.range, resource)})`;
  if (origin.kind === 'default') return `, the default of variable "${origin.variable}" (${at(origin.written)}), which ${call} does not set`;
  if (origin.argument) return `, as the module block of ${callName(origin.call)} sets it (${at(origin.written)}); the module's code uses it at ${at(used)}`;
  return `, written at ${at(origin.written)} and passed to ${call}; the module's code uses it at ${at(used)}`;
}

function inRoot(call: ModuleCallSite, resource: ResourceBase): boolean {
  return resource.root !== undefined && (dirname(call.range.file) === resource.root || call.range.file.startsWith(`${resource.root}/`));
}
