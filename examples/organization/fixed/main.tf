# The organisation with the complete Lambda guardrail set (invokeguard guardrails --emit terraform, placeholders filled).

resource "aws_organizations_organization" "org" {
  feature_set = "ALL"
}

resource "aws_organizations_policy" "invokeguard_lambda_guardrails" {
  name    = "invokeguard-lambda-guardrails"
  type    = "SERVICE_CONTROL_POLICY"
  content = <<EOT
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "DenyPublicFunctionUrls",
      "Effect": "Deny",
      "Action": [
        "lambda:CreateFunctionUrlConfig",
        "lambda:UpdateFunctionUrlConfig"
      ],
      "Resource": "*",
      "Condition": {
        "StringEquals": {
          "lambda:FunctionUrlAuthType": "NONE"
        }
      }
    },
    {
      "Sid": "DenyPublicLambdaPermissions",
      "Effect": "Deny",
      "Action": [
        "lambda:AddPermission",
        "lambda:PutResourcePolicy"
      ],
      "Resource": "*",
      "Condition": {
        "StringEquals": {
          "lambda:Principal": "*"
        }
      }
    },
    {
      "Sid": "DenyLayerSharingExceptByLayerAdmins",
      "Effect": "Deny",
      "Action": "lambda:AddLayerVersionPermission",
      "Resource": "*",
      "Condition": {
        "ArnNotLike": {
          "aws:PrincipalArn": [
            "arn:aws:iam::*:role/layer-publisher"
          ]
        }
      }
    },
    {
      "Sid": "DenyLambdaCredentialsOutsideNetwork",
      "Effect": "Deny",
      "Action": "*",
      "Resource": "*",
      "Condition": {
        "Null": {
          "lambda:SourceFunctionArn": "false"
        },
        "NotIpAddressIfExists": {
          "aws:SourceIp": [
            "10.0.0.0/8"
          ]
        },
        "StringNotEqualsIfExists": {
          "aws:SourceVpc": [
            "vpc-0a1b2c3d4e5f60718"
          ],
          "aws:VpceOrgID": [
            "o-a1b2c3d4e5"
          ]
        },
        "BoolIfExists": {
          "aws:ViaAWSService": "false"
        }
      }
    },
    {
      "Sid": "DenyLambdaPermissionsOutsideOrganization",
      "Effect": "Deny",
      "Action": [
        "lambda:AddPermission",
        "lambda:PutResourcePolicy"
      ],
      "Resource": "*",
      "Condition": {
        "StringNotLike": {
          "lambda:Principal": [
            "111122223333",
            "arn:aws:iam::111122223333:*",
            "*.amazonaws.com"
          ]
        }
      }
    }
  ]
}
EOT
}

resource "aws_organizations_policy_attachment" "invokeguard_lambda_guardrails" {
  policy_id = aws_organizations_policy.invokeguard_lambda_guardrails.id
  target_id = aws_organizations_organization.org.roots[0].id
}

# Detective guardrails: Lambda data events, an alarm on Lambda persistence, GuardDuty Lambda Protection,
# IAM Access Analyzer and Security Hub's Foundational Security Best Practices.
resource "aws_cloudwatch_log_group" "invokeguard_trail" {
  name              = "invokeguard-organization-trail"
  retention_in_days = 365
}

resource "aws_cloudtrail" "invokeguard" {
  name                       = "invokeguard-organization-trail"
  s3_bucket_name             = "example-org-trail-logs"
  is_organization_trail      = true
  is_multi_region_trail      = true
  cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.invokeguard_trail.arn}:*"
  cloud_watch_logs_role_arn  = "arn:aws:iam::111122223333:role/cloudtrail-to-cloudwatch"

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
  pattern        = "{ ($.eventSource = \"lambda.amazonaws.com\") && (($.eventName = \"AddPermission*\") || ($.eventName = \"PutResourcePolicy*\") || ($.eventName = \"CreateFunctionUrlConfig*\") || ($.eventName = \"UpdateFunctionUrlConfig*\") || ($.eventName = \"UpdateFunctionCode*\") || ($.eventName = \"CreateEventSourceMapping*\")) }"

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
  alarm_actions       = ["arn:aws:sns:us-east-1:111122223333:security-alerts"]
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
  standards_arn = "arn:aws:securityhub:us-east-1::standards/aws-foundational-security-best-practices/v/1.0.0"
}
