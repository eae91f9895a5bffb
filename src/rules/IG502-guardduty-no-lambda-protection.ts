import { detectiveFinding } from '../guardrails/detective.js';
import type { Rule, RuleContext, RuleMeta } from './types.js';

const meta: RuleMeta = {
  id: 'IG502',
  title: 'GuardDuty without Lambda Protection',
  severity: 'medium',
  attack: 'T1648',
  description: 'GuardDuty Lambda Protection (feature LAMBDA_NETWORK_LOGS) watches function network activity: a function turned into a crypto-miner or command-and-control relay raises a finding only with it on.',
  fixable: false,
};

function check(context: RuleContext) {
  const posture = context.model.posture;
  if (posture?.guardDutyLambda.some((f) => f.enabled !== false)) return [];
  const suggestion = 'Add aws_guardduty_detector_feature { name = "LAMBDA_NETWORK_LOGS", status = "ENABLED" } (CloudFormation: Features on AWS::GuardDuty::Detector), or the organisation configuration feature with auto_enable = "ALL".';
  const [detector] = posture?.guardDutyDetectors ?? [];
  const disabled = posture?.guardDutyLambda[0];
  return detectiveFinding(
    context,
    meta,
    disabled ?? detector,
    detector ? `GuardDuty detector ${detector.address} runs without Lambda Protection (LAMBDA_NETWORK_LOGS).` : 'No GuardDuty detector with Lambda Protection (LAMBDA_NETWORK_LOGS) in the scan.',
    suggestion,
  );
}

export const IG502: Rule = { meta, check };
