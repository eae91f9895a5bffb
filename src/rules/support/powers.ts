import { effectOf, grantsOnAllFunctions } from '../../iam/statement.js';
import { actionWildcard } from '../../iam/wildcard.js';
import type { PolicyDocument } from '../../model/types.js';
import { knownString } from '../../model/value.js';
import { passRoleToLambda } from './pass-role.js';

/**
 * The powers IG204 weighs an identity by: what an escalation is for. A principal that can make its code run as
 * another role escalates when that role holds one it lacks.
 * - administrator: `*` on `*` with no Deny;
 * - iam-write: an IAM action that grants permissions or credentials to a role or user (PutRolePolicy, AttachUserPolicy,
 *   CreatePolicyVersion, CreateAccessKey, UpdateAssumeRolePolicy, …) on every one;
 * - pass-role: iam:PassRole to Lambda on every role (the first step of IG204's other paths);
 * - assume-role: sts:AssumeRole on every role.
 */
export type Power = 'administrator' | 'iam-write' | 'pass-role' | 'assume-role';

export const POWER_LABELS: Record<Power, string> = {
  administrator: 'administrator access (`*` on `*`)',
  'iam-write': 'IAM write access (policies or credentials of every role or user)',
  'pass-role': 'iam:PassRole on every role',
  'assume-role': 'sts:AssumeRole on every role',
};

// Role, user and policy ARNs sharing no character (as FUNCTION_PROBES): a grant covering both covers every one.
export const ROLE_PROBES = ['arn:aws:iam::111111111111:role/q', 'arn:aws:iam::222222222222:role/service-role/7-x_9'];
const USER_PROBES = ['arn:aws:iam::111111111111:user/q', 'arn:aws:iam::222222222222:user/division/7-x_9'];
const POLICY_PROBES = ['arn:aws:iam::111111111111:policy/q', 'arn:aws:iam::222222222222:policy/team/7-x_9'];

/** IAM actions each of which alone hands its caller more permissions or someone's credentials. */
const IAM_WRITE: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['iam:PutRolePolicy', ROLE_PROBES],
  ['iam:AttachRolePolicy', ROLE_PROBES],
  ['iam:UpdateAssumeRolePolicy', ROLE_PROBES],
  ['iam:PutUserPolicy', USER_PROBES],
  ['iam:AttachUserPolicy', USER_PROBES],
  ['iam:CreateAccessKey', USER_PROBES],
  ['iam:CreateLoginProfile', USER_PROBES],
  ['iam:UpdateLoginProfile', USER_PROBES],
  ['iam:CreatePolicyVersion', POLICY_PROBES],
];

/** `*` on `*` with no Deny anywhere in the set. */
export function isAdministrator(documents: readonly PolicyDocument[]): boolean {
  const statements = documents.flatMap((d) => d.statements);
  if (statements.some((s) => effectOf(s) !== 'Allow')) return false;
  return statements.some((s) => s.condition.length === 0 && s.action.some((a) => actionWildcard(knownString(a) ?? '') === '*') && s.resource.some((r) => knownString(r) === '*'));
}

/** The powers a set of policies grants together (Denies included), under a known permissions boundary when one is given. */
export function powersOf(documents: readonly PolicyDocument[], boundary?: PolicyDocument): Set<Power> {
  if (isAdministrator(documents) && (!boundary || isAdministrator([boundary]))) return new Set(Object.keys(POWER_LABELS) as Power[]);
  const caps = boundary ? [boundary] : [];
  const allows = (set: readonly PolicyDocument[], action: string, probes: readonly string[]) =>
    grantsOnAllFunctions(set, action, probes).length > 0 && caps.every((cap) => grantsOnAllFunctions([cap], action, probes).length > 0);
  const powers = new Set<Power>();
  if (IAM_WRITE.some(([action, probes]) => allows(documents, action, probes))) powers.add('iam-write');
  // PassRole as IAM judges a pass to Lambda, as IG204's PassRole step does.
  const toLambda = passRoleToLambda([...documents, ...caps]).documents;
  const passes = grantsOnAllFunctions(toLambda.slice(0, documents.length), 'iam:PassRole', ROLE_PROBES).length > 0;
  if (passes && toLambda.slice(documents.length).every((cap) => grantsOnAllFunctions([cap], 'iam:PassRole', ROLE_PROBES).length > 0)) powers.add('pass-role');
  if (allows(documents, 'sts:AssumeRole', ROLE_PROBES)) powers.add('assume-role');
  return powers;
}

/** The powers `target` holds that `caller` lacks (administrator first). */
export function powersBeyond(target: ReadonlySet<Power>, caller: ReadonlySet<Power>): Power[] {
  return (Object.keys(POWER_LABELS) as Power[]).filter((p) => target.has(p) && !caller.has(p));
}
