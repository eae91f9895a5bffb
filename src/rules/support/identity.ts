import type { IdentityNode } from '../../model/identity-graph.js';
import type { IdentityPolicy, Statement } from '../../model/types.js';

/** Resources whose inline policies share the resource's address. */
const INLINE_OWNERS = new Set(['aws_iam_role', 'AWS::IAM::Role', 'AWS::IAM::User', 'AWS::IAM::Group']);

/**
 * How a message names a policy: its address, its name when several share one address (inline policies), and where
 * it is. An AWS managed policy is named by its own name: its address is the holder's, which attaches several.
 */
export function policyLabel(policy: IdentityPolicy): string {
  if (policy.awsManaged !== undefined) return `AWS managed policy ${policy.awsManaged} (${policy.range.file}:${policy.range.line})`;
  const named = policy.name !== undefined && INLINE_OWNERS.has(policy.sourceType) ? ` policy "${policy.name}"` : '';
  return `${policy.address}${named} (${policy.range.file}:${policy.range.line})`;
}

/** How a message names an identity: SAM's implicit role says which function it belongs to. */
export function identityLabel(node: IdentityNode): string {
  const { identity } = node;
  if (identity.implicit) return `${identity.address} (the role SAM generates for ${node.functions.map((f) => f.address).join(', ') || 'the function'})`;
  return identity.address;
}

/** Every statement of a node's policies with the policy it belongs to. */
export function statementsOf(node: IdentityNode): Array<{ statement: Statement; policy: IdentityPolicy }> {
  return node.policies.flatMap(({ policy }) => (policy.document?.statements ?? []).map((statement) => ({ statement, policy })));
}
