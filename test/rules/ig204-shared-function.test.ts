import { describe, expect, it } from '@jest/globals';
import { scan } from '../../src/scan.js';
import { tempTree } from '../helpers/temp-tree.js';

/** A user whose inline policy holds `statements` (HCL objects): the user on line 1. */
const deployer = (statements: string[], preamble = '') => `resource "aws_iam_user" "deployer" {
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
${preamble}`;

const FN = 'arn:aws:lambda:us-east-1:123456789012:function:';
const PASS_ANY = '{ Effect = "Allow", Action = "iam:PassRole", Resource = "*" }';
const allow = (actions: string, resource: string) => `{ Effect = "Allow", Action = ${actions}, Resource = "${resource}" }`;
const deny = (actions: string, resource: string) => `{ Effect = "Deny", Action = ${actions}, Resource = "${resource}" }`;

async function ig204(statements: string[], preamble = '') {
  const { findings } = await scan({ paths: ['.'], cwd: tempTree({ 'main.tf': deployer(statements, preamble) }) });
  return findings.filter((f) => f.ruleId === 'IG204').map((f) => ({ at: [f.resource, f.range.line], message: f.message }));
}

/** The clause a finding names the shared functions with, or none. */
async function clause(statements: string[], preamble = '') {
  const found = await ig204(statements, preamble);
  expect(found.map((f) => f.at)).toEqual(found.length ? [['aws_iam_user.deployer', 1]] : []);
  return found[0]?.message.replace(/^.*?through Lambda: /, '').replace(/, granted (together )?by .*$/, '');
}

describe('IG204: CreateFunction and a way to run it on one function they share', () => {
  it('reports the prefix deployer, naming the shared pattern', async () => {
    expect(await clause([PASS_ANY, allow('["lambda:CreateFunction", "lambda:InvokeFunction"]', `${FN}app-*`)])).toBe(
      `iam:PassRole on every resource, lambda:CreateFunction and lambda:InvokeFunction on functions matching \`${FN}app-*\``,
    );
  });

  it('reports nothing when the prefixes are disjoint', async () => {
    expect(await clause([PASS_ANY, allow('"lambda:CreateFunction"', `${FN}app-*`), allow('"lambda:InvokeFunction"', `${FN}web-*`)])).toBeUndefined();
  });

  it('reports one exact name it can both create and invoke: CreateFunction succeeds whenever that name is free', async () => {
    expect(await clause([PASS_ANY, allow('"lambda:CreateFunction"', `${FN}orders`), allow('"lambda:InvokeFunction"', `${FN}orders`)])).toBe(
      `iam:PassRole on every resource, lambda:CreateFunction and lambda:InvokeFunction on functions matching \`${FN}orders\``,
    );
    expect(await clause([PASS_ANY, allow('"lambda:CreateFunction"', `${FN}orders`), allow('"lambda:InvokeFunction"', `${FN}payments`)])).toBeUndefined();
  });

  it('finds the one name two long lists of exact names share', async () => {
    const names = (prefix: string) => `[${Array.from({ length: 60 }, (_, i) => `"${FN}${prefix}-${i}"`).join(', ')}]`;
    const lists = (invoke: string) => [PASS_ANY, `{ Effect = "Allow", Action = "lambda:CreateFunction", Resource = ${names('build')} }`, `{ Effect = "Allow", Action = "lambda:InvokeFunction", Resource = ${invoke} }`];
    expect(await clause(lists(names('run')))).toBeUndefined();
    expect(await clause(lists(names('run').replace(`${FN}run-59`, `${FN}BUILD-59`)))).toContain(`on functions matching \`${FN}build-59\``);
  });

  it('names the narrower grant, or both when neither holds the other', async () => {
    expect(await clause([PASS_ANY, allow('"lambda:CreateFunction"', '*'), allow('"lambda:InvokeFunction"', `${FN}app-*`)])).toContain(`on functions matching \`${FN}app-*\``);
    expect(await clause([PASS_ANY, allow('"lambda:CreateFunction"', `${FN}app-*`), allow('"lambda:InvokeFunction"', 'arn:aws:lambda:*:*:function:*-prod')])).toContain(
      `on functions matching both \`${FN}app-*\` and \`arn:aws:lambda:*:*:function:*-prod\``,
    );
  });

  it('runs through AddPermission as through InvokeFunction, and through an event source mapping on every mapping', async () => {
    expect(await clause([PASS_ANY, allow('["lambda:CreateFunction", "lambda:AddPermission"]', `${FN}app-*`)])).toContain('lambda:CreateFunction and lambda:AddPermission on functions matching');
    expect(await clause([PASS_ANY, allow('"lambda:CreateFunction"', `${FN}app-*`), allow('"lambda:CreateEventSourceMapping"', '*')])).toBe(
      `iam:PassRole on every resource, lambda:CreateFunction on functions matching \`${FN}app-*\` and lambda:CreateEventSourceMapping on every event source mapping`,
    );
  });

  it('an unconditional Deny covering the whole shared part removes it; one covering part of it does not', async () => {
    const both = [PASS_ANY, allow('["lambda:CreateFunction", "lambda:InvokeFunction"]', `${FN}app-*`)];
    expect(await clause([...both, deny('"lambda:CreateFunction"', `${FN}app-*`)])).toBeUndefined();
    expect(await clause([...both, deny('"lambda:Invoke*"', 'arn:aws:lambda:*:*:function:*')])).toBeUndefined();
    // Create denied on app-a*, invoke on every other app-* name: each action is denied on part, and no name is left for both.
    const restOfApp = `{ Effect = "Deny", Action = "lambda:InvokeFunction", Resource = ["${FN}app-?*", "${FN}app-"] }`;
    expect(await clause([...both, deny('"lambda:CreateFunction"', `${FN}app-a*`), restOfApp])).toBeUndefined();
    // Without the Deny of `app-` itself that name (a valid one) is left.
    expect(await clause([...both, deny('"lambda:CreateFunction"', `${FN}app-a*`), deny('"lambda:InvokeFunction"', `${FN}app-?*`)])).toContain('on functions matching');
    expect(await clause([...both, deny('"lambda:CreateFunction"', `${FN}app-prod-*`)])).toContain('on functions matching');
    // A conditional Deny removes nothing (as on the every-function path).
    expect(await clause([...both, '{ Effect = "Deny", Action = "lambda:CreateFunction", Resource = "*", Condition = { Bool = { "aws:MultiFactorAuthPresent" = "false" } } }'])).toContain(
      'on functions matching',
    );
  });

  it('a NotResource Deny leaves open only what it lists', async () => {
    const both = [PASS_ANY, allow('["lambda:CreateFunction", "lambda:InvokeFunction"]', `${FN}app-*`)];
    const denyAllBut = (resource: string) => `{ Effect = "Deny", Action = "lambda:CreateFunction", NotResource = "${resource}" }`;
    expect(await clause([...both, denyAllBut(`${FN}web-*`)])).toBeUndefined();
    expect(await clause([...both, denyAllBut(`${FN}app-sandbox-*`)])).toContain(`on functions matching \`${FN}app-*\``);
  });

  it('needs an unqualified function: invoking only versions and aliases of what it creates is not counted', async () => {
    expect(await clause([PASS_ANY, allow('"lambda:CreateFunction"', `${FN}app-*`), allow('"lambda:InvokeFunction"', `${FN}app-*:*`)])).toBeUndefined();
  });

  it('keeps UpdateFunctionCode on the every-function path: an existing function keeps its own role', async () => {
    expect(await clause([PASS_ANY, allow('["lambda:UpdateFunctionCode", "lambda:InvokeFunction"]', `${FN}app-*`)])).toBeUndefined();
  });

  it('points an existing function it can reconfigure, recode and run at any role it can pass', async () => {
    const updateAll = '["lambda:UpdateFunctionConfiguration", "lambda:UpdateFunctionCode", "lambda:InvokeFunction"]';
    expect(await clause([PASS_ANY, allow(updateAll, `${FN}app-*`)])).toBe(
      `iam:PassRole on every resource, lambda:UpdateFunctionConfiguration, lambda:UpdateFunctionCode and lambda:InvokeFunction on functions matching \`${FN}app-*\``,
    );
    // Each of the three must reach the function the others do.
    expect(await clause([PASS_ANY, allow('["lambda:UpdateFunctionConfiguration", "lambda:InvokeFunction"]', `${FN}app-*`), allow('"lambda:UpdateFunctionCode"', `${FN}web-*`)])).toBeUndefined();
    expect(await clause([PASS_ANY, allow('["lambda:UpdateFunctionConfiguration", "lambda:InvokeFunction"]', `${FN}app-*`), allow('"lambda:UpdateFunctionCode"', `${FN}app-api`)])).toContain(
      `on functions matching \`${FN}app-api\``,
    );
    // Without the new role, the new code runs as the function's own: not this path.
    expect(await clause([PASS_ANY, allow('["lambda:UpdateFunctionCode", "lambda:InvokeFunction"]', `${FN}app-*`)])).toBeUndefined();
    // An unconditional Deny of one of them on the shared part removes it.
    expect(await clause([PASS_ANY, allow(updateAll, `${FN}app-*`), deny('"lambda:UpdateFunctionConfiguration"', `${FN}app-*`)])).toBeUndefined();
    // Names all three patterns when none holds the others.
    expect(
      await clause([PASS_ANY, allow('"lambda:UpdateFunctionConfiguration"', `${FN}app-*`), allow('"lambda:UpdateFunctionCode"', `${FN}*-api`), allow('"lambda:InvokeFunction"', `${FN}*prod*`)]),
    ).toContain(`on functions matching each of \`${FN}app-*\`, \`${FN}*-api\` and \`${FN}*prod*\``);
    expect(await clause([PASS_ANY, allow('["lambda:UpdateFunctionConfiguration", "lambda:UpdateFunctionCode"]', `${FN}app-*`), allow('"lambda:CreateEventSourceMapping"', '*')])).toBe(
      `iam:PassRole on every resource, lambda:UpdateFunctionConfiguration and lambda:UpdateFunctionCode on functions matching \`${FN}app-*\` and lambda:CreateEventSourceMapping on every event source mapping`,
    );
  });

  it('reconfigures without recoding only with a layer it can add: GetLayerVersion on every layer (PublishLayerVersion named when granted)', async () => {
    const configure = allow('["lambda:UpdateFunctionConfiguration", "lambda:InvokeFunction"]', `${FN}app-*`);
    const layers = allow('["lambda:PublishLayerVersion", "lambda:GetLayerVersion"]', '*');
    expect(await clause([PASS_ANY, configure, layers])).toBe(
      `iam:PassRole on every resource, lambda:PublishLayerVersion and lambda:GetLayerVersion on every layer, lambda:UpdateFunctionConfiguration and lambda:InvokeFunction on functions matching \`${FN}app-*\``,
    );
    // No layer it can publish, or none it can add: its configuration changes run no code of its own.
    expect(await clause([PASS_ANY, configure])).toBeUndefined();
    expect(await clause([PASS_ANY, configure, allow('"lambda:PublishLayerVersion"', '*')])).toBeUndefined();
    expect(await clause([PASS_ANY, configure, allow('["lambda:PublishLayerVersion", "lambda:GetLayerVersion"]', 'arn:aws:lambda:*:*:layer:shared-*')])).toBeUndefined();
    // GetLayerVersion on every layer alone: a layer the caller's own account elsewhere publishes and shares with everyone.
    expect(await clause([PASS_ANY, configure, allow('"lambda:GetLayerVersion"', '*')])).toBe(
      `iam:PassRole on every resource, lambda:GetLayerVersion on every layer (a layer another account shares with everyone), lambda:UpdateFunctionConfiguration and lambda:InvokeFunction on functions matching \`${FN}app-*\``,
    );
    // Only this account's layers: it must publish one here.
    expect(await clause([PASS_ANY, configure, allow('"lambda:GetLayerVersion"', 'arn:aws:lambda:*:123456789012:layer:*')])).toBeUndefined();
    // A lambda:Layer condition may admit only particular layers.
    const pinned = `{ Effect = "Allow", Action = ["lambda:UpdateFunctionConfiguration", "lambda:InvokeFunction"], Resource = "${FN}app-*", Condition = { "ForAllValues:StringLike" = { "lambda:Layer" = ["arn:aws:lambda:*:123456789012:layer:approved-*:*"] } } }`;
    expect(await clause([PASS_ANY, pinned, layers])).toBeUndefined();
  });

  it('keeps PassRole on every role', async () => {
    expect(await clause([allow('"iam:PassRole"', 'arn:aws:iam::123456789012:role/app-*'), allow('["lambda:CreateFunction", "lambda:InvokeFunction"]', `${FN}app-*`)])).toBeUndefined();
  });

  it('reads ${aws:username} as the caller\'s own fixed name: shared with itself and with `*`, not with another prefix', async () => {
    // `$${` is Terraform's escape for a literal `${`: the policy holds ${aws:username}.
    const mine = `${FN}$\${aws:username}-*`;
    expect(await clause([PASS_ANY, allow('["lambda:CreateFunction", "lambda:InvokeFunction"]', mine)])).toContain(`on functions matching \`${FN}\${aws:username}-*\``);
    expect(await clause([PASS_ANY, allow('"lambda:CreateFunction"', mine), allow('"lambda:InvokeFunction"', '*')])).toContain(`on functions matching \`${FN}\${aws:username}-*\``);
    expect(await clause([PASS_ANY, allow('"lambda:CreateFunction"', mine), allow('"lambda:InvokeFunction"', `${FN}app-*`)])).toBeUndefined();
  });

  it('reads an unknown Terraform value as one fixed string: the same one is shared, two different ones are not', async () => {
    const variables = 'variable "app" {\n  type = string\n}\nvariable "other" {\n  type = string\n}\n';
    expect(await clause([PASS_ANY, allow('["lambda:CreateFunction", "lambda:InvokeFunction"]', `${FN}\${var.app}-*`)], variables)).toContain(`on functions matching \`${FN}\${var.app}-*\``);
    expect(await clause([PASS_ANY, allow('"lambda:CreateFunction"', `${FN}\${var.app}-*`), allow('"lambda:InvokeFunction"', `${FN}\${var.other}-*`)], variables)).toBeUndefined();
    // A wholly unknown Resource reaches nothing we can show.
    expect(await clause([PASS_ANY, '{ Effect = "Allow", Action = ["lambda:CreateFunction", "lambda:InvokeFunction"], Resource = var.app }'], variables)).toBeUndefined();
    // A Deny of an unknown name may be any name: it may cover the shared part, so no finding.
    expect(await clause([PASS_ANY, allow('["lambda:CreateFunction", "lambda:InvokeFunction"]', `${FN}app-*`), deny('"lambda:CreateFunction"', `${FN}\${var.other}`)], variables)).toBeUndefined();
  });

  it('needs the permissions boundary to reach the shared function for both actions', async () => {
    const bounded = async (boundary: string[]) => {
      const cap = `resource "aws_iam_policy" "cap" {\n  name = "cap"\n  policy = jsonencode({ Statement = [${boundary.join(', ')}] })\n}\n`;
      const text = deployer([PASS_ANY, allow('["lambda:CreateFunction", "lambda:InvokeFunction"]', `${FN}app-*`)], cap).replace('name = "deployer"', 'name = "deployer"\n  permissions_boundary = aws_iam_policy.cap.arn');
      const { findings } = await scan({ paths: ['.'], cwd: tempTree({ 'main.tf': text }) });
      return findings.filter((f) => f.ruleId === 'IG204').map((f) => [f.resource, f.range.line]);
    };
    const found = [['aws_iam_user.deployer', 1]];
    expect(await bounded([PASS_ANY, allow('["lambda:CreateFunction", "lambda:InvokeFunction"]', `${FN}app-prod-*`)])).toEqual(found);
    expect(await bounded([PASS_ANY, allow('"lambda:CreateFunction"', `${FN}app-a*`), allow('"lambda:InvokeFunction"', `${FN}app-b*`)])).toEqual([]);
    expect(await bounded([PASS_ANY, allow('["lambda:CreateFunction", "lambda:InvokeFunction"]', `${FN}web-*`)])).toEqual([]);
    expect(await bounded([PASS_ANY, allow('"lambda:*"', '*'), deny('"lambda:InvokeFunction"', `${FN}app-*`)])).toEqual([]);
    expect(await bounded([allow('"lambda:*"', '*')])).toEqual([]);
  });

  it('needs the permissions boundary to allow UpdateFunctionConfiguration on the shared function for that path', async () => {
    const bounded = async (boundary: string[]) => {
      const cap = `resource "aws_iam_policy" "cap" {\n  name = "cap"\n  policy = jsonencode({ Statement = [${boundary.join(', ')}] })\n}\n`;
      const text = deployer([PASS_ANY, allow('["lambda:UpdateFunctionConfiguration", "lambda:UpdateFunctionCode", "lambda:InvokeFunction"]', `${FN}app-*`)], cap).replace(
        'name = "deployer"',
        'name = "deployer"\n  permissions_boundary = aws_iam_policy.cap.arn',
      );
      const { findings } = await scan({ paths: ['.'], cwd: tempTree({ 'main.tf': text }) });
      return findings.filter((f) => f.ruleId === 'IG204').map((f) => [f.resource, f.range.line]);
    };
    expect(await bounded([PASS_ANY, allow('"lambda:*"', '*')])).toEqual([['aws_iam_user.deployer', 1]]);
    expect(await bounded([PASS_ANY, allow('["lambda:UpdateFunctionCode", "lambda:InvokeFunction"]', '*')])).toEqual([]);
    expect(await bounded([PASS_ANY, allow('"lambda:*"', '*'), deny('"lambda:UpdateFunctionConfiguration"', `${FN}app-*`)])).toEqual([]);
  });

  it('needs the permissions boundary to allow the layer actions for the layer path', async () => {
    const bounded = async (boundary: string[]) => {
      const cap = `resource "aws_iam_policy" "cap" {\n  name = "cap"\n  policy = jsonencode({ Statement = [${boundary.join(', ')}] })\n}\n`;
      const grants = [PASS_ANY, allow('["lambda:UpdateFunctionConfiguration", "lambda:InvokeFunction"]', `${FN}app-*`), allow('["lambda:PublishLayerVersion", "lambda:GetLayerVersion"]', '*')];
      const text = deployer(grants, cap).replace('name = "deployer"', 'name = "deployer"\n  permissions_boundary = aws_iam_policy.cap.arn');
      const { findings } = await scan({ paths: ['.'], cwd: tempTree({ 'main.tf': text }) });
      return findings.filter((f) => f.ruleId === 'IG204').map((f) => [f.resource, f.range.line]);
    };
    expect(await bounded([PASS_ANY, allow('"lambda:*"', '*')])).toEqual([['aws_iam_user.deployer', 1]]);
    // Denying PublishLayerVersion leaves a layer shared from another account; denying GetLayerVersion leaves none it can add.
    expect(await bounded([PASS_ANY, allow('"lambda:*"', '*'), deny('"lambda:PublishLayerVersion"', '*')])).toEqual([['aws_iam_user.deployer', 1]]);
    expect(await bounded([PASS_ANY, allow('"lambda:*"', '*'), deny('"lambda:GetLayerVersion"', '*')])).toEqual([]);
    expect(await bounded([PASS_ANY, allow('"lambda:*"', '*'), deny('"lambda:UpdateFunctionConfiguration"', '*')])).toEqual([]);
  });

  it('names every policy of a split grant', async () => {
    const preamble = `
resource "aws_iam_policy" "invoke" {
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "lambda:InvokeFunction", Resource = "${FN}app-*" }] })
}

resource "aws_iam_user_policy_attachment" "invoke" {
  user       = aws_iam_user.deployer.name
  policy_arn = aws_iam_policy.invoke.arn
}
`;
    const [found] = await ig204([PASS_ANY, allow('"lambda:CreateFunction"', `${FN}app-*`)], preamble);
    expect(found.message).toMatch(/granted together by aws_iam_user_policy\.deploy \(main\.tf:5\), aws_iam_policy\.invoke \(main\.tf:\d+\)\.$/);
  });

  describe('bounds the search for a shared function', () => {
    const list = (patterns: string[]) => `[${patterns.map((p) => `"${p}"`).join(', ')}]`;
    const named = (n: number, infix: string) => Array.from({ length: n }, (_, i) => `arn:aws:lambda:*:*:function:*${infix}${i}*`);
    /** CPU time (all threads) of one scan, after a first scan has loaded the parsers. */
    const cpuSeconds = async (statements: string[]) => {
      await clause([PASS_ANY]);
      const before = process.cpuUsage();
      const result = await clause(statements);
      const used = process.cpuUsage(before);
      return { result, seconds: (used.user + used.system) / 1e6 };
    };

    it('answers at once when the Denies leave no function: 40 × 40 overlapping patterns under a Deny of every function', async () => {
      // Each of the 1,600 pairs searched to its limit took 42 s before.
      const { result, seconds } = await cpuSeconds([
        PASS_ANY,
        `{ Effect = "Allow", Action = "lambda:CreateFunction", Resource = ${list(named(40, 'c'))} }`,
        `{ Effect = "Allow", Action = "lambda:InvokeFunction", Resource = ${list(named(40, 'i'))} }`,
        deny('"lambda:InvokeFunction"', 'arn:aws:lambda:*:*:function:*'),
      ]);
      expect(result).toBeUndefined();
      expect(seconds).toBeLessThan(1);
    });

    it('drops a grant the Denies cover before pairing it, though another Deny makes each search large', async () => {
      // `*a` then exactly 16 characters needs a large set of positions per state; 3 × 3 pairs took 20 s before.
      const { result, seconds } = await cpuSeconds([
        PASS_ANY,
        `{ Effect = "Allow", Action = "lambda:CreateFunction", Resource = ${list(named(3, 'c'))} }`,
        `{ Effect = "Allow", Action = "lambda:InvokeFunction", Resource = ${list(named(3, 'i'))} }`,
        `{ Effect = "Deny", Action = "lambda:InvokeFunction", Resource = ${list(['arn:aws:lambda:*:*:function:*', 'arn:aws:lambda:*:*:function:*a????????????????'])} }`,
      ]);
      expect(result).toBeUndefined();
      expect(seconds).toBeLessThan(1);
    });

    it('still finds the shared function past a Deny that covers only part of the grants', async () => {
      const { result } = await cpuSeconds([
        PASS_ANY,
        `{ Effect = "Allow", Action = "lambda:CreateFunction", Resource = ${list(named(3, 'c'))} }`,
        `{ Effect = "Allow", Action = "lambda:InvokeFunction", Resource = ${list(named(3, 'i'))} }`,
        `{ Effect = "Deny", Action = "lambda:InvokeFunction", Resource = ${list(['arn:aws:lambda:*:*:function:*i0*', 'arn:aws:lambda:*:*:function:*a????????????????'])} }`,
      ]);
      expect(result).toBe(
        'iam:PassRole on every resource, lambda:CreateFunction and lambda:InvokeFunction on functions matching both `arn:aws:lambda:*:*:function:*c0*` and `arn:aws:lambda:*:*:function:*i1*`',
      );
    });

    it('stops at one budget per identity when every pair is costly and none shares a function: no finding', async () => {
      // 40 × 40 pairs, each search as large as a search gets (every name holds c and d, which the last Denies forbid together).
      const { result, seconds } = await cpuSeconds([
        PASS_ANY,
        `{ Effect = "Allow", Action = "lambda:CreateFunction", Resource = ${list(named(40, 'a*b*a*b*c'))} }`,
        `{ Effect = "Allow", Action = ["lambda:InvokeFunction", "lambda:AddPermission"], Resource = ${list(named(40, 'b*a*b*a*d'))} }`,
        `{ Effect = "Deny", Action = "lambda:*", Resource = ${list(['a????????????????', 'b????????????????', 'c*d*', 'd*c*'].map((p) => `arn:aws:lambda:*:*:function:*${p}`))} }`,
      ]);
      expect(result).toBeUndefined();
      // Generous: under test instrumentation the budget costs a few seconds; without it every pair would search to its limit (minutes).
      expect(seconds).toBeLessThan(15);
    });
  });
});

describe('IG204: iam:PassRole counts only when it admits lambda.amazonaws.com (iam:PassedToService)', () => {
  const RUN = allow('["lambda:CreateFunction", "lambda:InvokeFunction"]', '*');
  const passTo = (operator: string, services: string, effect = 'Allow') =>
    `{ Effect = "${effect}", Action = "iam:PassRole", Resource = "*", Condition = { ${operator} = { "iam:PassedToService" = ${services} } } }`;
  const EVERY = 'iam:PassRole, lambda:CreateFunction, lambda:InvokeFunction on every resource';

  it('a PassRole only to other services gives CreateFunction no role to pass', async () => {
    expect(await clause([passTo('StringEquals', '"ec2.amazonaws.com"'), RUN])).toBeUndefined();
    expect(await clause([passTo('StringLike', '["ecs-tasks.amazonaws.com", "states.amazonaws.com"]'), RUN])).toBeUndefined();
    expect(await clause([passTo('StringNotEquals', '"lambda.amazonaws.com"'), RUN])).toBeUndefined();
    // Also on the shared-function path.
    expect(await clause([passTo('StringEquals', '"ec2.amazonaws.com"'), allow('["lambda:CreateFunction", "lambda:InvokeFunction"]', `${FN}app-*`)])).toBeUndefined();
  });

  it('a PassRole admitting Lambda counts, whatever operator admits it', async () => {
    expect(await clause([passTo('StringEquals', '"lambda.amazonaws.com"'), RUN])).toBe(EVERY);
    expect(await clause([passTo('StringLike', '["ec2.amazonaws.com", "lambda.*"]'), RUN])).toBe(EVERY);
    expect(await clause([passTo('StringEqualsIfExists', '"lambda.amazonaws.com"'), RUN])).toBe(EVERY);
    expect(await clause([passTo('StringNotEquals', '"ec2.amazonaws.com"'), RUN])).toBe(EVERY);
    // IfExists does not pass for another service: the key is always in a PassRole request.
    expect(await clause([passTo('StringEqualsIfExists', '"ec2.amazonaws.com"'), RUN])).toBeUndefined();
  });

  it('a PassRole to a service the scan cannot read is not counted', async () => {
    const variables = 'variable "service" {\n  type = string\n}\n';
    expect(await clause([passTo('StringEquals', 'var.service'), RUN], variables)).toBeUndefined();
  });

  it('reads Lambda written for any partition as Lambda, and decides a list by the values it can read', async () => {
    const partition = 'data "aws_partition" "current" {}\nvariable "service" {\n  type = string\n}\n';
    expect(await clause([passTo('StringEquals', '"lambda.${data.aws_partition.current.dns_suffix}"'), RUN], partition)).toBe(EVERY);
    // StringEquals is an OR over its values: the literal Lambda decides it, whatever the variable holds.
    expect(await clause([passTo('StringEquals', '["lambda.amazonaws.com", var.service]'), RUN], partition)).toBe(EVERY);
    expect(await clause([passTo('StringEquals', '["ec2.amazonaws.com", var.service]'), RUN], partition)).toBeUndefined();
    // A negation listing Lambda fails for Lambda, whatever else it lists.
    expect(await clause([passTo('StringNotEquals', '["lambda.amazonaws.com", var.service]'), RUN], partition)).toBeUndefined();
    expect(await clause([PASS_ANY, RUN, passTo('StringEquals', '"lambda.${data.aws_partition.current.dns_suffix}"', 'Deny')], partition)).toBeUndefined();
  });

  it('reads CloudFormation\'s !Sub "lambda.${AWS::URLSuffix}" as Lambda', async () => {
    const template = `Resources:
  Deployer:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: { AWS: arn:aws:iam::123456789012:root }
            Action: sts:AssumeRole
      Policies:
        - PolicyName: deploy
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: iam:PassRole
                Resource: "*"
                Condition:
                  StringEquals:
                    iam:PassedToService: !Sub "lambda.\${AWS::URLSuffix}"
              - Effect: Allow
                Action: [lambda:CreateFunction, lambda:InvokeFunction]
                Resource: "*"
`;
    const { findings } = await scan({ paths: ['.'], cwd: tempTree({ 'template.yaml': template }) });
    expect(findings.filter((f) => f.ruleId === 'IG204').map((f) => [f.resource, f.range.line])).toEqual([['Deployer', 2]]);
  });

  it('a Deny of PassRole to Lambda removes the step; a Deny of PassRole to other services does not', async () => {
    expect(await clause([PASS_ANY, RUN, passTo('StringEquals', '"lambda.amazonaws.com"', 'Deny')])).toBeUndefined();
    expect(await clause([PASS_ANY, RUN, passTo('StringLike', '"lambda.*"', 'Deny')])).toBeUndefined();
    expect(await clause([PASS_ANY, RUN, passTo('StringNotEquals', '"ec2.amazonaws.com"', 'Deny')])).toBeUndefined();
    expect(await clause([PASS_ANY, RUN, passTo('StringEquals', '"ec2.amazonaws.com"', 'Deny')])).toBe(EVERY);
    // "Pass roles only to Lambda" leaves the pass to Lambda.
    expect(await clause([PASS_ANY, RUN, passTo('StringNotEquals', '"lambda.amazonaws.com"', 'Deny')])).toBe(EVERY);
    // A Deny with another condition as well is conditional, as before: it removes nothing.
    const mfa = '{ Effect = "Deny", Action = "iam:PassRole", Resource = "*", Condition = { StringEquals = { "iam:PassedToService" = "lambda.amazonaws.com" }, Bool = { "aws:MultiFactorAuthPresent" = "false" } } }';
    expect(await clause([PASS_ANY, RUN, mfa])).toBe(EVERY);
  });

  it('reads the key in a permissions boundary the same way', async () => {
    const bounded = async (boundary: string[]) => {
      const cap = `resource "aws_iam_policy" "cap" {\n  name = "cap"\n  policy = jsonencode({ Statement = [${boundary.join(', ')}] })\n}\n`;
      const text = deployer([PASS_ANY, RUN], cap).replace('name = "deployer"', 'name = "deployer"\n  permissions_boundary = aws_iam_policy.cap.arn');
      const { findings } = await scan({ paths: ['.'], cwd: tempTree({ 'main.tf': text }) });
      return findings.filter((f) => f.ruleId === 'IG204').map((f) => [f.resource, f.range.line]);
    };
    expect(await bounded([passTo('StringEquals', '"lambda.amazonaws.com"'), RUN])).toEqual([['aws_iam_user.deployer', 1]]);
    expect(await bounded([passTo('StringEquals', '"ec2.amazonaws.com"'), RUN])).toEqual([]);
    expect(await bounded([PASS_ANY, RUN, passTo('StringEquals', '"lambda.amazonaws.com"', 'Deny')])).toEqual([]);
  });
});
