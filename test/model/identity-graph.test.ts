import { describe, expect, it } from '@jest/globals';
import { identityGraph } from '../../src/model/identity-graph.js';
import { loadModel } from '../../src/scan.js';
import { REPO_ROOT } from '../helpers/scan.js';

/** The graph as plain data: per identity, its policies (address:line, via group), groups, functions, unresolved attachments. */
async function graphOf(path: string) {
  const { model } = await loadModel({ paths: [path], cwd: REPO_ROOT });
  const graph = identityGraph(model);
  return Object.fromEntries(
    graph.nodes.map((n) => [
      n.identity.address,
      {
        kind: n.identity.kind,
        executionRole: n.executionRole,
        functions: n.functions.map((f) => f.address),
        groups: n.groups.map((g) => g.address),
        policies: n.policies.map((e) => `${e.policy.address}:${e.policy.range.line}${e.via ? ` via ${e.via.address}` : ''}`),
        unresolved: n.unresolved.map((a) => a.address),
      },
    ]),
  );
}

describe('identity graph', () => {
  it('Terraform: inline, attached (by reference, AWS managed ARN, and by ARN name), group-inherited policies; execution roles', async () => {
    expect(await graphOf('test/fixtures/identity/graph.tf')).toEqual({
      'aws_iam_role.exec': {
        kind: 'role',
        executionRole: true,
        functions: ['aws_lambda_function.worker'],
        groups: [],
        policies: ['aws_iam_role.exec:9', 'aws_iam_role_policy.exec_extra:25', 'aws_iam_role_policy_attachment.exec_admin:39'],
        unresolved: ['aws_iam_role_policy_attachment.exec_unknown'],
      },
      'aws_iam_role.ci': { kind: 'role', executionRole: false, functions: [], groups: [], policies: ['aws_iam_policy.deploy:32'], unresolved: [] },
      'aws_iam_group.devs': { kind: 'group', executionRole: false, functions: [], groups: [], policies: ['aws_iam_group_policy.devs_read:66', 'aws_iam_policy.deploy:32'], unresolved: [] },
      'aws_iam_user.alice': {
        kind: 'user',
        executionRole: false,
        functions: [],
        groups: ['aws_iam_group.devs'],
        policies: ['aws_iam_group_policy.devs_read:66 via aws_iam_group.devs', 'aws_iam_policy.deploy:32 via aws_iam_group.devs'],
        unresolved: [],
      },
      'aws_iam_user.bob': {
        kind: 'user',
        executionRole: false,
        functions: [],
        groups: ['aws_iam_group.devs'],
        policies: ['aws_iam_policy.deploy:32', 'aws_iam_group_policy.devs_read:66 via aws_iam_group.devs'],
        unresolved: [],
      },
    });
  });

  it('CloudFormation/SAM: Policies, ManagedPolicyArns (!Ref and AWS managed), AWS::IAM::Policy Roles/Users, Groups, UserToGroupAddition, the SAM implicit role', async () => {
    expect(await graphOf('test/fixtures/identity/graph.cfn.yaml')).toEqual({
      ExecRole: {
        kind: 'role',
        executionRole: true,
        functions: ['Worker'],
        groups: [],
        policies: ['ExecRole:18', 'ExecRole:26', 'Extra:36', 'Deploy:27'],
        unresolved: [],
      },
      Devs: { kind: 'group', executionRole: false, functions: [], groups: [], policies: ['Deploy:27'], unresolved: [] },
      Carol: { kind: 'user', executionRole: false, functions: [], groups: ['Devs'], policies: ['Extra:36', 'Deploy:27 via Devs'], unresolved: [] },
      Dave: { kind: 'user', executionRole: false, functions: [], groups: ['Devs'], policies: ['Deploy:27 via Devs'], unresolved: [] },
      ApiRole: { kind: 'role', executionRole: true, functions: ['Api'], groups: [], policies: ['Api:69', 'Api:70'], unresolved: [] },
    });
  });
  it('CloudFormation nested stacks: a root and what it nests are one stack; roles and policies pass between them through parameters and outputs', async () => {
    expect(await graphOf('test/fixtures/nested-stacks/tree')).toEqual({
      // Worker/Helper's Role is the parent's HandlerRole, passed as the parameter HelperRoleArn.
      HandlerRole: { kind: 'role', executionRole: true, functions: ['Handler', 'Worker/Helper'], groups: [], policies: [], unresolved: [] },
      Caller: { kind: 'role', executionRole: false, functions: [], groups: [], policies: ['Caller:37'], unresolved: [] },
      // The parent's WorkerAdmin names the child's role through the output WorkerRoleName.
      'Worker/WorkerRole': { kind: 'role', executionRole: true, functions: ['Worker/WorkerFn'], groups: [], policies: ['WorkerAdmin:43', 'Worker/WorkerRole:35'], unresolved: [] },
    });
  });
});
