import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { invokerGraph, type FunctionInvokers } from '../../src/graph/invokers.js';
import { renderGraphDot, renderGraphMermaid } from '../../src/graph/render.js';
import { loadModel } from '../../src/scan.js';
import { runCaptured } from '../helpers/cli.js';
import { REPO_ROOT } from '../helpers/scan.js';
import { tempTree } from '../helpers/temp-tree.js';

const run = (...args: string[]) => runCaptured(args, { cwd: REPO_ROOT });
const NESTED = 'test/fixtures/nested-stacks/';

async function graphOf(...paths: string[]): Promise<FunctionInvokers[]> {
  const { model } = await loadModel({ paths, cwd: REPO_ROOT });
  return invokerGraph(model);
}

describe('invokeguard graph', () => {
  it('prints every example function with its invokers: the JSON is pinned, deterministic, paths relative', async () => {
    const first = await run('graph', 'examples');
    expect(first.code).toBe(0);
    // Reviewed by hand when examples change: regenerate with `invokeguard graph examples > test/fixtures/graph/examples.json`.
    expect(first.stdout).toBe(readFileSync(join(REPO_ROOT, 'test/fixtures/graph/examples.json'), 'utf8'));
    expect((await run('graph', 'examples', '--format', 'json')).stdout).toBe(first.stdout);
    expect(first.stdout).not.toContain(REPO_ROOT);
  });

  it('lists resource permissions, public URLs and identity policies with their holders, marking public and unscoped grants', async () => {
    const [orders] = await graphOf('examples/terraform/vulnerable');
    expect(orders.function).toBe('aws_lambda_function.orders');
    expect(orders.invokers.map((i) => [i.kind, i.principal, i.kind === 'identity-policy' ? i.policy : i.via, i.location.line, i.kind === 'identity-policy' ? i.unscoped : i.public])).toEqual([
      ['resource-permission', '*', 'aws_lambda_permission.public', 31, true],
      ['resource-permission', 's3.amazonaws.com', 'aws_lambda_permission.from_s3', 44, false],
      ['function-url', '*', 'aws_lambda_function_url.orders', 51, true],
      // The heredoc role policy names its role "ci-deployer", which is not in the scan.
      ['identity-policy', 'ci-deployer', 'aws_iam_role_policy.deployer', 9, true],
      ['identity-policy', null, 'aws_iam_policy.invoker', 59, true],
    ]);
    expect(orders.invokers[1]).toMatchObject({ principalClass: 'service', unscoped: true, sourceArn: '${aws_s3_bucket.uploads.arn}' });
  });

  it("links a nested stack's grants to the parent's function its parameter names, and each template's Perm to its own Fn", async () => {
    const [handler] = await graphOf('test/fixtures/nested-stacks/public');
    expect(handler.function).toBe('Handler');
    expect(handler.invokers.map((i) => [i.kind, i.principal, i.kind === 'identity-policy' ? i.policy : i.via, i.location.file, i.location.line])).toEqual([
      // The principal each parent passes stands in the parent; the one written in the child, in the child.
      ['resource-permission', '*', 'Api/Invoke', 'test/fixtures/nested-stacks/public/parent.yaml', 13],
      ['resource-permission', '*', 'Api/Anyone', 'test/fixtures/nested-stacks/public/child.yaml', 21],
      ['resource-permission', 'events.amazonaws.com', 'Events/Invoke', 'test/fixtures/nested-stacks/public/parent.yaml', 20],
      ['resource-permission', '*', 'Events/Anyone', 'test/fixtures/nested-stacks/public/child.yaml', 21],
    ]);
    const root = tempTree({
      'cdk.out/A.template.yaml': 'Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n  Perm:\n    Type: AWS::Lambda::Permission\n    Properties:\n      Principal: "*"\n      FunctionName: !Ref Fn\n',
      'cdk.out/B.template.yaml': 'Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n  Perm:\n    Type: AWS::Lambda::Permission\n    Properties:\n      Principal: s3.amazonaws.com\n      FunctionName: !GetAtt Fn.Arn\n',
    });
    const { model } = await loadModel({ paths: ['.'], cwd: root });
    expect(invokerGraph(model).map((f) => [f.location.file, f.function, f.invokers.map((i) => [i.principal, i.location.file])])).toEqual([
      ['cdk.out/A.template.yaml', 'Fn', [['*', 'cdk.out/A.template.yaml']]],
      ['cdk.out/B.template.yaml', 'Fn', [['s3.amazonaws.com', 'cdk.out/B.template.yaml']]],
    ]);
  });


  /** Per function: [address, file:line, root], then per invoker [principal, its root, policy or via, file:line, all functions]. */
  const edges = (graph: FunctionInvokers[]) =>
    graph.map((f) => [
      [f.function, `${f.location.file.slice(NESTED.length)}:${f.location.line}`, f.root?.slice(NESTED.length) ?? null],
      ...f.invokers.map((i) =>
        i.kind === 'identity-policy'
          ? [i.principal, i.principalRoot?.slice(NESTED.length) ?? null, i.policy, `${i.location.file.slice(NESTED.length)}:${i.location.line}`, i.allFunctions]
          : [i.principal, null, i.via, `${i.location.file.slice(NESTED.length)}:${i.location.line}`, false],
      ),
    ]);

  it('treats a root template and the stacks it nests as one stack: policies reach functions across the nesting, both ways', async () => {
    expect(edges(await graphOf(`${NESTED}tree`))).toEqual([
      [
        ['Handler', 'tree/parent.yaml:4', null],
        // The parent's policy, attached to the child's role through the output WorkerRoleName: "*" reaches the whole tree.
        ['Worker/WorkerRole', 'tree/parent.yaml', 'WorkerAdmin', 'tree/parent.yaml:51', true],
        // The child's role policy names the parent's function through the parameter HandlerArn.
        ['Worker/WorkerRole', 'tree/parent.yaml', 'Worker/WorkerRole', 'tree/child.yaml:38', false],
      ],
      [
        ['Worker/WorkerFn', 'tree/child.yaml:9', 'tree/parent.yaml'],
        // The parent's role policy names the child's function through the output WorkerArn.
        ['Caller', null, 'Caller', 'tree/parent.yaml:40', false],
        ['Worker/WorkerRole', 'tree/parent.yaml', 'WorkerAdmin', 'tree/parent.yaml:51', true],
      ],
      [
        ['Worker/Helper', 'tree/child.yaml:18', 'tree/parent.yaml'],
        ['Worker/WorkerRole', 'tree/parent.yaml', 'WorkerAdmin', 'tree/parent.yaml:51', true],
      ],
    ]);
    // The parent's own permissions read from a child's output (outputs/parent.yaml) reach the child's function too.
    const [, app] = await graphOf(`${NESTED}outputs`);
    expect(edges([app])).toEqual([
      [
        ['App/Fn', 'outputs/app.yaml:8', 'outputs/parent.yaml'],
        ['*', null, 'Public', 'outputs/parent.yaml:15', false],
        ['s3.amazonaws.com', null, 'Bucket', 'outputs/parent.yaml:22', false],
        ['events.amazonaws.com', null, 'Consumer/Events', 'outputs/consumer.yaml:11', false],
      ],
    ]);
  });

  it("reads a holder's Deny in the stack of the policy that writes it: a parent's Deny on a child's role names the child's function", async () => {
    const root = tempTree({
      'parent.yaml':
        'Resources:\n  Worker:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: ./child.yaml\n  NoWorker:\n    Type: AWS::IAM::Policy\n    Properties:\n      PolicyName: no-worker\n      Roles: [!GetAtt Worker.Outputs.RoleName]\n      PolicyDocument:\n        Statement:\n          - Effect: Deny\n            Action: lambda:InvokeFunction\n            Resource: !GetAtt Worker.Outputs.WorkerArn\n',
      'child.yaml':
        'Resources:\n  WorkerFn:\n    Type: AWS::Lambda::Function\n  Other:\n    Type: AWS::Lambda::Function\n  Caller:\n    Type: AWS::IAM::Role\n    Properties:\n      Policies:\n        - PolicyName: all\n          PolicyDocument:\n            Statement:\n              - Effect: Allow\n                Action: lambda:InvokeFunction\n                Resource: "*"\nOutputs:\n  WorkerArn:\n    Value: !GetAtt WorkerFn.Arn\n  RoleName:\n    Value: !Ref Caller\n',
    });
    const { model } = await loadModel({ paths: ['.'], cwd: root });
    expect(invokerGraph(model).map((f) => [f.function, f.root, f.invokers.map((i) => [i.principal, i.location.file, i.location.line])])).toEqual([
      ['Worker/WorkerFn', 'parent.yaml', []],
      ['Worker/Other', 'parent.yaml', [['Worker/Caller', 'child.yaml', 13]]],
    ]);
    // Another stack attaching a Deny to the role by its name: its `!GetAtt Fn.Arn` is its own Fn, not the role's stack's Fn.
    const apart = tempTree({
      'x.yaml':
        'Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n  Caller:\n    Type: AWS::IAM::Role\n    Properties:\n      RoleName: caller\n      Policies:\n        - PolicyName: all\n          PolicyDocument:\n            Statement:\n              - Effect: Allow\n                Action: lambda:InvokeFunction\n                Resource: "*"\n',
      'y.yaml':
        'Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n  NoFn:\n    Type: AWS::IAM::Policy\n    Properties:\n      PolicyName: no-fn\n      Roles: [caller]\n      PolicyDocument:\n        Statement:\n          - Effect: Deny\n            Action: lambda:InvokeFunction\n            Resource: !GetAtt Fn.Arn\n',
    });
    const separate = await loadModel({ paths: ['.'], cwd: apart });
    expect(invokerGraph(separate.model).map((f) => [f.function, f.location.file, f.invokers.map((i) => [i.principal, i.location.file, i.location.line])])).toEqual([
      ['Fn', 'x.yaml', [['Caller', 'x.yaml', 12]]],
      ['Fn', 'y.yaml', []],
    ]);
  });

  it('never links two root templates that nest their own copies, or one shared child, under the same logical id', async () => {
    // The same address (Worker/WorkerFn) and function name (worker) in both trees: each root's Caller reaches its own only.
    const own = (root: string, child: string) => [
      ['Worker/WorkerFn', `${child}:4`, root],
      ['Caller', null, 'Caller', `${root}:20`, false],
      ['Caller', null, 'Caller', `${root}:26`, false],
    ];
    expect(edges(await graphOf(`${NESTED}separate-trees`))).toEqual([own('separate-trees/one.yaml', 'separate-trees/one-worker.yaml'), own('separate-trees/two.yaml', 'separate-trees/two-worker.yaml')]);
    // One child file, instantiated once per root: two entries, told apart by their root.
    expect(edges(await graphOf(`${NESTED}one-child-two-roots`))).toEqual([own('one-child-two-roots/a.yaml', 'one-child-two-roots/worker.yaml'), own('one-child-two-roots/b.yaml', 'one-child-two-roots/worker.yaml')]);
    // Scanned alone, a root still reaches its own copy, and nothing of the other.
    expect(edges(await graphOf(`${NESTED}separate-trees/one.yaml`, `${NESTED}separate-trees/one-worker.yaml`, `${NESTED}separate-trees/two-worker.yaml`))).toEqual([
      own('separate-trees/one.yaml', 'separate-trees/one-worker.yaml'),
      [['WorkerFn', 'separate-trees/two-worker.yaml:4', null]],
    ]);
  });
  it('resolves holders through the identity graph: roles, users through groups, an unconditional Deny removes the grant', async () => {
    const graph = await graphOf('test/fixtures/graph/holders.tf');
    expect(graph.map((f) => f.function)).toEqual(['aws_lambda_function.orders', 'aws_lambda_function.billing']);
    const summary = (f: FunctionInvokers) => f.invokers.map((i) => (i.kind === 'identity-policy' ? [i.principal, i.viaGroup ?? null, i.policy, i.allFunctions] : [i.principal, i.via]));
    expect(summary(graph[0])).toEqual([
      ['aws_iam_role.caller', null, 'aws_iam_role_policy.caller', false],
      ['aws_iam_group.ops', null, 'aws_iam_group_policy.ops', true],
      ['aws_iam_user.alice', 'aws_iam_group.ops', 'aws_iam_group_policy.ops', true],
    ]);
    // billing: the Deny in the role's own set removes the caller's grant; only the group's * reaches it.
    expect(summary(graph[1])).toEqual([
      ['aws_iam_group.ops', null, 'aws_iam_group_policy.ops', true],
      ['aws_iam_user.alice', 'aws_iam_group.ops', 'aws_iam_group_policy.ops', true],
    ]);
  });

  it('renders Mermaid and DOT: one node per function and principal, an edge per grant, risky ones marked', async () => {
    const graph = await graphOf('examples/terraform/vulnerable');
    const mermaid = renderGraphMermaid(graph);
    expect(mermaid.split('\n')[0]).toBe('flowchart LR');
    expect(mermaid).toContain('f0["aws_lambda_function.orders<br/>examples/terraform/vulnerable/main.tf:3"]');
    expect(mermaid.match(/ (==>|-->)\|/g)).toHaveLength(5);
    expect(mermaid).toContain('==>|"PUBLIC aws_lambda_permission.public (examples/terraform/vulnerable/main.tf:31)"| f0');
    expect(mermaid).toMatch(/class p\d+(,p\d+)* risky/);
    const dot = renderGraphDot(graph);
    expect(dot.startsWith('digraph invokers {\n')).toBe(true);
    expect(dot.trimEnd().endsWith('}')).toBe(true);
    expect(dot.match(/ -> f0 \[/g)).toHaveLength(5);
    expect(dot).toContain('[shape=box, label="aws_lambda_function.orders\\nexamples/terraform/vulnerable/main.tf:3"]');
    expect(dot).toMatch(/p\d+ -> f0 \[label="PUBLIC aws_lambda_function_url.orders \(examples\/terraform\/vulnerable\/main.tf:51\)", color=red/);
  });

  it('keeps the default scan command: `invokeguard examples` still scans and fails; graph options do not leak into it', async () => {
    const scanned = await run('examples', '--format', 'json');
    expect(scanned.code).toBe(1);
    expect(JSON.parse(scanned.stdout).tool).toBe('invokeguard');
    expect((await run('graph', 'examples', '--format', 'mermaid')).stdout.startsWith('flowchart LR')).toBe(true);
    expect((await run('graph', 'examples', '--format', 'sarif')).code).toBe(2);
    expect((await run('examples', '--format', 'dot')).code).toBe(2);
  });
});
