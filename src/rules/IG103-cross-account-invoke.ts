import { arnAccount } from '../iam/arn.js';
import { mayInvoke } from '../iam/permission-actions.js';
import { classifyPrincipal } from '../iam/principal.js';
import type { Range } from '../model/range.js';
import type { CallerCondition, LambdaPermission } from '../model/types.js';
import { asList, displayString, isNullish, knownString, type Value } from '../model/value.js';
import { onlyAwsServices } from './support/account-pinning.js';
import { invokeGrant } from './support/grant.js';
import { namedFunction } from './support/suggest.js';
import { rootsOf } from './support/roots.js';
import type { Finding, Grantee, Rule, RuleConfig } from './types.js';

export const IG103: Rule = {
  meta: {
    id: 'IG103',
    title: 'Invoke permission to an account outside your estate',
    severity: 'medium',
    attack: 'T1648',
    remediation:
      'List the partner accounts you trust under `accounts` in `.invokeguard.yml`, or constrain the grant to your organisation with `principal_org_id`/`PrincipalOrgID` (a service grant: `source_account`/`SourceAccount` of your own account); otherwise remove it.',
    description:
      'A resource permission that lets an AWS account outside your configured accounts, and not constrained to your organisation, run the function: granted to the account (or a role/user in it); to "*" or a service principal for a source account, or a source ARN, in that account (a service then invokes for that account\'s resources); or to "*" constrained to another organisation (principal_org_id / PrincipalOrgID other than `orgId`). A resource policy statement to "*" kept to callers of named accounts (aws:PrincipalAccount, an account\'s aws:PrincipalArn) or of an OU of another organisation (aws:PrincipalOrgPaths) is judged by them, as a principal would be; its aws:SourceAccount and aws:PrincipalOrgID are read as source_account and principal_org_id, and so is a Deny of the policy unless they hold. Runs only when `accounts` or `orgId` is configured: an account is judged only against `accounts` (with `orgId` alone, only an organisation id is), and a source account the scan cannot read leaves the source ARN\'s account to decide; partners granted on purpose go into `accounts`. A permission whose action covers no invoke action (lambda:GetFunction alone) invokes nothing and is left to IG105.',
    fixable: false,
  },
  check({ model, config }) {
    const findings: Finding[] = [];
    const accounts = new Set(config?.accounts ?? []);
    if (accounts.size === 0 && !config?.orgId) return findings;
    for (const permission of model.permissions) {
      if (!permission.principal) continue;
      // A grant of other actions only (lambda:GetFunction) lets the account invoke nothing; IG105 reports it.
      if (!mayInvoke(permission)) continue;
      const outside = outsideReach(permission, accounts, config);
      if (outside) findings.push(finding(permission, outside, config, namedFunction(model, permission)));
    }
    return findings;
  },
};

/** Who outside the estate a grant reaches, and the attribute that lets them in. */
type Outside =
  | { kind: 'account'; account: string; via: 'principal' | 'source account' | 'source ARN'; range: Range }
  | { kind: 'account'; account: string; via: 'caller condition'; condition: CallerCondition; range: Range }
  | { kind: 'organisation'; organisation: string; range: Range };

function outsideReach(permission: LambdaPermission, accounts: ReadonlySet<string>, config: RuleConfig | undefined): Outside | undefined {
  const principal = classifyPrincipal(permission.principal!.value);
  const org = knownString(permission.principalOrgId?.value);
  const ourOrg = config?.orgId;
  if (principal.kind === 'account' || principal.kind === 'arn') {
    // Whether an account is outside is known only against `accounts`: orgId alone cannot place an account id.
    if (accounts.size === 0) return undefined;
    const account = principal.kind === 'account' ? principal.account : literalAccountOf(permission.principal!.value);
    if (!account || accounts.has(account)) return undefined;
    if (org !== undefined && (ourOrg === undefined || org === ourOrg)) return undefined;
    return { kind: 'account', account, via: 'principal', range: permission.principal!.range };
  }
  const service = principal.kind === 'service' || (principal.kind === 'public' && onlyAwsServices(permission));
  if (!service && principal.kind !== 'public') return undefined;
  if (!isNullish(permission.principalOrgId?.value)) {
    // A service principal carries no aws:PrincipalOrgID, so a service grant with one never matches (IG102 says so). For "*",
    // the organisation decides whom it lets in: only an organisation known to be another one is outside.
    if (service || org === undefined || ourOrg === undefined || org === ourOrg) return undefined;
    return { kind: 'organisation', organisation: org, range: permission.principalOrgId!.range };
  }
  if (principal.kind === 'public' && !service) {
    // "*" kept by a resource policy's condition to the callers of named accounts (aws:PrincipalAccount, an account's
    // aws:PrincipalArn) or of an organisation's OU (aws:PrincipalOrgPaths): they are the grantees, as a principal is.
    const callers = callerReach(permission, accounts, ourOrg);
    if (callers !== undefined) return callers || undefined;
  }
  // "*" or a service for a resource of one account: that account's resources (through a service) can invoke.
  if (accounts.size === 0) return undefined;
  // A request must match both the source account and the source ARN: a known source account decides; an unknown one leaves it to the ARN.
  if (!isNullish(permission.sourceAccount?.value)) {
    const named = literalAccounts(permission.sourceAccount!.value);
    const stranger = named?.find((account) => !accounts.has(account));
    if (named !== undefined) return stranger ? { kind: 'account', account: stranger, via: 'source account', range: permission.sourceAccount!.range } : undefined;
  }
  if (!isNullish(permission.sourceArn?.value)) {
    const named = literalAccounts(permission.sourceArn!.value, (arn) => literalAccountOf(arn));
    const stranger = named?.find((account) => !accounts.has(account));
    return stranger ? { kind: 'account', account: stranger, via: 'source ARN', range: permission.sourceArn!.range } : undefined;
  }
  return undefined;
}

/**
 * Who a "*" grant's caller conditions let in, when they decide it: the first condition naming an account outside
 * `accounts` (or an organisation other than `ourOrg`); null when they keep it to the estate; undefined when none decides.
 */
function callerReach(permission: LambdaPermission, accounts: ReadonlySet<string>, ourOrg: string | undefined): Outside | null | undefined {
  let decided = false;
  for (const condition of permission.callerConditions ?? []) {
    const key = condition.key.toLowerCase();
    if (condition.scope === 'account' && accounts.size > 0 && (key === 'aws:principalaccount' || key === 'aws:principalarn')) {
      const named = literalAccounts({ kind: 'list', items: condition.values, range: condition.range }, key === 'aws:principalarn' ? literalAccountOf : literalAccount);
      if (named === undefined) continue;
      const stranger = named.find((account) => !accounts.has(account));
      if (stranger) return { kind: 'account', account: stranger, via: 'caller condition', condition, range: condition.range };
      decided = true;
    } else if (key === 'aws:principalorgpaths' && ourOrg !== undefined) {
      const orgs = condition.values.map((v) => /^(o-[a-z0-9]+)(\/|$)/i.exec(knownString(v) ?? '')?.[1]);
      if (orgs.some((org) => org === undefined)) continue;
      const other = orgs.find((org) => org !== ourOrg);
      if (other) return { kind: 'organisation', organisation: other, range: condition.range };
      decided = true;
    }
  }
  return decided ? null : undefined;
}

function finding(permission: LambdaPermission, outside: Outside, config: RuleConfig | undefined, target: string | undefined): Finding {
  const principal = displayString(permission.principal!.value);
  const base = { ruleId: 'IG103', severity: 'medium' as const, range: outside.range, resource: permission.address, ...rootsOf(permission) };
  if (outside.kind === 'organisation') {
    const grantee: Grantee = { kind: 'organisation', organisation: outside.organisation };
    return {
      ...base,
      message: `${permission.address} lets any principal of organisation ${outside.organisation} ("${principal}" with an organisation id) invoke the function; it is not your organisation ${config?.orgId}.`,
      ...invokeGrant(grantee, target),
      evidence: `principal = ${JSON.stringify(principal)}, organisation id = ${JSON.stringify(outside.organisation)}`,
      suggestion: `Set the organisation id to yours (${config?.orgId}), or grant the accounts of ${outside.organisation} that call the function by id and list them in \`accounts\` in .invokeguard.yml.`,
    };
  }
  const { account, via } = outside;
  const orgNote = config?.orgId ? ` and the grant is not constrained to ${config.orgId}` : '';
  const grantee: Grantee = { kind: 'account', account };
  if (via === 'principal')
    return {
      ...base,
      message: `${permission.address} lets account ${account} (${principal}) invoke the function; it is not one of your configured accounts${orgNote}.`,
      ...invokeGrant(grantee, target),
      evidence: `principal = ${JSON.stringify(principal)}`,
      suggestion: `If ${account} is a partner you trust, add it to \`accounts\` in .invokeguard.yml; otherwise remove the grant or constrain it with principal_org_id / PrincipalOrgID = your organisation id.`,
    };
  if (via === 'caller condition') {
    const named = outside.condition.values.map((v) => displayString(v) ?? '?');
    return {
      ...base,
      message: `${permission.address} lets principals of account ${account} ("${principal}" with ${outside.condition.key} ${JSON.stringify(named.length === 1 ? named[0] : named)}) invoke the function; it is not one of your configured accounts${orgNote}.`,
      ...invokeGrant(grantee, target),
      evidence: `principal = ${JSON.stringify(principal)}, ${outside.condition.key} = ${JSON.stringify(named.length === 1 ? named[0] : named)}`,
      suggestion: `If ${account} is a partner you trust, add it to \`accounts\` in .invokeguard.yml; otherwise remove the grant or name your own account in its ${outside.condition.key} condition.`,
    };
  }
  const written = displayString(via === 'source account' ? permission.sourceAccount!.value : permission.sourceArn!.value);
  const who = principal === '*' ? 'AWS services' : principal;
  return {
    ...base,
    message: `${permission.address} lets ${who} invoke the function for a resource in account ${account} (${via} ${JSON.stringify(written)}); it is not one of your configured accounts.`,
    ...invokeGrant(grantee, target),
    evidence: `principal = ${JSON.stringify(principal)}, ${via} = ${JSON.stringify(written)}`,
    suggestion: `If ${account} is a partner you trust, add it to \`accounts\` in .invokeguard.yml; otherwise remove the grant or point its ${via} at a resource of your own account.`,
  };
}

/** The literal twelve-digit account ids a value (or list of values, as a policy file's condition writes them) names; undefined when one is not known. */
function literalAccounts(value: Value, accountOf: (item: Value) => string | undefined = literalAccount): string[] | undefined {
  const items = value.kind === 'list' ? asList(value) : [value];
  const named = items.map(accountOf);
  return named.every((account) => account !== undefined) ? (named as string[]) : undefined;
}

function literalAccount(value: Value): string | undefined {
  const text = knownString(value)?.trim();
  return text !== undefined && /^\d{12}$/.test(text) ? text : undefined;
}

/** The literal account id of a role/user ARN; split by ARN fields so `!Sub "arn:${AWS::Partition}:iam::…"` keeps its account. */
function literalAccountOf(arn: Value): string | undefined {
  const account = arnAccount(arn);
  return account.kind === 'account' && /^\d{12}$/.test(account.text) ? account.text : undefined;
}
