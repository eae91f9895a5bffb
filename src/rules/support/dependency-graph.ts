import { dirname } from 'node:path';
import { samGenerator } from '../../model/references.js';
import type { Model, ResourceBase } from '../../model/types.js';

/**
 * Which resources a resource depends on, through every reference its definition makes (ResourceReference:
 * CloudFormation Ref, GetAtt, Sub and DependsOn; Terraform traversals and depends_on), transitively. A SAM
 * function or state machine stands for the role it generates (`<LogicalId>Role`) and the resources its events
 * generate: its definition holds what they refer to. A fix that adds a reference from A to B must not when B
 * already depends on A: CloudFormation rejects the template ("Circular dependency between resources"), and
 * Terraform the configuration (`Cycle:`).
 */
export interface DependencyGraph {
  /** Whether `from` depends on `to` (or is it), both resources of one template or module. */
  dependsOn(from: ResourceBase, to: ResourceBase | string): boolean;
}

const graphs = new WeakMap<readonly ResourceBase[], DependencyGraph>();

export function dependencyGraph(model: Model): DependencyGraph {
  let graph = graphs.get(model.resources);
  if (!graph) graphs.set(model.resources, (graph = buildGraph(model.resources)));
  return graph;
}

function buildGraph(resources: readonly ResourceBase[]): DependencyGraph {
  const edges = new Map<string, Set<string>>();
  const typesByScope = new Map<string, Map<string, string>>();
  for (const r of resources) {
    const scope = scopeOf(r);
    let types = typesByScope.get(scope);
    if (!types) typesByScope.set(scope, (types = new Map()));
    types.set(nodeAddress(r), r.sourceType);
  }
  const keyOf = (scope: string, address: string) => {
    const types = typesByScope.get(scope);
    const generator = types && !types.has(address) ? samGenerator(address, types) : undefined;
    return `${scope}\u0000${generator ?? address}`;
  };
  for (const r of resources) {
    if (!r.references?.length) continue;
    const scope = scopeOf(r);
    const from = keyOf(scope, nodeAddress(r));
    let out = edges.get(from);
    if (!out) edges.set(from, (out = new Set()));
    for (const ref of r.references) out.add(keyOf(scope, ref.address));
  }
  return {
    dependsOn(from, to) {
      const scope = scopeOf(from);
      const target = keyOf(scope, typeof to === 'string' ? to : nodeAddress(to));
      const start = keyOf(scope, nodeAddress(from));
      const seen = new Set([start]);
      const queue = [start];
      for (let i = 0; i < queue.length; i++) {
        if (queue[i] === target) return true;
        for (const next of edges.get(queue[i]) ?? [])
          if (!seen.has(next)) {
            seen.add(next);
            queue.push(next);
          }
      }
      return false;
    },
  };
}

/** Where an address names one resource: a CloudFormation template (in the tree of one root), a Terraform folder and root. */
function scopeOf(r: ResourceBase): string {
  return r.sourceType.startsWith('AWS::') ? `c\u0000${r.range.file}\u0000${r.rootTemplate ?? ''}` : `t\u0000${dirname(r.range.file)}\u0000${r.root ?? ''}`;
}

/** A Terraform block's instances share its references (and each depends on all of another block's instances): one node per block. */
function nodeAddress(r: ResourceBase): string {
  return r.sourceType.startsWith('AWS::') ? r.address : (r.instanceOf ?? r.address);
}
