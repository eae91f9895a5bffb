import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { identityGraph } from '../../src/model/identity-graph.js';
import type { LambdaFunction } from '../../src/model/types.js';
import type { Value } from '../../src/model/value.js';
import { loadModel, scan } from '../../src/scan.js';
import { runCaptured } from '../helpers/cli.js';
import { tempTree } from '../helpers/temp-tree.js';

/**
 * IG201's --fix must not turn a deployable template into one with a dependency cycle. A role depends on the
 * policies written in its own definition (inline, `managed_policy_arns`/`ManagedPolicyArns`, a SAM function's
 * `Policies`), and a function on its role: such a policy naming a function that runs as that role (directly, or
 * through other functions' roles) is a cycle Terraform and CloudFormation reject. Those functions are left out,
 * or the fix is refused with the reason; policies that are resources of their own are fixed as before.
 */

const INVOKE_YAML = (indent: string) => `${indent}Statement:
${indent}  - Effect: Allow
${indent}    Action: lambda:InvokeFunction
${indent}    Resource: "*"
`;

const SAM_FUNCTION = (name: string, policies: boolean) => `  ${name}:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
${policies ? `      Policies:\n        - ${INVOKE_YAML('          ').trimStart()}` : ''}`;

const SAM = (functions: string) => `Transform: AWS::Serverless-2016-10-31\nResources:\n${functions}`;

const CFN_FUNCTION = (name: string, role: string) => `  ${name}:
    Type: AWS::Lambda::Function
    Properties:
      Role: !GetAtt ${role}.Arn
`;
const CFN_ROLE = (name: string, extra = '') => `  ${name}:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {}
${extra}`;
const CFN_INLINE = (resource = '"*"') => `      Policies:
        - PolicyName: invoke
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: lambda:InvokeFunction
                Resource: ${resource}
`;
const CFN = (resources: string) => `AWSTemplateFormatVersion: "2010-09-09"\nResources:\n${resources}`;
const CFN_POLICY = (type: 'AWS::IAM::Policy' | 'AWS::IAM::ManagedPolicy', roles: boolean) => `  Invoke:
    Type: ${type}
    Properties:
${type === 'AWS::IAM::Policy' ? '      PolicyName: invoke\n' : ''}${roles ? '      Roles: [!Ref OrdersRole]\n' : ''}      PolicyDocument:
${INVOKE_YAML('        ')}`;

const TF_FUNCTION = (role: string) => `resource "aws_lambda_function" "orders" {
  function_name = "orders"
  role          = ${role}
}
`;
const TF_DOCUMENT = `jsonencode({
    Statement = [{
      Effect   = "Allow"
      Action   = "lambda:InvokeFunction"
      Resource = "*"
    }]
  })`;
const TF_ROLE = (body = '') => `
resource "aws_iam_role" "orders" {
  name               = "orders"
  assume_role_policy = "{}"
${body}}
`;
const TF_INLINE = `  inline_policy {
    name   = "invoke"
    policy = ${TF_DOCUMENT.replace(/\n/g, '\n  ')}
  }
`;
const TF_MANAGED = `
resource "aws_iam_policy" "invoke" {
  name   = "invoke"
  policy = ${TF_DOCUMENT}
}
`;

interface Case {
  label: string;
  file: string;
  text: string;
  /** The IG201 finding's line (the Action entry). */
  line: number;
  /** What --fix writes in place of the Resource; absent: the fix is refused, and its reason names these functions. */
  written?: string;
  /** Functions left out (or, refused, the reason names) for a dependency cycle. */
  looping: string[];
}

const CASES: Case[] = [
  {
    label: 'SAM: a function whose own Policies grant `*` leaves itself out, names the function beside it',
    file: 'template.yaml',
    text: SAM(SAM_FUNCTION('Worker', true) + SAM_FUNCTION('Helper', false)),
    line: 12,
    written: '              Resource: [!GetAtt Helper.Arn, !Sub "${Helper.Arn}:*"]\n',
    looping: ['Worker'],
  },
  {
    label: 'SAM: two functions each granted `*` would name each other (a cycle through both roles): refused',
    file: 'template.yaml',
    text: SAM(SAM_FUNCTION('Active', true) + SAM_FUNCTION('Passive', true)),
    line: 12,
    looping: ['Active', 'Passive'],
  },
  {
    label: 'SAM: a function beside it granted other actions on `*` is named: --fix never narrows those to functions',
    file: 'template.yaml',
    text: SAM(SAM_FUNCTION('Worker', true) + SAM_FUNCTION('Helper', true).replace('lambda:InvokeFunction', 'lambda:GetFunctionConfiguration')),
    line: 12,
    written: '              Resource: [!GetAtt Helper.Arn, !Sub "${Helper.Arn}:*"]\n',
    looping: ['Worker'],
  },
  {
    label: 'CloudFormation: AWS::IAM::Role inline Policies leave out the function running as the role',
    file: 'template.yaml',
    text: CFN(CFN_FUNCTION('Orders', 'OrdersRole') + CFN_FUNCTION('Payments', 'OtherRole') + CFN_ROLE('OtherRole') + CFN_ROLE('OrdersRole', CFN_INLINE())),
    line: 24,
    written: '                Resource: [!GetAtt Payments.Arn, !Sub "${Payments.Arn}:*"]\n',
    looping: ['Orders'],
  },
  {
    label: 'CloudFormation: an existing reference closes the loop through another function (Orders → OrdersRole → Payments → PaymentsRole)',
    file: 'template.yaml',
    text: CFN(
      CFN_FUNCTION('Orders', 'OrdersRole') +
        CFN_FUNCTION('Payments', 'PaymentsRole') +
        CFN_FUNCTION('Audit', 'AuditRole') +
        CFN_ROLE('AuditRole') +
        CFN_ROLE('OrdersRole', CFN_INLINE('!GetAtt Payments.Arn')) +
        CFN_ROLE('PaymentsRole', CFN_INLINE()),
    ),
    line: 39,
    written: '                Resource: [!GetAtt Audit.Arn, !Sub "${Audit.Arn}:*"]\n',
    looping: ['Orders', 'Payments'],
  },
  {
    label: "CloudFormation: an AWS::IAM::ManagedPolicy in the role's ManagedPolicyArns: refused",
    file: 'template.yaml',
    text: CFN(CFN_FUNCTION('Orders', 'OrdersRole') + CFN_ROLE('OrdersRole', '      ManagedPolicyArns: [!Ref Invoke]\n') + CFN_POLICY('AWS::IAM::ManagedPolicy', false)),
    line: 18,
    looping: ['Orders'],
  },
  {
    label: 'CloudFormation: an AWS::IAM::Policy with Roles is a resource of its own: fixed as before',
    file: 'template.yaml',
    text: CFN(CFN_FUNCTION('Orders', 'OrdersRole') + CFN_ROLE('OrdersRole') + CFN_POLICY('AWS::IAM::Policy', true)),
    line: 19,
    written: '            Resource: [!GetAtt Orders.Arn, !Sub "${Orders.Arn}:*"]\n',
    looping: [],
  },
  {
    label: 'CloudFormation: an AWS::IAM::ManagedPolicy with Roles is a resource of its own: fixed as before',
    file: 'template.yaml',
    text: CFN(CFN_FUNCTION('Orders', 'OrdersRole') + CFN_ROLE('OrdersRole') + CFN_POLICY('AWS::IAM::ManagedPolicy', true)),
    line: 18,
    written: '            Resource: [!GetAtt Orders.Arn, !Sub "${Orders.Arn}:*"]\n',
    looping: [],
  },
  {
    label: 'Terraform: aws_iam_role inline_policy: refused',
    file: 'main.tf',
    text: TF_FUNCTION('aws_iam_role.orders.arn') + TF_ROLE(TF_INLINE),
    line: 14,
    looping: ['aws_lambda_function.orders'],
  },
  {
    label: 'Terraform: the role named through a local: refused',
    file: 'main.tf',
    text: `locals {\n  role = aws_iam_role.orders.arn\n}\n\n${TF_FUNCTION('local.role')}${TF_ROLE(TF_INLINE)}`,
    line: 18,
    looping: ['aws_lambda_function.orders'],
  },
  {
    label: "Terraform: an aws_iam_policy in the role's managed_policy_arns: refused",
    file: 'main.tf',
    text: TF_FUNCTION('aws_iam_role.orders.arn') + TF_ROLE('  managed_policy_arns = [aws_iam_policy.invoke.arn]\n') + TF_MANAGED,
    line: 17,
    looping: ['aws_lambda_function.orders'],
  },
  {
    label: 'Terraform: aws_iam_role_policy is a resource of its own: fixed as before',
    file: 'main.tf',
    text: `${TF_FUNCTION('aws_iam_role.orders.arn')}${TF_ROLE()}\nresource "aws_iam_role_policy" "invoke" {\n  role   = aws_iam_role.orders.id\n  policy = ${TF_DOCUMENT}\n}\n`,
    line: 16,
    written: '      Resource = [aws_lambda_function.orders.arn, "${aws_lambda_function.orders.arn}:*"]\n',
    looping: [],
  },
  {
    label: 'Terraform: aws_iam_policy with an aws_iam_role_policy_attachment: fixed as before',
    file: 'main.tf',
    text: `${TF_FUNCTION('aws_iam_role.orders.arn')}${TF_ROLE()}${TF_MANAGED}\nresource "aws_iam_role_policy_attachment" "invoke" {\n  role       = aws_iam_role.orders.name\n  policy_arn = aws_iam_policy.invoke.arn\n}\n`,
    line: 16,
    written: '      Resource = [aws_lambda_function.orders.arn, "${aws_lambda_function.orders.arn}:*"]\n',
    looping: [],
  },
];

/** The scan's resources a value refers to. */
function referred(value: Value, into: Set<string> = new Set()): Set<string> {
  if (value.kind === 'unknown' && value.resource !== undefined) into.add(value.resource);
  if (value.kind === 'template') for (const p of value.parts) if (typeof p !== 'string' && p.resource !== undefined) into.add(p.resource);
  if (value.kind === 'list') for (const item of value.items) referred(item, into);
  if (value.kind === 'object') for (const entry of value.entries) referred(entry.value, into);
  return into;
}

/**
 * A dependency cycle the scan can see, as the addresses around it: a function depends on its role, a role on
 * the functions the policies of its own definition refer to. Undefined when there is none.
 */
async function dependencyCycle(dir: string): Promise<string[] | undefined> {
  const { model } = await loadModel({ paths: ['.'], cwd: dir });
  const graph = identityGraph(model);
  const next = (fn: LambdaFunction): LambdaFunction[] => {
    const role = graph.roleOf(fn);
    const named = new Set(role?.ownPolicies.flatMap((p) => [...referred(p.policy.value)]));
    return model.functions.filter((f) => named.has(f.address));
  };
  for (const start of model.functions) {
    const path: LambdaFunction[] = [];
    const walk = (fn: LambdaFunction): boolean => {
      if (fn === start && path.length > 0) return true;
      if (path.includes(fn)) return false;
      path.push(fn);
      if (next(fn).some(walk)) return true;
      path.pop();
      return false;
    };
    if (walk(start)) return path.flatMap((f) => [f.address, graph.roleOf(f)!.identity.address]);
  }
  return undefined;
}

describe('IG201 --fix makes no dependency cycle', () => {
  it.each(CASES.map((c) => [c.label, c] as const))('%s', async (_label, c) => {
    const dir = tempTree({ [c.file]: c.text });
    const findings = (await scan({ paths: ['.'], cwd: dir })).findings.filter((f) => f.ruleId === 'IG201');
    expect(findings.map((f) => [f.ruleId, f.range.file, f.range.line])).toContainEqual(['IG201', c.file, c.line]);
    const finding = findings.find((f) => f.range.line === c.line)!;
    const description = finding.fix!.description;
    for (const fn of c.looping) expect(description).toMatch(new RegExp(`${fn.replace(/\./g, '\\.')} (runs as|depends on) \\S+ \\(?which holds this policy`));
    if (c.looping.length > 0) expect(description).toContain(c.file.endsWith('.tf') ? 'a dependency cycle, which Terraform rejects ("Cycle:")' : 'a dependency cycle, which CloudFormation rejects');
    else expect(description).not.toContain('dependency cycle');

    await runCaptured(['--fix', '.'], { cwd: dir });
    const fixed = readFileSync(join(dir, c.file), 'utf8');
    expect(await dependencyCycle(dir)).toBeUndefined();
    if (c.written === undefined) {
      expect(description).toMatch(/^Replace the Resource with the ARNs of the functions this identity calls\. Not applied by --fix: /);
      expect(finding.fix!.edits).toEqual([]);
      expect(fixed).toBe(c.text);
      return;
    }
    expect(fixed).toContain(c.written);
    // The fixed line re-scans clean; a second --fix changes nothing.
    const after = (await scan({ paths: ['.'], cwd: dir })).findings;
    expect(after.filter((f) => f.ruleId === 'IG901' || (f.ruleId === 'IG201' && f.range.line === c.line))).toEqual([]);
    await runCaptured(['--fix', '.'], { cwd: dir });
    expect(readFileSync(join(dir, c.file), 'utf8')).toBe(fixed);
  });

  it('the cycle check sees the cycles the fix used to write', async () => {
    // What --fix wrote before: the role's own policy naming the function that runs as it.
    const sam = tempTree({ 'template.yaml': SAM(SAM_FUNCTION('Worker', true).replace('Resource: "*"', 'Resource: !GetAtt Worker.Arn')) });
    expect(await dependencyCycle(sam)).toEqual(['Worker', 'WorkerRole']);
    const tf = tempTree({ 'main.tf': TF_FUNCTION('aws_iam_role.orders.arn') + TF_ROLE(TF_INLINE.replace('Resource = "*"', 'Resource = aws_lambda_function.orders.arn')) });
    expect(await dependencyCycle(tf)).toEqual(['aws_lambda_function.orders', 'aws_iam_role.orders']);
    const two = tempTree({ 'template.yaml': SAM(SAM_FUNCTION('Active', true).replace('Resource: "*"', 'Resource: !GetAtt Passive.Arn') + SAM_FUNCTION('Passive', true).replace('Resource: "*"', 'Resource: !GetAtt Active.Arn')) });
    expect(await dependencyCycle(two)).toEqual(['Active', 'ActiveRole', 'Passive', 'PassiveRole']);
  });

  it('says which functions it leaves out and why, and the suggestion names none of them', async () => {
    const dir = tempTree({ 'template.yaml': SAM(SAM_FUNCTION('Worker', true) + SAM_FUNCTION('Helper', false)) });
    const [finding] = (await scan({ paths: ['.'], cwd: dir })).findings.filter((f) => f.ruleId === 'IG201');
    expect(finding.fix!.description).toBe(
      'Replace Resource "*" with the function defined beside the policy (Helper), as its ARN and as that ARN followed by ":*", so that calls naming a version or alias (authorised against the qualified ARN) keep working: !GetAtt Helper.Arn, !Sub "${Helper.Arn}:*"; check that these are the ones it calls. Worker is left out: Worker runs as WorkerRole, which holds this policy, so naming it here would make WorkerRole depend on it: a dependency cycle, which CloudFormation rejects ("Circular dependency between resources"); if this identity calls it, add the ARN built from the function name (arn:aws:lambda:REGION:ACCOUNT:function:NAME).',
    );
    expect(finding.suggestion).toBe('Allow only lambda:InvokeFunction, on the functions this identity calls, e.g. Resource = [!GetAtt Helper.Arn].');
  });
});
