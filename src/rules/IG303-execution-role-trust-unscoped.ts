import type { Change, Fix, FixValue } from '../fix/types.js';
import { identityGraph } from '../model/identity-graph.js';
import { rangeWithin, type Range } from '../model/range.js';
import type { Model, Principal, ResourceBase, Statement } from '../model/types.js';
import { displayString, knownString } from '../model/value.js';
import { lambdaServiceOf } from '../iam/service-principal.js';
import { hasSourceCondition, ineffectiveSourceConditions, isLambdaPrincipal, trustsLambda } from '../iam/trust.js';
import { fix, isCloudFormation } from './support/fix.js';
import { callerIdentityAccount } from './support/caller-identity.js';
import { identityLabel } from './support/identity.js';
import { rootsOf } from './support/roots.js';
import type { Finding, Rule, RuleConfig } from './types.js';

const KEY = 'aws:SourceAccount';
const OPERATOR = 'StringEquals';

export const IG303: Rule = {
  meta: {
    id: 'IG303',
    title: 'Lambda execution role trust is not scoped to your account or function',
    severity: 'low',
    attack: 'T1648',
    description:
      'A trust statement for lambda.amazonaws.com without an aws:SourceAccount or aws:SourceArn condition lets Lambda assume the role on behalf of any function that names it, in any account that can pass it (the confused-deputy pattern AWS recommends closing with these keys). Either key is enough, under a positive operator (`StringEquals`, `StringLike`, `ArnEquals`, `ArnLike`, …) with values that do not match every account or function: `StringLike "*"`, `arn:aws:*:*:*:*` or `arn:aws:lambda:*:*:function:*` scope nothing, nor does an aws:SourceAccount pattern with any `*` or `?` (`*1*`, `12345678901?`: an account id is exactly twelve digits, so a wildcard in one names many accounts), and neither do negated operators, `…IfExists` or `ForAllValues:` (a request without the key passes them). A role SAM generates is reported only when the template writes its trust (`AssumeRolePolicyDocument` on the function): the default trust SAM gives it is not for the user to fix.',
    remediation:
      'Add `StringEquals` `aws:SourceAccount` = your account to the trust statement (`!Ref AWS::AccountId`; in Terraform `data.aws_caller_identity.current.account_id`), or `ArnLike` `aws:SourceArn` on the function ARN pattern. `--fix` writes the account condition, merged into an existing `Condition`.',
    fixable: true,
  },
  check({ model, config }) {
    const findings: Finding[] = [];
    for (const node of identityGraph(model).nodes) {
      const trust = node.identity.trustDocument;
      // SAM's own trust for the role it generates is not the user's to fix; one the template writes is.
      if (!node.executionRole || (node.identity.implicit && !node.identity.userTrust) || !trust) continue;
      const unscoped = node.trust.filter((s) => trustsLambda(s) && !hasSourceCondition(s));
      if (unscoped.length === 0) continue;
      const terraform = !isCloudFormation(node.identity);
      findings.push({
        ruleId: 'IG303',
        severity: 'low',
        message: `Execution role ${identityLabel(node)} lets lambda.amazonaws.com assume it with no aws:SourceAccount or aws:SourceArn condition${ineffectiveNote(unscoped[0])}.`,
        range: unscoped[0].range,
        resource: node.identity.address,
        ...rootsOf(node.identity),
        evidence: 'Principal lambda.amazonaws.com, no aws:SourceAccount / aws:SourceArn',
        suggestion: terraform
          ? 'Add a condition to the Lambda trust statement: StringEquals aws:SourceAccount = data.aws_caller_identity.current.account_id (or ArnLike aws:SourceArn = the function ARN pattern).'
          : 'Add Condition: { StringEquals: { "aws:SourceAccount": !Ref AWS::AccountId } } to the Lambda trust statement (or ArnLike aws:SourceArn on the function ARN).',
        fix: accountFix(model, node.identity, terraform, unscoped, config),
      });
    }
    return findings;
  },
};

/** Why the statement's own aws:SourceAccount / aws:SourceArn conditions do not count, when it has some. */
function ineffectiveNote(statement: Statement): string {
  const ignored = ineffectiveSourceConditions(statement);
  if (ignored.length === 0) return '';
  return ` that scopes it (${ignored.join(', ')} does not: a negated, …IfExists or ForAllValues: operator, a value matching every account or function, or an account id with a wildcard)`;
}

/**
 * Pins every unscoped Lambda trust statement to the account: CloudFormation's own account id;
 * in Terraform an `aws_caller_identity` data source of the role's module, else the one configured account.
 */
function accountFix(model: Model, role: ResourceBase, terraform: boolean, statements: Statement[], config: RuleConfig | undefined): Fix {
  const account = accountValue(model, role, terraform, config);
  const written = account.kind === 'terraform' ? account.expression : account.kind === 'string' ? JSON.stringify(account.value) : account.kind === 'missing' ? 'your account id' : '!Ref AWS::AccountId';
  const description = `Add a condition ${OPERATOR} ${KEY} = ${written} to the Lambda trust statement, so Lambda assumes the role only for functions in that account.`;
  if (account.kind === 'missing') return fix(`${description} Not applied by --fix: ${account.why}.`);
  const changes: Change[] = [];
  for (const statement of writtenOnce(statements)) {
    const shared = othersTrusted(statement);
    if (shared) return fix(`${description} Not applied by --fix: the statement also trusts ${shared}, and the condition would apply to them too (${KEY} is sent only by AWS services, and not by every one of them), which could lock them out; give lambda.amazonaws.com a trust statement of its own and add the condition there.`);
    const change = addAccountCondition(statement, account);
    if (typeof change === 'string') return fix(`${description} Not applied by --fix: ${change}.`);
    changes.push(change);
  }
  return fix(description, changes);
}

/** The principals besides lambda.amazonaws.com a trust statement names, as they read; undefined when Lambda is its only principal. */
function othersTrusted(statement: Statement): string | undefined {
  const others = statement.principal.filter((p) => !isPlainLambda(p)).map((p) => (p.type === '*' ? '"*"' : `${p.type}: ${displayString(p.value) ?? '(unknown)'}`));
  if (statement.notPrincipal.length > 0) others.push('every principal its NotPrincipal leaves out');
  return others.length > 0 ? others.join(', ') : undefined;
}

/** lambda.amazonaws.com itself: Lambda@Edge (edgelambda) is left out, as it is not documented to send aws:SourceAccount when it assumes the role. */
function isPlainLambda(principal: Principal): boolean {
  return isLambdaPrincipal(principal) && lambdaServiceOf(principal.value) === 'lambda';
}

function accountValue(model: Model, role: ResourceBase, terraform: boolean, config: RuleConfig | undefined): FixValue | { kind: 'missing'; why: string } {
  if (!terraform) return { kind: 'intrinsic', name: 'Ref', argument: 'AWS::AccountId' };
  const caller = callerIdentityAccount(model, role);
  if (caller) return { kind: 'terraform', expression: caller };
  if (config?.accounts?.length === 1) return { kind: 'string', value: config.accounts[0] };
  return {
    kind: 'missing',
    why: `the role's module declares no data "aws_caller_identity" and the config names ${config?.accounts?.length ? `${config.accounts.length} accounts` : 'no account'} (add the data source, or set exactly one in the config's \`accounts\`)`,
  };
}

/** The change that adds the condition to one statement, merged into its Condition when it has one; or why it cannot. */
function addAccountCondition(statement: Statement, account: FixValue): Change | string {
  if (statement.block)
    return {
      kind: 'add-block',
      block: statement.range,
      type: 'condition',
      attributes: [
        ['test', { kind: 'string', value: OPERATOR }],
        ['variable', { kind: 'string', value: KEY }],
        ['values', { kind: 'list', items: [account] }],
      ],
    };
  const keys = (statement.keys ?? []).filter((k) => !sameRange(k.range, statement.range) && rangeWithin(k.range, statement.range));
  if (keys.length === 0) return 'the statement is not written where its keys can be located (a JSON string, or values from elsewhere)';
  const written = keys.find((k) => k.key.toLowerCase() === 'condition');
  if (!written) return { kind: 'add', after: last(keys.map((k) => k.range)), key: 'Condition', value: { kind: 'object', entries: [[OPERATOR, { kind: 'object', entries: [[KEY, account]] }]] } };
  const conditions = statement.condition.filter((c) => c.operatorRange && rangeWithin(c.range, written.range) && rangeWithin(c.operatorRange, written.range));
  if (conditions.length === 0) return 'its Condition is not written as operators and keys that can be merged into';
  if (conditions.some((c) => c.operator.toLowerCase() === OPERATOR.toLowerCase() && c.key.toLowerCase() === KEY.toLowerCase()))
    return `its ${OPERATOR} already names ${KEY} without a value`;
  const equals = conditions.filter((c) => c.operator.toLowerCase() === OPERATOR.toLowerCase());
  if (equals.length > 0) return { kind: 'add', after: last(equals.map((c) => c.range)), key: KEY, value: account };
  return { kind: 'add', after: last(conditions.map((c) => c.operatorRange!)), key: OPERATOR, value: { kind: 'object', entries: [[KEY, account]] } };
}

/** One statement per place it is written: two variants of a trust (a conditional principal) are one statement to edit. */
function writtenOnce(statements: Statement[]): Statement[] {
  return statements.filter((s, i) => statements.findIndex((t) => sameRange(t.range, s.range)) === i);
}

function sameRange(a: Range, b: Range): boolean {
  return a.file === b.file && a.line === b.line && a.column === b.column && a.endLine === b.endLine && a.endColumn === b.endColumn;
}

/** The range written last. */
function last(ranges: Range[]): Range {
  return ranges.reduce((a, b) => (b.endLine > a.endLine || (b.endLine === a.endLine && b.endColumn > a.endColumn) ? b : a));
}
