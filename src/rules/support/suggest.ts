import { dirname } from 'node:path';
import { policyData } from '../../policy-data.js';
import type { LambdaPermission, Model, ResourceBase } from '../../model/types.js';
import { displayString, knownString, referencesOf } from '../../model/value.js';

/** How to refer to the function a permission targets: a reference from the scan if there is one. */
export function targetFunction(model: Model, permission: LambdaPermission): string {
  const value = permission.functionName?.value;
  const refs = referencesOf(value);
  const name = knownString(value);
  const match = model.functions.find(
    (f) => (name !== undefined && knownString(f.functionName?.value) === name) || refs.some((r) => r === f.address || r.startsWith(`${f.address.split('.').slice(-2).join('.')}.`)),
  );
  return match?.address ?? displayString(value) ?? 'the function';
}

/** Functions defined in the same folder as a location (or anywhere in the scan), for least-privilege suggestions. */
export function nearbyFunctions(model: Model, file: string, limit = 3): ResourceBase[] {
  const near = functionsByFolder(model.functions).get(dirname(file)) ?? [];
  return (near.length > 0 ? near : model.functions).slice(0, limit);
}

/** Functions grouped by folder, once per model (rules ask per policy: a scan over all functions each time is quadratic). */
const folderIndex = new WeakMap<readonly ResourceBase[], Map<string, ResourceBase[]>>();
function functionsByFolder(functions: readonly ResourceBase[]): Map<string, ResourceBase[]> {
  let index = folderIndex.get(functions);
  if (!index) {
    index = new Map();
    for (const f of functions) {
      const folder = dirname(f.range.file);
      const list = index.get(folder);
      if (list) list.push(f);
      else index.set(folder, [f]);
    }
    folderIndex.set(functions, index);
  }
  return index;
}

interface ServiceSource {
  terraform: string;
  cloudformation: string;
  attribute: string;
  suffix?: string;
}

/** Resources in the scan that can be the source ARN for a service principal, as expressions to paste. */
export function sourceArnCandidates(model: Model, service: string, file: string): string[] {
  const sources = policyData<Record<string, ServiceSource[] | string>>('service-sources.json')[service.toLowerCase()];
  if (!Array.isArray(sources)) return [];
  const candidates: string[] = [];
  for (const resource of model.resources.values()) {
    const source = sources.find((s) => s.terraform === resource.sourceType || s.cloudformation === resource.sourceType);
    if (!source || dirname(resource.range.file) !== dirname(file)) continue;
    const local = resource.address.split('.').slice(-2).join('.');
    const expression = resource.sourceType.startsWith('AWS::')
      ? `!GetAtt ${resource.address}.Arn`
      : `${local}.${source.attribute}`;
    candidates.push(source.suffix ? `"\${${expression}}${source.suffix}"` : expression);
  }
  return candidates;
}
