import type { FixValue } from '../fix/types.js';
import type { ActionCatalog } from '../iam/action-catalog.js';
import { actionsOnNoFunction } from '../iam/function-scoped.js';
import { groupedBy } from '../model/grouped-by.js';
import { INVOKE_ACTIONS } from '../iam/invoke-actions.js';
import { everyFunction, FUNCTION_PROBES, grantsByStatement, grantsOnAllFunctions, policiesReaching, resourceEntriesCoveringAllFunctions, type Grant } from '../iam/statement.js';
import { rangeWithin } from '../model/range.js';
import type { IdentityPolicy, LambdaFunction, Model, ResourceBase } from '../model/types.js';
import { displayString, knownString, type Value } from '../model/value.js';
import { mayTakeEffect } from './support/boundary.js';
import { fix, isCloudFormation, nameable } from './support/fix.js';
import { functionsBeside, functionsClosingCycle } from './support/dependency-cycle.js';
import { localAddress, nearbyFunctions } from './support/suggest.js';
import { rootsOf } from './support/roots.js';
import type { Finding, Rule } from './types.js';

export const IG201: Rule = {
  meta: {
    id: 'IG201',
    title: 'Identity policy allows invoking every Lambda function',
    severity: 'high',
    attack: 'T1648',
    remediation:
      'List the ARNs of the functions this identity calls (a qualifier pattern such as `function:orders-*` is fine), or their Terraform/CloudFormation references. A call that names a version or alias is authorized against that qualified ARN, which the plain function ARN does not match: to keep such calls working, also list each ARN followed by `:*` (`"${aws_lambda_function.orders.arn}:*"`, `!Sub "${Orders.Arn}:*"`), or the alias ARNs when you know callers use only those. `--fix` writes the functions defined beside the policy (in its Terraform module or template) in both forms: whether callers name a qualifier is decided in their code, which the scan does not see, and versions and aliases are often published outside the IaC, so the scan cannot tell that none is used; the alias ARNs alone would deny calls naming a version. The `*` it replaces allowed every version and alias of those functions too, so the fix narrows which functions may be invoked, not how. A grant on versions and aliases only (`function:*:*`) becomes the `:*` forms alone. When several entries match every function (`function:*` beside `function:*:*`), the one granting it is replaced and the others are removed. It leaves out a function whose role depends on the policy (the policy is written in that role: inline, in its `managed_policy_arns`/`ManagedPolicyArns`, or in a SAM function\'s `Policies`, directly or through other functions\' roles): or that refers to the resource holding the policy in any other way (an environment variable, a state machine, `DependsOn`): a reference to it there is a dependency cycle Terraform and CloudFormation reject; allow such a function by the ARN built from its name. A statement that also grants Lambda actions acting on no function (`lambda:ListFunctions`, `lambda:GetAccountSettings`, durable-execution or layer actions, and so `lambda:*`) is left to you: narrowing its Resource would deny them; move the invoke actions to a statement of their own.',
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
      const inReach = functionsInReach(model, policy, catalog);
      const looping = new Set(inReach.callable.flatMap((c) => (c.cycle ? [c.address] : [])));
      // Distinct: two roots' instances of one module's function are written alike. None the fix leaves out for a dependency cycle.
      const nearby = nearbyFunctions(model, policy, 3 + looping.size).filter((f) => !looping.has(f.address)).slice(0, 3);
      const functions = [...new Set(nearby.flatMap((f) => exampleResource(policy, f)))];
      const elsewhere = functions.length === 0 && looping.size === 0 && policy.sourceType.startsWith('aws_') ? arnsOfFunctionsElsewhere(model, policy, 3) : [];
      // An AWS managed policy's Resource is AWS's to write: the policy itself must go.
      const managed = policy.awsManaged !== undefined ? replaceManagedPolicy(policy, policy.awsManaged, nearby) : undefined;
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
          suggestion: managed
            ? managed
            : functions.length > 0
              ? `Allow only lambda:InvokeFunction, on the functions this identity calls, e.g. ${policy.sourceType.startsWith('iam-json:') ? `"Resource": [${functions.map((f) => JSON.stringify(f)).join(', ')}]` : `Resource = [${functions.join(', ')}]`}.`
              : elsewhere.length > 0
              ? `Allow only lambda:InvokeFunction, on the ARNs of the functions this identity calls, e.g. Resource = [${elsewhere.map((f) => JSON.stringify(f)).join(', ')}]; no function is defined in this module to name by reference, and a reference to one defined in another folder does not resolve here.`
              : `Allow only lambda:InvokeFunction, on the ARNs of the functions this identity calls (arn:aws:lambda:REGION:ACCOUNT:function:NAME); ${looping.size > 0 ? `the functions beside it cannot be named by reference here (${[...looping].join(', ')}: a dependency cycle), write the ARN from the function name` : noFunctionToName(model, policy)}.`,
          fix: managed ? fix(`${managed} Not applied by --fix: an AWS managed policy's statements are AWS's, not written in your code.`) : narrowResourceFix(policy, grant, inReach, catalog),
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
  return arnByName(fn);
}

/**
 * The ARNs, by their known names, of the first `limit` functions of the policy's Terraform root (its modules'
 * included): what a Terraform policy can write for functions of other folders, which no reference from its module
 * names. None from other roots: another project's functions are no example of what this identity calls.
 */
function arnsOfFunctionsElsewhere(model: Model, policy: IdentityPolicy, limit: number): string[] {
  const own = policy.root !== undefined ? (groupedBy(model.functions, rootOf).get(policy.root) ?? []) : [];
  const arns = new Set<string>();
  for (const fn of own) {
    for (const arn of arnByName(fn)) arns.add(arn);
    if (arns.size >= limit) break;
  }
  return [...arns].slice(0, limit);
}

const rootOf = (resource: ResourceBase) => resource.root;

/**
 * What to do about an AWS managed policy that allows invoking every function: its statements cannot be narrowed, so
 * replace it, in SAM with the LambdaInvokePolicy template per function called (lambda:InvokeFunction on that
 * function alone), elsewhere with a statement of one's own on the functions' ARNs. `nearby`: functions to name.
 */
function replaceManagedPolicy(policy: IdentityPolicy, name: string, nearby: readonly ResourceBase[]): string {
  const cloudformation = isCloudFormation(policy);
  if (policy.sourceType.startsWith('AWS::Serverless::')) {
    const example = nearby[0] && nameable(nearby[0]) ? `{ FunctionName: !Ref ${nearby[0].address} }` : '{ FunctionName: NAME }';
    return `Replace the AWS managed policy ${name} with policies granting only what this identity needs: for invoking, SAM's LambdaInvokePolicy once per function it calls (e.g. - LambdaInvokePolicy: ${example}). ${name} allows lambda:InvokeFunction on every function, and its Resource cannot be changed.`;
  }
  const arns = nearby.flatMap((f) => (cloudformation ? (nameable(f) ? [`!GetAtt ${f.address}.Arn`] : []) : f.arnExpression ? [f.arnExpression] : []));
  const resource = arns.length > 0 ? `[${arns.join(', ')}]` : '["arn:aws:lambda:REGION:ACCOUNT:function:NAME"]';
  return `Replace the AWS managed policy ${name} with policies granting only what this identity needs: for invoking, a statement of your own allowing lambda:InvokeFunction on the functions it calls (e.g. Resource${cloudformation ? ':' : ' ='} ${resource}). ${name} allows it on every function, and its Resource cannot be changed.`;
}

/** Why a suggestion names no function: none where the policy could name one (a Terraform policy's root holding none named). */
function noFunctionToName(model: Model, policy: IdentityPolicy): string {
  if (isCloudFormation(policy)) return 'no function is defined in its template to name';
  if (!policy.sourceType.startsWith('aws_') || model.functions.length === 0) return 'no function is defined in this scan to name';
  return 'no function of its Terraform root can be named here (a reference to a function of another folder does not resolve)';
}

/** A function's ARN by its known name (REGION and ACCOUNT as placeholders), as written when the name is one; none when unnamed. */
function arnByName(fn: ResourceBase & { functionName?: { value: Value } }): string[] {
  const name = knownString(fn.functionName?.value);
  if (name === undefined || name.includes('${')) return [];
  if (name.startsWith('arn:')) return [name];
  return name.includes(':') ? [] : [`arn:aws:lambda:REGION:ACCOUNT:function:${name}`];
}

/** At most this many functions are written into a policy; more means the scan cannot tell which ones are called. */
const MAX_FUNCTIONS = 10;

/**
 * A function a fix can name: its ARN and its qualified ARNs (`ARN:*`, every version and alias of it),
 * each as the value written and as the text the fix message shows.
 */
interface Callable {
  address: string;
  arn: FixValue;
  qualified: FixValue;
  shown: { arn: string; qualified: string };
  nameable: boolean;
  /**
   * A reference to it here would close a dependency cycle: through which role (one whose own definition holds the policy), and whether that
   * is the function's own; or (`holder`) because the function refers to the resource holding the policy in some other way (an environment variable, a state machine, DependsOn).
   */
  cycle?: { role: string; own: boolean } | { holder: string };
}

/** How many functions a policy can name by reference, and, when a fix could write them all (at most MAX_FUNCTIONS), each as a Callable. */
interface InReach {
  count: number;
  callable: Callable[];
}

/**
 * The functions a policy can name by reference, as values a fix writes: those in the same
 * template (CloudFormation) or Terraform module folder. Raw IAM JSON can name none. Each says
 * whether a reference to it here would close a dependency cycle (support/dependency-cycle.ts).
 * Only counted when there are more than a fix writes: the fix then names none of them.
 */
function functionsInReach(model: Model, policy: IdentityPolicy, catalog: ActionCatalog): InReach {
  // Raw IAM JSON can hold no reference.
  if (!isCloudFormation(policy) && !policy.sourceType.startsWith('aws_')) return { count: 0, callable: [] };
  // A reference reaches only its own template, or its own module instance: another instance of the same folder is not `aws_lambda_function.x` here.
  const inReach = functionsBeside(model, policy);
  if (inReach.length > MAX_FUNCTIONS) return { count: inReach.length, callable: [] };
  return { count: inReach.length, callable: callables(model, policy, inReach, catalog) };
}

/** The functions in reach as a fix writes them, each with the dependency cycle a reference to it would close, if any. */
function callables(model: Model, policy: IdentityPolicy, inReach: readonly LambdaFunction[], catalog: ActionCatalog): Callable[] {
  const cycles = functionsClosingCycle(model, policy, inReach, MAX_FUNCTIONS, catalog);
  const cycle = (f: LambdaFunction) => {
    const found = cycles.get(f);
    if (!found) return {};
    return found.role ? { cycle: { role: found.role.identity.address, own: found.role.functions.includes(f) } } : { cycle: { holder: found.holder! } };
  };
  if (isCloudFormation(policy))
    return inReach.map((f) => ({
      address: f.address,
      arn: { kind: 'intrinsic', name: 'Fn::GetAtt', argument: [f.address, 'Arn'] },
      qualified: { kind: 'intrinsic', name: 'Fn::Sub', argument: `\${${f.address}.Arn}:*` },
      shown: { arn: `!GetAtt ${f.address}.Arn`, qualified: `!Sub "\${${f.address}.Arn}:*"` },
      nameable: nameable(f),
      ...cycle(f),
    }));
  return inReach.map((f) => {
    const expression = `${localAddress(f.address)}.arn`;
    return { address: f.address, arn: { kind: 'terraform', expression }, qualified: { kind: 'terraform', expression, suffix: ':*' }, shown: { arn: expression, qualified: `"\${${expression}}:*"` }, nameable: true, ...cycle(f) };
  });
}

/** Why functions are not named: the dependency cycle a reference to each would close, and which engine rejects it. */
function cycleReason(policy: IdentityPolicy, looping: Callable[]): string {
  const rejects = isCloudFormation(policy) ? 'CloudFormation rejects ("Circular dependency between resources")' : 'Terraform rejects ("Cycle:")';
  const each = looping.map(({ address, cycle }) => {
    if ('holder' in cycle!) return `${address} refers to ${cycle.holder}, which holds this policy (through an environment variable, another resource or DependsOn), so naming it here would make ${cycle.holder} depend on it`;
    const { role, own } = cycle!;
    return `${own ? `${address} runs as ${role}, which holds this policy` : `${address} depends on ${role} (which holds this policy) through its own role's policies, as written or as --fix narrows them`}, so naming it here would make ${role} depend on it`;
  });
  return `${each.join('; ')}: a dependency cycle, which ${rejects}`;
}

/** How to allow functions a reference cannot name. */
const BY_NAME = 'the ARN built from the function name (arn:aws:lambda:REGION:ACCOUNT:function:NAME)';

/**
 * Replace the statement's every-function Resource with the functions in reach; only for statements of Lambda actions alone.
 *
 * Each function is written twice, as its ARN and as that ARN followed by `:*`. Lambda authorises a call that names a
 * version or alias (a qualified FunctionName, or Qualifier) against the qualified ARN, which the plain ARN does not
 * match: with it alone, a caller invoking `orders:live` would be denied after the fix. Whether callers name a
 * qualifier is decided in their code, which the scan does not see, and versions and aliases are often made outside
 * the IaC (a pipeline's `publish-version`, CodeDeploy shifting an alias): an alias-free scan proves nothing, and the
 * alias ARNs alone (narrower) would deny calls that name a version. The entry replaced (`*`, `function:*`) allowed
 * every version and alias of these functions too, so the fix narrows which functions, not how they may be called:
 * the T1648 risk (any function of the account) goes, and no call to a kept function breaks. A grant on versions and
 * aliases alone (`function:*:*`) keeps that shape: only the `:*` forms are written.
 */
function narrowResourceFix(policy: IdentityPolicy, grant: Grant, { count, callable: beside }: InReach, catalog: ActionCatalog) {
  // Entries covering every version and alias count too: replacing `*` alone would leave `function:*:*` open.
  const wildcards = resourceEntriesCoveringAllFunctions(grant.statement, FUNCTION_PROBES, true);
  const actions = grant.statement.action.map(knownString);
  if (actions.some((a) => !a?.toLowerCase().startsWith('lambda:')))
    return fix('Replace the Resource with the ARNs of the functions this identity calls. Not applied by --fix: the statement also grants actions of other services, which need their own resources; split it first.');
  const accountWide = actionsOnNoFunction(grant.statement, catalog);
  if (accountWide.length > 0)
    return fix(
      `Move the invoke actions to a statement of their own whose Resource lists the ARNs of the functions this identity calls. Not applied by --fix: the statement also grants ${accountWide.join(', ')}, which ${accountWide.length > 1 ? 'act' : 'acts'} on no function; narrowing its Resource to functions would deny ${accountWide.length > 1 ? 'them' : 'it'}.`,
    );
  if (count === 0 || count > MAX_FUNCTIONS)
    return fix(`Replace the Resource with the ARNs of the functions this identity calls. Not applied by --fix: ${count === 0 ? 'no function it could call is defined beside the policy' : `${count} functions are defined beside the policy; choose the ones it calls`}.`);
  if (beside.some((c) => !c.nameable))
    return fix('Replace the Resource with the ARNs of the functions this identity calls. Not applied by --fix: a Fn::ForEach loop over a collection the scan cannot know generates some of the functions beside the policy, so they cannot be named.');
  if (!grant.resource || !wildcards.includes(grant.resource))
    return fix('Replace the Resource entries that match every function with the ARNs of the functions this identity calls. Not applied by --fix: the entry granting it cannot be located.');
  // The other entries matching every function (`function:*` beside `function:*:*`) go: the functions written cover what they allowed of them.
  const others = wildcards.filter((entry) => entry !== grant.resource);
  const removed = others.map(displayString);
  // Only from the statement's own list: an entry evaluated from a variable or local may serve other policies too.
  if (removed.some((text) => text === undefined) || others.some((entry) => !rangeWithin(entry.range, grant.statement.range)))
    return fix('Replace the Resource entries that match every function with the ARNs of the functions this identity calls. Not applied by --fix: several entries match every function, and not all of them are written in the statement.');
  // Functions a reference would put in a dependency cycle are left out: the fix must not make a deployable template undeployable.
  const looping = beside.filter((c) => c.cycle);
  const callable = beside.filter((c) => !c.cycle);
  const them = looping.length > 1 ? 'them' : 'it';
  if (callable.length === 0) return fix(`Replace the Resource with the ARNs of the functions this identity calls. Not applied by --fix: ${cycleReason(policy, looping)}. To allow ${them}, write ${BY_NAME}.`);
  const leftOut = looping.length > 0 ? ` ${looping.map((c) => c.address).join(', ')} ${looping.length > 1 ? 'are' : 'is'} left out: ${cycleReason(policy, looping)}; if this identity calls ${them}, add ${BY_NAME}.` : '';
  const written = displayString(grant.resource)!;
  const items = callable.flatMap((c) => (grant.qualifiedOnly ? [c.qualified] : [c.arn, c.qualified]));
  const shown = callable.flatMap((c) => (grant.qualifiedOnly ? [c.shown.qualified] : [c.shown.arn, c.shown.qualified]));
  const value: FixValue = items.length === 1 ? items[0] : { kind: 'list', items };
  const functions = `function${callable.length > 1 ? 's' : ''} defined beside the policy (${callable.map((c) => c.address).join(', ')})`;
  const how = grant.qualifiedOnly
    ? `the versions and aliases of the ${functions}, each function's ARN followed by ":*"`
    : `the ${functions}, ${callable.length > 1 ? 'each ' : ''}as its ARN and as that ARN followed by ":*", so that calls naming a version or alias (authorised against the qualified ARN) keep working`;
  const alsoRemove = removed.length > 0 ? `, and remove ${removed.map((text) => JSON.stringify(text)).join(' and ')}, which ${removed.length > 1 ? 'also match' : 'also matches'} every function` : '';
  return fix(`Replace Resource ${JSON.stringify(written)} with ${how}: ${shown.join(', ')}${alsoRemove}; check that these are the ones it calls.${leftOut}`, [
    { kind: 'replace', range: grant.resource.range, expect: written, value },
    ...others.map((entry, i) => ({ kind: 'remove' as const, range: entry.range, expect: removed[i]! })),
  ]);
}
