import { detectiveFinding } from '../guardrails/detective.js';
import type { Rule, RuleContext, RuleMeta } from './types.js';

const meta: RuleMeta = {
  id: 'IG505',
  title: 'No Security Hub with AWS Foundational Security Best Practices',
  severity: 'low',
  attack: 'T1648',
  description: "Security Hub's AWS Foundational Security Best Practices standard carries the Lambda controls (Lambda.1: function policies must prohibit public access) the ATT&CK write-up recommends as mitigation.",
  fixable: false,
};

function check(context: RuleContext) {
  const parts = context.model.posture?.securityHub ?? [];
  if (parts.some((p) => p.foundationalBestPractices !== false)) return [];
  const [hub] = parts;
  return detectiveFinding(
    context,
    meta,
    hub,
    hub ? `Security Hub ${hub.address} runs without the AWS Foundational Security Best Practices standard.` : 'No Security Hub with the AWS Foundational Security Best Practices standard in the scan.',
    'Add aws_securityhub_account (default standards on) or aws_securityhub_standards_subscription for arn:aws:securityhub:<region>::standards/aws-foundational-security-best-practices/v/1.0.0.',
  );
}

export const IG505: Rule = { meta, check };
