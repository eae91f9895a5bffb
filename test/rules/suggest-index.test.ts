import { describe, expect, it } from '@jest/globals';
import { dirname, join } from 'node:path';
import { classifyPrincipal } from '../../src/iam/principal.js';
import { policyData } from '../../src/policy-data.js';
import type { LambdaPermission, Model, ResourceBase } from '../../src/model/types.js';
import { displayString, knownString, referencesOf, type Value } from '../../src/model/value.js';
import { moduleInstance, nearbyFunctions, reachable, reachableFunctions, targetFunction, triggers, unnamedFunction } from '../../src/rules/support/suggest.js';
import { loadModel } from '../../src/scan.js';
import { REPO_ROOT } from '../helpers/scan.js';
import { tempTree } from '../helpers/temp-tree.js';

/** Whether a reference written in `file` can name `fn`: its template, or its Terraform folder (and `from`'s module instance in `from`'s folder). */
function inReach(fn: ResourceBase, from: ResourceBase, file: string): boolean {
  const cloudformation = fn.sourceType.startsWith('AWS::');
  if (cloudformation !== from.sourceType.startsWith('AWS::')) return false;
  if (cloudformation) return fn.range.file === file;
  if (dirname(fn.range.file) !== dirname(file)) return false;
  return dirname(file) !== dirname(from.range.file) || moduleInstance(fn.address) === moduleInstance(from.address);
}

/** The definition targetFunction indexes: the first function, in model order, in reach and named as written or referenced; else the first named so anywhere. */
function linearTarget(model: Model, permission: LambdaPermission): string {
  const value = permission.functionName?.value;
  const refs = referencesOf(value);
  const name = knownString(value);
  const named = (f: ResourceBase & { functionName?: { value: Value } }) => name !== undefined && knownString(f.functionName?.value) === name;
  // A reference reached through a module or nested-stack output carries the function's full address.
  const resolved = (f: ResourceBase) => value?.kind === 'unknown' && value.resource === f.address;
  const match =
    model.functions.find((f) => inReach(f, permission, value?.range.file ?? permission.range.file) && (named(f) || resolved(f) || refs.some((r) => r === f.address || r.startsWith(`${f.address.split('.').slice(-2).join('.')}.`)))) ??
    model.functions.find((f) => named(f) || resolved(f));
  if (match) return match.address;
  // A written name with nothing to show (`${}`, a plan's `${(known after apply)}`) is not spelled out.
  const written = displayString(value);
  return written === undefined || /\$\{(?:unknown|\(known after apply\))?\}/.test(written) ? unnamedFunction(permission) : written;
}

describe('targetFunction (indexed once per model)', () => {
  it('names the same function as a scan over every function would, for every permission of the examples and fixtures', async () => {
    const { model } = await loadModel({ paths: [join(REPO_ROOT, 'examples'), join(REPO_ROOT, 'test', 'fixtures')], cwd: REPO_ROOT });
    expect(model.permissions.length).toBeGreaterThan(20);
    for (const permission of model.permissions) expect(targetFunction(model, permission)).toBe(linearTarget(model, permission));
  });

  it('prefers the earlier function when a name and a reference point at different ones', async () => {
    const root = tempTree({
      'main.tf': [
        'resource "aws_lambda_function" "a" {\n  function_name = "shared"\n}',
        'resource "aws_lambda_function" "b" {\n  function_name = "other"\n}',
        'module "m" {\n  source = "./m"\n}',
        'resource "aws_lambda_permission" "by_ref" {\n  function_name = aws_lambda_function.b.function_name\n  principal = "*"\n}',
        'resource "aws_lambda_permission" "by_name" {\n  function_name = "shared"\n  principal = "*"\n}',
        'resource "aws_lambda_permission" "unknown" {\n  function_name = "nowhere"\n  principal = "*"\n}',
      ].join('\n'),
      'm/main.tf': 'resource "aws_lambda_function" "b" {\n  function_name = "shared"\n}\n',
    });
    const { model } = await loadModel({ paths: [root], cwd: root });
    const target = (address: string) => targetFunction(model, model.permissions.find((p) => p.address === address)!);
    expect(target('aws_lambda_permission.by_ref')).toBe('aws_lambda_function.b');
    expect(target('aws_lambda_permission.by_name')).toBe('aws_lambda_function.a');
    expect(target('aws_lambda_permission.unknown')).toBe('nowhere');
    for (const permission of model.permissions) expect(targetFunction(model, permission)).toBe(linearTarget(model, permission));
  });
});

/** The definition triggers indexes: every resource of the service's types, in model order, in the permission's template or Terraform folder. */
function linearTriggers(model: Model, service: string, permission: LambdaPermission): string[] {
  const sources = policyData<Record<string, Array<{ terraform: string; cloudformation: string }> | string>>('service-sources.json')[service.toLowerCase()];
  if (!Array.isArray(sources)) return [];
  const cloudformation = permission.sourceType.startsWith('AWS::');
  return [...model.resources]
    .filter((r) => sources.some((s) => s.terraform === r.sourceType || s.cloudformation === r.sourceType) && r.sourceType.startsWith('AWS::') === cloudformation)
    .filter((r) => (cloudformation ? r.range.file === permission.range.file : dirname(r.range.file) === dirname(permission.range.file)))
    .map((r) => r.address)
    // A plan beside the configuration holds the same resource again: one trigger.
    .filter((address, i, all) => cloudformation || all.indexOf(address) === i);
}

describe('triggers (resources indexed by folder once per model)', () => {
  it('finds the same resources as a pass over every resource would, for every service-principal permission of the examples and fixtures', async () => {
    const { model } = await loadModel({ paths: [join(REPO_ROOT, 'examples'), join(REPO_ROOT, 'test', 'fixtures')], cwd: REPO_ROOT });
    let withTriggers = 0;
    for (const permission of model.permissions) {
      const principal = classifyPrincipal(permission.principal?.value);
      if (principal.kind !== 'service') continue;
      const found = triggers(model, principal.service, permission).map((t) => t.resource.address);
      expect(found).toEqual(linearTriggers(model, principal.service, permission));
      if (found.length > 0) withTriggers++;
    }
    expect(withTriggers).toBeGreaterThan(3);
  });
});

/** The definition reachableFunctions indexes: every function of the folder that `reachable` accepts, in model order. */
function linearReachable(model: Model, from: ResourceBase): ResourceBase[] {
  return model.functions.filter((f) => dirname(f.range.file) === dirname(from.range.file) && reachable(f, from));
}

/** nearbyFunctions as it was, over every function of the folder. */
function linearNearby(model: Model, from: ResourceBase, limit = 3): ResourceBase[] {
  const reach = linearReachable(model, from).slice(0, limit);
  if (reach.length > 0 || from.sourceType.startsWith('AWS::')) return reach;
  const folder = model.functions.filter((f) => dirname(f.range.file) === dirname(from.range.file));
  return (folder.length > 0 || !from.sourceType.startsWith('iam-json:') ? folder : model.functions).slice(0, limit);
}

describe('reachableFunctions (functions grouped by template or module instance once per model)', () => {
  it('finds what filtering every function with reachable finds, from every policy, permission and function of the examples and fixtures', async () => {
    const { model } = await loadModel({ paths: [join(REPO_ROOT, 'examples'), join(REPO_ROOT, 'test', 'fixtures')], cwd: REPO_ROOT });
    const from: ResourceBase[] = [...model.identityPolicies, ...model.permissions, ...model.functions];
    let nonEmpty = 0;
    for (const resource of from) {
      const found = reachableFunctions(model.functions, resource);
      expect(found).toEqual(linearReachable(model, resource));
      expect(nearbyFunctions(model, resource)).toEqual(linearNearby(model, resource));
      if (found.length > 0 && !resource.sourceType.startsWith('aws_lambda_function') && !resource.sourceType.endsWith('::Function')) nonEmpty++;
    }
    expect(nonEmpty).toBeGreaterThan(50);
  });

  it('keeps roots apart, and shares a function of no known root with every root', () => {
    const at = (address: string, file: string, root?: string, sourceType = 'aws_lambda_function') =>
      ({ address, sourceType, root, range: { file, line: 1, column: 1, endLine: 1, endColumn: 2 } }) as ResourceBase;
    const functions = [
      at('aws_lambda_function.a', 'm/main.tf', 'dev'),
      at('aws_lambda_function.a', 'm/main.tf', 'prod'),
      at('module.x.aws_lambda_function.b', 'm/main.tf', 'dev'),
      at('aws_lambda_function.c', 'm/other.tf', 'dev'),
      at('Fn', 'm/t.yaml', undefined, 'AWS::Lambda::Function'),
    ];
    const plain = [...functions, at('aws_lambda_function.p', 'm/plan.json')];
    const names = (list: readonly ResourceBase[]) => list.map((f) => `${f.address}@${f.root ?? '-'}`);
    const policy = (root: string | undefined, list = functions, address = 'aws_iam_policy.p', file = 'm/iam.tf', sourceType = 'aws_iam_policy') => {
      const from = at(address, file, root, sourceType);
      const found = reachableFunctions(list, from);
      expect(found).toEqual(list.filter((f) => reachable(f, from)));
      return names(found);
    };
    expect(policy('dev')).toEqual(['aws_lambda_function.a@dev', 'aws_lambda_function.c@dev']);
    expect(policy('prod')).toEqual(['aws_lambda_function.a@prod']);
    expect(policy('stage')).toEqual([]);
    expect(policy(undefined)).toEqual(['aws_lambda_function.a@dev', 'aws_lambda_function.a@prod', 'aws_lambda_function.c@dev']);
    expect(policy('dev', functions, 'module.x.aws_iam_policy.p')).toEqual(['module.x.aws_lambda_function.b@dev']);
    expect(policy('prod', plain)).toEqual(['aws_lambda_function.a@prod', 'aws_lambda_function.p@-']);
    expect(policy('dev', plain)).toEqual(['aws_lambda_function.a@dev', 'aws_lambda_function.c@dev', 'aws_lambda_function.p@-']);
    expect(policy(undefined, functions, 'Policy', 'm/t.yaml', 'AWS::IAM::Policy')).toEqual(['Fn@-']);
    expect(policy(undefined, functions, 'Policy', 'm/u.yaml', 'AWS::IAM::Policy')).toEqual([]);
  });
});
