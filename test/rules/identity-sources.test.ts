import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { identityGraph } from '../../src/model/identity-graph.js';
import { loadModel, scan } from '../../src/scan.js';
import { REPO_ROOT } from '../helpers/scan.js';

/** The identity and execution-role rules these fixtures exercise (trust and guardrail rules are pinned elsewhere). */
const RULES = new Set(['IG201', 'IG202', 'IG203', 'IG204', 'IG205', 'IG301']);

async function findings(path: string): Promise<Array<[string, string, number]>> {
  const { findings: all } = await scan({ paths: [path], cwd: REPO_ROOT });
  return all.filter((f) => RULES.has(f.ruleId)).map((f) => [f.ruleId, f.resource, f.range.line]);
}

const FIXTURES = 'test/fixtures/identity-sources';

describe('data "aws_iam_policy" naming an AWS managed policy', () => {
  it('is read by name, by ARN (any partition) and by name under a path prefix, at the line that uses it', async () => {
    expect(await findings(`${FIXTURES}/managed-data/fail.tf`)).toEqual([
      ['IG301', 'aws_iam_role.exec', 16],
      ['IG201', 'aws_iam_role_policy_attachment.exec_admin', 23],
      ['IG202', 'aws_iam_role_policy_attachment.exec_admin', 23],
      ['IG205', 'aws_iam_role_policy_attachment.exec_admin', 23],
      ['IG204', 'aws_iam_user.ops', 31],
      ['IG201', 'aws_iam_user_policy_attachment.ops', 37],
      ['IG202', 'aws_iam_user_policy_attachment.ops', 37],
      ['IG205', 'aws_iam_user_policy_attachment.ops', 37],
      // `.policy`: the document, as an inline policy's text.
      ['IG201', 'aws_iam_group_policy.callers', 52],
      // An ARN written for any partition.
      ['IG301', 'aws_iam_role.iam_exec', 62],
    ]);
  });

  it('leaves unknown a policy we do not keep, a path that does not match, a customer policy and an unknown name', async () => {
    expect(await findings(`${FIXTURES}/managed-data/pass.tf`)).toEqual([]);
    const { model } = await loadModel({ paths: [`${FIXTURES}/managed-data/pass.tf`], cwd: REPO_ROOT });
    const [exec] = identityGraph(model).nodes;
    // The inline policy whose text is a name the scan cannot read: held, its document unknown.
    expect(exec.policies.map((e) => [e.policy.address, e.policy.document])).toEqual([['aws_iam_role_policy.chosen', undefined]]);
    expect(exec.unresolved.map((a) => a.address)).toEqual([
      'aws_iam_role_policy_attachment.basic',
      'aws_iam_role_policy_attachment.not_admin',
      'aws_iam_role_policy_attachment.wrong_path',
      'aws_iam_role_policy_attachment.customer',
    ]);
  });
});

describe('aws_iam_*_policy_attachments_exclusive', () => {
  it('attaches each ARN of policy_arns, located at its element', async () => {
    expect(await findings(`${FIXTURES}/exclusive/fail.tf`)).toEqual([
      ['IG301', 'aws_iam_role.exec', 11],
      ['IG201', 'aws_iam_role_policy_attachments_exclusive.exec', 21],
      ['IG202', 'aws_iam_role_policy_attachments_exclusive.exec', 21],
      ['IG205', 'aws_iam_role_policy_attachments_exclusive.exec', 21],
      ['IG201', 'aws_iam_policy.invoke_all', 27],
      ['IG204', 'aws_iam_user.ci', 30],
      ['IG201', 'aws_iam_user_policy_attachments_exclusive.ci', 37],
      ['IG202', 'aws_iam_user_policy_attachments_exclusive.ci', 37],
      ['IG205', 'aws_iam_user_policy_attachments_exclusive.ci', 37],
      ['IG201', 'aws_iam_group_policy_attachments_exclusive.devs', 46],
    ]);
    // The customer managed policy reaches the user (named by its IAM name), and the unkept ARN stays unresolved.
    const { model } = await loadModel({ paths: [`${FIXTURES}/exclusive/fail.tf`], cwd: REPO_ROOT });
    const nodes = Object.fromEntries(identityGraph(model).nodes.map((n) => [n.identity.address, n]));
    expect(nodes['aws_iam_user.ci'].policies.map((e) => `${e.policy.address}:${e.policy.range.line}`)).toEqual(['aws_iam_user_policy_attachments_exclusive.ci:37', 'aws_iam_policy.invoke_all:25']);
    expect(nodes['aws_iam_role.exec'].unresolved.map((a) => `${a.address}:${a.range.line}`)).toEqual(['aws_iam_role_policy_attachments_exclusive.exec:20']);
  });

  it('passes logs-only and empty sets', async () => {
    expect(await findings(`${FIXTURES}/exclusive/pass.tf`)).toEqual([]);
  });
});

describe('policies/aws-managed-paths.json', () => {
  it('gives the path of every AWS managed policy we keep, and no other', () => {
    const kept = readdirSync(join(REPO_ROOT, 'policies/aws-managed')).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -'.json'.length));
    const paths = JSON.parse(readFileSync(join(REPO_ROOT, 'policies/aws-managed-paths.json'), 'utf8')) as Record<string, string>;
    expect(Object.keys(paths).sort()).toEqual(kept.sort());
    for (const path of Object.values(paths)) expect(path).toMatch(/^\/(?:[\w+=,.@-]+\/)*$/);
  });
});

describe('yamldecode', () => {
  it('reads a policy from YAML in a file (located in it) and in a heredoc, aliases expanded', async () => {
    expect(await findings(`${FIXTURES}/yamldecode/fail`)).toEqual([
      ['IG201', 'aws_iam_policy.from_file', 10],
      ['IG201', 'aws_iam_policy.heredoc', 14],
      ['IG202', 'aws_iam_policy.heredoc', 14],
      ['IG205', 'aws_iam_policy.heredoc', 14],
      ['IG205', 'aws_iam_policy.anchored', 25],
    ]);
    const { findings: all } = await scan({ paths: [`${FIXTURES}/yamldecode/fail`], cwd: REPO_ROOT });
    expect(all.find((f) => f.resource === 'aws_iam_policy.from_file')?.range.file).toBe(`${FIXTURES}/yamldecode/fail/invoke.yaml`);
  });

  it('passes a scoped policy, and leaves unknown a tag, two documents and an alias bomb', async () => {
    expect(await findings(`${FIXTURES}/yamldecode/pass`)).toEqual([]);
  });
});

describe('IAM Identity Center permission sets', () => {
  it('Terraform: inline and AWS managed policies of a permission set are judged as any identity\'s, and it escalates as one', async () => {
    expect(await findings(`${FIXTURES}/permission-set/fail.tf`)).toEqual([
      ['IG204', 'aws_ssoadmin_permission_set.developers', 3],
      ['IG201', 'aws_ssoadmin_permission_set_inline_policy.developers', 16],
      ['IG204', 'aws_ssoadmin_permission_set.lambda_admins', 21],
      ['IG201', 'aws_ssoadmin_managed_policy_attachment.lambda_admins', 29],
      ['IG202', 'aws_ssoadmin_managed_policy_attachment.lambda_admins', 29],
      ['IG205', 'aws_ssoadmin_managed_policy_attachment.lambda_admins', 29],
    ]);
    const { findings: all } = await scan({ paths: [`${FIXTURES}/permission-set/fail.tf`], cwd: REPO_ROOT });
    expect(all.find((f) => f.ruleId === 'IG204')?.message).toMatch(/^whoever is assigned permission set aws_ssoadmin_permission_set\.developers can escalate/);
  });

  it('CloudFormation: InlinePolicy (an object or its text) and ManagedPolicies', async () => {
    expect(await findings(`${FIXTURES}/permission-set/fail.cfn.yaml`)).toEqual([
      ['IG204', 'Deployers', 6],
      ['IG201', 'Deployers', 12],
      ['IG202', 'Deployers', 12],
      ['IG205', 'Deployers', 12],
      ['IG205', 'Deployers', 17],
      ['IG204', 'Escalators', 19],
      ['IG201', 'Escalators', 24],
    ]);
  });

  it('passes scoped permission sets, and holds what it cannot read as unresolved', async () => {
    expect(await findings(`${FIXTURES}/permission-set/pass.tf`)).toEqual([]);
    expect(await findings(`${FIXTURES}/permission-set/pass.cfn.yaml`)).toEqual([]);
    const { model } = await loadModel({ paths: [`${FIXTURES}/permission-set/pass.tf`], cwd: REPO_ROOT });
    const [readers] = identityGraph(model).nodes;
    expect([readers.identity.kind, readers.identity.name, readers.policies.map((e) => e.policy.kind), readers.unresolved.map((a) => a.address)]).toEqual([
      'permission-set',
      'Readers',
      ['permission-set-inline'],
      ['aws_ssoadmin_managed_policy_attachment.readers'],
    ]);
  });
});
