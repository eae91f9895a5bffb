import type { Model } from '../model/types.js';
import type { Finding } from '../rules/types.js';

/**
 * The instances of a Terraform block with count/for_each share its text: a change made for one
 * instance's finding edits every instance. So a rule's changes on an instance are kept only when
 * every instance of the block has that rule's finding with the very same changes (the fix stage then
 * writes the identical edits once); otherwise the finding is left to fix by hand, saying why.
 */
export function withholdSharedInstanceFixes(findings: readonly Finding[], model: Model): void {
  const groups = new Map<string, Map<string, string[]>>();
  for (const finding of findings) {
    if (!finding.fix?.changes?.length) continue;
    const block = model.resources.get(finding.resource)?.instanceOf;
    if (block === undefined) continue;
    const key = `${finding.ruleId}\u0000${block}`;
    let byInstance = groups.get(key);
    if (!byInstance) groups.set(key, (byInstance = new Map()));
    const changes = byInstance.get(finding.resource) ?? [];
    changes.push(JSON.stringify(finding.fix.changes));
    byInstance.set(finding.resource, changes);
  }
  if (groups.size === 0) return;
  const instanceCount = new Map<string, number>();
  for (const resource of model.resources.values()) if (resource.instanceOf !== undefined) instanceCount.set(resource.instanceOf, (instanceCount.get(resource.instanceOf) ?? 0) + 1);
  const withheld = new Set<string>();
  for (const [key, byInstance] of groups) {
    const block = key.slice(key.indexOf('\u0000') + 1);
    const lists = [...byInstance.values()].map((l) => l.sort().join('\n'));
    if (byInstance.size !== instanceCount.get(block) || lists.some((l) => l !== lists[0])) withheld.add(key);
  }
  for (const finding of findings) {
    const block = finding.fix?.changes?.length ? model.resources.get(finding.resource)?.instanceOf : undefined;
    if (block === undefined || !withheld.has(`${finding.ruleId}\u0000${block}`)) continue;
    finding.fix!.changes = [];
    finding.fix!.description += ` Not applied by --fix: ${block} has ${instanceCount.get(block)} instances (count/for_each) sharing this code, and the change is not right for all of them.`;
  }
}
