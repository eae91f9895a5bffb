import type { FixSnippets } from '../fix/types.js';
import { yamlLibrary } from '../parse/yaml-library.js';
import { fillPlaceholders, guardrailSpec, recommendedScp, type EstateFacts } from './scenarios.js';

export const EMIT_FORMATS = ['terraform', 'cloudformation', 'json'] as const;
export type EmitFormat = (typeof EMIT_FORMATS)[number];

const PLACEHOLDER_NOTE = 'Placeholders in <ANGLE_BRACKETS> must be replaced (AWS rejects them, so nothing half-configured deploys).';
// Lambda's CloudTrail eventNames carry an API-version suffix (AddPermission20150331v2); the wildcard keeps whichever
// one PutResourcePolicy (August 2026) is logged under, as it does for the others.
const LAMBDA_PERSISTENCE_EVENTS = ['AddPermission*', 'PutResourcePolicy*', 'CreateFunctionUrlConfig*', 'UpdateFunctionUrlConfig*', 'UpdateFunctionCode*', 'CreateEventSourceMapping*'];
const FSBP_ARN = 'arn:aws:securityhub:<REGION>::standards/aws-foundational-security-best-practices/v/1.0.0';

/** The CloudWatch Logs filter pattern that catches the persistence steps of T1648 in CloudTrail. */
export function lambdaPersistencePattern(): string {
  return `{ ($.eventSource = "lambda.amazonaws.com") && (${LAMBDA_PERSISTENCE_EVENTS.map((e) => `($.eventName = "${e}")`).join(' || ')}) }`;
}

/** One guardrail's SCP, and the Terraform and CloudFormation that create it and attach it to the root. */
export function guardrailSnippets(rule: string, facts: EstateFacts = {}): FixSnippets {
  const scp = { Version: '2012-10-17', Statement: fillPlaceholders(guardrailSpec(rule).statements, facts) };
  const name = `invokeguard-${rule.toLowerCase()}`;
  return { scp: JSON.stringify(scp, null, 2), terraform: terraformScp(name, scp), cloudformation: yamlLibrary().stringify({ Resources: cloudFormationScp(name, scp) }) };
}

/** The full recommended guardrail set: one SCP with every preventive guardrail, plus (Terraform, CloudFormation) the detective controls. */
export function emitGuardrails(format: EmitFormat, facts: EstateFacts = {}): string {
  const scp = recommendedScp(facts);
  switch (format) {
    case 'json':
      return `${JSON.stringify(scp, null, 2)}\n`;
    case 'terraform':
      return [
        `# invokeguard recommended guardrails. ${PLACEHOLDER_NOTE}`,
        '',
        terraformScp('invokeguard-lambda-guardrails', scp),
        TERRAFORM_DETECTIVE.replace('%PATTERN%', JSON.stringify(lambdaPersistencePattern()).slice(1, -1)),
      ].join('\n');
    case 'cloudformation':
      return yamlLibrary().stringify({
        AWSTemplateFormatVersion: '2010-09-09',
        Description: `invokeguard recommended guardrails. ${PLACEHOLDER_NOTE}`,
        Resources: { ...cloudFormationScp('invokeguard-lambda-guardrails', scp), ...cloudFormationDetective() },
      });
  }
}

function terraformScp(name: string, scp: object): string {
  const id = name.replace(/-/g, '_');
  return `variable "${id}_target_id" {
  description = "Root (r-...), OU (ou-...) or account id the SCP is attached to; replace the placeholder."
  type        = string
  default     = "<ROOT_ID>"
}

resource "aws_organizations_policy" "${id}" {
  name    = "${name}"
  type    = "SERVICE_CONTROL_POLICY"
  content = <<EOT
${JSON.stringify(scp, null, 2)}
EOT
}

resource "aws_organizations_policy_attachment" "${id}" {
  policy_id = aws_organizations_policy.${id}.id
  target_id = var.${id}_target_id
}
`;
}

function cloudFormationScp(name: string, scp: object): Record<string, object> {
  const id = name.replace(/(^|-)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase());
  return { [id]: { Type: 'AWS::Organizations::Policy', Properties: { Name: name, Type: 'SERVICE_CONTROL_POLICY', TargetIds: ['<ROOT_ID>'], Content: scp } } };
}

const TERRAFORM_DETECTIVE = `# Detective guardrails: Lambda data events, an alarm on Lambda persistence, GuardDuty Lambda Protection,
# IAM Access Analyzer and Security Hub's Foundational Security Best Practices.
resource "aws_cloudwatch_log_group" "invokeguard_trail" {
  name              = "invokeguard-organization-trail"
  retention_in_days = 365
}

resource "aws_cloudtrail" "invokeguard" {
  name                       = "invokeguard-organization-trail"
  s3_bucket_name             = "<TRAIL_BUCKET>"
  is_organization_trail      = true
  is_multi_region_trail      = true
  cloud_watch_logs_group_arn = "\${aws_cloudwatch_log_group.invokeguard_trail.arn}:*"
  cloud_watch_logs_role_arn  = "<TRAIL_LOGS_ROLE_ARN>"

  advanced_event_selector {
    name = "Management events"
    field_selector {
      field  = "eventCategory"
      equals = ["Management"]
    }
  }

  advanced_event_selector {
    name = "Lambda invokes (data events)"
    field_selector {
      field  = "eventCategory"
      equals = ["Data"]
    }
    field_selector {
      field  = "resources.type"
      equals = ["AWS::Lambda::Function"]
    }
  }
}

resource "aws_cloudwatch_log_metric_filter" "invokeguard_lambda_persistence" {
  name           = "invokeguard-lambda-persistence"
  log_group_name = aws_cloudwatch_log_group.invokeguard_trail.name
  pattern        = "%PATTERN%"

  metric_transformation {
    name      = "LambdaPersistenceChanges"
    namespace = "invokeguard"
    value     = "1"
  }
}

resource "aws_cloudwatch_metric_alarm" "invokeguard_lambda_persistence" {
  alarm_name          = "invokeguard-lambda-persistence"
  metric_name         = "LambdaPersistenceChanges"
  namespace           = "invokeguard"
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  alarm_actions       = ["<ALARM_TOPIC_ARN>"]
}

resource "aws_guardduty_detector" "invokeguard" {
  enable = true
}

resource "aws_guardduty_detector_feature" "invokeguard_lambda" {
  detector_id = aws_guardduty_detector.invokeguard.id
  name        = "LAMBDA_NETWORK_LOGS"
  status      = "ENABLED"
}

resource "aws_accessanalyzer_analyzer" "invokeguard" {
  analyzer_name = "invokeguard-organization"
  type          = "ORGANIZATION"
}

resource "aws_securityhub_account" "invokeguard" {}

resource "aws_securityhub_standards_subscription" "invokeguard_fsbp" {
  depends_on    = [aws_securityhub_account.invokeguard]
  standards_arn = "${FSBP_ARN}"
}
`;

function cloudFormationDetective(): Record<string, object> {
  return {
    InvokeguardTrailLogs: { Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: 'invokeguard-organization-trail', RetentionInDays: 365 } },
    InvokeguardTrail: {
      Type: 'AWS::CloudTrail::Trail',
      Properties: {
        TrailName: 'invokeguard-organization-trail',
        IsLogging: true,
        S3BucketName: '<TRAIL_BUCKET>',
        IsOrganizationTrail: true,
        IsMultiRegionTrail: true,
        CloudWatchLogsLogGroupArn: { 'Fn::GetAtt': ['InvokeguardTrailLogs', 'Arn'] },
        CloudWatchLogsRoleArn: '<TRAIL_LOGS_ROLE_ARN>',
        AdvancedEventSelectors: [
          { Name: 'Management events', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] },
          { Name: 'Lambda invokes (data events)', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }, { Field: 'resources.type', Equals: ['AWS::Lambda::Function'] }] },
        ],
      },
    },
    InvokeguardLambdaPersistenceFilter: {
      Type: 'AWS::Logs::MetricFilter',
      Properties: {
        LogGroupName: { Ref: 'InvokeguardTrailLogs' },
        FilterPattern: lambdaPersistencePattern(),
        MetricTransformations: [{ MetricName: 'LambdaPersistenceChanges', MetricNamespace: 'invokeguard', MetricValue: '1' }],
      },
    },
    InvokeguardLambdaPersistenceAlarm: {
      Type: 'AWS::CloudWatch::Alarm',
      Properties: {
        AlarmName: 'invokeguard-lambda-persistence',
        MetricName: 'LambdaPersistenceChanges',
        Namespace: 'invokeguard',
        Statistic: 'Sum',
        Period: 300,
        EvaluationPeriods: 1,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        AlarmActions: ['<ALARM_TOPIC_ARN>'],
      },
    },
    InvokeguardDetector: { Type: 'AWS::GuardDuty::Detector', Properties: { Enable: true, Features: [{ Name: 'LAMBDA_NETWORK_LOGS', Status: 'ENABLED' }] } },
    InvokeguardAnalyzer: { Type: 'AWS::AccessAnalyzer::Analyzer', Properties: { AnalyzerName: 'invokeguard-organization', Type: 'ORGANIZATION' } },
    InvokeguardSecurityHub: { Type: 'AWS::SecurityHub::Hub', Properties: { EnableDefaultStandards: true } },
    InvokeguardFoundationalBestPractices: { Type: 'AWS::SecurityHub::Standard', DependsOn: 'InvokeguardSecurityHub', Properties: { StandardsArn: FSBP_ARN } },
  };
}
