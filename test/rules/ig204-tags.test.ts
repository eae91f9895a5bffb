import { describe, expect, it } from '@jest/globals';
import { scan } from '../../src/scan.js';
import { tempTree } from '../helpers/temp-tree.js';

/** A user whose inline policy holds `statements` (HCL objects), the first on line 9: the user on line 1. */
const deployer = (statements: string[], rest = '') => `resource "aws_iam_user" "deployer" {
  name = "deployer"
}

resource "aws_iam_user_policy" "deploy" {
  user = aws_iam_user.deployer.name
  policy = jsonencode({
    Statement = [
${statements.map((st) => `      ${st},`).join('\n')}
    ]
  })
}
${rest}`;

const FN = 'arn:aws:lambda:us-east-1:123456789012:function:';
const PASS_ANY = '{ Effect = "Allow", Action = "iam:PassRole", Resource = "*" }';
const allow = (actions: string, resource: string, condition = '') => `{ Effect = "Allow", Action = ${actions}, Resource = "${resource}"${condition ? `, Condition = ${condition}` : ''} }`;
const tag = (operator: string, key: string, value: string) => `{ ${operator} = { "${key}" = ${value} } }`;
/** Create and tag on every function, sending team = `value` (`operator`); invoke on every function tagged team = `gate`. */
const abac = (value: string, gate: string, operator = 'StringEquals', gateOperator = 'StringEquals') => [
  PASS_ANY,
  allow('["lambda:CreateFunction", "lambda:TagResource"]', '*', tag(operator, 'aws:RequestTag/team', value)),
  allow('"lambda:InvokeFunction"', '*', tag(gateOperator, 'aws:ResourceTag/team', gate)),
];

async function ig204(statements: string[], rest = '') {
  const { findings } = await scan({ paths: ['.'], cwd: tempTree({ 'main.tf': deployer(statements, rest) }) });
  return findings.filter((f) => f.ruleId === 'IG204').map((f) => ({ at: [f.resource, f.range.line], severity: f.severity, message: f.message }));
}

/** The clause a finding names the path with, or none. */
async function clause(statements: string[], rest = '') {
  const found = await ig204(statements, rest);
  expect(found.map((f) => f.at)).toEqual(found.length ? [['aws_iam_user.deployer', 1]] : []);
  return found[0]?.message.replace(/^.*?through Lambda: /, '').replace(/, granted (together )?by .*$/, '');
}

describe('IG204: invoke gated by aws:ResourceTag, on functions the caller creates and tags', () => {
  it('reports a tag the caller may send on create that meets the invoke condition, naming the key and the statements', async () => {
    expect(await clause(abac('"blue"', '"blue"'))).toBe(
      'iam:PassRole on every resource, lambda:CreateFunction, lambda:TagResource and lambda:InvokeFunction on functions matching `*`, ' +
        'tagging the function it creates team = `blue` (allowed by the statement at main.tf:10) to meet the aws:ResourceTag/team condition of the statement at main.tf:11',
    );
  });

  it('needs the values to overlap: StringEquals on both sides, and StringLike on either', async () => {
    expect(await clause(abac('"red"', '"blue"'))).toBeUndefined();
    expect(await clause(abac('["red", "blue"]', '"blue"'))).toContain('team = `blue`');
    expect(await clause(abac('"team-*"', '"team-blue"', 'StringLike'))).toContain('team = `team-blue`');
    expect(await clause(abac('"ops-*"', '"team-*"', 'StringLike', 'StringLike'))).toBeUndefined();
    // StringEquals compares case-sensitively; `*` in StringEquals is the character itself.
    expect(await clause(abac('"Blue"', '"blue"'))).toBeUndefined();
    expect(await clause(abac('"*"', '"blue"'))).toBeUndefined();
  });

  it('counts a create with no tag condition when TagResource is allowed on what it creates, and nothing without TagResource', async () => {
    const gate = allow('"lambda:InvokeFunction"', `${FN}app-*`, tag('StringEquals', 'aws:ResourceTag/team', '"blue"'));
    expect(await clause([PASS_ANY, allow('["lambda:CreateFunction", "lambda:TagResource"]', `${FN}app-*`), gate])).toContain('team = `blue`');
    expect(await clause([PASS_ANY, allow('"lambda:CreateFunction"', `${FN}app-*`), gate])).toBeUndefined();
    // TagResource on other names than CreateFunction's: no one name takes both.
    expect(await clause([PASS_ANY, allow('"lambda:CreateFunction"', `${FN}app-*`), allow('"lambda:TagResource"', `${FN}web-*`), gate])).toBeUndefined();
    // An unconditional Deny of TagResource takes the tag away.
    expect(await clause([PASS_ANY, allow('["lambda:CreateFunction", "lambda:TagResource"]', `${FN}app-*`), gate, '{ Effect = "Deny", Action = "lambda:TagResource", Resource = "*" }'])).toBeUndefined();
  });

  it('reads a policy variable or an unknown value as one fixed value: the same on both sides meets, two different ones do not', async () => {
    const principal = '"$${aws:PrincipalTag/team}"';
    expect(await clause(abac(principal, principal))).toContain('team = `${aws:PrincipalTag/team}`');
    expect(await clause(abac(principal, '"blue"'))).toBeUndefined();
    const variables = 'variable "a" {}\nvariable "b" {}\n';
    expect(await clause(abac('var.a', 'var.a'), variables)).toContain('team = `${var.a}`');
    expect(await clause(abac('var.a', 'var.b'), variables)).toBeUndefined();
  });

  it('reads aws:TagKeys for the keys the path must send', async () => {
    const create = (keys: string) => allow('["lambda:CreateFunction", "lambda:TagResource"]', '*', tag('"ForAllValues:StringEquals"', 'aws:TagKeys', keys));
    const gate = allow('"lambda:InvokeFunction"', '*', tag('StringEquals', 'aws:ResourceTag/team', '"blue"'));
    expect(await clause([PASS_ANY, create('["owner"]'), gate])).toBeUndefined();
    expect(await clause([PASS_ANY, create('["owner", "team"]'), gate])).toContain('team = `blue`');
  });

  it('leaves out what it cannot decide: IgnoreCase operators, and a gate with another scoping condition', async () => {
    expect(await clause(abac('"blue"', '"blue"', 'StringEquals', 'StringEqualsIgnoreCase'))).toBeUndefined();
    const gate = `{ Effect = "Allow", Action = "lambda:InvokeFunction", Resource = "*", Condition = { StringEquals = { "aws:ResourceTag/team" = "blue", "lambda:FunctionArn" = "${FN}one" } } }`;
    expect(await clause([PASS_ANY, allow('["lambda:CreateFunction", "lambda:TagResource"]', '*'), gate])).toBeUndefined();
  });

  it('runs through a tag-gated AddPermission as through InvokeFunction', async () => {
    const gate = allow('"lambda:AddPermission"', '*', tag('StringEquals', 'aws:ResourceTag/team', '"blue"'));
    expect(await clause([PASS_ANY, allow('["lambda:CreateFunction", "lambda:TagResource"]', '*'), gate])).toContain('lambda:TagResource and lambda:AddPermission on functions matching `*`');
  });
});

/** A function this scan deploys, named `orders`. */
const ORDERS = `
resource "aws_lambda_function" "orders" {
  function_name = "orders"
  role          = "arn:aws:iam::123456789012:role/orders"
  handler       = "index.handler"
  runtime       = "nodejs20.x"
  filename      = "orders.zip"
}
`;

describe('IG204: a CI deployer that can run only functions the scan deploys', () => {
  const ci = (invoke: string) => [PASS_ANY, allow('"lambda:CreateFunction"', '*'), allow('"lambda:InvokeFunction"', invoke)];

  it('reports it one step lower, saying why, when every function it can run is deployed by the scan', async () => {
    const [found] = await ig204(ci(`${FN}orders`), ORDERS);
    expect(found.at).toEqual(['aws_iam_user.deployer', 1]);
    expect(found.severity).toBe('high');
    expect(found.message).toContain(
      'Every way found runs the function it creates under the name of one this scan deploys (`orders`), which CreateFunction cannot take while that function exists: high, not critical,',
    );
    // The deployment's own region and account, written as references, fix them as literals do.
    const own = 'arn:aws:lambda:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:function:orders';
    expect((await ig204(ci(own), ORDERS)).map((f) => f.severity)).toEqual(['high']);
  });

  it('stays critical when the ARN leaves region or account open: a name is unique only within one of each', async () => {
    expect(await ig204(ci('arn:aws:lambda:*:*:function:orders'), ORDERS)).toEqual([{ at: ['aws_iam_user.deployer', 1], severity: 'critical', message: expect.not.stringContaining('this scan deploys') }]);
    expect((await ig204(ci('arn:aws:lambda:us-east-1:*:function:orders'), ORDERS)).map((f) => f.severity)).toEqual(['critical']);
    expect((await ig204(ci('arn:aws:lambda:eu-*:123456789012:function:orders'), ORDERS)).map((f) => f.severity)).toEqual(['critical']);
    // A variable may name any region.
    expect((await ig204(ci('arn:aws:lambda:${var.region}:123456789012:function:orders'), ORDERS)).map((f) => f.severity)).toEqual(['critical']);
  });

  it('stays critical when the name is not deployed here, or another name can be created and run', async () => {
    expect((await ig204(ci(`${FN}orders`))).map((f) => f.severity)).toEqual(['critical']);
    expect((await ig204(ci(`${FN}payments`), ORDERS)).map((f) => f.severity)).toEqual(['critical']);
    expect((await ig204([...ci(`${FN}orders`), allow('"lambda:AddPermission"', `${FN}app-*`)], ORDERS)).map((f) => f.severity)).toEqual(['critical']);
    expect((await ig204([...ci(`${FN}orders`), allow('"lambda:CreateEventSourceMapping"', '*')], ORDERS)).map((f) => f.severity)).toEqual(['critical']);
  });

  it('stays critical when it can delete the deployed function, freeing the name itself', async () => {
    const remove = (resource: string) => allow('"lambda:DeleteFunction"', resource);
    const [found] = await ig204([...ci(`${FN}orders`), remove(`${FN}orders`)], ORDERS);
    expect(found).toEqual({ at: ['aws_iam_user.deployer', 1], severity: 'critical', message: expect.not.stringContaining('this scan deploys') });
    expect((await ig204([...ci(`${FN}orders`), remove('*')], ORDERS)).map((f) => f.severity)).toEqual(['critical']);
    // Another function, or a Deny on this one: the name stays taken.
    expect((await ig204([...ci(`${FN}orders`), remove(`${FN}payments`)], ORDERS)).map((f) => f.severity)).toEqual(['high']);
    const denied = '{ Effect = "Deny", Action = "lambda:DeleteFunction", Resource = "*" }';
    expect((await ig204([...ci(`${FN}orders`), remove('*'), denied], ORDERS)).map((f) => f.severity)).toEqual(['high']);
  });

  it('stays critical when it can reconfigure and recode the deployed function itself', async () => {
    const update = allow('["lambda:UpdateFunctionConfiguration", "lambda:UpdateFunctionCode"]', `${FN}orders`);
    const [found] = await ig204([...ci(`${FN}orders`), update], ORDERS);
    expect(found.severity).toBe('critical');
    expect(found.message).not.toContain('this scan deploys');
  });
});
