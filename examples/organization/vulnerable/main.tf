# An organisation whose Lambda guardrails look right but stop nothing.
resource "aws_organizations_organization" "org" {
  feature_set = "ALL"
}

resource "aws_organizations_organizational_unit" "workloads" {
  name      = "workloads"
  parent_id = aws_organizations_organization.org.roots[0].id
}

# Copied from a public sample: "function/*" never matches a Lambda ARN (function:name),
# and "none" is not "NONE" (StringEquals is case-sensitive).
resource "aws_organizations_policy" "lambda" {
  name = "deny-public-lambda"
  content = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "DenyPublicPermissions"
        Effect    = "Deny"
        Action    = "lambda:AddPermission"
        Resource  = "arn:aws:lambda:*:*:function/*"
        Condition = { StringEquals = { "lambda:Principal" = "*" } }
      },
      {
        Sid       = "DenyPublicUrls"
        Effect    = "Deny"
        Action    = ["lambda:CreateFunctionUrlConfig", "lambda:UpdateFunctionUrlConfig"]
        Resource  = "*"
        Condition = { StringEquals = { "lambda:FunctionUrlAuthType" = "none" } }
      },
    ]
  })
}

resource "aws_organizations_policy_attachment" "lambda" {
  policy_id = aws_organizations_policy.lambda.id
  target_id = aws_organizations_organizational_unit.workloads.id
}

# Written, reviewed, never attached.
resource "aws_organizations_policy" "perimeter" {
  name = "lambda-credential-perimeter"
  content = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Deny"
      Action   = "*"
      Resource = "*"
      Condition = {
        Null                 = { "lambda:SourceFunctionArn" = "false" }
        NotIpAddressIfExists = { "aws:SourceIp" = ["10.0.0.0/8"] }
      }
    }]
  })
}

# Management events only: Lambda invokes are data events and go unrecorded.
resource "aws_cloudtrail" "org" {
  name                  = "organization"
  s3_bucket_name        = "example-org-trail-logs"
  is_organization_trail = true
}

resource "aws_guardduty_detector" "main" {
  enable = true
}
