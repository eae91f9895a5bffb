import { detectiveFinding } from '../guardrails/detective.js';
import type { GuardDutyLambda, Posture } from '../model/posture.js';
import type { Rule, RuleContext, RuleMeta } from './types.js';

const meta: RuleMeta = {
  id: 'IG502',
  title: 'GuardDuty without Lambda Protection',
  severity: 'medium',
  attack: 'T1648',
  description:
    'GuardDuty Lambda Protection (feature LAMBDA_NETWORK_LOGS) watches function network activity: a function turned into a crypto-miner or command-and-control relay raises a finding only with it on. A disabled detector (enable = false, Enable: false) produces nothing, whatever its features say; an organisation feature with auto_enable = "NEW" leaves the accounts already in the organisation without it.',
  fixable: false,
};

/** Whether a Lambda Protection feature covers existing accounts: enabled (or unknown), not for new accounts only, on a detector that is not disabled. */
function protects(feature: GuardDutyLambda, disabledDetectors: Set<string>): boolean {
  return feature.enabled !== false && !feature.newAccountsOnly && !(feature.detector !== undefined && disabledDetectors.has(feature.detector));
}

function check(context: RuleContext) {
  const posture: Posture | undefined = context.model.posture;
  const detectors = posture?.guardDutyDetectors ?? [];
  const features = posture?.guardDutyLambda ?? [];
  const disabledDetectors = new Set(detectors.filter((d) => d.enabled === false).map((d) => d.address));
  if (features.some((f) => protects(f, disabledDetectors))) return [];
  const suggestion = 'Add aws_guardduty_detector_feature { name = "LAMBDA_NETWORK_LOGS", status = "ENABLED" } on an enabled detector (CloudFormation: Features on AWS::GuardDuty::Detector with Enable: true), or the organisation configuration feature with auto_enable = "ALL".';
  const switchedOff = features.find((f) => f.enabled !== false && f.detector !== undefined && disabledDetectors.has(f.detector));
  if (switchedOff) {
    const detector = detectors.find((d) => d.address === switchedOff.detector)!;
    return detectiveFinding(context, meta, detector, `GuardDuty detector ${detector.address} is disabled: its Lambda Protection (LAMBDA_NETWORK_LOGS) produces no findings.`, suggestion);
  }
  const newOnly = features.find((f) => f.enabled !== false && f.newAccountsOnly);
  if (newOnly) return detectiveFinding(context, meta, newOnly, `${newOnly.address} auto-enables Lambda Protection (LAMBDA_NETWORK_LOGS) only for new accounts (auto_enable = "NEW"): accounts already in the organisation run without it.`, suggestion);
  const [detector] = detectors;
  return detectiveFinding(
    context,
    meta,
    features[0] ?? detector,
    detector ? `GuardDuty detector ${detector.address} runs without Lambda Protection (LAMBDA_NETWORK_LOGS).` : 'No GuardDuty detector with Lambda Protection (LAMBDA_NETWORK_LOGS) in the scan.',
    suggestion,
  );
}

export const IG502: Rule = { meta, check };
