import { describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { invokerGraph, type FunctionInvokers, type IdentityInvoker, type Invoker, type Location, type ResourceInvoker } from '../../src/graph/invokers.js';
import { lambdaFunctionName } from '../../src/iam/arn.js';
import { mayInvoke } from '../../src/iam/permission-actions.js';
import { classifyPrincipal } from '../../src/iam/principal.js';
import { coversAction, coversAllFunctions, effectOf, hasScopingCondition, isUnconditionalDeny, resourcePattern } from '../../src/iam/statement.js';
import { wildcardMatches } from '../../src/iam/wildcard.js';
import { identityGraph, sameStack, type IdentityNode, type Referrer } from '../../src/model/identity-graph.js';
import type { Range } from '../../src/model/range.js';
import type { IdentityPolicy, LambdaFunction, Model, ResourceBase, Statement } from '../../src/model/types.js';
import { displayString, knownString, type Value } from '../../src/model/value.js';
import { accountPinning, servicePinning } from '../../src/rules/support/account-pinning.js';
import { loadModel } from '../../src/scan.js';
import { REPO_ROOT } from '../helpers/scan.js';
import { tempTree } from '../helpers/temp-tree.js';

// The invoker graph as first written: per function, a walk over every grant. Quadratic, but plainly
// right; invokerGraph files each grant under its functions instead and must give exactly this.
const INVOKE = 'lambda:InvokeFunction';

/** The definition invokerGraph inverts: every function asks every permission, URL and policy × holder set. */
function referenceGraph(model: Model): FunctionInvokers[] {
  return model.functions
    .filter((fn, i, all) => all.findIndex((f) => f.address === fn.address && f.range.file === fn.range.file && f.root === fn.root && f.rootTemplate === fn.rootTemplate) === i)
    .map((fn) => ({
      function: fn.address,
      location: at(fn.range),
      ...(instanceRoot(fn) !== undefined ? { root: instanceRoot(fn) } : {}),
      invokers: dedupe([...resourceInvokers(model, fn), ...identityInvokers(model, fn)]),
    }));
}

/** A module's Terraform root, or a nested stack's root template: which instance of shared code it is. */
function instanceRoot(resource: ResourceBase): string | undefined {
  return resource.rootTemplate ?? (resource.address.startsWith('module.') ? resource.root : undefined);
}

function at(range: Range): Location {
  return { file: range.file, line: range.line };
}

function resourceInvokers(model: Model, fn: LambdaFunction): ResourceInvoker[] {
  const invokers: ResourceInvoker[] = [];
  for (const permission of model.permissions) {
    // A grant of other actions only (lambda:GetFunction) invokes nothing.
    if (!permission.functionName || !mayInvoke(permission) || !targets(model, permission.functionName.value, permission).includes(fn)) continue;
    const principal = classifyPrincipal(permission.principal?.value);
    const unpinned = (principal.kind === 'service' ? servicePinning(permission, principal.service) : accountPinning(permission, principal.kind === 'public')).pinned === false;
    const text = (v: Value | undefined) => (v === undefined ? undefined : displayString(v));
    const sourceArn = text(permission.sourceArn?.value);
    const sourceAccount = text(permission.sourceAccount?.value);
    const principalOrgId = text(permission.principalOrgId?.value);
    const eventSourceToken = text(permission.eventSourceToken?.value);
    invokers.push({
      kind: 'resource-permission',
      principal: displayString(permission.principal?.value) ?? '(unknown)',
      principalClass: principal.kind,
      via: permission.address,
      location: at(permission.principal?.range ?? permission.range),
      ...(sourceArn !== undefined ? { sourceArn } : {}),
      ...(sourceAccount !== undefined ? { sourceAccount } : {}),
      ...(principalOrgId !== undefined ? { principalOrgId } : {}),
      ...(eventSourceToken !== undefined ? { eventSourceToken } : {}),
      public: principal.kind === 'public' && unpinned,
      unscoped: (principal.kind === 'public' || principal.kind === 'service') && unpinned,
    });
  }
  for (const url of model.functionUrls) {
    if (!url.functionName || !targets(model, url.functionName.value, url).includes(fn)) continue;
    // An AWS_IAM URL is reached through the invoke grants listed beside it; only NONE adds a caller.
    if (knownString(url.authorizationType?.value)?.toUpperCase() !== 'NONE') continue;
    invokers.push({ kind: 'function-url', principal: '*', principalClass: 'public', via: url.address, location: at(url.authorizationType?.range ?? url.range), public: true, unscoped: true });
  }
  return invokers;
}

interface PolicySet {
  /** The holder, when in the scan: a known permissions boundary of it caps its grants. */
  holder?: IdentityNode;
  /** The holder's policies with a document: a Deny in any of them, read where it is written, takes the grant away. */
  policies: IdentityPolicy[];
  principal: string | null;
  principalType: IdentityInvoker['principalType'];
  principalLocation?: Location;
  principalRoot?: string;
  viaGroup?: string;
}

function identityInvokers(model: Model, fn: LambdaFunction): IdentityInvoker[] {
  const graph = identityGraph(model);
  const invokers: IdentityInvoker[] = [];
  for (const policy of model.identityPolicies) {
    if (!policy.document || graph.boundaryOnly(policy)) continue;
    const holders = graph.holdersOf(policy);
    const sets: PolicySet[] =
      holders.length > 0
        ? holders.map((node) => {
            const via = node.policies.find((e) => e.policy === policy)?.via;
            return {
              holder: node,
              policies: node.policies.flatMap((e) => (e.policy.document ? [e.policy] : [])),
              principal: node.identity.address,
              principalType: node.identity.kind,
              principalLocation: at(node.identity.range),
              ...(instanceRoot(node.identity) !== undefined ? { principalRoot: instanceRoot(node.identity) } : {}),
              ...(via ? { viaGroup: via.address } : {}),
            };
          })
        : unresolvedHolders(policy);
    for (const set of sets) {
      const grant = invokeGrant(model, policy, set.policies, fn);
      if (!grant || (set.holder && !boundaryAllows(model, set.holder, fn))) continue;
      const conditions = [...new Set(grant.statement.condition.map((c) => c.key))];
      invokers.push({
        kind: 'identity-policy',
        principal: set.principal,
        principalType: set.principalType,
        ...(set.principalLocation ? { principalLocation: set.principalLocation } : {}),
        ...(set.principalRoot !== undefined ? { principalRoot: set.principalRoot } : {}),
        ...(set.viaGroup ? { viaGroup: set.viaGroup } : {}),
        policy: policy.address,
        location: at(grant.statement.range),
        allFunctions: grant.allFunctions,
        ...(conditions.length > 0 ? { conditions } : {}),
        unscoped: grant.allFunctions && !hasScopingCondition(grant.statement),
      });
    }
  }
  return invokers;
}

/** A policy whose holders are not in the scan: named as written (`role "ci-deployer"`), or null when attached to nothing. */
function unresolvedHolders(policy: IdentityPolicy): PolicySet[] {
  const written = (policy.holders ?? []).flatMap((h) => {
    const text = displayString(h.value);
    return text === undefined ? [] : [{ policies: [policy], principal: text, principalType: h.kind }];
  });
  return written.length > 0 ? written : [{ policies: [policy], principal: null, principalType: null }];
}

/** The first Allow statement of `policy` letting its holder invoke `fn`, unless an unconditional Deny in the holder's set takes it away. */
function invokeGrant(model: Model, policy: IdentityPolicy, policies: IdentityPolicy[], fn: LambdaFunction): { statement: Statement; allFunctions: boolean } | undefined {
  const denied = policies.some((p) =>
    p.document!.statements.some((s) => isUnconditionalDeny(s) && coversAction(s, INVOKE) && (coversAllFunctions(s) || namesFunction(model, s, fn, p))),
  );
  if (denied) return undefined;
  for (const statement of policy.document?.statements ?? []) {
    if (effectOf(statement) !== 'Allow' || !coversAction(statement, INVOKE)) continue;
    if (coversAllFunctions(statement)) {
      if (sameStack(fn, statement.range, policy)) return { statement, allFunctions: true };
      continue;
    }
    if (namesFunction(model, statement, fn, policy)) return { statement, allFunctions: false };
  }
  return undefined;
}

/** Whether a holder's known permissions boundary (read where the policy it names stands, or the identity for an AWS managed one) lets it invoke `fn`. */
function boundaryAllows(model: Model, holder: IdentityNode, fn: LambdaFunction): boolean {
  const documents = holder.boundary?.documents;
  if (!documents) return true;
  // Any one of the documents the boundary may be.
  return documents.some(({ document, policy }) => {
    const referrer: Referrer = policy ?? holder.identity;
    const covers = (s: Statement) => coversAction(s, INVOKE) && ((coversAllFunctions(s) && sameStack(fn, s.range, referrer)) || namesFunction(model, s, fn, referrer));
    const statements = document.statements;
    if (statements.some((s) => isUnconditionalDeny(s) && coversAction(s, INVOKE) && (coversAllFunctions(s) || namesFunction(model, s, fn, referrer)))) return false;
    return statements.some((s) => effectOf(s) === 'Allow' && covers(s));
  });
}

function namesFunction(model: Model, statement: Statement, fn: LambdaFunction, policy: Referrer): boolean {
  return statement.resource.some((entry) => targets(model, entry, policy, statement.range).includes(fn));
}

/**
 * The functions of the scan a function name, ARN or reference denotes: a symbolic reference to
 * the function resource (in the same template or Terraform folder), its name, or an ARN whose
 * function name (wildcards allowed) matches. Unknown values denote nothing.
 */
/**
 * The functions a permission's or URL's function value names, scoped to where that value is written
 * (`from`): a module's input is written in the caller's folder, whose resources it names.
 * `referrer`: the resource holding the value; another Terraform root's or CloudFormation stack tree's instances are not named.
 */
function targets(model: Model, value: Value, referrer: Referrer, from: Range = value.range): LambdaFunction[] {
  const resources = resourcesOf(value);
  if (resources.length > 0) return model.functions.filter((f) => resources.includes(f.address) && sameStack(f, from, referrer));
  const pattern = resourcePattern(value);
  if (pattern === undefined) return [];
  const name = lambdaFunctionName(pattern);
  if (name === undefined || name.includes('${')) return [];
  return model.functions.filter((f) => {
    const own = knownString(f.functionName?.value);
    return own !== undefined && wildcardMatches(name, own) && sameStack(f, from, referrer);
  });
}

/** The scan resources a value refers to symbolically (`aws_lambda_function.x.arn`, `!GetAtt X.Arn`, `"${…}:live"`). */
function resourcesOf(value: Value): string[] {
  switch (value.kind) {
    case 'unknown':
      return value.resource ? [value.resource] : [];
    case 'template':
      return value.parts.flatMap((p) => (typeof p !== 'string' && p.resource ? [p.resource] : []));
    default:
      return [];
  }
}

function dedupe(invokers: Invoker[]): Invoker[] {
  const seen = new Set<string>();
  return invokers.filter((i) => {
    const key = JSON.stringify(i);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

async function expectSameGraph(paths: string[], cwd = REPO_ROOT): Promise<FunctionInvokers[]> {
  const { model } = await loadModel({ paths, cwd });
  const graph = invokerGraph(model);
  expect(graph).toEqual(referenceGraph(model));
  return graph;
}

/** A scan with many functions, permissions, URLs and policies that target them every way the graph knows. */
function generatedTree(folders: number, functions: number): Record<string, string> {
  let seed = 7;
  // The high bits: the low bits of this generator repeat with a short period.
  const random = (n: number) => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0), (seed >>> 16) % n);
  const files: Record<string, string> = {};
  for (let d = 0; d < folders; d++) {
    // Names repeat across folders: a name or ARN reaches only the functions of its own folder or template.
    const name = (j: number) => `svc-${d % 2}-${j}`;
    const arn = (text: string) => `arn:aws:lambda:us-east-1:123456789012:function:${text}`;
    const tf: string[] = [];
    for (let j = 0; j < functions; j++) tf.push(`resource "aws_lambda_function" "f${j}" {\n  function_name = "${name(j)}"\n  role = "arn:aws:iam::123456789012:role/exec"\n}`);
    const target = () => {
      const j = random(functions);
      return [`aws_lambda_function.f${j}.function_name`, `"${name(j)}"`, `"${arn(name(j))}"`, `"${arn(`svc-${d % 2}-${j % 10}*`)}"`, `"${name(j).toUpperCase()}"`, `"\${aws_lambda_function.f${j}.arn}:live"`, `"nowhere"`][random(7)];
    };
    for (let k = 0; k < functions * 2; k++) {
      const principal = ['"*"', '"s3.amazonaws.com"', '"123456789012"', '"events.amazonaws.com"'][random(4)];
      const extra = random(3) === 0 ? `\n  source_arn = "arn:aws:s3:::bucket-${k}"` : random(4) === 0 ? `\n  source_account = "123456789012"` : '';
      tf.push(`resource "aws_lambda_permission" "p${k}" {\n  function_name = ${target()}\n  principal = ${principal}${extra}\n}`);
      // The same grant twice: one invoker.
      if (k % 17 === 0) tf.push(`resource "aws_lambda_permission" "p${k}" {\n  function_name = ${target()}\n  principal = ${principal}\n}`);
    }
    for (let k = 0; k < functions / 2; k++) tf.push(`resource "aws_lambda_function_url" "u${k}" {\n  function_name = ${target()}\n  authorization_type = "${random(2) ? 'NONE' : 'AWS_IAM'}"\n}`);
    const resourceList = () => {
      const entries = Array.from({ length: 1 + random(3) }, () => {
        const j = random(functions);
        return [`aws_lambda_function.f${j}.arn`, `"${arn(name(j))}"`, `"${arn(`svc-${d % 2}-${j % 10}?`)}"`, `"${arn(name(j))}:*"`][random(4)];
      });
      return random(6) === 0 ? '"*"' : random(8) === 0 ? `"${arn('*')}"` : `[${entries.join(', ')}]`;
    };
    const statement = () => {
      const effect = random(4) === 0 ? 'Deny' : 'Allow';
      const action = ['"lambda:InvokeFunction"', '"lambda:Invoke*"', '"lambda:*"', '"lambda:GetFunction"'][random(4)];
      const condition = random(5) === 0 ? ', Condition = { StringEquals = { "aws:SourceAccount" = "123456789012" } }' : random(6) === 0 ? ', Condition = { Bool = { "aws:MultiFactorAuthPresent" = "true" } }' : '';
      return `{ Effect = "${effect}", Action = ${action}, Resource = ${resourceList()}${condition} }`;
    };
    const document = () => `jsonencode({ Statement = [${Array.from({ length: 1 + random(4) }, statement).join(', ')}] })`;
    const roles = Math.max(2, functions / 4);
    for (let r = 0; r < roles; r++) {
      // One role under a permissions boundary (a managed policy below, attached or not).
      tf.push(`resource "aws_iam_role" "r${r}" {\n  name = "role-${d}-${r}"${r === 1 ? '\n  permissions_boundary = aws_iam_policy.m1.arn' : ''}\n}`);
      tf.push(`resource "aws_iam_role_policy" "r${r}" {\n  role = aws_iam_role.r${r}.id\n  policy = ${document()}\n}`);
    }
    tf.push('resource "aws_iam_group" "ops" {\n  name = "ops"\n}');
    tf.push(`resource "aws_iam_group_policy" "ops" {\n  group = aws_iam_group.ops.name\n  policy = ${document()}\n}`);
    for (let u = 0; u < 3; u++) {
      tf.push(`resource "aws_iam_user" "u${u}" {\n  name = "user-${d}-${u}"${u === 1 ? '\n  permissions_boundary = aws_iam_policy.m0.arn' : ''}\n}`);
      tf.push(`resource "aws_iam_user_policy" "u${u}" {\n  user = aws_iam_user.u${u}.name\n  policy = ${document()}\n}`);
    }
    tf.push('resource "aws_iam_group_membership" "ops" {\n  name = "ops"\n  group = aws_iam_group.ops.name\n  users = [aws_iam_user.u0.name, aws_iam_user.u2.name]\n}');
    for (let m = 0; m < roles; m++) {
      tf.push(`resource "aws_iam_policy" "m${m}" {\n  name = "managed-${d}-${m}"\n  policy = ${document()}\n}`);
      const holder = [`roles = [aws_iam_role.r${random(roles)}.name, aws_iam_role.r${random(roles)}.name]`, `users = [aws_iam_user.u${random(3)}.name]`, 'groups = [aws_iam_group.ops.name]', ''][random(4)];
      if (holder) tf.push(`resource "aws_iam_policy_attachment" "m${m}" {\n  name = "m${m}"\n  policy_arn = aws_iam_policy.m${m}.arn\n  ${holder}\n}`);
    }
    // Written for a role that is not in the scan.
    tf.push(`resource "aws_iam_role_policy" "elsewhere" {\n  role = "ci-deployer"\n  policy = ${document()}\n}`);
    files[`tf${d}/main.tf`] = tf.join('\n\n') + '\n';

    const cfn: string[] = ['Resources:'];
    for (let j = 0; j < functions; j++) cfn.push(`  F${j}:\n    Type: AWS::Lambda::Function\n    Properties:\n      FunctionName: ${name(j)}\n      Role: arn:aws:iam::123456789012:role/exec`);
    const cfnTarget = () => {
      const j = random(functions);
      return [`!Ref F${j}`, `!GetAtt F${j}.Arn`, name(j), arn(name(j)), `"${arn(`svc-${d % 2}-*`)}"`, `!Sub "\${F${j}.Arn}:live"`][random(6)];
    };
    for (let k = 0; k < functions; k++) cfn.push(`  P${k}:\n    Type: AWS::Lambda::Permission\n    Properties:\n      Action: lambda:InvokeFunction\n      FunctionName: ${cfnTarget()}\n      Principal: "${['*', 'sns.amazonaws.com', '123456789012'][random(3)]}"`);
    for (let k = 0; k < functions / 3; k++) cfn.push(`  U${k}:\n    Type: AWS::Lambda::Url\n    Properties:\n      TargetFunctionArn: ${cfnTarget()}\n      AuthType: ${random(2) ? 'NONE' : 'AWS_IAM'}`);
    for (let r = 0; r < 3; r++) {
      const statements = Array.from({ length: 1 + random(3) }, () => {
        const j = random(functions);
        const resource = random(4) === 0 ? '"*"' : random(2) ? `!GetAtt F${j}.Arn` : `"${arn(name(j))}"`;
        return `              - Effect: ${random(4) === 0 ? 'Deny' : 'Allow'}\n                Action: lambda:InvokeFunction\n                Resource: ${resource}`;
      });
      cfn.push(`  R${r}:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument:\n        Statement:\n          - Effect: Allow\n            Principal: { Service: lambda.amazonaws.com }\n            Action: sts:AssumeRole\n      Policies:\n        - PolicyName: invoke\n          PolicyDocument:\n            Statement:\n${statements.join('\n')}`);
    }
    files[`cfn/stack${d}.yaml`] = cfn.join('\n') + '\n';
  }
  return files;
}

describe('invokerGraph (each grant filed under its functions once)', () => {
  it('gives what a walk over every grant per function gives, on the examples and every fixture folder', async () => {
    const all = await expectSameGraph([join(REPO_ROOT, 'examples'), join(REPO_ROOT, 'test', 'fixtures')]);
    expect(all.length).toBeGreaterThan(50);
    expect(all.filter((f) => f.invokers.some((i) => i.kind === 'identity-policy')).length).toBeGreaterThan(10);
    await expectSameGraph([join(REPO_ROOT, 'examples')]);
    for (const folder of readdirSync(join(REPO_ROOT, 'test', 'fixtures'))) await expectSameGraph([join(REPO_ROOT, 'test', 'fixtures', folder)]);
    // Scans every fixture folder twice over (the quadratic reference walk included): seconds, and growing with the fixtures.
  }, 60_000);

  it('gives the same on a generated scan with many functions, permissions, URLs and policies', async () => {
    const root = tempTree(generatedTree(4, 20));
    const graph = await expectSameGraph(['.'], root);
    // The generator reaches every kind of invoker, shared names and Denies included.
    expect(graph).toHaveLength(4 * 20 * 2);
    const invokers = graph.flatMap((f) => f.invokers);
    expect(new Set(invokers.map((i) => i.kind))).toEqual(new Set(['resource-permission', 'function-url', 'identity-policy']));
    expect(invokers.filter((i) => i.kind === 'identity-policy' && i.allFunctions).length).toBeGreaterThan(20);
    expect(invokers.filter((i) => i.kind === 'identity-policy' && !i.allFunctions).length).toBeGreaterThan(20);
    expect(invokers.filter((i) => i.kind === 'identity-policy' && i.viaGroup).length).toBeGreaterThan(0);
  });

  it('gives the same where statements on every function meet module instances, roots, a plan and templates in one folder', async () => {
    const star = 'jsonencode({ Statement = [{ Effect = "Allow", Action = "lambda:InvokeFunction", Resource = "*" }] })';
    const root = (env: string) =>
      `module "fn" {\n  source = "../../modules/fn"\n  name = "${env}"\n}\n\nresource "aws_lambda_function" "own" {\n  function_name = "own-${env}"\n  role = "arn:aws:iam::123456789012:role/exec"\n}\n\n` +
      `resource "aws_iam_role" "caller" {\n  name = "caller-${env}"\n}\n\nresource "aws_iam_role_policy" "caller" {\n  role = aws_iam_role.caller.id\n  policy = ${star}\n}\n\n` +
      `resource "aws_lambda_permission" "to_module" {\n  function_name = module.fn.function_name\n  principal = "s3.amazonaws.com"\n}\n`;
    const template = (json: boolean) =>
      json
        ? JSON.stringify({ Resources: { Fn: { Type: 'AWS::Lambda::Function', Properties: { Role: 'arn:aws:iam::123456789012:role/exec' } }, Caller: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: { Statement: [] }, Policies: [{ PolicyName: 'all', PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: '*' }] } }] } } } })
        : 'Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Role: arn:aws:iam::123456789012:role/exec\n  Caller:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument: { Statement: [] }\n      Policies:\n        - PolicyName: all\n          PolicyDocument:\n            Statement:\n              - Effect: Allow\n                Action: lambda:InvokeFunction\n                Resource: "*"\n';
    const tree = tempTree({
      'modules/fn/main.tf':
        `variable "name" {}\n\nresource "aws_lambda_function" "this" {\n  function_name = var.name\n  role = "arn:aws:iam::123456789012:role/exec"\n}\n\n` +
        `resource "aws_iam_role" "inside" {\n  name = "inside-\${var.name}"\n}\n\nresource "aws_iam_role_policy" "inside" {\n  role = aws_iam_role.inside.id\n  policy = ${star}\n}\n\noutput "function_name" {\n  value = aws_lambda_function.this.function_name\n}\n`,
      'envs/a/main.tf': root('a'),
      'envs/b/main.tf': root('b'),
      // Templates beside a root, YAML and JSON, and two that share logical ids.
      'envs/a/stack.yaml': template(false),
      'envs/a/stack.json': template(true),
      'envs/a/other.yaml': template(false),
      'plan/tfplan.json': readFileSync(join(REPO_ROOT, 'examples', 'plan', 'vulnerable', 'tfplan.json')),
    });
    const graph = await expectSameGraph(['.'], tree);
    // Each root's module instance, its own function, the templates' and the plan's are all there, with the statements on `*` that reach them.
    expect(graph.map((f) => [f.function, f.root ?? '']).filter(([fn]) => fn.startsWith('module.'))).toEqual([
      ['module.fn.aws_lambda_function.this', expect.stringMatching(/envs\/a$/)],
      ['module.fn.aws_lambda_function.this', expect.stringMatching(/envs\/b$/)],
    ]);
    // Every group the lookup reads contributes to root b's instance: its root's folder, the module's, a JSON template and a plan of no
    // root (as sameStack reads them today: only a YAML template is kept from module instances), in model order.
    const policies = (fn: FunctionInvokers) => fn.invokers.flatMap((i) => (i.kind === 'identity-policy' ? [`${i.policy} ${i.location.file.split('/').slice(-2).join('/')}`] : []));
    expect(policies(graph.find((f) => f.root?.endsWith('envs/b'))!)).toEqual(['aws_iam_role_policy.caller b/main.tf', 'module.fn.aws_iam_role_policy.inside fn/main.tf', 'Caller a/stack.json', 'aws_iam_role.orders plan/tfplan.json']);
    expect(policies(graph.find((f) => f.function === 'aws_lambda_function.own' && f.location.file.endsWith('envs/a/main.tf'))!)).toEqual(['aws_iam_role_policy.caller a/main.tf', 'Caller a/other.yaml', 'Caller a/stack.json', 'Caller a/stack.yaml']);
  });

  // The reference is quadratic: the realworld folders it finishes in seconds, and subsets of the largest.
  const realworld = '/work/shared/realworld';
  const subsets = ['terraform-aws-modules__terraform-aws-lambda', 'terraform-aws-modules__terraform-aws-iam', 'aws-samples__data-perimeter-policy-examples', 'aws-samples__service-control-policy-examples'];
  (existsSync(realworld) ? it : it.skip)('gives the same on the realworld corpus', async () => {
    for (const folder of subsets) await expectSameGraph([join(realworld, folder)]);
    const patterns = join(realworld, 'aws-samples__serverless-patterns');
    await expectSameGraph(readdirSync(patterns).filter((_, i) => i % 4 === 0).map((name) => join(patterns, name)));
    const sam = join(realworld, 'awslabs__serverless-application-model');
    await expectSameGraph([join(sam, 'integration'), join(sam, 'tests', 'translator', 'input')]);
  }, 120_000);
});
