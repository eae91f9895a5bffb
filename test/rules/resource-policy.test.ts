import { describe, expect, it } from '@jest/globals';
import { policiesToCheck } from '../../src/analyzer/policies.js';
import { loadModel } from '../../src/scan.js';
import { REPO_ROOT, scanPaths } from '../helpers/scan.js';

/** [ruleId, resource, line] of every finding in a path. */
async function found(path: string): Promise<Array<[string, string, number]>> {
  const { findings } = await scanPaths(path);
  return findings.map((f) => [f.ruleId, f.resource, f.range.line]);
}

/**
 * A whole resource policy put on a function (PutResourcePolicy, Aug 2026): `aws_lambda_resource_policy` and
 * `AWS::Lambda::ResourcePolicy`. Each Allow statement is an invoke grant like a permission, read by the IG1xx rules.
 */
describe('Lambda resource policies (PutResourcePolicy)', () => {
  it('Terraform: a policy document to "*", an unpinned service, jsonencode with lambda:*, and Allow with NotPrincipal', async () => {
    expect(await found('test/fixtures/resource-policy/fail.tf')).toEqual([
      ['IG101', 'aws_lambda_resource_policy.document', 19],
      ['IG102', 'aws_lambda_resource_policy.document', 27],
      ['IG101', 'aws_lambda_resource_policy.encoded', 40],
      ['IG105', 'aws_lambda_resource_policy.encoded', 41],
      ['IG101', 'aws_lambda_resource_policy.not_principal', 55],
    ]);
  });

  it('CloudFormation: a policy object to "*", and a JSON-text policy on "*" put on the function', async () => {
    expect(await found('test/fixtures/resource-policy/fail.cfn.yaml')).toEqual([
      ['IG101', 'Public', 21],
      ['IG102', 'AsText', 28],
    ]);
  });

  it('Terraform JSON and plans', async () => {
    expect(await found('test/fixtures/resource-policy/fail.tf.json')).toEqual([['IG101', 'aws_lambda_resource_policy.orders', 6]]);
    expect(await found('test/fixtures/resource-policy/fail.plan.json')).toEqual([['IG101', 'aws_lambda_resource_policy.orders', 15]]);
  });

  it('reports nothing for pinned services, "*" kept to the organisation, own-account roots and Deny statements', async () => {
    expect(await found('test/fixtures/resource-policy/pass.tf')).toEqual([]);
    expect(await found('test/fixtures/resource-policy/pass.cfn.yaml')).toEqual([]);
  });

  it('names the function the policy is put on, and suggests in the statement syntax', async () => {
    const { findings } = await scanPaths('test/fixtures/resource-policy/fail.tf');
    expect(findings[0].message).toContain('invoke aws_lambda_function.api');
    expect(findings[1].fix?.description).toContain('a condition block with test = "StringEquals", variable = "AWS:SourceAccount"');
    expect(findings[3].fix?.description).toBe("Narrow the statement's Action to lambda:InvokeFunction.");
    expect(findings[3].fix?.changes ?? []).toEqual([]);
  });

  it('sends the policy to Access Analyzer as written, as a public-access check of a Lambda resource policy', async () => {
    const { model } = await loadModel({ paths: ['test/fixtures/resource-policy/fail.cfn.yaml'], cwd: REPO_ROOT });
    const checked = policiesToCheck(model).filter((p) => p.address === 'Public');
    expect(checked).toHaveLength(1);
    expect(checked[0]).toMatchObject({ policyType: 'RESOURCE_POLICY', access: 'public' });
  });
});
