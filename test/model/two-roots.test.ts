import { describe, expect, it } from '@jest/globals';
import { invokerGraph } from '../../src/graph/invokers.js';
import { renderGraphMermaid } from '../../src/graph/render.js';
import { identityGraph } from '../../src/model/identity-graph.js';
import { messageText } from '../../src/report/message.js';
import { loadModel, scan } from '../../src/scan.js';
import { tempTree } from '../helpers/temp-tree.js';

/**
 * Two roots (`envs/a`, `envs/b`) calling one local module under one name: both instances are
 * `module.fn.…` declared in `modules/fn/main.tf`. Only the root tells them apart, and a reference
 * written in (or for) one root never means the other's instance.
 */

const MODULE = `variable "name" {}

resource "aws_iam_role" "this" {
  name               = "\${var.name}-role"
  assume_role_policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" }, Condition = { StringEquals = { "aws:SourceAccount" = "111122223333" } } }] })
}

resource "aws_lambda_function" "this" {
  function_name = var.name
  role          = aws_iam_role.this.arn
}

output "role_id" {
  value = aws_iam_role.this.id
}

output "function_arn" {
  value = aws_lambda_function.this.arn
}
`;

const call = (name: string) => `module "fn" {\n  source = "../../modules/fn"\n  name   = "${name}"\n}\n`;
/** An inline policy on the root's instance of the role, by reference through the module output (line 6 of the root). */
const rolePolicy = (name: string, actions: string[]) =>
  `\nresource "aws_iam_role_policy" "${name}" {\n  role   = module.fn.role_id\n  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = ${JSON.stringify(actions)}, Resource = "*" }] })\n}\n`;

const tree = (a: string, b: string) => tempTree({ 'modules/fn/main.tf': MODULE, 'envs/a/main.tf': a, 'envs/b/main.tf': b });

describe('two Terraform roots calling one local module under one name', () => {
  it('keeps each root’s grants on its own instance of the role: PassRole in A and CreateFunction in B is no escalation', async () => {
    const dir = tree(call('a') + rolePolicy('pass', ['iam:PassRole', 'lambda:InvokeFunction']), call('b') + rolePolicy('create', ['lambda:CreateFunction']));
    const { findings } = await scan({ paths: ['.'], cwd: dir });
    expect(findings.filter((f) => f.ruleId === 'IG204')).toEqual([]);
    const { model } = await loadModel({ paths: ['.'], cwd: dir });
    const graph = identityGraph(model);
    expect(graph.nodes.map((n) => [n.identity.address, n.identity.root, n.policies.map((e) => `${e.policy.address} ${e.policy.range.file}`), n.functions.map((f) => f.root)])).toEqual([
      ['module.fn.aws_iam_role.this', 'envs/a', ['aws_iam_role_policy.pass envs/a/main.tf'], ['envs/a']],
      ['module.fn.aws_iam_role.this', 'envs/b', ['aws_iam_role_policy.create envs/b/main.tf'], ['envs/b']],
    ]);
  });

  it('still reports the escalation when one root grants all three steps', async () => {
    const dir = tree(call('a') + rolePolicy('pass', ['iam:PassRole', 'lambda:InvokeFunction']) + rolePolicy('create', ['lambda:CreateFunction']).replace('\n', '\n\n'), call('b'));
    const { findings } = await scan({ paths: ['.'], cwd: dir });
    expect(findings.filter((f) => f.ruleId === 'IG204').map((f) => [f.resource, f.range.file, f.range.line, f.roots, messageText(f)])).toEqual([
      [
        'module.fn.aws_iam_role.this',
        'modules/fn/main.tf',
        3,
        ['envs/a'],
        'module.fn.aws_iam_role.this (through root `envs/a`) can escalate privileges through Lambda: iam:PassRole, lambda:CreateFunction, lambda:InvokeFunction on every resource, granted together by aws_iam_role_policy.pass (envs/a/main.tf:6), aws_iam_role_policy.create (envs/a/main.tf:12).',
      ],
    ]);
  });

  it("reports an admin policy attached in root B on B's instance only", async () => {
    const admin = `\nresource "aws_iam_role_policy_attachment" "admin" {\n  role       = module.fn.role_id\n  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"\n}\n`;
    const dir = tree(call('a'), call('b') + admin);
    const { findings } = await scan({ paths: ['.'], cwd: dir });
    expect(findings.filter((f) => f.ruleId === 'IG301').map((f) => [f.resource, f.range.file, f.range.line])).toEqual([['module.fn.aws_iam_role.this', 'modules/fn/main.tf', 3]]);
    const { model } = await loadModel({ paths: ['.'], cwd: dir });
    const admins = identityGraph(model).nodes.filter((n) => n.policies.some((e) => e.policy.name === 'AdministratorAccess' || e.policy.address.endsWith('.admin')));
    expect(admins.map((n) => n.identity.root)).toEqual(['envs/b']);
  });

  it("links a permission of root B to B's instance of the module's function, in the invoke graph too", async () => {
    const permission = `\nresource "aws_lambda_permission" "public" {\n  function_name = module.fn.function_arn\n  principal     = "*"\n  action        = "lambda:InvokeFunction"\n}\n`;
    const dir = tree(call('a') + rolePolicy('invoke', ['lambda:InvokeFunction']), call('b') + permission);
    const { findings } = await scan({ paths: ['.'], cwd: dir });
    expect(findings.filter((f) => f.ruleId === 'IG101').map((f) => [f.resource, f.range.file, f.range.line, f.message])).toEqual([
      [
        'aws_lambda_permission.public',
        'envs/b/main.tf',
        8,
        'aws_lambda_permission.public lets any AWS principal ("*") invoke module.fn.aws_lambda_function.this: it has no source account and no source ARN and no organisation id.',
      ],
    ]);
    const { model } = await loadModel({ paths: ['.'], cwd: dir });
    expect(invokerGraph(model).map((fn) => [fn.function, fn.root, fn.location.line, fn.invokers.map((i) => [i.kind, i.kind === 'identity-policy' ? i.policy : i.via, i.location.file, i.location.line])])).toEqual([
      ['module.fn.aws_lambda_function.this', 'envs/a', 8, [['identity-policy', 'aws_iam_role_policy.invoke', 'envs/a/main.tf', 8]]],
      ['module.fn.aws_lambda_function.this', 'envs/b', 8, [['resource-permission', 'aws_lambda_permission.public', 'envs/b/main.tf', 8]]],
    ]);
  });

  it("resolves a role named in root A by the module's fixed name to A's instance", async () => {
    const fixed = MODULE.replace('name               = "\${var.name}-role"', 'name               = "fn-role"');
    const byName = `\nresource "aws_iam_role_policy" "all" {\n  role   = "fn-role"\n  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = ["iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"], Resource = "*" }] })\n}\n`;
    const dir = tempTree({ 'modules/fn/main.tf': fixed, 'envs/a/main.tf': call('a') + byName, 'envs/b/main.tf': call('b') });
    const { findings } = await scan({ paths: ['.'], cwd: dir });
    expect(findings.filter((f) => f.ruleId === 'IG204').map((f) => [f.resource, f.range.file, f.range.line])).toEqual([['module.fn.aws_iam_role.this', 'modules/fn/main.tf', 3]]);
    const { model } = await loadModel({ paths: ['.'], cwd: dir });
    expect(identityGraph(model).nodes.map((n) => [n.identity.root, n.policies.map((e) => e.policy.address)])).toEqual([
      ['envs/a', ['aws_iam_role_policy.all']],
      ['envs/b', []],
    ]);
  });

  it('suggests each root its own module function by ARN (a reference from the root to the module’s code does not resolve), and draws each root’s instance as its own node', async () => {
    const dir = tree(call('a') + rolePolicy('invoke', ['lambda:InvokeFunction']), call('b') + rolePolicy('invoke', ['lambda:InvokeFunction']));
    const { findings } = await scan({ paths: ['.'], cwd: dir });
    expect(findings.filter((f) => f.ruleId === 'IG201').map((f) => [f.range.file, f.range.line, f.suggestion])).toEqual(
      ['a', 'b'].map((root) => [
        `envs/${root}/main.tf`,
        8,
        `Allow only lambda:InvokeFunction, on the ARNs of the functions this identity calls, e.g. Resource = ["arn:aws:lambda:REGION:ACCOUNT:function:${root}"]; no function is defined in this module to name by reference, and a reference to one defined in another folder does not resolve here.`,
      ]),
    );
    const { model } = await loadModel({ paths: ['.'], cwd: dir });
    const mermaid = renderGraphMermaid(invokerGraph(model));
    expect(mermaid.split('\n').filter((line) => /^  [pf]\d/.test(line) && !line.includes('-->') && !line.includes('==>'))).toEqual([
      '  p0(["role module.fn.aws_iam_role.this (root envs/a)<br/>modules/fn/main.tf:3"])',
      '  p1(["role module.fn.aws_iam_role.this (root envs/b)<br/>modules/fn/main.tf:3"])',
      '  f0["module.fn.aws_lambda_function.this (root envs/a)<br/>modules/fn/main.tf:8"]',
      '  f1["module.fn.aws_lambda_function.this (root envs/b)<br/>modules/fn/main.tf:8"]',
    ]);
  });
});
