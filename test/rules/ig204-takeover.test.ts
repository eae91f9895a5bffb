import { describe, expect, it } from '@jest/globals';
import { scan } from '../../src/scan.js';
import { tempTree } from '../helpers/temp-tree.js';

const FN = 'arn:aws:lambda:us-east-1:111122223333:function:';
const allow = (actions: string, resource: string, condition = '') => `{ Effect = "Allow", Action = ${actions}, Resource = "${resource}"${condition} }`;
const deny = (actions: string, resource: string) => `{ Effect = "Deny", Action = ${actions}, Resource = "${resource}" }`;
const ADMIN = '{ Effect = "Allow", Action = "*", Resource = "*" }';
const LOGS = '{ Effect = "Allow", Action = ["logs:CreateLogStream", "logs:PutLogEvents"], Resource = "*" }';

/** A user (line 1) with `statements` inline, and functions, each `[name, role statements]` running as a role of its own. */
function tree(statements: string[], functions: Array<[string, string[]]> = [], extra = '') {
  const user = `resource "aws_iam_user" "dev" {
  name = "dev"
}

resource "aws_iam_user_policy" "dev" {
  user = aws_iam_user.dev.name
  policy = jsonencode({ Statement = [${statements.join(', ')}] })
}
`;
  const deployed = functions.map(
    ([name, role]) => `
resource "aws_iam_role" "${name}" {
  name = "${name}"
  assume_role_policy = jsonencode({ Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }] })
}

resource "aws_iam_role_policy" "${name}" {
  role   = aws_iam_role.${name}.name
  policy = jsonencode({ Statement = [${role.join(', ')}] })
}

resource "aws_lambda_function" "${name}" {
  function_name = "${name}"
  role          = aws_iam_role.${name}.arn
  handler       = "index.handler"
  runtime       = "python3.12"
  filename      = "x.zip"
}
`,
  );
  return user + deployed.join('') + extra;
}

async function ig204(text: string) {
  const { findings } = await scan({ paths: ['.'], cwd: tempTree({ 'main.tf': text }) });
  return findings.filter((f) => f.ruleId === 'IG204').map((f) => ({ at: [f.resource, f.range.line], severity: f.severity, message: f.message, evidence: f.evidence }));
}

const UPDATE_AND_INVOKE = '["lambda:UpdateFunctionCode", "lambda:InvokeFunction"]';

describe('IG204 without iam:PassRole: the caller puts its code in an existing function that runs as a more powerful role', () => {
  it('reports UpdateFunctionCode and InvokeFunction on a function running as an administrator, at the caller, naming the function and its role', async () => {
    const found = await ig204(tree([allow(UPDATE_AND_INVOKE, `${FN}janitor`)], [['janitor', [ADMIN]]]));
    expect(found.map((f) => [f.at, f.severity])).toEqual([[['aws_iam_user.dev', 1], 'critical']]);
    expect(found[0].message).toBe(
      `aws_iam_user.dev can escalate privileges through Lambda: lambda:UpdateFunctionCode and lambda:InvokeFunction on functions matching \`${FN}janitor\`, granted by aws_iam_user_policy.dev (main.tf:5).` +
        ' The code runs in function `janitor` (aws_lambda_function.janitor) as its execution role aws_iam_role.janitor, which holds administrator access (`*` on `*`) that this principal lacks. No iam:PassRole is needed.',
    );
    expect(found[0].evidence).toBe('lambda:UpdateFunctionCode + lambda:InvokeFunction via aws_iam_user_policy.dev on aws_lambda_function.janitor');
  });

  it('reports nothing when the role is no more powerful than the caller', async () => {
    // Weaker: the function only writes logs.
    expect(await ig204(tree([allow(UPDATE_AND_INVOKE, `${FN}janitor`)], [['janitor', [LOGS]]]))).toEqual([]);
    // Equal: both may pass any role (the caller's grants reach no function of its own to put it in).
    const passAny = allow('"iam:PassRole"', '*');
    expect(await ig204(tree([passAny, allow(UPDATE_AND_INVOKE, `${FN}janitor`)], [['janitor', [passAny]]]))).toEqual([]);
  });

  it('names the powers the role holds and the caller lacks', async () => {
    const iamWrite = allow('"iam:AttachRolePolicy"', '*');
    const assume = allow('"sts:AssumeRole"', '*');
    const found = await ig204(tree([assume, allow(UPDATE_AND_INVOKE, `${FN}janitor`)], [['janitor', [iamWrite, assume]]]));
    expect(found.map((f) => f.at)).toEqual([['aws_iam_user.dev', 1]]);
    expect(found[0].message).toContain('which holds IAM write access (policies or credentials of every role or user) that this principal lacks.');
  });

  it('needs the grants to reach the function, past the Denies, and a way to run it', async () => {
    const janitor: Array<[string, string[]]> = [['janitor', [ADMIN]]];
    expect(await ig204(tree([allow(UPDATE_AND_INVOKE, `${FN}reporter`)], janitor))).toEqual([]);
    expect(await ig204(tree([allow(UPDATE_AND_INVOKE, `${FN}jan*`), deny('"lambda:UpdateFunctionCode"', `${FN}janitor`)], janitor))).toEqual([]);
    expect(await ig204(tree([allow('"lambda:UpdateFunctionCode"', `${FN}janitor`)], janitor))).toEqual([]);
    // AddPermission runs it as InvokeFunction does; a pattern naming it is enough.
    const viaAddPermission = await ig204(tree([allow('["lambda:UpdateFunctionCode", "lambda:AddPermission"]', `${FN}jan*`)], janitor));
    expect(viaAddPermission.map((f) => f.message)).toEqual([expect.stringContaining(`lambda:UpdateFunctionCode and lambda:AddPermission on functions matching \`${FN}jan*\``)]);
  });

  it('needs a known permissions boundary of the caller to allow the update, and judges the role under its own', async () => {
    const janitor: Array<[string, string[]]> = [['janitor', [ADMIN]]];
    const capped = (text: string, resource: string, role: string) =>
      text.replace(`name = "${resource}"`, `name = "${resource}"\n  permissions_boundary = aws_iam_policy.${role}.arn`) +
      `\nresource "aws_iam_policy" "${role}" {\n  name = "${role}"\n  policy = jsonencode({ Statement = [${role === 'cap' ? allow('"lambda:InvokeFunction"', '*') : LOGS}] })\n}\n`;
    expect(await ig204(capped(tree([allow(UPDATE_AND_INVOKE, `${FN}janitor`)], janitor), 'dev', 'cap'))).toEqual([]);
    // An administrator role under a boundary that lets it only write logs holds nothing the caller lacks.
    expect(await ig204(capped(tree([allow(UPDATE_AND_INVOKE, `${FN}janitor`)], janitor), 'janitor', 'logs_only'))).toEqual([]);
  });

  it('on every function, names a function of the scan whose role is more powerful, and nothing when none is', async () => {
    const everyFunction = [allow(UPDATE_AND_INVOKE, 'arn:aws:lambda:*:*:function:*')];
    const found = await ig204(tree(everyFunction, [['reporter', [LOGS]], ['janitor', [ADMIN]]]));
    expect(found.map((f) => [f.at, f.severity])).toEqual([[['aws_iam_user.dev', 1], 'critical']]);
    expect(found[0].message).toContain('The code runs in function `janitor` (aws_lambda_function.janitor) as its execution role aws_iam_role.janitor');
    expect(await ig204(tree(everyFunction, [['reporter', [LOGS]]]))).toEqual([]);
  });

  it('on every function, with no function whose role the scan holds: any role a function runs with, high, with or without a way to run it', async () => {
    for (const statements of [[allow(UPDATE_AND_INVOKE, 'arn:aws:lambda:*:*:function:*')], [allow('"lambda:UpdateFunctionCode"', '*')]]) {
      const found = await ig204(tree(statements));
      expect(found.map((f) => [f.at, f.severity])).toEqual([[['aws_iam_user.dev', 1], 'high']]);
      expect(found[0].message).toContain('lambda:UpdateFunctionCode on every function, granted by aws_iam_user_policy.dev (main.tf:5). The code runs as any role a function of the account runs with');
    }
    // Named functions of unknown roles are no escalation the scan can show.
    expect(await ig204(tree([allow(UPDATE_AND_INVOKE, `${FN}janitor`)]))).toEqual([]);
  });

  it('adds a layer to the function (UpdateFunctionConfiguration with GetLayerVersion on every layer; PublishLayerVersion named when granted)', async () => {
    const layers = allow('["lambda:PublishLayerVersion", "lambda:GetLayerVersion"]', '*');
    const configure = allow('["lambda:UpdateFunctionConfiguration", "lambda:InvokeFunction"]', `${FN}janitor`);
    const found = await ig204(tree([layers, configure], [['janitor', [ADMIN]]]));
    expect(found.map((f) => [f.at, f.severity])).toEqual([[['aws_iam_user.dev', 1], 'critical']]);
    expect(found[0].message).toContain(
      `lambda:PublishLayerVersion and lambda:GetLayerVersion on every layer, lambda:UpdateFunctionConfiguration and lambda:InvokeFunction on functions matching \`${FN}janitor\``,
    );
    // GetLayerVersion alone: a layer shared by an account of the caller's elsewhere.
    const shared = await ig204(tree([allow('"lambda:GetLayerVersion"', '*'), configure], [['janitor', [ADMIN]]]));
    expect(shared.map((f) => [f.at, f.severity])).toEqual([[['aws_iam_user.dev', 1], 'critical']]);
    expect(shared[0].message).toContain('lambda:GetLayerVersion on every layer (a layer another account shares with everyone)');
    // Without a layer it can add, or with only layers a lambda:Layer condition names, it cannot.
    expect(await ig204(tree([configure], [['janitor', [ADMIN]]]))).toEqual([]);
    const ownAccountLayers = ', Condition = { "ForAllValues:StringLike" = { "lambda:Layer" = ["arn:aws:lambda:*:111122223333:layer:approved-*:*"] } }';
    expect(await ig204(tree([layers, allow('["lambda:UpdateFunctionConfiguration"]', `${FN}janitor`, ownAccountLayers), allow('"lambda:InvokeFunction"', `${FN}janitor`)], [['janitor', [ADMIN]]]))).toEqual([]);
    // On every function, with no role known: high.
    const anyRole = await ig204(tree([layers, allow('"lambda:UpdateFunctionConfiguration"', 'arn:aws:lambda:*:*:function:*')]));
    expect(anyRole.map((f) => [f.at, f.severity])).toEqual([[['aws_iam_user.dev', 1], 'high']]);
  });

  it('leaves a finding of the PassRole paths as it was', async () => {
    const found = await ig204(tree([allow('"iam:PassRole"', '*'), allow('["lambda:CreateFunction", "lambda:InvokeFunction"]', '*')], [['janitor', [ADMIN]]]));
    expect(found.map((f) => [f.severity, f.evidence])).toEqual([['critical', 'iam:PassRole + lambda:CreateFunction + lambda:InvokeFunction via aws_iam_user_policy.dev']]);
    expect(found[0].message).not.toContain('No iam:PassRole is needed');
  });
});

describe('IG204 without iam:PassRole: a grant naming the function by a reference to its ARN', () => {
  it('reads aws_lambda_function.x.arn as that function (its qualified ARN is not it)', async () => {
    const byReference = (ref: string) => tree([`{ Effect = "Allow", Action = ${UPDATE_AND_INVOKE}, Resource = ${ref} }`], [['janitor', [ADMIN]], ['reporter', [LOGS]]]);
    const found = await ig204(byReference('aws_lambda_function.janitor.arn'));
    expect(found.map((f) => f.at)).toEqual([['aws_iam_user.dev', 1]]);
    expect(found[0].message).toContain('on functions matching `${aws_lambda_function.janitor.arn}`');
    expect(found[0].message).toContain('The code runs in function `janitor` (aws_lambda_function.janitor)');
    expect(await ig204(byReference('aws_lambda_function.reporter.arn'))).toEqual([]);
    expect(await ig204(byReference('aws_lambda_function.janitor.qualified_arn'))).toEqual([]);
  });

  it('reads !GetAtt Fn.Arn as that function, and names a function without a FunctionName by its logical id', async () => {
    const template = `Resources:
  JanitorRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - { Effect: Allow, Principal: { Service: lambda.amazonaws.com }, Action: sts:AssumeRole }
      ManagedPolicyArns: [arn:aws:iam::aws:policy/AdministratorAccess]
  Janitor:
    Type: AWS::Lambda::Function
    Properties:
      Role: !GetAtt JanitorRole.Arn
      Handler: index.handler
      Runtime: python3.12
      Code: { ZipFile: "def handler(e, c): pass" }
  Dev:
    Type: AWS::IAM::User
    Properties:
      Policies:
        - PolicyName: update-janitor
          PolicyDocument:
            Statement:
              - { Effect: Allow, Action: [lambda:UpdateFunctionCode, lambda:InvokeFunction], Resource: !GetAtt Janitor.Arn }
`;
    const { findings } = await scan({ paths: ['.'], cwd: tempTree({ 'template.yaml': template }) });
    const found = findings.filter((f) => f.ruleId === 'IG204');
    expect(found.map((f) => [f.resource, f.range.line, f.severity])).toEqual([['Dev', 16, 'critical']]);
    expect(found[0].message).toContain('The code runs in function Janitor as its execution role JanitorRole, which holds administrator access');
  });
  it('leaves a caller whom a Deny keeps to functions carrying a tag, as it does the Allow with that tag condition (the scan holds no function tags)', async () => {
    const unless = (operator: string) => `{ Effect = "Deny", Action = "lambda:*", Resource = "*", Condition = { ${operator} = { "aws:ResourceTag/app" = "orders" } } }`;
    const update = allow(UPDATE_AND_INVOKE, '*');
    expect(await ig204(tree([update, unless('StringNotEquals')], [['janitor', [ADMIN]]]))).toEqual([]);
    expect(await ig204(tree([update, unless('StringNotLike')]))).toEqual([]);
    // The same as an Allow condition.
    expect(await ig204(tree([allow(UPDATE_AND_INVOKE, '*', ', Condition = { StringEquals = { "aws:ResourceTag/app" = "orders" } }')]))).toEqual([]);
    // A Deny of the tagged functions alone leaves every other one: still reported.
    const found = await ig204(tree([update, unless('StringEquals')], [['janitor', [ADMIN]]]));
    expect(found.map((f) => [f.at, f.severity])).toEqual([[['aws_iam_user.dev', 1], 'critical']]);
  });
});
