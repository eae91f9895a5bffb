import { INVOKE_ACTIONS } from '../../iam/invoke-actions.js';
import { FUNCTION_PROBES, resourceEntriesCoveringAllFunctions } from '../../iam/statement.js';
import { wildcardMatches } from '../../iam/wildcard.js';
import type { ActionCatalog } from '../../iam/action-catalog.js';
import { actionsOnNoFunction } from '../../iam/function-scoped.js';
import { identityGraph, type IdentityNode } from '../../model/identity-graph.js';
import { dependencyGraph } from './dependency-graph.js';
import type { IdentityPolicy, LambdaFunction, Model, Statement } from '../../model/types.js';
import { knownString, resourcesOf, type Value } from '../../model/value.js';
import { reachableFunctions } from './suggest.js';

/**
 * The functions a policy may name by reference: those of its CloudFormation template or Terraform module
 * folder that a reference written there can mean (not another module instance's `aws_lambda_function.x`).
 */
export function functionsBeside(model: Model, policy: IdentityPolicy): readonly LambdaFunction[] {
  return reachableFunctions(model.functions, policy);
}

/**
 * Of `candidates` (functions beside the policy), those a reference written in the policy would put in a
 * dependency cycle, each with the role the loop runs through. A role whose own definition holds the policy
 * (an inline policy, its `managed_policy_arns`/`ManagedPolicyArns`, a SAM function's `Policies`) depends on
 * what the policy names; a function depends on its role. Naming the role's own function closes the loop at
 * once, which Terraform (`Cycle:`) and CloudFormation ("Circular dependency between resources") reject.
 *
 * The loop can also pass through other functions: the candidate's role holds a policy naming another
 * function, whose role holds this policy. Followed through what the scan models: each function's role, the
 * policies written in that role, the functions those policies refer to, and, for a policy IG201's fix may
 * narrow, every function beside it (it may be narrowed to those in the same run: two SAM functions each
 * granted invoke on `*` would otherwise name each other). `limit`: a policy with more functions
 * beside it than a fix writes is never narrowed to them.
 *
 * Every other reference is followed too (dependencyGraph: an environment variable holding the role's ARN, a state
 * machine the function names, `DependsOn`): a candidate that depends on the resource holding the policy that way
 * closes a loop as well, reported as `{ holder }`.
 */
export function functionsClosingCycle(model: Model, policy: IdentityPolicy, candidates: readonly LambdaFunction[], limit: number, catalog: ActionCatalog): Map<LambdaFunction, Cycle> {
  const found = new Map<LambdaFunction, Cycle>();
  const graph = identityGraph(model);
  const references = dependencyGraph(model);
  const dependents = new Set(graph.rolesDependingOn(policy));
  for (const start of dependents.size === 0 ? [] : candidates) {
    const seen = new Set<LambdaFunction>([start]);
    const queue = [start];
    for (let i = 0; i < queue.length; i++) {
      const role = graph.roleOf(queue[i]);
      if (!role) continue;
      if (dependents.has(role)) {
        found.set(start, { role });
        break;
      }
      for (const held of role.ownPolicies)
        for (const next of functionsNamedBy(model, held, limit, catalog))
          if (!seen.has(next)) {
            seen.add(next);
            queue.push(next);
          }
    }
  }
  // The loops the identity graph names (with the role they run through) first; then any other reference's.
  for (const start of candidates) if (!found.has(start) && references.dependsOn(start, policy)) found.set(start, { holder: policy.address });
  return found;
}

/** How a reference to a function would close a loop: through a role holding the policy (IdentityNode), or any other reference to the resource holding it. */
export type Cycle = { role: IdentityNode; holder?: undefined } | { holder: string; role?: undefined };

/** Per policy: what functionsNamedBy found, kept because every policy with a finding may walk the same roles (a policy belongs to one model; `limit` is the fix's, always the same). */
const named = new WeakMap<IdentityPolicy, readonly LambdaFunction[]>();

/** The functions beside a policy that it depends on: those it refers to, or all of them when --fix may write them in place of a Resource matching every function. */
function functionsNamedBy(model: Model, policy: IdentityPolicy, limit: number, catalog: ActionCatalog): readonly LambdaFunction[] {
  let found = named.get(policy);
  if (!found) named.set(policy, (found = findNamedBy(model, policy, limit, catalog)));
  return found;
}

function findNamedBy(model: Model, policy: IdentityPolicy, limit: number, catalog: ActionCatalog): readonly LambdaFunction[] {
  const beside = functionsBeside(model, policy);
  if (beside.length <= limit && (policy.document?.statements ?? []).some((s) => mayBeNarrowed(s, catalog))) return beside;
  const referred = new Set<string>();
  collectResources(policy.policy.value, referred);
  return referred.size === 0 ? [] : beside.filter((f) => referred.has(f.address));
}

/**
 * Whether IG201's fix may replace a Resource of the statement with the functions beside it: an Allow of Lambda actions
 * alone (the fix splits nothing), each acting on functions, one of them an invoke action, on every function. Kept loose
 * where unsure (an effect not known); other statements on `*` (logs, lambda:ListFunctions) are never narrowed to functions.
 */
function mayBeNarrowed(statement: Statement, catalog: ActionCatalog): boolean {
  if (knownString(statement.effect) === 'Deny' || resourceEntriesCoveringAllFunctions(statement, FUNCTION_PROBES, true).length === 0) return false;
  if (actionsOnNoFunction(statement, catalog).length > 0) return false;
  const actions = statement.action.map((a) => knownString(a)?.toLowerCase());
  return (
    actions.every((a) => a?.startsWith('lambda:')) &&
    actions.some((a) => INVOKE_ACTIONS.some((invoke) => wildcardMatches(a!, invoke.toLowerCase())))
  );
}

/** The addresses of the scan's resources a value refers to, in any list or object it holds. */
function collectResources(value: Value, into: Set<string>): void {
  if (value.kind === 'list') for (const item of value.items) collectResources(item, into);
  else if (value.kind === 'object') for (const entry of value.entries) collectResources(entry.value, into);
  else for (const resource of resourcesOf(value)) into.add(resource);
}
