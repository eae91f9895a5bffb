import { describe, expect, it } from '@jest/globals';
import { scan } from '../../src/scan.js';
import { REPO_ROOT, ruleTriples as triples } from '../helpers/scan.js';

/** Each guardrail rule's failing fixtures pin [rule, resource, line]; passing fixtures fire nothing for the rule. */
const FAILING: Record<string, Record<string, Array<[string, string, number]>>> = {
  IG401: {
    'fail.tf': [['IG401', 'aws_organizations_organization.org', 1]],
    'fail.cfn.yaml': [['IG401', 'Org', 3]],
    'scps/fail.json': [['IG401', 'test/fixtures/IG401/scps/fail.json', 1]],
  },
  // The account left directly under the root, where no guardrail is attached.
  IG402: { 'fail.tf': [['IG402', 'aws_organizations_account.legacy', 13]] },
  IG403: { 'fail.tf': [['IG403', 'aws_organizations_organization.org', 1]], 'fail.cfn.yaml': [['IG403', 'Org', 3]] },
  IG404: {
    'fail.tf': [
      ['IG404', 'aws_organizations_policy.defects', 14],
      ['IG404', 'aws_organizations_policy.defects', 15],
      ['IG404', 'aws_organizations_policy.defects', 21],
      ['IG404', 'aws_organizations_policy.forgotten', 33],
    ],
    'fail.cfn.yaml': [
      ['IG404', 'NotAttached', 5],
      ['IG404', 'NotAttached', 15],
    ],
    'scps/fail.json': [['IG404', 'test/fixtures/IG404/scps/fail.json', 8]],
  },
  IG405: { 'fail.tf': [['IG405', 'aws_organizations_organization.org', 1]] },
  IG501: { 'fail.tf': [['IG501', 'aws_cloudtrail.org', 5]], 'fail.cfn.yaml': [['IG501', 'Trail', 5]] },
  IG502: { 'fail.tf': [['IG502', 'aws_guardduty_detector.main', 5]], 'fail.cfn.yaml': [['IG502', 'Detector', 10]] },
  IG503: { 'fail.tf': [['IG503', 'aws_organizations_organization.org', 1]], 'fail.cfn.yaml': [['IG503', 'Org', 3]] },
  IG504: { 'fail.tf': [['IG504', 'aws_cloudwatch_log_metric_filter.lambda', 5]], 'fail.cfn.yaml': [['IG504', 'Filter', 6]] },
  IG505: { 'fail.tf': [['IG505', 'aws_securityhub_account.main', 5]], 'fail.cfn.yaml': [['IG505', 'Hub', 5]] },
};

const cases = Object.entries(FAILING).flatMap(([rule, files]) => Object.entries(files).map(([file, expected]) => [rule, file, expected] as const));

describe.each(cases)('%s %s', (rule, file, expected) => {
  it('fails exactly the expected resources, at their lines', async () => {
    expect(await triples(rule, `test/fixtures/${rule}/${file}`)).toEqual(expected);
  });
  it('the passing twin fires nothing', async () => {
    expect(await triples(rule, `test/fixtures/${rule}/${file.replace('fail', 'pass')}`)).toEqual([]);
  });
});

describe('guardrail messages', () => {
  it('names the scenario that gets through and the target it gets through on', async () => {
    const { findings } = await scan({ paths: ['test/fixtures/IG402/fail.tf'], cwd: REPO_ROOT });
    const [finding] = findings.filter((f) => f.ruleId === 'IG402');
    expect(finding.message).toContain('lambda:AddPermission with Principal');
    expect(finding.message).toContain('aws_organizations_account.legacy (account)');
    expect(finding.message).not.toContain('aws_organizations_account.app');
    // The fix is the guardrail: the SCP and its attachment in both formats.
    expect(JSON.parse(finding.guardrail!.scp).Statement[0].Sid).toBe('DenyPublicLambdaPermissions');
    expect(finding.guardrail!.terraform).toContain('resource "aws_organizations_policy_attachment"');
    expect(finding.guardrail!.cloudformation).toContain('AWS::Organizations::Policy');
  });
});

describe('guardrail rules stay silent in application repositories', () => {
  const APP_PATHS = [
    'examples/terraform', 'examples/cloudformation', 'examples/sam', 'examples/cdktf', 'examples/plan',
    ...['IG101', 'IG102', 'IG103', 'IG104', 'IG105', 'IG201', 'IG202', 'IG203', 'IG205', 'IG901', 'IG902'].map((r) => `test/fixtures/${r}`),
  ];
  it.each(APP_PATHS)('%s: no IG4xx/IG5xx finding', async (path) => {
    const { findings } = await scan({ paths: [path], cwd: REPO_ROOT });
    expect(findings.filter((f) => /^IG[45]/.test(f.ruleId))).toEqual([]);
  });

  it('--guardrails runs them anyway, on the scan\'s first resource', async () => {
    const { findings } = await scan({ paths: ['examples/terraform/fixed'], cwd: REPO_ROOT, guardrails: true });
    const ids = [...new Set(findings.map((f) => f.ruleId))];
    expect(ids).toEqual(expect.arrayContaining(['IG401', 'IG402', 'IG403', 'IG405', 'IG501', 'IG502', 'IG503', 'IG504', 'IG505']));
    expect(findings.every((f) => f.range.line >= 1 && f.resource !== '')).toBe(true);
  });

  it('SCP files alone run the preventive rules but not the detective ones', async () => {
    const { findings } = await scan({ paths: ['test/fixtures/IG401/scps/fail.json'], cwd: REPO_ROOT });
    expect(findings.some((f) => f.ruleId === 'IG401')).toBe(true);
    expect(findings.filter((f) => /^IG5/.test(f.ruleId))).toEqual([]);
  });
});

describe('examples/organization', () => {
  it('the vulnerable organisation fires every guardrail rule, each on the resource that should carry it', async () => {
    const { findings } = await scan({ paths: ['examples/organization/vulnerable'], cwd: REPO_ROOT });
    expect(findings.map((f) => [f.ruleId, f.resource, f.range.line])).toEqual([
      ['IG401', 'aws_organizations_organization.org', 2],
      ['IG402', 'aws_organizations_organization.org', 2],
      ['IG403', 'aws_organizations_organization.org', 2],
      ['IG405', 'aws_organizations_organization.org', 2],
      ['IG503', 'aws_organizations_organization.org', 2],
      ['IG504', 'aws_organizations_organization.org', 2],
      ['IG505', 'aws_organizations_organization.org', 2],
      ['IG404', 'aws_organizations_policy.lambda', 22],
      ['IG404', 'aws_organizations_policy.perimeter', 42],
      ['IG501', 'aws_cloudtrail.org', 59],
      ['IG502', 'aws_guardduty_detector.main', 65],
    ]);
  });
  it('the fixed organisation (the emitted set, placeholders filled) is finding-free', async () => {
    const { findings } = await scan({ paths: ['examples/organization/fixed'], cwd: REPO_ROOT });
    expect(findings).toEqual([]);
  });
});
