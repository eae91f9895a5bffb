import type { Model, ResourceBase } from '../model/types.js';
import type { Finding } from '../rules/types.js';

/**
 * The instances of one Terraform block (count/for_each, and every call of the module it is in),
 * like the resources one CloudFormation `Fn::ForEach` body generates, share its text: a change made for one instance's finding edits them all. So a rule's changes on
 * such a resource are kept only when every instance of the block has that rule's finding with the
 * very same changes (the fix stage then writes the identical edits once); otherwise the finding is
 * left to fix by hand, saying why (a module's input is better fixed where the module is called).
 */
export function withholdSharedInstanceFixes(findings: readonly Finding[], model: Model): void {
  const groups = new Map<string, Map<string, string[]>>();
  for (const finding of findings) {
    if (!finding.fix?.changes?.length) continue;
    const resource = model.resources.get(finding.resource);
    if (!resource || !isInstance(resource)) continue;
    const key = `${finding.ruleId}\u0000${blockKey(resource)}`;
    let byInstance = groups.get(key);
    if (!byInstance) groups.set(key, (byInstance = new Map()));
    const changes = byInstance.get(finding.resource) ?? [];
    changes.push(JSON.stringify(finding.fix.changes));
    byInstance.set(finding.resource, changes);
  }
  if (groups.size === 0) return;
  const instances = new Map<string, number>();
  for (const resource of model.resources.values()) if (isInstance(resource)) instances.set(blockKey(resource), (instances.get(blockKey(resource)) ?? 0) + 1);
  const withheld = new Set<string>();
  for (const [key, byInstance] of groups) {
    const lists = [...byInstance.values()].map((l) => l.sort().join('\n'));
    if (byInstance.size !== instances.get(key.slice(key.indexOf('\u0000') + 1)) || lists.some((l) => l !== lists[0])) withheld.add(key);
  }
  for (const finding of findings) {
    const resource = finding.fix?.changes?.length ? model.resources.get(finding.resource) : undefined;
    if (!resource || !isInstance(resource) || !withheld.has(`${finding.ruleId}\u0000${blockKey(resource)}`)) continue;
    finding.fix!.changes = [];
    finding.fix!.description += ` Not applied by --fix: the code of ${finding.resource} is shared by ${instances.get(blockKey(resource))} instances (${resource.sourceType.startsWith('AWS::') ? 'a Fn::ForEach loop body' : 'count/for_each, module calls'}), and the change is not right for all of them.`;
  }
}

/** A resource whose block may stand for several: an instance of count/for_each or Fn::ForEach, or a resource of a called module. */
function isInstance(resource: ResourceBase): boolean {
  return resource.instanceOf !== undefined || resource.address.startsWith('module.');
}

/** Where the block is written: every instance of it shares this. */
function blockKey(resource: ResourceBase): string {
  return `${resource.range.file}\u0000${resource.range.line}\u0000${resource.range.column}`;
}
