import { detectiveFinding } from '../guardrails/detective.js';
import type { Rule, RuleContext, RuleMeta } from './types.js';

const meta: RuleMeta = {
  id: 'IG503',
  title: 'No IAM Access Analyzer analyzer',
  severity: 'low',
  attack: 'T1648',
  description: 'An IAM Access Analyzer analyzer reports Lambda functions and layers shared outside the account or organisation: the resource permissions an attacker adds for persistence.',
  fixable: false,
};

function check(context: RuleContext) {
  if ((context.model.posture?.accessAnalyzers.length ?? 0) > 0) return [];
  return detectiveFinding(context, meta, undefined, 'No IAM Access Analyzer analyzer in the scan: functions shared outside the organisation go unreported.', 'Add aws_accessanalyzer_analyzer with type = "ORGANIZATION" (CloudFormation: AWS::AccessAnalyzer::Analyzer).');
}

export const IG503: Rule = { meta, check };
