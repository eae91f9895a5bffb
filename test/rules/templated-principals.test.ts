import { describe, expect, it } from '@jest/globals';
import { scan } from '../../src/scan.js';
import { REPO_ROOT } from '../helpers/scan.js';

/** The findings of some rules in one fixture, as [rule, resource, line, severity]. */
async function findings(path: string, rules: readonly string[]) {
  const { findings } = await scan({ paths: [path], cwd: REPO_ROOT });
  return findings.filter((f) => rules.includes(f.ruleId)).map((f) => [f.ruleId, f.resource, f.range.line, f.severity]);
}

const EXECUTION_ROLE_RULES = ['IG301', 'IG302', 'IG303'];

describe('Lambda trust written partition-aware is Lambda', () => {
  it('CloudFormation: !Sub "lambda.${AWS::URLSuffix}" makes an execution role: admin (IG301), "*" beside it (critical IG302), no source condition (IG303)', async () => {
    expect(await findings('test/fixtures/IG302/fail-partition-lambda.cfn.yaml', EXECUTION_ROLE_RULES)).toEqual([
      ['IG301', 'PartitionAware', 5, 'high'],
      ['IG303', 'PartitionAware', 10, 'low'],
      ['IG302', 'PartitionAware', 14, 'critical'],
      // China's lambda.amazonaws.com.cn is Lambda too; ec2 beside it is another trustee.
      ['IG302', 'ChinaPartition', 24, 'medium'],
    ]);
  });

  it('Terraform: "lambda.${data.aws_partition.current.dns_suffix}" the same', async () => {
    expect(await findings('test/fixtures/IG302/fail-partition-lambda.tf', EXECUTION_ROLE_RULES)).toEqual([
      ['IG301', 'aws_iam_role.partition_aware', 4, 'high'],
      ['IG303', 'aws_iam_role.partition_aware', 8, 'low'],
      ['IG302', 'aws_iam_role.partition_aware', 9, 'critical'],
    ]);
  });

  it('is not reported as another principal the execution role trusts', async () => {
    for (const path of ['test/fixtures/IG302/pass-partition-lambda.cfn.yaml', 'test/fixtures/IG302/pass-partition-lambda.tf'])
      expect(await findings(path, EXECUTION_ROLE_RULES)).toEqual([]);
  });
});

describe('IG102: service principals written as templates', () => {
  it('CloudFormation: !Sub regional and partition-aware services, and !Join, are unpinned services at their Principal', async () => {
    expect(await findings('test/fixtures/IG102/fail-templated-service.cfn.yaml', ['IG102'])).toEqual([
      ['IG102', 'RegionalLogs', 15, 'high'],
      ['IG102', 'PartitionAwareS3', 21, 'high'],
      ['IG102', 'JoinedSns', 28, 'high'],
    ]);
  });

  it('Terraform: interpolated region and DNS suffix', async () => {
    expect(await findings('test/fixtures/IG102/fail-templated-service.tf', ['IG102'])).toEqual([
      ['IG102', 'aws_lambda_permission.regional_logs', 12, 'high'],
      ['IG102', 'aws_lambda_permission.partition_aware_s3', 18, 'high'],
    ]);
  });

  it('names the service as written, and finds its trigger by the service it is', async () => {
    const { findings: found } = await scan({ paths: ['test/fixtures/IG102/fail-templated-service.cfn.yaml'], cwd: REPO_ROOT });
    const s3 = found.find((f) => f.resource === 'PartitionAwareS3')!;
    expect(s3.message).toContain('lets s3.${AWS::URLSuffix} invoke');
    expect(s3.evidence).toBe('principal = "s3.${AWS::URLSuffix}"');
    expect(s3.suggestion).toContain('!GetAtt Uploads.Arn');
  });

  it('is silent when they are pinned, and an account root written as a template stays an account', async () => {
    for (const path of ['test/fixtures/IG102/pass-templated-service.cfn.yaml', 'test/fixtures/IG102/pass-templated-service.tf'])
      expect(await findings(path, ['IG102'])).toEqual([]);
  });
});
