import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A tiny deterministic PRNG (mulberry32) so every run generates the same corpus. */
export function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const lambda = (i: number, open: boolean) => `resource "aws_lambda_function" "fn_${i}" {
  function_name = "fn-${i}"
  role          = aws_iam_role.role_${i}.arn
  handler       = "index.handler"
  runtime       = "nodejs20.x"
  filename      = "fn.zip"
}

resource "aws_lambda_permission" "invoke_${i}" {
  statement_id  = "Invoke${i}"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.fn_${i}.function_name
  principal     = ${open ? '"*"' : '"events.amazonaws.com"'}
  source_arn    = "arn:aws:events:us-east-1:123456789012:rule/r${i}"
}

resource "aws_lambda_function_url" "url_${i}" {
  function_name      = aws_lambda_function.fn_${i}.function_name
  authorization_type = "${open ? 'NONE' : 'AWS_IAM'}"
}
`;

const iam = (i: number, open: boolean) => `locals {
  invoke_actions_${i} = ["lambda:InvokeFunction"]
}

resource "aws_iam_role" "role_${i}" {
  name               = "role-${i}"
  assume_role_policy = data.aws_iam_policy_document.trust_${i}.json
}

data "aws_iam_policy_document" "trust_${i}" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_policy" "invoke_${i}" {
  name = "invoke-${i}"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = local.invoke_actions_${i}
      Resource = ${open ? '"*"' : `"arn:aws:lambda:us-east-1:123456789012:function:fn-${i}"`}
    }]
  })
}
`;

const unrelated = (i: number) => `resource "aws_s3_bucket" "data_${i}" {
  bucket = "data-${i}"
  tags = {
    Team = "team-${i % 7}"
    Env  = "prod"
  }
}

resource "aws_sqs_queue" "queue_${i}" {
  name                      = "queue-${i}"
  delay_seconds             = 90
  max_message_size          = 2048
  message_retention_seconds = 86400
  receive_wait_time_seconds = 10
}

resource "aws_cloudwatch_log_group" "logs_${i}" {
  name              = "/aws/lambda/fn-${i}"
  retention_in_days = 14
}

variable "size_${i}" {
  type    = number
  default = ${i % 100}
}

output "queue_${i}" {
  value = aws_sqs_queue.queue_${i}.arn
}
`;

/** More unrelated resources, so every file reaches the issue's ~50 lines (483k lines, 14.7 MB for 10,000 files). */
const moreUnrelated = (i: number) => `resource "aws_sns_topic" "alerts_${i}" {
  name              = "alerts-${i}"
  kms_master_key_id = "alias/aws/sns"
  tags = {
    Team = "team-${i % 5}"
  }
}

resource "aws_dynamodb_table" "table_${i}" {
  name         = "table-${i}"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"

  attribute {
    name = "pk"
    type = "S"
  }

  point_in_time_recovery {
    enabled = true
  }
}
`;

/** Writes `count` Terraform files (~50 lines each) into `dir`: a third Lambda, a third IAM, a third unrelated. */
export function generateCorpus(dir: string, count: number): { files: number; lines: number; bytes: number } {
  const next = random(42);
  let lines = 0;
  let bytes = 0;
  for (let i = 0; i < count; i++) {
    const folder = join(dir, `stack-${Math.floor(i / 50)}`);
    if (i % 50 === 0) mkdirSync(folder, { recursive: true });
    const open = next() < 0.1;
    const kind = i % 3;
    // Every file also holds unrelated resources, as real stacks do; every file is valid HCL.
    const text = kind === 0 ? `${lambda(i, open)}\n${unrelated(i)}` : kind === 1 ? `${iam(i, open)}\n${moreUnrelated(i)}` : `${unrelated(i)}\n${moreUnrelated(i)}`;
    writeFileSync(join(folder, `file-${i}.tf`), text);
    lines += text.split('\n').length;
    bytes += Buffer.byteLength(text);
  }
  return { files: count, lines, bytes };
}
