import { describe, expect, it } from '@jest/globals';
import { scan } from '../../src/scan.js';
import { tempTree } from '../helpers/temp-tree.js';

/**
 * The AWS provider sends an optional aws_lambda_permission argument only when `d.GetOk` reports it set, and GetOk
 * reports "" as unset: `principal_org_id = ""` leaves a grant to "*" public, `event_source_token = ""` leaves an
 * Alexa grant open to every skill. The model reads "" as absent, in HCL, tf.json and plans alike.
 */
const HCL = `variable "org" {
  default = ""
}

resource "aws_lambda_permission" "star_org_empty" {
  action           = "lambda:InvokeFunction"
  function_name    = "orders"
  principal        = "*"
  principal_org_id = ""
}

resource "aws_lambda_permission" "star_org_var" {
  action           = "lambda:InvokeFunction"
  function_name    = "orders"
  principal        = "*"
  principal_org_id = var.org
}

resource "aws_lambda_permission" "alexa_empty" {
  action             = "lambda:InvokeFunction"
  function_name      = "orders"
  principal          = "alexa-appkit.amazon.com"
  event_source_token = ""
}

resource "aws_lambda_permission" "sns_account_empty" {
  action         = "lambda:InvokeFunction"
  function_name  = "orders"
  principal      = "sns.amazonaws.com"
  source_account = ""
}

resource "aws_lambda_permission" "s3_arn_empty" {
  action        = "lambda:InvokeFunction"
  function_name = "orders"
  principal     = "s3.amazonaws.com"
  source_arn    = ""
}

# Set: not reported.
resource "aws_lambda_permission" "star_org_set" {
  action           = "lambda:InvokeFunction"
  function_name    = "orders"
  principal        = "*"
  principal_org_id = "o-abcdef1234"
}

resource "aws_lambda_permission" "alexa_set" {
  action             = "lambda:InvokeFunction"
  function_name      = "orders"
  principal          = "alexa-appkit.amazon.com"
  event_source_token = "amzn1.ask.skill.1234"
}
`;

function planResource(name: string, values: Record<string, string | null>): unknown {
  const all = { action: 'lambda:InvokeFunction', event_source_token: null, function_name: 'orders', function_url_auth_type: null, principal_org_id: null, qualifier: null, source_account: null, source_arn: null, statement_id: name, ...values };
  return { address: `aws_lambda_permission.${name}`, mode: 'managed', type: 'aws_lambda_permission', name, values: all, sensitive_values: {} };
}

const PLAN = JSON.stringify(
  {
    format_version: '1.2',
    planned_values: {
      root_module: {
        resources: [
          planResource('star_org_empty', { principal: '*', principal_org_id: '' }),
          planResource('alexa_empty', { principal: 'alexa-appkit.amazon.com', event_source_token: '' }),
          planResource('star_org_set', { principal: '*', principal_org_id: 'o-abcdef1234' }),
        ],
      },
    },
  },
  null,
  2,
);

const TF_JSON = JSON.stringify(
  {
    resource: {
      aws_lambda_permission: {
        star_org_empty: { action: 'lambda:InvokeFunction', function_name: 'orders', principal: '*', principal_org_id: '' },
        alexa_empty: { action: 'lambda:InvokeFunction', function_name: 'orders', principal: 'alexa-appkit.amazon.com', event_source_token: '' },
      },
    },
  },
  null,
  2,
);

async function invokeFindings(files: Record<string, string>) {
  const { findings } = await scan({ paths: ['.'], cwd: tempTree(files) });
  return findings.filter((f) => f.ruleId === 'IG101' || f.ruleId === 'IG102');
}

describe('empty optional aws_lambda_permission arguments', () => {
  it('reads "" (literal or a variable default) as unset in HCL: public and unpinned grants are reported at the principal', async () => {
    const findings = await invokeFindings({ 'main.tf': HCL });
    expect(findings.map((f) => [f.ruleId, f.resource, f.range.line])).toEqual([
      ['IG101', 'aws_lambda_permission.star_org_empty', 8],
      ['IG101', 'aws_lambda_permission.star_org_var', 15],
      ['IG102', 'aws_lambda_permission.alexa_empty', 22],
      ['IG102', 'aws_lambda_permission.sns_account_empty', 29],
      ['IG102', 'aws_lambda_permission.s3_arn_empty', 36],
    ]);
    expect(findings[0].message).toBe('aws_lambda_permission.star_org_empty lets any AWS principal ("*") invoke orders: it has no source account and no source ARN and no organisation id.');
    expect(findings[2].message).toBe('aws_lambda_permission.alexa_empty lets any Alexa skill (alexa-appkit.amazon.com) invoke orders: it has no event source token (the skill id).');
    expect(findings[4].message).toBe('aws_lambda_permission.s3_arn_empty lets s3.amazonaws.com invoke orders for a resource in any account: it has no source account and no source ARN.');
  });

  it('fixes an empty source_account in place rather than adding a second one', async () => {
    const { findings } = await scan({ paths: ['.'], cwd: tempTree({ 'main.tf': HCL }), config: { file: 'test', rules: {}, accounts: ['111122223333'], cidrs: [], include: [], exclude: [] } });
    const sns = findings.find((f) => f.ruleId === 'IG102' && f.resource === 'aws_lambda_permission.sns_account_empty');
    expect(sns?.fix?.edits).toHaveLength(1);
    const [edit] = sns!.fix!.edits;
    // The edit replaces the empty value of line 30's `source_account = ""`.
    expect(HCL.slice(0, edit.start).split('\n')).toHaveLength(30);
    expect(HCL.slice(edit.start - 'source_account = '.length, edit.end)).toBe('source_account = ""');
    expect(edit.text).toBe('"111122223333"');
  });

  it('reads "" as unset in a plan and in tf.json', async () => {
    const findings = await invokeFindings({ 'plan.json': PLAN, 'main.tf.json': TF_JSON });
    expect(findings.map((f) => [f.ruleId, f.range.file, f.resource])).toEqual([
      ['IG101', 'main.tf.json', 'aws_lambda_permission.star_org_empty'],
      ['IG102', 'main.tf.json', 'aws_lambda_permission.alexa_empty'],
      ['IG101', 'plan.json', 'aws_lambda_permission.star_org_empty'],
      ['IG102', 'plan.json', 'aws_lambda_permission.alexa_empty'],
    ]);
  });
});

describe('IG105 in a plan', () => {
  it('narrows a grant whose plan writes function_url_auth_type = null to lambda:InvokeFunction, not the function URL action', async () => {
    const plan = JSON.stringify({ format_version: '1.2', planned_values: { root_module: { resources: [planResource('everything', { action: 'lambda:*', principal: 'sns.amazonaws.com', source_account: '111122223333' })] } } }, null, 2);
    const { findings } = await scan({ paths: ['.'], cwd: tempTree({ 'plan.json': plan }) });
    const ig105 = findings.filter((f) => f.ruleId === 'IG105');
    expect(ig105.map((f) => [f.resource, f.fix?.description])).toEqual([['aws_lambda_permission.everything', 'Narrow action to lambda:InvokeFunction. Not applied by --fix: a Terraform plan is generated output: fix the Terraform source it was planned from.']]);
  });
});
