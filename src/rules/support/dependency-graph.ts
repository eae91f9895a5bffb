import { dirname } from 'node:path';
import { groupedBy } from '../../model/grouped-by.js';
import { samGenerator } from '../../model/references.js';
import type { Model, ResourceBase } from '../../model/types.js';
import { byFolder } from './suggest.js';

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
  if (!graph) graphs.set(model.resources, (graph = scopedGraph(model.resources)));
  return graph;
}

/** The edges of one scope (a template, a module folder and root) and the resource types its addresses name. */
interface ScopeGraph {
  edges: Map<string, Set<string>>;
  types: Map<string, string>;
}

/**
 * Edges never leave a scope, so each scope's are built the first time a resource of it is asked about: IG201
 * asks only about the scopes of its findings, while a scan holds thousands of resources in other scopes.
 */
function scopedGraph(resources: readonly ResourceBase[]): DependencyGraph {
  const scopes = new Map<string, ScopeGraph>();
  const scopeGraph = (of: ResourceBase): ScopeGraph => {
    const scope = scopeOf(of);
    let graph = scopes.get(scope);
    if (!graph) scopes.set(scope, (graph = buildScope(besideIn(resources, of), scope)));
    return graph;
  };
  return {
    dependsOn(from, to) {
      const { edges, types } = scopeGraph(from);
      const target = keyOf(types, typeof to === 'string' ? to : nodeAddress(to));
      const start = keyOf(types, nodeAddress(from));
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

/**
 * The resources that may share `of`'s scope: a template's are in its file (a folder may hold a thousand templates),
 * a Terraform module's in its folder.
 */
function besideIn(resources: readonly ResourceBase[], of: ResourceBase): readonly ResourceBase[] {
  return (of.sourceType.startsWith('AWS::') ? groupedBy(resources, fileOf).get(of.range.file) : byFolder(resources).get(dirname(of.range.file))) ?? [];
}

const fileOf = (r: ResourceBase) => r.range.file;

/** The graph of `scope`, from the resources that may share it (besideIn). */
function buildScope(folder: readonly ResourceBase[], scope: string): ScopeGraph {
  const members = folder.filter((r) => scopeOf(r) === scope);
  const types = new Map<string, string>();
  for (const r of members) types.set(nodeAddress(r), r.sourceType);
  const edges = new Map<string, Set<string>>();
  for (const r of members) {
    if (!r.references?.length) continue;
    const from = keyOf(types, nodeAddress(r));
    let out = edges.get(from);
    if (!out) edges.set(from, (out = new Set()));
    for (const ref of r.references) out.add(keyOf(types, ref.address));
  }
  return { edges, types };
}

/** The node an address stands for: a SAM resource for what it generates. */
function keyOf(types: ReadonlyMap<string, string>, address: string): string {
  return (!types.has(address) ? samGenerator(address, types) : undefined) ?? address;
}

/** Where an address names one resource: a CloudFormation template (in the tree of one root), a Terraform folder and root. */
function scopeOf(r: ResourceBase): string {
  return r.sourceType.startsWith('AWS::') ? `c\u0000${r.range.file}\u0000${r.rootTemplate ?? ''}` : `t\u0000${dirname(r.range.file)}\u0000${r.root ?? ''}`;
}

/** A Terraform block's instances share its references (and each depends on all of another block's instances): one node per block. */
function nodeAddress(r: ResourceBase): string {
  return r.sourceType.startsWith('AWS::') ? r.address : (r.instanceOf ?? r.address);
}
