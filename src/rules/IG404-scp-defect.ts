import { guardrailsActive } from '../guardrails/activation.js';
import { parseOperator } from '../iam/condition-operators.js';
import { scpsOf, unattachedScps } from '../guardrails/organization.js';
import { knownString } from '../model/value.js';
import type { Finding, Rule, RuleContext, RuleMeta } from './types.js';

const meta: RuleMeta = {
  id: 'IG404',
  title: 'SCP defect: a guardrail that can never apply',
  severity: 'medium',
  attack: 'T1648',
  description: 'An SCP that looks like a Lambda guardrail but never applies: a Lambda resource ARN that matches nothing (arn:aws:lambda:*:*:function/* — function ARNs use "function:"), an unknown condition operator or key, or an SCP attached to no root, OU or account.',
  fixable: false,
};

/** The resource types in Lambda ARNs (arn:aws:lambda:region:account:TYPE:…). */
const LAMBDA_RESOURCE_TYPES = ['function', 'layer', 'event-source-mapping', 'code-signing-config', 'capacity-provider'];

/** Whether a Lambda ARN pattern can match some Lambda resource ARN: its resource part must be compatible with one type. */
export function lambdaArnCanMatch(pattern: string): boolean {
  const fields = pattern.split(':');
  if (fields.length < 6 || fields[2] !== 'lambda') return true;
  const rest = fields.slice(5).join(':');
  const wildcard = rest.search(/[*?]/);
  const prefix = wildcard < 0 ? rest : rest.slice(0, wildcard);
  return LAMBDA_RESOURCE_TYPES.some((type) => `${type}:`.startsWith(prefix) || prefix.startsWith(`${type}:`) || (wildcard < 0 && prefix === type));
}

function check(context: RuleContext): Finding[] {
  if (!guardrailsActive(context)) return [];
  const findings: Finding[] = [];
  const finding = (address: string, range: Finding['range'], message: string, suggestion: string, evidence?: string): Finding => ({
    ruleId: meta.id, severity: meta.severity, message, range, resource: address, suggestion, ...(evidence ? { evidence } : {}),
  });
  for (const scp of scpsOf(context.model)) {
    for (const statement of scp.document?.statements ?? []) {
      for (const resource of statement.resource) {
        const text = knownString(resource);
        if (text === undefined || lambdaArnCanMatch(text)) continue;
        const fixed = text.replace(/:function\//, ':function:');
        findings.push(finding(scp.address, resource.range, `SCP resource ${JSON.stringify(text)} can never match a Lambda ARN (arn:aws:lambda:region:account:function:name), so this statement guards nothing.`, `Use ${JSON.stringify(fixed !== text ? fixed : 'arn:aws:lambda:*:*:function:*')}.`, text));
      }
      for (const condition of statement.condition) {
        if (!parseOperator(condition.operator)) {
          findings.push(finding(scp.address, condition.range, `Unknown condition operator "${condition.operator}": AWS rejects the policy, so the guardrail does not exist.`, 'Use an IAM condition operator (StringEquals, StringNotLike, ArnNotLike, Bool, Null, NotIpAddress, … with IfExists / ForAnyValue: / ForAllValues: where meant).', condition.operator));
        } else if (context.conditionKeys?.exists(condition.key) === false) {
          findings.push(finding(scp.address, condition.range, `Unknown condition key "${condition.key}": no request carries it, so this condition never holds as intended.`, 'Check the key against the Service Authorization Reference (e.g. lambda:Principal, lambda:FunctionUrlAuthType, lambda:SourceFunctionArn, aws:SourceIp).', condition.key));
        }
      }
    }
  }
  for (const scp of unattachedScps(context.model))
    findings.push(finding(scp.address, scp.range, `SCP ${scp.address} is attached to no root, OU or account in the scan: it protects nothing.`, 'Attach it with aws_organizations_policy_attachment (Terraform) or TargetIds (CloudFormation), to the root where it should hold everywhere.'));
  return findings;
}

export const IG404: Rule = { meta, check };
