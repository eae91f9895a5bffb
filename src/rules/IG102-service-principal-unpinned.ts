import type { Change, FixValue } from '../fix/types.js';
import { mayInvoke } from '../iam/permission-actions.js';
import { classifyPrincipal, pinnedBySkillId } from '../iam/principal.js';
import type { Range } from '../model/range.js';
import type { LambdaPermission, Model } from '../model/types.js';
import { isNullish, knownString, resourcesOf } from '../model/value.js';
import { callerIdentityAccount } from './support/caller-identity.js';
import { onlyAwsServices, servicePinning, unscopingNote } from './support/account-pinning.js';
import { fix, isCloudFormation, propertyName } from './support/fix.js';
import { invokeGrant } from './support/grant.js';
import { namedFunction, triggers, unnamedFunction, type Trigger } from './support/suggest.js';
import { rootsOf } from './support/roots.js';
import { dependencyGraph } from './support/dependency-graph.js';
import { wiredTriggers } from './support/wired-triggers.js';
import type { Finding, Rule, RuleConfig } from './types.js';

/** Resource types whose source ARN carries no account (S3): only a source account pins them. */
const ACCOUNTLESS = new Set(['aws_s3_bucket', 'AWS::S3::Bucket']);

export const IG102: Rule = {
  meta: {
    id: 'IG102',
    title: 'Service principal can invoke without being pinned to an account',
    severity: 'high',
    attack: 'T1648',
    remediation:
      "Add `source_account` (`SourceAccount`) with the account that owns the trigger, and `source_arn` (`SourceArn`) with the trigger's ARN (bucket, topic, rule, API). An S3 bucket ARN carries no account, so S3 triggers always need `source_account`. For Alexa (`alexa-appkit.amazon.com`, `alexa-connectedhome.amazon.com`), add `event_source_token` (`EventSourceToken`; SAM `SkillId`) with the skill id instead. `--fix` writes a source ARN only for a resource the scan shows calling the function (it names the function, or a subscription, notification, target, integration or authorizer names both) and that does not depend on the permission (which would be a circular dependency), and the template's own account only when that trigger is in the template.",
    description:
      'A grant to a service principal (*.amazonaws.com, also written with its region or partition left to the deployment such as `!Sub "s3.${AWS::URLSuffix}"` or `logs.${AWS::Region}.amazonaws.com`, or "*" that a policy file limits to AWS services with aws:PrincipalIsAWSService) without a source account, organisation (aws:SourceOrgID) or a source ARN that carries one, lets that service invoke the function on behalf of a resource in any account (the confused deputy). S3 bucket ARNs carry no account, so a bucket source ARN alone does not pin one; in a policy file, a `StringLike` aws:SourceAccount with a wildcard (`*`, `*1*`) does not either. A grant that also sets principal_org_id / PrincipalOrgID is not reported: a service principal carries no aws:PrincipalOrgID, so that grant never matches (pin the caller with source_account or aws:SourceOrgID instead). A grant to Alexa (alexa-appkit.amazon.com, alexa-connectedhome.amazon.com; SAM AlexaSkill events) without event_source_token / EventSourceToken (SAM SkillId), the skill id, lets any Alexa skill invoke the function; Alexa sends no source account or ARN, so only the skill id pins it.',
    fixable: true,
  },
  check({ model, config }) {
    const findings: Finding[] = [];
    for (const permission of model.permissions) {
      const principal = servicePrincipal(permission);
      if (!principal || !permission.principal) continue;
      if (!mayInvoke(permission)) continue;
      // aws:PrincipalOrgID is absent from a service principal's requests (services belong to no
      // organisation): such a grant never matches, so it lets no service in, from any account.
      if (!isNullish(permission.principalOrgId?.value)) continue;
      const pinning = servicePinning(permission, principal.service);
      if (pinning.pinned !== false) continue;
      const name = namedFunction(model, permission);
      const target = name ?? unnamedFunction(permission);
      if (pinnedBySkillId(principal.service)) {
        findings.push(anySkillFinding(permission, principal.service, name, target, pinning.why));
        continue;
      }
      const sources = principal.service === ANY_SERVICE ? [] : triggers(model, principal.service, permission);
      findings.push({
        ruleId: 'IG102',
        severity: 'high',
        message: `${permission.address} lets ${principal.named} invoke ${target} for a resource in any account: ${pinning.why}${unscopingNote(permission.unscopingConditions)}.`,
        range: permission.principal.range,
        resource: permission.address,
        ...rootsOf(permission),
        ...invokeGrant({ kind: 'service', service: principal.service }, name),
        evidence: `principal = ${JSON.stringify(principal.evidence)}`,
        suggestion: pinningSuggestion(permission, sources),
        fix: pinningFix(model, permission, sources, config),
      });
    }
    return findings;
  },
};

const ANY_SERVICE = 'any AWS service';

/**
 * Asks only for what the grant lacks: it is unpinned, so it has no source account; a source ARN is asked for only
 * when it has none (one it has that pins no account, such as an S3 bucket's, is why the source account is needed).
 */
function pinningSuggestion(permission: LambdaPermission, sources: Trigger[]): string {
  const account = 'Add a source account condition (the account that owns the calling resource)';
  if (!isNullish(permission.sourceArn?.value)) return `${account}: the source ARN it has names no account.`;
  return `${account}${sources.length > 0 ? ` and a source ARN such as ${sources.map((s) => s.display).join(' or ')}` : ''}.`;
}

/** An Alexa grant without the skill id: any skill, of any developer, can have Alexa invoke the function. */
function anySkillFinding(permission: LambdaPermission, service: string, name: string | undefined, target: string, why: string): Finding {
  const token = propertyName(permission, 'event_source_token', 'EventSourceToken');
  return {
    ruleId: 'IG102',
    severity: 'high',
    message: `${permission.address} lets any Alexa skill (${service}) invoke ${target}: ${why}.`,
    range: permission.principal!.range,
    resource: permission.address,
    ...rootsOf(permission),
    ...invokeGrant({ kind: 'service', service }, name),
    evidence: `principal = ${JSON.stringify(service)}`,
    suggestion: `Set ${token} to the id of the skill that calls the function (amzn1.ask.skill.…); a source account or source ARN does not pin an Alexa grant.`,
    fix: fix(`${skillIdPlace(permission, token)} Not applied by --fix: the skill id is not in the scan.`),
  };
}

/** A StringEquals condition in the syntax of the permission's policy statement. */
function statementCondition(permission: LambdaPermission, key: string, value: string): string {
  return permission.policyStatement === 'block'
    ? `a condition block with test = "StringEquals", variable = "${key}" and values = ["${value}"]`
    : `"Condition": {"StringEquals": {"${key}": "${value}"}}`;
}

/** Where the skill id goes, in the terms of the resource that declares the grant. */
function skillIdPlace(permission: LambdaPermission, token: string): string {
  if (permission.policyStatement) return `Add a condition to the statement: ${statementCondition(permission, 'lambda:EventSourceToken', '<the skill id>')}.`;
  if (permission.sourceType === 'AWS::Serverless::Function') return `Add SkillId (the skill id) to the AlexaSkill event's Properties in ${permission.address}.`;
  return `Add ${token} with the id of the skill that calls the function.`;
}

/**
 * The service a permission grants to: a service principal, or "*" that aws:PrincipalIsAWSService = true limits to every service.
 * `named`: how messages name it, a template as written (`s3.${AWS::URLSuffix}`); `service` is what lookups are keyed by.
 */
function servicePrincipal(permission: LambdaPermission): { service: string; named: string; evidence: string } | undefined {
  const principal = classifyPrincipal(permission.principal?.value);
  if (principal.kind === 'service') return { service: principal.service, named: principal.written ?? principal.service, evidence: principal.written ?? principal.service };
  if (principal.kind === 'public' && onlyAwsServices(permission)) return { service: ANY_SERVICE, named: ANY_SERVICE, evidence: '* (aws:PrincipalIsAWSService)' };
  return undefined;
}

/**
 * Pins the grant with what the scan knows: the trigger's ARN when exactly one resource of the service's type
 * beside the permission is shown calling its function (wiredTriggers) and naming it adds no dependency cycle,
 * and the source account when it is knowable (the template's own account when that trigger is in the template,
 * or the one configured account). A trigger merely beside the permission is not pinned: the real caller may be
 * one the scan does not hold (a parameter's topic), which the pin would shut out.
 */
function pinningFix(model: Model, permission: LambdaPermission, sources: Trigger[], config: RuleConfig | undefined) {
  const sourceAccount = propertyName(permission, 'source_account', 'SourceAccount');
  const sourceArn = propertyName(permission, 'source_arn', 'SourceArn');
  if (permission.policyStatement) return fix(`Add a condition to the statement: ${statementCondition(permission, 'AWS:SourceAccount', '<the account that owns the calling resource>')}.`);
  if (permission.sourceType !== 'aws_lambda_permission' && permission.sourceType !== 'AWS::Lambda::Permission')
    return fix(`Pin the account where ${permission.sourceType} ${permission.address} declares the grant; --fix edits only ${propertyName(permission, 'aws_lambda_permission', 'AWS::Lambda::Permission')} resources.`);
  const anchor = permission.principal!.range;
  const changes: Change[] = [];
  const added: string[] = [];
  let pinsAccount = false;
  const wired = wiredTriggers(model, permission, sources);
  const trigger = wired.length === 1 ? wired[0] : undefined;
  let cycle: string | undefined;
  if (trigger?.arn && isNullish(permission.sourceArn?.value)) {
    if (dependencyGraph(model).dependsOn(trigger.resource, permission))
      cycle = ` ${sourceArn} is not added: ${trigger.resource.address} depends on ${permission.address} (through DependsOn or a reference), so naming it there would be a circular dependency.`;
    else {
      changes.push(setOrAdd(permission.sourceArn?.range, anchor, sourceArn, trigger.arn));
      added.push(sourceArn);
      pinsAccount = !ACCOUNTLESS.has(trigger.resource.sourceType);
    }
  }
  // The trigger is in the template (wired to the function, or the source ARN the grant names already): the template's account is its account.
  const written = permission.sourceArn?.value;
  const named = new Set(written ? resourcesOf(written) : []);
  const namedSource = sources.find((s) => named.has(s.resource.address));
  const local = wired.length > 0 || namedSource !== undefined;
  const account = knownAccount(model, permission, local, config);
  if (account) {
    changes.push(setOrAdd(permission.sourceAccount?.range, anchor, sourceAccount, account));
    added.push(sourceAccount);
  }
  const pinned = added.includes(sourceArn);
  // A source ARN already written names its caller; only a missing one needs saying why it is not added.
  const caller = pinned ? trigger!.display : namedSource ? namedSource.display : 'a resource';
  const arnNote = isNullish(written) ? (cycle ?? unwiredNote(sources, wired, sourceArn)) : '';
  if (account || pinsAccount)
    return fix(`Add ${added.join(' and ')}, so only ${caller} in ${account ? 'that account' : "the trigger's account"} can make the service invoke the function.${pinned ? '' : arnNote}`, changes);
  const why =
    wired.length > 1 || arnNote !== ''
      ? 'no account is known'
      : trigger
        ? `the trigger ${trigger.display} carries no account and no account is known`
        : 'the trigger is not in the scan and no account is known';
  return fix(`Add ${sourceAccount} (the account that owns the calling resource). Not applied by --fix: ${why} (set exactly one in the config's \`accounts\` to have --fix write it).${arnNote}`);
}

/** Why resources of the service's type beside the permission are not written as its source ARN: none, or several, is shown calling the function. */
function unwiredNote(sources: Trigger[], wired: Trigger[], sourceArn: string): string {
  if (sources.length === 0 || wired.length === 1) return '';
  if (wired.length > 1) return ` ${sourceArn} is not added: ${wired.length} resources call the function (${wired.map((s) => s.display).join(', ')}).`;
  return ` ${sourceArn} is not added: nothing in the scan connects ${sources.map((s) => s.resource.address).join(' or ')} to the function (no subscription, notification, target, integration or authorizer names both), so the caller may be another resource.`;
}

/**
 * The account a fix can write as the source account: with the trigger in the scan and wired to the function (so deployed to the
 * same account), the deployment's own (CloudFormation `AWS::AccountId`; Terraform the module's
 * `data.aws_caller_identity`, as IG303 writes it); else the one configured account.
 */
function knownAccount(model: Model, permission: LambdaPermission, local: boolean, config: RuleConfig | undefined): FixValue | undefined {
  if (local && isCloudFormation(permission)) return { kind: 'intrinsic', name: 'Ref', argument: 'AWS::AccountId' };
  const caller = local && !isCloudFormation(permission) ? callerIdentityAccount(model, permission) : undefined;
  if (caller) return { kind: 'terraform', expression: caller };
  return config?.accounts?.length === 1 ? { kind: 'string', value: config.accounts[0] } : undefined;
}

/** Set the attribute when it is written (e.g. `= null`), else add it after the anchor. */
function setOrAdd(existing: Range | undefined, anchor: Range, key: string, value: FixValue): Change {
  return existing ? { kind: 'set', attribute: existing, value } : { kind: 'add', after: anchor, key, value };
}
