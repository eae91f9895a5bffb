# A small Lambda stack with every invoke path invokeguard looks for left open.

resource "aws_lambda_function" "orders" {
  function_name = "orders"
  role          = aws_iam_role.orders.arn
  handler       = "index.handler"
  runtime       = "nodejs20.x"
  filename      = "orders.zip"
}

resource "aws_iam_role" "orders" {
  name               = "orders-exec"
  assume_role_policy = data.aws_iam_policy_document.lambda_trust.json
}

data "aws_iam_policy_document" "lambda_trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

# IG101: anyone in any AWS account can invoke the function.
resource "aws_lambda_permission" "public" {
  statement_id  = "AllowEveryone"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.orders.function_name
  principal     = "*"
}

resource "aws_s3_bucket" "uploads" {
  bucket = "orders-uploads"
}

# IG102: S3 bucket ARNs carry no account id; without source_account a re-created
# bucket of the same name in another account could invoke the function.
resource "aws_lambda_permission" "from_s3" {
  statement_id  = "AllowS3"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.orders.function_name
  principal     = "s3.amazonaws.com"
  source_arn    = aws_s3_bucket.uploads.arn
}

# IG104: the function URL needs no signature at all.
resource "aws_lambda_function_url" "orders" {
  function_name      = aws_lambda_function.orders.function_name
  authorization_type = "NONE"
}

# IG201: whoever gets this policy can invoke every function in the account.
resource "aws_iam_policy" "invoker" {
  name = "invoker"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["lambda:Invoke*"]
      Resource = "*"
    }]
  })
}

data "aws_caller_identity" "current" {}
