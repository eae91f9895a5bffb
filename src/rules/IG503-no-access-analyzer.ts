import { detectiveFinding } from '../guardrails/detective.js';
import { EXTERNAL_ACCESS_ANALYZERS } from '../model/posture-values.js';
import type { Rule, RuleContext, RuleMeta } from './types.js';

const meta: RuleMeta = {
  id: 'IG503',
  title: 'No IAM Access Analyzer analyzer',
  severity: 'low',
  attack: 'T1648',
  description:
    'An IAM Access Analyzer external-access analyzer (type ACCOUNT or ORGANIZATION; Terraform\'s default is ACCOUNT) reports Lambda functions and layers shared outside the account or organisation: the resource permissions an attacker adds for persistence. Unused-access and internal-access analyzers (ACCOUNT_UNUSED_ACCESS, ORGANIZATION_UNUSED_ACCESS, …_INTERNAL_ACCESS) do not.',
  fixable: false,
};

function check(context: RuleContext) {
  const analyzers = context.model.posture?.accessAnalyzers ?? [];
  // An external-access analyzer, or one whose type cannot be known: nothing to report.
  if (analyzers.some((a) => a.analyzerType === undefined || EXTERNAL_ACCESS_ANALYZERS.has(a.analyzerType))) return [];
  const suggestion = 'Add aws_accessanalyzer_analyzer with type = "ORGANIZATION" (CloudFormation: AWS::AccessAnalyzer::Analyzer with Type: ORGANIZATION).';
  const [other] = analyzers;
  return other
    ? detectiveFinding(context, meta, other, `Access Analyzer ${other.address} is of type ${other.analyzerType}, which does not report resources shared outside the zone of trust: functions shared outside the organisation go unreported.`, suggestion)
    : detectiveFinding(context, meta, undefined, 'No IAM Access Analyzer analyzer in the scan: functions shared outside the organisation go unreported.', suggestion);
}

export const IG503: Rule = { meta, check };
