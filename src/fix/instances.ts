import { dirname } from 'node:path';
import type { Model, ResourceBase } from '../model/types.js';
import type { Range } from '../model/range.js';
import { resourceAt } from '../model/resource-spans.js';
import type { Finding } from '../rules/types.js';
import { someScalar, type Change, type FixValue } from './types.js';

/**
 * The instances of one Terraform block (count/for_each, and every call of the module it is in),
 * like the resources one CloudFormation `Fn::ForEach` body generates, share its text: a change made for one instance's finding edits them all. So a rule's changes on
 * such a resource are kept only when every instance of the block has that rule's finding with the
 * very same changes (the fix stage then writes the identical edits once); otherwise the finding is
 * left to fix by hand, saying why (a module's input is better fixed where the module is called).
 */
export function withholdSharedInstanceFixes(findings: readonly Finding[], model: Model): void {
  // Most scans have no instances: then no finding's resource is looked up (that index costs ~20 ms at 50,000 resources).
  if (!model.resources.some(isInstance)) return;
  const groups = new Map<string, Map<string, string[]>>();
  for (const finding of findings) {
    if (!finding.fix?.changes?.length) continue;
    const resource = resourceAt(model, finding.resource, finding.range.file);
    if (!resource || !isInstance(resource) || ownChanges(finding, resource)) continue;
    const key = `${finding.ruleId}\u0000${blockKey(resource)}`;
    let byInstance = groups.get(key);
    if (!byInstance) groups.set(key, (byInstance = new Map()));
    const changes = byInstance.get(finding.resource) ?? [];
    changes.push(JSON.stringify(finding.fix.changes));
    byInstance.set(finding.resource, changes);
  }
  if (groups.size === 0) return;
  // Per block: how many resources share each address. Two roots calling a module by the same name give
  // their instances one address; a finding cannot say which root it is from, so each address's findings are counted.
  const addresses = new Map<string, Map<string, number>>();
  const instances = new Map<string, number>();
  for (const resource of model.resources) {
    if (!isInstance(resource)) continue;
    const block = blockKey(resource);
    let counts = addresses.get(block);
    if (!counts) addresses.set(block, (counts = new Map()));
    counts.set(resource.address, (counts.get(resource.address) ?? 0) + 1);
    instances.set(block, (instances.get(block) ?? 0) + 1);
  }
  const withheld = new Set<string>();
  for (const [key, byInstance] of groups) {
    const counts = addresses.get(key.slice(key.indexOf('\u0000') + 1));
    const lists = [...byInstance].map(([address, changes]) => perInstance(changes, counts?.get(address) ?? 1));
    if (byInstance.size !== counts?.size || lists.some((l) => l === undefined || l !== lists[0])) withheld.add(key);
  }
  for (const finding of findings) {
    const resource = finding.fix?.changes?.length ? resourceAt(model, finding.resource, finding.range.file) : undefined;
    if (!resource || !isInstance(resource) || ownChanges(finding, resource) || !withheld.has(`${finding.ruleId}\u0000${blockKey(resource)}`)) continue;
    finding.fix!.changes = [];
    finding.fix!.description += ` Not applied by --fix: the code of ${finding.resource} is shared by ${instances.get(blockKey(resource))} instances (${sharedBy(resource)}), and the change is not right for all of them.`;
  }
}

/**
 * The changes one instance's findings make, from those of `count` resources sharing an address:
 * each change must come `count` times (every one of them has it); undefined when not.
 */
function perInstance(changes: string[], count: number): string | undefined {
  const times = new Map<string, number>();
  for (const change of changes) times.set(change, (times.get(change) ?? 0) + 1);
  const one: string[] = [];
  for (const [change, n] of times) {
    if (n % count !== 0) return undefined;
    for (let i = 0; i < n / count; i++) one.push(change);
  }
  return one.sort().join('\n');
}

/**
 * A nested stack's resource whose value its parent passes is located in the parent, where that
 * value is written. Replacing the value there is right (a `set`/`replace` of a literal), but a key
 * added next to it would land in the parent's `Parameters`, and a reference written there would
 * name the parent's resources, not the child's: such a fix is left to do by hand.
 */
export function withholdParentEdits(findings: readonly Finding[], model: Model): void {
  if (!model.resources.some(isNestedStackResource)) return; // as above: no lookups when nothing is nested
  for (const finding of findings) {
    const changes = finding.fix?.changes;
    if (!changes?.length) continue;
    const resource = resourceAt(model, finding.resource, finding.range.file);
    if (!resource || !isNestedStackResource(resource)) continue;
    const elsewhere = changes.filter((c) => changeRange(c).file !== resource.range.file);
    if (elsewhere.every((c) => c.kind === 'remove' || ((c.kind === 'set' || c.kind === 'replace') && !namesResource(c.value)))) continue;
    finding.fix!.changes = [];
    finding.fix!.description += ` Not applied by --fix: ${finding.resource} takes the value from its parent stack (${elsewhere.map((c) => `${changeRange(c).file}:${changeRange(c).line}`).join(', ')}); change the nested template or what the parent passes by hand.`;
  }
}

function namesResource(value: FixValue): boolean {
  return someScalar(value, (scalar) => scalar.kind === 'terraform' || (scalar.kind === 'intrinsic' && !(scalar.name === 'Ref' && scalar.argument.startsWith('AWS::'))));
}

/**
 * A nested stack's changes written only outside its template (in the parent stack that passes the
 * value) are this instance's alone: another instance has its own parent. So are a module resource's
 * changes written only outside the module's folder (in the module block that passes the value).
 */
function ownChanges(finding: Finding, resource: ResourceBase): boolean {
  const changes = finding.fix!.changes!;
  if (isNestedStackResource(resource)) return changes.every((change) => changeRange(change).file !== resource.range.file);
  return resource.address.startsWith('module.') && changes.every((change) => dirname(changeRange(change).file) !== dirname(resource.range.file));
}

/** A resource of a CloudFormation template nested by another (`Api/Invoke`). */
function isNestedStackResource(resource: ResourceBase): boolean {
  return resource.sourceType.startsWith('AWS::') && resource.address.includes('/');
}

function changeRange(change: Change): Range {
  switch (change.kind) {
    case 'set':
      return change.attribute;
    case 'replace':
    case 'remove':
      return change.range;
    case 'add':
      return change.after;
    case 'add-block':
      return change.block;
  }
}

/** What makes several resources share the code. */
function sharedBy(resource: ResourceBase): string {
  if (!resource.sourceType.startsWith('AWS::')) return 'count/for_each, module calls';
  return isNestedStackResource(resource) ? 'a nested stack template, one instance per stack that nests it' : 'a Fn::ForEach loop body';
}

/** A resource whose block may stand for several: an instance of count/for_each or Fn::ForEach, or a resource of a called module. */
function isInstance(resource: ResourceBase): boolean {
  return resource.instanceOf !== undefined || resource.address.startsWith('module.');
}

/** Where the block is written: every instance of it shares this. */
function blockKey(resource: ResourceBase): string {
  return `${resource.range.file}\u0000${resource.range.line}\u0000${resource.range.column}`;
}
