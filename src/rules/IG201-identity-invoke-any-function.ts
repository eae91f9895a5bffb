import { dirname } from 'node:path';
import type { FixValue } from '../fix/types.js';
import { INVOKE_ACTIONS } from '../iam/invoke-actions.js';
import { everyFunction, FUNCTION_PROBES, grantsByStatement, grantsOnAllFunctions, policiesReaching, resourceEntriesCoveringAllFunctions, type Grant } from '../iam/statement.js';
import type { IdentityPolicy, Model, ResourceBase } from '../model/types.js';
import { displayString, knownString, type Value } from '../model/value.js';
import { mayTakeEffect } from './support/boundary.js';
import { fix, isCloudFormation, nameable } from './support/fix.js';
import { byFolder, localAddress, nearbyFunctions, reachable } from './support/suggest.js';
import { rootsOf } from './support/roots.js';
import type { Finding, Rule } from './types.js';

export const IG201: Rule = {
  meta: {
    id: 'IG201',
    title: 'Identity policy allows invoking every Lambda function',
    severity: 'high',
    attack: 'T1648',
    remediation:
      'List the ARNs of the functions this identity calls (a qualifier pattern such as `function:orders-*` is fine), or their Terraform/CloudFormation references.',
    description:
      'An identity policy that allows lambda:InvokeFunction (directly or through lambda:Invoke*, lambda:*, * or another matching wildcard) on every function (`*`, or every function of an account or region, such as `arn:aws:lambda:us-east-1:123456789012:function:*`) lets whoever holds it run any function in the account: T1648 needs nothing more. Every version and alias of every function (`function:*:*`) counts too, and is named so: calls that name a version or alias are authorized against that qualified ARN. An unconditional Deny in the same policy removes the grant; conditions on the resource (tags, function ARN) scope it. A policy used only as a permissions boundary (named by one, attached nowhere in the scan) grants nothing and is not reported; nor is an inline policy, or an AWS managed policy where an attachment names it, whose holders all have a known boundary that does not allow the grant. A customer managed policy attached anywhere is reported whatever its holders\' boundaries (it may be attached to unbounded identities outside the scan); a boundary the scan cannot read leaves the finding as without one.',
    fixable: true,
  },
  check({ model, catalog }) {
    const findings: Finding[] = [];
    const invokeActions = INVOKE_ACTIONS.filter((a) => catalog.exists(a) !== false).map((a) => [a, FUNCTION_PROBES] as const);
    for (const policy of policiesReaching(model.identityPolicies, FUNCTION_PROBES)) {
      // NotAction / NotResource grants are IG203's.
      const grants = grantsByStatement(policy.document!, invokeActions, (g) => g.via === 'action');
      if (grants.length === 0) continue;
      const callable = functionsInReach(model, policy);
      // Distinct: two roots' instances of one module's function are written alike.
      const functions = [...new Set(nearbyFunctions(model, policy).flatMap((f) => exampleResource(policy, f)))];
      for (const { actions, grant, qualifiedOnly } of grants) {
        if (!mayTakeEffect(model, policy, (boundary) => actions.some((a) => grantsOnAllFunctions([boundary], a).length > 0))) continue;
        const action = displayString(grant.evidence);
        const resource = displayString(grant.resource);
        const where = grant.statement.sid ? `statement "${grant.statement.sid}"` : 'a statement';
        findings.push({
          ruleId: 'IG201',
          severity: 'high',
          message: `${policy.address} allows ${actions.join(' and ')} on ${everyFunction({ qualifiedOnly })} (${where}: Action ${JSON.stringify(action)}, Resource ${JSON.stringify(resource)}).`,
          range: grant.evidence.range,
          resource: policy.address,
          ...rootsOf(policy),
          evidence: `Action ${JSON.stringify(action)} on Resource ${JSON.stringify(resource)}`,
          suggestion:
            functions.length > 0
              ? `Allow only lambda:InvokeFunction, on the functions this identity calls, e.g. ${policy.sourceType.startsWith('iam-json:') ? `"Resource": [${functions.map((f) => JSON.stringify(f)).join(', ')}]` : `Resource = [${functions.join(', ')}]`}.`
              : `Allow only lambda:InvokeFunction, on the ARNs of the functions this identity calls (arn:aws:lambda:REGION:ACCOUNT:function:NAME); no function is defined in ${isCloudFormation(policy) ? 'its template' : 'this scan'} to name.`,
          fix: narrowResourceFix(grant, callable),
        });
      }
    }
    return findings;
  },
};

/**
 * How the policy would name a function in its Resource: a reference in Terraform and CloudFormation; in a
 * raw IAM JSON file, which can hold no reference, the function's ARN by its known name (none when unnamed).
 */
function exampleResource(policy: IdentityPolicy, fn: ResourceBase & { functionName?: { value: Value } }): string[] {
  if (!policy.sourceType.startsWith('iam-json:')) return fn.arnExpression ? [fn.arnExpression] : [];
  const name = knownString(fn.functionName?.value);
  if (name === undefined || name.includes('${')) return [];
  if (name.startsWith('arn:')) return [name];
  return name.includes(':') ? [] : [`arn:aws:lambda:REGION:ACCOUNT:function:${name}`];
}

/** At most this many functions are written into a policy; more means the scan cannot tell which ones are called. */
const MAX_FUNCTIONS = 10;

/**
 * The functions a policy can name by reference, as values a fix writes: those in the same
 * template (CloudFormation) or Terraform module folder. Raw IAM JSON can name none.
 */
function functionsInReach(model: Model, policy: IdentityPolicy): Array<{ address: string; arn: FixValue; nameable: boolean }> {
  // Raw IAM JSON can hold no reference.
  if (!isCloudFormation(policy) && !policy.sourceType.startsWith('aws_')) return [];
  // A reference reaches only its own template, or its own module instance: another instance of the same folder is not `aws_lambda_function.x` here.
  const inReach = (byFolder(model.functions).get(dirname(policy.range.file)) ?? []).filter((f) => reachable(f, policy));
  if (isCloudFormation(policy)) return inReach.map((f) => ({ address: f.address, arn: { kind: 'intrinsic', name: 'Fn::GetAtt', argument: [f.address, 'Arn'] }, nameable: nameable(f) }));
  return inReach.map((f) => ({ address: f.address, arn: { kind: 'terraform', expression: `${localAddress(f.address)}.arn` }, nameable: true }));
}

/** Replace the statement's every-function Resource with the functions in reach; only for statements of Lambda actions alone. */
function narrowResourceFix(grant: Grant, callable: Array<{ address: string; arn: FixValue; nameable: boolean }>) {
  // Entries covering every version and alias count too: replacing `*` alone would leave `function:*:*` open.
  const wildcards = resourceEntriesCoveringAllFunctions(grant.statement, FUNCTION_PROBES, true);
  const actions = grant.statement.action.map(knownString);
  if (actions.some((a) => !a?.toLowerCase().startsWith('lambda:')))
    return fix('Replace the Resource with the ARNs of the functions this identity calls. Not applied by --fix: the statement also grants actions of other services, which need their own resources; split it first.');
  if (callable.length === 0 || callable.length > MAX_FUNCTIONS)
    return fix(`Replace the Resource with the ARNs of the functions this identity calls. Not applied by --fix: ${callable.length === 0 ? 'no function it could call is defined beside the policy' : `${callable.length} functions are defined beside the policy; choose the ones it calls`}.`);
  if (callable.some((c) => !c.nameable))
    return fix('Replace the Resource with the ARNs of the functions this identity calls. Not applied by --fix: a Fn::ForEach loop over a collection the scan cannot know generates some of the functions beside the policy, so they cannot be named.');
  if (wildcards.length !== 1 || !grant.resource)
    return fix('Replace the Resource entries that match every function with the ARNs of the functions this identity calls. Not applied by --fix: several entries match every function.');
  // A function's plain ARN does not authorise calls naming a version or alias: replacing `function:*:*` with it would break them.
  if (grant.qualifiedOnly)
    return fix('Replace the Resource with the versions and aliases of the functions this identity calls (each function\'s ARN followed by `:*`, or the alias ARNs). Not applied by --fix: a function\'s plain ARN would not allow calls that name a version or alias.');
  const written = displayString(grant.resource)!;
  const value: FixValue = callable.length === 1 ? callable[0].arn : { kind: 'list', items: callable.map((c) => c.arn) };
  return fix(`Replace Resource ${JSON.stringify(written)} with the function${callable.length > 1 ? 's' : ''} defined beside the policy (${callable.map((c) => c.address).join(', ')}); check that these are the ones it calls.`, [
    { kind: 'replace', range: grant.resource.range, expect: written, value },
  ]);
}
