# IG201 through a heredoc policy: the finding points inside the heredoc.
resource "aws_iam_role_policy" "deployer" {
  name = "deployer"
  role = "ci-deployer"
  policy = <<POLICY
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "RunAnything",
      "Effect": "Allow",
      "Action": "lambda:*",
      "Resource": "arn:aws:lambda:*:*:function:*"
    },
  ]
}
POLICY
}
