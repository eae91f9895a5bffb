import { detectiveFinding } from '../guardrails/detective.js';
import type { SecurityHubAssociation, SecurityHubPart } from '../model/posture.js';
import type { Rule, RuleContext, RuleMeta } from './types.js';

const meta: RuleMeta = {
  id: 'IG505',
  title: 'No Security Hub with AWS Foundational Security Best Practices',
  severity: 'low',
  attack: 'T1648',
  description:
    "Security Hub's AWS Foundational Security Best Practices standard carries the Lambda controls (Lambda.1: function policies must prohibit public access) the ATT&CK write-up recommends as mitigation. It counts when enabled by a standards subscription, by Security Hub's default standards (enable_default_standards / EnableDefaultStandards, on unless turned off; FSBP is one of them), by an organisation configuration that auto-enables new accounts with the default standards, or by a central configuration policy enabling it that is associated with a target. It does not count with control Lambda.1 turned off: aws_securityhub_standards_control (control_status = DISABLED) or aws_securityhub_standards_control_association (association_status = DISABLED, for FSBP) in the account, DisabledStandardsControls of the AWS::SecurityHub::Standard, or a configuration policy whose disabled control identifiers name Lambda.1 or whose enabled ones leave it out.",
  fixable: false,
};

/** A configuration policy applies only where associated; an association naming a policy outside the scan might be this one. */
function applies(part: SecurityHubPart, associations: SecurityHubAssociation[]): boolean {
  if (part.kind !== 'policy') return true;
  return associations.some((a) => a.policyId?.kind !== 'unknown' || a.policyId.resource === undefined || a.policyId.resource === part.address);
}

const LAMBDA_1 = 'control Lambda.1 (Lambda function policies should prohibit public access)';

function check(context: RuleContext) {
  const parts = context.model.posture?.securityHub ?? [];
  const associations = context.model.posture?.securityHubAssociations ?? [];
  const controlOff = context.model.posture?.securityHubLambdaControlOff ?? [];
  const enabling = parts.filter((p) => p.foundationalBestPractices !== false && applies(p, associations));
  // FSBP counts with its Lambda control on: not turned off by the part itself, nor (outside central configuration,
  // where policies decide the controls) by a control resource in the account.
  if (enabling.some((p) => !p.lambdaControlOff && (p.kind === 'policy' || controlOff.length === 0))) return [];
  const offHere = enabling.find((p) => p.lambdaControlOff);
  if (offHere || enabling.length > 0) {
    const at = offHere ?? controlOff[0];
    const what = offHere?.kind === 'policy' ? `Security Hub configuration policy ${at.address} turns off` : offHere ? `Security Hub standard ${at.address} disables` : `${at.address} disables Security Hub`;
    return detectiveFinding(
      context,
      meta,
      at,
      `${what} ${LAMBDA_1}: the AWS Foundational Security Best Practices standard runs without it, so public function policies go unflagged.`,
      'Keep Security Hub control Lambda.1 enabled: remove the DISABLED status or association, the DisabledStandardsControls entry, or the configuration policy\'s disabled identifier (or add Lambda.1 to its enabled identifiers).',
    );
  }
  const unassociated = parts.find((p) => p.foundationalBestPractices !== false);
  // A configuration policy is where central configuration decides the standards: point there first.
  const part = unassociated ?? parts.find((p) => p.kind === 'policy') ?? parts[0];
  const message = !part
    ? 'No Security Hub with the AWS Foundational Security Best Practices standard in the scan.'
    : part === unassociated
      ? `Security Hub configuration policy ${part.address} is associated with no target: the AWS Foundational Security Best Practices standard it enables applies nowhere.`
      : part.kind === 'policy'
        ? `Security Hub configuration policy ${part.address} does not enable Security Hub with the AWS Foundational Security Best Practices standard.`
        : `Security Hub ${part.address} runs without the AWS Foundational Security Best Practices standard.`;
  return detectiveFinding(
    context,
    meta,
    part,
    message,
    'Add aws_securityhub_account (default standards on) or aws_securityhub_standards_subscription for arn:aws:securityhub:<region>::standards/aws-foundational-security-best-practices/v/1.0.0 (central configuration: enable it in a configuration policy associated with the root).',
  );
}

export const IG505: Rule = { meta, check };
