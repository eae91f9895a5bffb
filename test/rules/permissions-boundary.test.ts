import { describe, expect, it } from '@jest/globals';
import { invokerGraph } from '../../src/graph/invokers.js';
import { loadModel, scan } from '../../src/scan.js';
import { tempTree } from '../helpers/temp-tree.js';

const RULES = ['IG201', 'IG202', 'IG203', 'IG204', 'IG205', 'IG301'];

async function findings(files: Record<string, string>) {
  const { findings } = await scan({ paths: ['.'], cwd: tempTree(files) });
  return findings.filter((f) => RULES.includes(f.ruleId)).map((f) => [f.ruleId, f.resource, f.range.line]);
}

async function evidence(files: Record<string, string>, rule: string) {
  const { findings } = await scan({ paths: ['.'], cwd: tempTree(files) });
  return findings.filter((f) => f.ruleId === rule).map((f) => f.evidence);
}

/** An execution role (line 1) with AdministratorAccess attached and the boundary `boundary` (an expression). */
const adminRole = (boundary: string) => `resource "aws_iam_role" "exec" {
  permissions_boundary = ${boundary}
  assume_role_policy = jsonencode({
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }]
  })
}

resource "aws_iam_role_policy_attachment" "admin" {
  role       = aws_iam_role.exec.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}
`;

/** A customer managed policy `aws_iam_policy.boundary` (line 1 of its file) with these statements. */
const boundaryPolicy = (statements: string) => `resource "aws_iam_policy" "boundary" {
  name = "boundary"
  policy = jsonencode({
    Statement = ${statements}
  })
}
`;

/** adminRole's findings without a boundary. */
const UNBOUNDED_ADMIN = [
  ['IG301', 'aws_iam_role.exec', 1],
  ['IG201', 'aws_iam_role_policy_attachment.admin', 10],
  ['IG202', 'aws_iam_role_policy_attachment.admin', 10],
  ['IG205', 'aws_iam_role_policy_attachment.admin', 10],
];

const LOG_GROUPS = '[{ Effect = "Allow", Action = "logs:*", Resource = "arn:aws:logs:*:*:log-group:/aws/lambda/*" }]';

describe('permissions boundaries cap what an identity holds (IG301, IG204)', () => {
  it('an execution role with AdministratorAccess under a logs-only boundary is not an admin', async () => {
    expect(await findings({ 'main.tf': adminRole('aws_iam_policy.boundary.arn'), 'boundary.tf': boundaryPolicy(LOG_GROUPS) })).toEqual([]);
  });

  it('keeps what both allow: logs:* on * under AdministratorAccess is still a wildcard', async () => {
    const files = { 'main.tf': adminRole('aws_iam_policy.boundary.arn'), 'boundary.tf': boundaryPolicy('[{ Effect = "Allow", Action = "logs:*", Resource = "*" }]') };
    expect(await findings(files)).toEqual([['IG301', 'aws_iam_role.exec', 1]]);
    expect(await evidence(files, 'IG301')).toEqual(['logs:* on * via aws_iam_role_policy_attachment.admin']);
  });

  it('a boundary allowing * leaves the role an admin', async () => {
    const files = { 'main.tf': adminRole('aws_iam_policy.boundary.arn'), 'boundary.tf': boundaryPolicy('[{ Effect = "Allow", Action = "*", Resource = "*" }]') };
    // AdministratorAccess as attached there (line 10) keeps its policy findings too.
    expect(await findings(files)).toEqual([
      ['IG301', 'aws_iam_role.exec', 1],
      ['IG201', 'aws_iam_role_policy_attachment.admin', 10],
      ['IG202', 'aws_iam_role_policy_attachment.admin', 10],
      ['IG205', 'aws_iam_role_policy_attachment.admin', 10],
    ]);
    expect(await evidence(files, 'IG301')).toEqual(['* on * via aws_iam_role_policy_attachment.admin']);
  });

  it('a boundary Deny applies: * allowed, * denied but for logs:* leaves logs:*', async () => {
    const files = {
      'main.tf': adminRole('aws_iam_policy.boundary.arn'),
      'boundary.tf': boundaryPolicy('[{ Effect = "Allow", Action = "*", Resource = "*" }, { Effect = "Deny", NotAction = ["logs:*"], Resource = "*" }]'),
    };
    expect(await evidence(files, 'IG301')).toEqual(['logs:* on * via aws_iam_role_policy_attachment.admin']);
  });

  it('an AWS managed boundary is read from the policies we hold (AWSLambdaRole: invoke only)', async () => {
    // AdministratorAccess under it: invoking every function is all that is left (IG201 at the attachment's policy_arn).
    expect(await findings({ 'main.tf': adminRole('"arn:aws:iam::aws:policy/service-role/AWSLambdaRole"') })).toEqual([['IG201', 'aws_iam_role_policy_attachment.admin', 10]]);
    expect(await findings({ 'main.tf': adminRole('"arn:aws:iam::aws:policy/AdministratorAccess"') })).toEqual(UNBOUNDED_ADMIN);
  });

  it('a boundary the scan cannot read leaves the finding as without one', async () => {
    expect(await findings({ 'main.tf': adminRole('var.boundary_arn') + 'variable "boundary_arn" {}\n' })).toEqual(UNBOUNDED_ADMIN);
    expect(await findings({ 'main.tf': adminRole('"arn:aws:iam::123456789012:policy/elsewhere"') })).toEqual(UNBOUNDED_ADMIN);
  });

  /** A user (line 1) allowed the three escalation steps on *, under the boundary `statements`. */
  const deployer = (statements: string) => ({
    'main.tf': `resource "aws_iam_user" "deployer" {
  name                 = "deployer"
  permissions_boundary = aws_iam_policy.boundary.arn
}

resource "aws_iam_user_policy" "deploy" {
  user = aws_iam_user.deployer.name
  policy = jsonencode({
    Statement = [{ Effect = "Allow", Action = ["iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"], Resource = "*" }]
  })
}
`,
    'boundary.tf': boundaryPolicy(statements),
  });

  it('IG204 needs every step inside the boundary too', async () => {
    // No iam:PassRole in the boundary: no escalation; invoking every function stays (IG201 on the user's policy).
    expect(await findings(deployer('[{ Effect = "Allow", Action = ["lambda:*", "logs:*"], Resource = "*" }]'))).toEqual([['IG201', 'aws_iam_user_policy.deploy', 9]]);
    expect(await findings(deployer('[{ Effect = "Allow", Action = "*", Resource = "*" }, { Effect = "Deny", Action = "iam:PassRole", Resource = "*" }]'))).toEqual([['IG201', 'aws_iam_user_policy.deploy', 9]]);
    expect(await findings(deployer('[{ Effect = "Allow", Action = "*", Resource = "*" }]'))).toEqual([
      ['IG204', 'aws_iam_user.deployer', 1],
      ['IG201', 'aws_iam_user_policy.deploy', 9],
    ]);
  });
});

/** An execution role (line 1) under the boundary, with an inline policy allowing lambda:* on * (its Action: line 10). */
const inlineRole = `resource "aws_iam_role" "exec" {
  permissions_boundary = aws_iam_policy.boundary.arn
  assume_role_policy = jsonencode({
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }]
  })
  inline_policy {
    name = "p"
    policy = jsonencode({
      Statement = [
        { Effect = "Allow", Action = "lambda:*", Resource = "*" },
      ]
    })
  }
}
`;

describe('policies reported on their own (IG201, IG202, IG205)', () => {
  const lambdaAll = '[{ Effect = "Allow", Action = "lambda:*", Resource = "*" }]';

  /** A role (line 1) bounded by aws_iam_policy.boundary, holding no policy. */
  const bounded = `resource "aws_iam_role" "bounded" {
  assume_role_policy   = "{}"
  permissions_boundary = aws_iam_policy.boundary.arn
}
`;

  it('a policy used only as a boundary grants nothing', async () => {
    expect(await findings({ 'main.tf': bounded, 'boundary.tf': boundaryPolicy(lambdaAll) })).toEqual([]);
  });

  it('the same policy attached to a role is reported', async () => {
    const attached = `resource "aws_iam_role" "other" {
  assume_role_policy = "{}"
}

resource "aws_iam_role_policy_attachment" "other" {
  role       = aws_iam_role.other.name
  policy_arn = aws_iam_policy.boundary.arn
}
`;
    // IG204 too: lambda:UpdateFunctionCode on every function runs its code as any role a function of the account runs with.
    expect(await findings({ 'main.tf': bounded, 'other.tf': attached, 'boundary.tf': boundaryPolicy(lambdaAll) })).toEqual([
      ['IG201', 'aws_iam_policy.boundary', 4],
      ['IG202', 'aws_iam_policy.boundary', 4],
      ['IG205', 'aws_iam_policy.boundary', 4],
      ['IG204', 'aws_iam_role.other', 1],
    ]);
  });

  it('an inline policy of a bounded role counts only what the boundary allows', async () => {
    expect(await findings({ 'main.tf': inlineRole, 'boundary.tf': boundaryPolicy(LOG_GROUPS) })).toEqual([]);
    // A boundary allowing * but denying lambda:Invoke*: IG201 goes; IG202 and IG301 stay as for a Deny in the policy itself (any Lambda action
    // left keeps them), and lambda:AddPermission stays (IG205). No longer an administrator, the role may put its code in any function (IG204,
    // with no function of the scan to weigh).
    expect(
      await findings({ 'main.tf': inlineRole, 'boundary.tf': boundaryPolicy('[{ Effect = "Allow", Action = "*", Resource = "*" }, { Effect = "Deny", Action = "lambda:Invoke*", Resource = "*" }]') }),
    ).toEqual([
      ['IG204', 'aws_iam_role.exec', 1],
      ['IG301', 'aws_iam_role.exec', 1],
      ['IG202', 'aws_iam_role.exec', 10],
      ['IG205', 'aws_iam_role.exec', 10],
    ]);
    expect(await findings({ 'main.tf': inlineRole, 'boundary.tf': boundaryPolicy(lambdaAll) })).toEqual([
      ['IG204', 'aws_iam_role.exec', 1],
      ['IG301', 'aws_iam_role.exec', 1],
      ['IG201', 'aws_iam_role.exec', 10],
      ['IG202', 'aws_iam_role.exec', 10],
      ['IG205', 'aws_iam_role.exec', 10],
    ]);
  });

  it('a NotAction boundary naming no Lambda action lets full Lambda control through (IG202 as IG201 and IG205)', async () => {
    // IG204: no longer an administrator, it may put its code in any function.
    const expected = [
      ['IG204', 'aws_iam_role.exec', 1],
      ['IG301', 'aws_iam_role.exec', 1],
      ['IG201', 'aws_iam_role.exec', 10],
      ['IG202', 'aws_iam_role.exec', 10],
      ['IG205', 'aws_iam_role.exec', 10],
    ];
    expect(await findings({ 'main.tf': inlineRole, 'boundary.tf': boundaryPolicy('[{ Effect = "Allow", NotAction = ["iam:*", "organizations:*"], Resource = "*" }]') })).toEqual(expected);
    // AWS managed PowerUserAccess: NotAction iam:*, organizations:*, account:*.
    expect(await findings({ 'main.tf': inlineRole.replace('aws_iam_policy.boundary.arn', '"arn:aws:iam::aws:policy/PowerUserAccess"') })).toEqual(expected);
    // A NotAction boundary that names a Lambda action caps full control (IG202); the execution role keeps the rest of lambda:* (IG301).
    const notUpdate = { 'main.tf': inlineRole, 'boundary.tf': boundaryPolicy('[{ Effect = "Allow", NotAction = ["lambda:UpdateFunctionCode"], Resource = "*" }]') };
    // IG204 stays through UpdateFunctionConfiguration and a layer it can add (lambda:GetLayerVersion is left).
    expect(await findings(notUpdate)).toEqual([
      ['IG204', 'aws_iam_role.exec', 1],
      ['IG301', 'aws_iam_role.exec', 1],
      ['IG201', 'aws_iam_role.exec', 10],
      ['IG205', 'aws_iam_role.exec', 10],
    ]);
    expect(await evidence(notUpdate, 'IG301')).toEqual(['lambda:* except lambda:UpdateFunctionCode on * via aws_iam_role.exec']);
  });

  it('IG301 under a NotAction boundary: what it names of the service is taken out, a wildcard over the whole service takes it all', async () => {
    const under = (notAction: string) => ({ 'main.tf': inlineRole, 'boundary.tf': boundaryPolicy(`[{ Effect = "Allow", NotAction = ${notAction}, Resource = "*" }]`) });
    const messages = async (files: Record<string, string>) => (await scan({ paths: ['.'], cwd: tempTree(files) })).findings.filter((f) => f.ruleId === 'IG301').map((f) => f.message);
    expect(await messages(under('["s3:*", "lambda:InvokeFunction", "*:Get*"]'))).toEqual([
      'Execution role aws_iam_role.exec is allowed "lambda:* except lambda:InvokeFunction, *:Get*" on every resource (aws_iam_role.exec policy \"p\" (main.tf:6)): a stolen function token would be that powerful, from anywhere.',
    ]);
    for (const whole of ['["lambda:*"]', '["LAMBDA:*"]', '["lam*"]', '["*"]']) expect((await findings(under(whole))).filter(([rule]) => rule === 'IG301')).toEqual([]);
  });
});

describe('CloudFormation and SAM', () => {
  /** Exec (line 2 without Parameters): AdministratorAccess (its ARN two lines above Other) under `boundary`; Other: no policy, under LambdaBoundary by name. */
  const template = (boundary: string, parameters = '') => `${parameters}Resources:
  Exec:
    Type: AWS::IAM::Role
    Properties:
      PermissionsBoundary: ${boundary}
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Action: sts:AssumeRole
            Principal: { Service: lambda.amazonaws.com }
      ManagedPolicyArns:
        - arn:aws:iam::aws:policy/AdministratorAccess
  Other:
    Type: AWS::IAM::User
    Properties:
      PermissionsBoundary: !Sub arn:aws:iam::\${AWS::AccountId}:policy/lambda-boundary
  LogsBoundary:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Statement:
          - Effect: Allow
            Action: logs:CreateLogStream
            Resource: "*"
  LambdaBoundary:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      ManagedPolicyName: lambda-boundary
      PolicyDocument:
        Statement:
          - Effect: Allow
            Action: lambda:*
            Resource: "*"
`;

  it('!Ref and !Sub ARNs name the boundary; a boundary-only ManagedPolicy grants nothing', async () => {
    expect(await findings({ 'template.yaml': template('!Ref LogsBoundary') })).toEqual([]);
  });

  it('AWS managed PowerUserAccess (NotAction) as the boundary of a role holding AdministratorAccess keeps IG202', async () => {
    expect(await findings({ 'template.yaml': template('arn:aws:iam::aws:policy/PowerUserAccess') })).toEqual([
      ['IG204', 'Exec', 2],
      ['IG301', 'Exec', 2],
      ['IG201', 'Exec', 12],
      ['IG202', 'Exec', 12],
      ['IG205', 'Exec', 12],
    ]);
  });

  it('an unknown boundary leaves the findings', async () => {
    expect(await findings({ 'template.yaml': template('!Ref BoundaryArn', 'Parameters:\n  BoundaryArn:\n    Type: String\n') })).toEqual([
      ['IG301', 'Exec', 5],
      ['IG201', 'Exec', 15],
      ['IG202', 'Exec', 15],
      ['IG205', 'Exec', 15],
    ]);
  });

  /** A parameter and a condition for `Fn::If` (5 lines before Resources). */
  const STRICT = 'Parameters:\n  Env:\n    Type: String\nConditions:\n  Strict: !Equals [!Ref Env, prod]\n';
  /** AdministratorAccess on Exec (line 7, its ARN on line 17) unbounded: every finding. */
  const UNBOUNDED_EXEC = [
    ['IG301', 'Exec', 7],
    ['IG201', 'Exec', 17],
    ['IG202', 'Exec', 17],
    ['IG205', 'Exec', 17],
  ];

  /** Exec under lambda:* alone: no administrator, so it may also put its code in any function of the account (IG204). */
  const LAMBDA_BOUNDED_EXEC = [['IG204', 'Exec', 7], ...UNBOUNDED_EXEC];

  it('an Fn::If boundary is any of its branches: a grant one branch lets through is reported, whichever branch is first', async () => {
    // LambdaBoundary lets lambda:* through; LogsBoundary nothing Lambda.
    const expected = LAMBDA_BOUNDED_EXEC;
    const logsFirst = { 'template.yaml': template('!If [Strict, !Ref LogsBoundary, !Ref LambdaBoundary]', STRICT) };
    expect(await findings(logsFirst)).toEqual(expected);
    expect(await evidence(logsFirst, 'IG301')).toEqual(['lambda:* on * via Exec']);
    expect(await findings({ 'template.yaml': template('!If [Strict, !Ref LambdaBoundary, !Ref LogsBoundary]', STRICT) })).toEqual(expected);
    // A branch without a boundary: as without one.
    expect(await findings({ 'template.yaml': template('!If [Strict, !Ref LogsBoundary, !Ref AWS::NoValue]', STRICT) })).toEqual(UNBOUNDED_EXEC);
  });

  it('IG204: an escalation any branch of an Fn::If boundary allows is reported', async () => {
    /** Deployer (line 7) with the three steps on * (its Action on line 16), under `boundary`; Wide allows *, Narrow logs only. */
    const deployer = (boundary: string) => `${STRICT}Resources:
  Deployer:
    Type: AWS::IAM::User
    Properties:
      PermissionsBoundary: ${boundary}
      Policies:
        - PolicyName: deploy
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: [iam:PassRole, lambda:CreateFunction, lambda:InvokeFunction]
                Resource: "*"
  Wide:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument: { Statement: [{ Effect: Allow, Action: "*", Resource: "*" }] }
  Narrow:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument: { Statement: [{ Effect: Allow, Action: "logs:*", Resource: "*" }] }
`;
    const escalates = [
      ['IG204', 'Deployer', 7],
      ['IG201', 'Deployer', 16],
    ];
    expect(await findings({ 'template.yaml': deployer('!If [Strict, !Ref Narrow, !Ref Wide]') })).toEqual(escalates);
    expect(await findings({ 'template.yaml': deployer('!If [Strict, !Ref Wide, !Ref Narrow]') })).toEqual(escalates);
    // Both branches narrow (Wide made logs-only too): nothing.
    expect(await findings({ 'template.yaml': deployer('!If [Strict, !Ref Narrow, !Ref Wide]').replace('Action: "*"', 'Action: "logs:*"') })).toEqual([]);
  });

  it('an Fn::If boundary invents nothing no branch lets through', async () => {
    expect(await findings({ 'template.yaml': template('!If [Strict, !Ref LogsBoundary, !Ref LogsBoundary]', STRICT) })).toEqual([]);
    // AWSLambdaRole (invoke only) in one branch: invoking every function is all that is left, not the admin the role would be unbounded.
    expect(await findings({ 'template.yaml': template('!If [Strict, !Ref LogsBoundary, arn:aws:iam::aws:policy/service-role/AWSLambdaRole]', STRICT) })).toEqual([['IG201', 'Exec', 17]]);
  });

  it('a boundary policy whose document is an Fn::If is each of its documents', async () => {
    const withAction = (action: string) => template('!Ref LogsBoundary', STRICT).replace('Action: logs:CreateLogStream', `Action: ${action}`);
    expect(await findings({ 'template.yaml': withAction('!If [Strict, logs:CreateLogStream, logs:PutLogEvents]') })).toEqual([]);
    const lambdaInOne = { 'template.yaml': withAction('!If [Strict, logs:CreateLogStream, "lambda:*"]') };
    expect(await findings(lambdaInOne)).toEqual(LAMBDA_BOUNDED_EXEC);
    expect(await evidence(lambdaInOne, 'IG301')).toEqual(['lambda:* on * via Exec']);
  });

  const sam = (globals: string) => `Transform: AWS::Serverless-2016-10-31
${globals}Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: .
      Policies:
        - AdministratorAccess
        - Statement:
            - Effect: Allow
              Action: lambda:InvokeFunction
              Resource: "*"
  Boundary:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Statement:
          - Effect: Allow
            Action: logs:CreateLogStream
            Resource: "*"
`;

  it('Globals.Function.PermissionsBoundary bounds the role SAM generates', async () => {
    // Without it: AdministratorAccess (line 10) and the inline statement (line 13) are reported, and the role is an admin.
    expect(await findings({ 'template.yaml': sam('') })).toEqual([
      ['IG301', 'FnRole', 3],
      ['IG201', 'Fn', 10],
      ['IG202', 'Fn', 10],
      ['IG205', 'Fn', 10],
      ['IG201', 'Fn', 13],
    ]);
    expect(await findings({ 'template.yaml': sam('Globals:\n  Function:\n    PermissionsBoundary: !Ref Boundary\n') })).toEqual([]);
    // The function's own, the same way.
    expect(await findings({ 'template.yaml': sam('').replace('      CodeUri: .', '      CodeUri: .\n      PermissionsBoundary: !Ref Boundary') })).toEqual([]);
    // An Fn::If one: any branch (here AdministratorAccess, which caps nothing).
    const either = (boundary: string) => sam(STRICT).replace('      CodeUri: .', `      CodeUri: .\n      PermissionsBoundary: !If [Strict, ${boundary}]`);
    expect(await findings({ 'template.yaml': either('!Ref Boundary, !Ref Boundary') })).toEqual([]);
    expect(await findings({ 'template.yaml': either('!Ref Boundary, arn:aws:iam::aws:policy/AdministratorAccess') })).toEqual([
      ['IG301', 'FnRole', 8],
      ['IG201', 'Fn', 16],
      ['IG202', 'Fn', 16],
      ['IG205', 'Fn', 16],
      ['IG201', 'Fn', 19],
    ]);
  });
});

describe('invoke graph', () => {
  const tree = (boundary: string) =>
    tempTree({
      'main.tf': `resource "aws_lambda_function" "a" {
  function_name = "a"
  role          = "arn:aws:iam::123456789012:role/x"
}

resource "aws_lambda_function" "b" {
  function_name = "b"
  role          = "arn:aws:iam::123456789012:role/x"
}

resource "aws_iam_user" "caller" {
  name                 = "caller"
  permissions_boundary = aws_iam_policy.boundary.arn
}

resource "aws_iam_user_policy" "invoke" {
  user   = aws_iam_user.caller.name
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "lambda:InvokeFunction", Resource = "*" }] })
}
`,
      'boundary.tf': boundaryPolicy(boundary),
    });

  async function invokers(cwd: string) {
    const { model } = await loadModel({ paths: ['.'], cwd });
    return invokerGraph(model).map((f) => [f.function, f.invokers.map((i) => (i.kind === 'identity-policy' ? `${i.principal} via ${i.policy}` : i.kind))]);
  }

  it('lists only the functions the boundary lets the holder invoke; a boundary-only policy is no invoker', async () => {
    expect(await invokers(tree('[{ Effect = "Allow", Action = "lambda:InvokeFunction", Resource = aws_lambda_function.a.arn }]'))).toEqual([
      ['aws_lambda_function.a', ['aws_iam_user.caller via aws_iam_user_policy.invoke']],
      ['aws_lambda_function.b', []],
    ]);
    expect(await invokers(tree('[{ Effect = "Allow", Action = "lambda:*", Resource = "*" }, { Effect = "Deny", Action = "lambda:InvokeFunction", Resource = aws_lambda_function.b.arn }]'))).toEqual([
      ['aws_lambda_function.a', ['aws_iam_user.caller via aws_iam_user_policy.invoke']],
      ['aws_lambda_function.b', []],
    ]);
  });
});

describe('Terraform plan and state JSON', () => {
  /** A state with an execution role holding AdministratorAccess under the boundary ARN `boundary`, and the policy `logs-boundary`. */
  const state = (boundary: string) =>
    JSON.stringify(
      {
        format_version: '1.0',
        values: {
          root_module: {
            resources: [
              {
                address: 'aws_iam_role.exec',
                mode: 'managed',
                type: 'aws_iam_role',
                name: 'exec',
                values: {
                  name: 'exec',
                  assume_role_policy: JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'lambda.amazonaws.com' } }] }),
                  managed_policy_arns: ['arn:aws:iam::aws:policy/AdministratorAccess'],
                  permissions_boundary: boundary,
                },
              },
              {
                address: 'aws_iam_policy.boundary',
                mode: 'managed',
                type: 'aws_iam_policy',
                name: 'boundary',
                values: { name: 'logs-boundary', policy: JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 'logs:*', Resource: 'arn:aws:logs:*:*:log-group:/aws/lambda/*' }] }) },
              },
            ],
          },
        },
      },
      null,
      2,
    );

  it('resolves the boundary ARN a plan writes to the policy of that name', async () => {
    expect(await findings({ 'state.json': state('arn:aws:iam::123456789012:policy/logs-boundary') })).toEqual([]);
    // Not in the plan, or none (`null`): as without one. The role's block starts on line 6; its managed_policy_arns entry is on line 15.
    const unbounded = [
      ['IG301', 'aws_iam_role.exec', 6],
      ['IG201', 'aws_iam_role.exec', 15],
      ['IG202', 'aws_iam_role.exec', 15],
      ['IG205', 'aws_iam_role.exec', 15],
    ];
    expect(await findings({ 'state.json': state('arn:aws:iam::123456789012:policy/not-in-the-plan') })).toEqual(unbounded);
    expect(await findings({ 'state.json': state(null as unknown as string) })).toEqual(unbounded);
  });
});
