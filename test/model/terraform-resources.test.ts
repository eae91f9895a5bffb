import { describe, expect, it } from '@jest/globals';
import { buildModel } from '../../src/model/build-model.js';
import { flatCopy, internType, ownedString } from '../../src/model/terraform/intern.js';
import { addTerraformPosture, POSTURE_TYPES } from '../../src/model/terraform/posture.js';
import type { TerraformResourceView } from '../../src/model/terraform/resources.js';
import { emptyModel } from '../../src/model/types.js';
import { parseText } from '../../src/parse/parse-file.js';

const range = { file: 'main.tf', line: 1, column: 1, endLine: 1, endColumn: 2 };

describe('Terraform resources in the model', () => {
  it('records every resource, and models only the types rules read beyond their entry', async () => {
    const text = [
      'resource "aws_s3_bucket" "data" {\n  bucket = "data"\n}',
      'resource "aws_lambda_function" "fn" {\n  function_name = "fn"\n  role = aws_iam_role.r.arn\n}',
      'resource "aws_sqs_queue" "q" {\n  name = "q"\n}',
      'module "m" {\n  source = "./m"\n}',
    ].join('\n');
    const module = 'resource "aws_lambda_permission" "p" {\n  function_name = "fn"\n  principal = "*"\n}\nresource "aws_cloudwatch_log_group" "l" {}\n';
    const model = buildModel([await parseText('terraform-hcl', 'main.tf', text), await parseText('terraform-hcl', 'm/main.tf', module)]);
    expect([...model.resources].map((r) => [r.address, r.sourceType, r.arnExpression])).toEqual([
      ['aws_s3_bucket.data', 'aws_s3_bucket', 'aws_s3_bucket.data.arn'],
      ['aws_lambda_function.fn', 'aws_lambda_function', 'aws_lambda_function.fn.arn'],
      ['aws_sqs_queue.q', 'aws_sqs_queue', 'aws_sqs_queue.q.arn'],
      ['module.m.aws_lambda_permission.p', 'aws_lambda_permission', 'aws_lambda_permission.p.arn'],
      ['module.m.aws_cloudwatch_log_group.l', 'aws_cloudwatch_log_group', 'aws_cloudwatch_log_group.l.arn'],
    ]);
    expect(model.functions.map((f) => [f.address, f.functionName?.value, f.role?.value.kind])).toEqual([['aws_lambda_function.fn', { kind: 'string', value: 'fn', range: expect.anything() }, 'unknown']]);
    // `root`: the root module folder whose call made the instance ('.': main.tf's folder).
    expect(model.permissions.map((p) => [p.address, p.root, Object.keys(p)])).toEqual([
      ['module.m.aws_lambda_permission.p', '.', ['address', 'sourceType', 'range', 'arnExpression', 'root', 'principal', 'functionName']],
    ]);
    expect(model.posture).toBeUndefined();
  });

  it('lists exactly the types the posture mapping takes', () => {
    const view = (type: string): TerraformResourceView => ({ address: `${type}.x`, type, name: 'x', range, attribute: () => undefined, blocks: () => [] });
    const base = { address: 'x', sourceType: 'x', range };
    for (const type of POSTURE_TYPES) expect([type, addTerraformPosture(emptyModel(), view(type), base)]).toEqual([type, true]);
    expect(addTerraformPosture(emptyModel(), view('aws_s3_bucket'), base)).toBe(false);
  });

  it('interns types as copies with the same characters', () => {
    const text = 'resource "aws_lambda_permission" "p" {}';
    const sliced = text.slice(10, 31);
    expect(internType(sliced)).toBe('aws_lambda_permission');
    expect(internType('aws_lambda_permission')).toBe(internType(sliced));
    for (const s of ['', 'a', 'é€😀', '\ud800lone', 'x'.repeat(100)]) {
      expect(flatCopy(s)).toBe(s);
      expect(ownedString(s)).toBe(s);
    }
  });
});
