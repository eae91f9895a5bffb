import { identityGraph } from '../../model/identity-graph.js';
import type { IdentityPolicy, Model, PolicyDocument } from '../../model/types.js';

/**
 * Whether a grant a policy makes on its own can take effect, for the rules that report a policy document
 * alone (IG201, IG202, IG203, IG205). Not when the scan knows it cannot: a managed policy used only as a
 * permissions boundary (a boundary grants nothing by itself), or an inline policy (or an AWS managed policy,
 * reported where one attachment names it) whose every holder has a known boundary of which none `allows` the
 * grant. A customer managed policy attached anywhere keeps its findings: it may be attached to unbounded
 * identities outside the scan too. Cheap: the identity graph is built once
 * per model (IG204 and IG301 build it anyway), and `allows` runs only for bounded inline policies.
 */
export function mayTakeEffect(model: Model, policy: IdentityPolicy, allows: (boundary: PolicyDocument) => boolean): boolean {
  // Most scans write no boundary: nothing to ask the graph.
  if (!hasBoundaries(model)) return true;
  const graph = identityGraph(model);
  if (graph.boundaryOnly(policy)) return false;
  const boundaries = graph.boundariesCapping(policy);
  return boundaries === undefined || boundaries.some(allows);
}

const bounded = new WeakMap<Model, boolean>();

function hasBoundaries(model: Model): boolean {
  let answer = bounded.get(model);
  if (answer === undefined) bounded.set(model, (answer = (model.identities ?? []).some((i) => i.boundary !== undefined)));
  return answer;
}
