import { describe, expect, it } from '@jest/globals';
import { scan } from '../../src/scan.js';
import { REPO_ROOT, ruleTriples } from '../helpers/scan.js';

/** Identity-graph rules: each failing fixture pins [rule, resource, line] exactly; passing fixtures fire nothing. */
type Ext = 'tf' | 'cfn.yaml' | 'cfn.json' | 'sam.yaml';
const EXPECTED: Record<string, Partial<Record<Ext, Array<[string, string, number]>>>> = {
  IG204: {
    tf: [
      ['IG204', 'aws_iam_role.deployer', 2],
      ['IG204', 'aws_iam_user.ci', 29],
      ['IG204', 'aws_iam_group.devs', 41],
      ['IG204', 'aws_iam_role.app_deployer', 68],
      ['IG204', 'aws_iam_role.team_deployer', 86],
      ['IG204', 'aws_iam_role.orders_ci', 105],
      ['IG204', 'aws_iam_role.app_policy_writer', 131],
      ['IG204', 'aws_iam_role.team_policy_writer', 148],
      // No iam:PassRole: replaces the code of a function that runs as an administrator, and invokes it.
      ['IG204', 'aws_iam_user.janitor_dev', 166],
    ],
    'cfn.yaml': [
      ['IG204', 'Deployer', 3],
      ['IG204', 'Ci', 28],
      ['IG204', 'AppDeployer', 41],
    ],
  },
  IG301: {
    tf: [
      ['IG301', 'aws_iam_role.admin_exec', 19],
      ['IG301', 'aws_iam_role.dynamo_exec', 30],
      ['IG301', 'aws_iam_role.power_exec', 47],
      // The AWS managed IAMFullAccess: iam:* on *.
      ['IG301', 'aws_iam_role.iam_admin_exec', 54],
      ['IG301', 'aws_iam_role.star_colon_star_exec', 65],
      ['IG301', 'aws_iam_role.service_glob_exec', 74],
    ],
    'cfn.yaml': [
      ['IG301', 'AdminExec', 4],
      ['IG301', 'Star', 15],
      ['IG301', 'SamPowerRole', 31],
    ],
  },
  IG302: {
    tf: [
      ['IG302', 'aws_iam_role.shared', 8],
      ['IG302', 'aws_iam_role.with_account', 21],
      ['IG302', 'aws_iam_role.ecs_task', 31],
      ['IG302', 'aws_iam_role.anyone', 46],
    ],
    'cfn.yaml': [
      ['IG302', 'Shared', 11],
      ['IG302', 'Everyone', 24],
      ['IG302', 'GeneratedWithCustomTrust', 33],
    ],
    'sam.yaml': [['IG302', 'WorkerRole', 15]],
  },
  IG303: {
    tf: [
      ['IG303', 'aws_iam_role.plain', 3],
      ['IG303', 'aws_iam_role.negated', 21],
      ['IG303', 'aws_iam_role.heredoc', 37],
      ['IG303', 'aws_iam_role.listed', 56],
      ['IG303', 'aws_iam_role.any_account', 74],
    ],
    'cfn.yaml': [
      ['IG303', 'Plain', 9],
      ['IG303', 'Regional', 19],
    ],
    'cfn.json': [
      ['IG303', 'Plain', 10],
      ['IG303', 'Negated', 21],
      // Tagged lambda:createdBy by a tool other than SAM: the user's role.
      ['IG303', 'TaggedByAnotherTool', 38],
    ],
    'sam.yaml': [['IG303', 'WorkerRole', 14]],
  },
};

describe.each(Object.keys(EXPECTED))('%s fixtures', (rule) => {
  const exts = Object.keys(EXPECTED[rule]) as Ext[];
  it.each(exts)('fails exactly the failing principals, at their lines (%s)', async (ext) => {
    expect(await ruleTriples(rule, `test/fixtures/${rule}/fail.${ext}`)).toEqual(EXPECTED[rule][ext]);
  });
  it.each(exts)('passes the passing fixture (%s)', async (ext) => {
    expect(await ruleTriples(rule, `test/fixtures/${rule}/pass.${ext}`)).toEqual([]);
  });
});

describe('IG204 acceptance', () => {
  it('reports the KICS-style split once, on the role, naming the inline and the attached policy', async () => {
    const { findings } = await scan({ paths: ['test/fixtures/IG204/fail.tf'], cwd: REPO_ROOT });
    const onRole = findings.filter((f) => f.ruleId === 'IG204' && f.resource === 'aws_iam_role.deployer');
    expect(onRole).toHaveLength(1);
    expect(onRole[0].message).toContain('aws_iam_role_policy.deployer_lambda (test/fixtures/IG204/fail.tf:9)');
    expect(onRole[0].message).toContain('aws_iam_policy.pass_any_role (test/fixtures/IG204/fail.tf:16)');
    expect(onRole[0].severity).toBe('critical');
  });
  it('reports the tag-based deployer naming the tag and its statements, and the CI deployer of a deployed function as high', async () => {
    const { findings } = await scan({ paths: ['test/fixtures/IG204/fail.tf'], cwd: REPO_ROOT });
    const on = (resource: string) => findings.filter((f) => f.ruleId === 'IG204' && f.resource === resource);
    expect(on('aws_iam_role.team_deployer').map((f) => f.severity)).toEqual(['critical']);
    expect(on('aws_iam_role.team_deployer')[0].message).toContain(
      'tagging the function it creates team = `${aws:PrincipalTag/team}` (allowed by statement "CreateOwnTeam" (test/fixtures/IG204/fail.tf:96)) to meet the aws:ResourceTag/team condition of statement "InvokeOwnTeam" (test/fixtures/IG204/fail.tf:97)',
    );
    expect(on('aws_iam_role.orders_ci').map((f) => f.severity)).toEqual(['high']);
  });
  it('leaves administrators (* on *) to IG202/IG301: they have nothing to escalate to', async () => {
    expect(await ruleTriples('IG204', 'test/fixtures/IG301/fail.tf')).toEqual([]);
  });
  it('does not report a user again who has the escalation only through a reported group', async () => {
    expect((await ruleTriples('IG204', 'test/fixtures/IG204/fail.tf')).map(([, resource]) => resource)).not.toContain('aws_iam_user.dana');
  });
});

describe('examples', () => {
  it('the vulnerable examples show the identity rules; the fixed ones stay clean of them', async () => {
    expect((await ruleTriples('IG204', 'examples/cloudformation/vulnerable')).concat(await ruleTriples('IG303', 'examples/cloudformation/vulnerable'))).toEqual([
      ['IG204', 'Deployer', 48],
      ['IG303', 'OrdersRole', 37],
    ]);
    expect(await ruleTriples('IG303', 'examples/terraform/vulnerable')).toEqual([['IG303', 'aws_iam_role.orders', 17]]);
    const { findings } = await scan({ paths: ['examples/cdktf/fixed', 'examples/cloudformation/fixed', 'examples/iam/fixed', 'examples/plan/fixed', 'examples/sam/fixed', 'examples/terraform/fixed'], cwd: REPO_ROOT });
    expect(findings).toEqual([]);
  });
});
