import { describe, expect, it } from '@jest/globals';
import { dirname, join } from 'node:path';
import { policyData } from '../../src/policy-data.js';
import type { LambdaPermission, Model, ResourceBase } from '../../src/model/types.js';
import { resourcesOf } from '../../src/model/value.js';
import { byFolder, namedFunction, triggers, type Trigger } from '../../src/rules/support/suggest.js';
import { wiredTriggers } from '../../src/rules/support/wired-triggers.js';
import { loadModel } from '../../src/scan.js';
import { REPO_ROOT } from '../helpers/scan.js';
import { tempTree } from '../helpers/temp-tree.js';

/** The definition wiredTriggers indexes per folder: every lookup a pass over the permission's folder. */
function linearWired(model: Model, permission: LambdaPermission, candidates: readonly Trigger[]): Trigger[] {
  const neighbours = byFolder(model.resources).get(dirname(permission.range.file)) ?? [];
  const block = (address: string) => address.replace(/\[[^\]]*\]$/, '');
  const sameScope = (a: ResourceBase, b: ResourceBase) =>
    a.sourceType.startsWith('AWS::') ? a.range.file === b.range.file && a.rootTemplate === b.rootTemplate : a.root === b.root || a.root === undefined || b.root === undefined;
  const targets = new Set<string>();
  const own = neighbours.find((r) => r.address === permission.address && sameScope(r, permission));
  const types = new Map(neighbours.filter((r) => sameScope(r, permission)).map((r) => [block(r.instanceOf !== undefined && !r.sourceType.startsWith('AWS::') ? r.instanceOf : r.address), r.sourceType]));
  const functionTypes = ['AWS::Lambda::Function', 'AWS::Serverless::Function', 'AWS::Lambda::Alias', 'AWS::Lambda::Version', 'aws_lambda_function', 'aws_lambda_alias'];
  for (const ref of own?.references ?? []) if (functionTypes.includes(types.get(block(ref.address)) ?? '')) targets.add(block(ref.address));
  const value = permission.functionName?.value;
  if (value) for (const address of resourcesOf(value)) targets.add(block(address));
  const named = namedFunction(model, permission);
  if (named !== undefined && model.functions.some((f) => f.address === named)) targets.add(block(named));
  if (targets.size === 0) return [];
  const names = (r: ResourceBase, address: string) => (r.references ?? []).some((ref) => block(ref.address) === address);
  const namesFunction = (r: ResourceBase) => [...targets].some((t) => names(r, t));
  return candidates.filter((trigger) => {
    const ownAddress = block(trigger.resource.instanceOf ?? trigger.resource.address);
    if (namesFunction(trigger.resource)) return true;
    return neighbours.some((r) => trigger.wiring.includes(r.sourceType) && sameScope(r, trigger.resource) && names(r, ownAddress) && namesFunction(r));
  });
}

/** Every permission of the model, against the triggers of every service. */
function compareAll(model: Model): number {
  const services = Object.keys(policyData<Record<string, unknown>>('service-sources.json'));
  let wired = 0;
  for (const permission of model.permissions)
    for (const service of services) {
      const candidates = triggers(model, service, permission);
      const expected = linearWired(model, permission, candidates);
      expect(wiredTriggers(model, permission, candidates)).toEqual(expected);
      wired += expected.length;
    }
  return wired;
}

describe('wiredTriggers (indexed once per folder)', () => {
  it('keeps the triggers a pass over the folder per permission keeps, for every permission of the examples and fixtures', async () => {
    const { model } = await loadModel({ paths: [join(REPO_ROOT, 'examples'), join(REPO_ROOT, 'test', 'fixtures')], cwd: REPO_ROOT });
    expect(model.permissions.length).toBeGreaterThan(20);
    expect(compareAll(model)).toBeGreaterThan(0);
  });

  it('tells apart permissions of one folder in different templates, roots and module instances', async () => {
    const template = (fn: string) =>
      [
        'Resources:',
        `  ${fn}:`,
        '    Type: AWS::Lambda::Function',
        '    Properties: { Code: { ZipFile: x }, Handler: i.h, Runtime: python3.12, Role: arn:aws:iam::1:role/r }',
        '  Topic:',
        '    Type: AWS::SNS::Topic',
        '  Subscription:',
        '    Type: AWS::SNS::Subscription',
        `    Properties: { TopicArn: !Ref Topic, Protocol: lambda, Endpoint: !GetAtt ${fn}.Arn }`,
        '  Permission:',
        '    Type: AWS::Lambda::Permission',
        `    Properties: { FunctionName: !Ref ${fn}, Action: lambda:InvokeFunction, Principal: sns.amazonaws.com }`,
      ].join('\n');
    const root = tempTree({
      'a.yaml': template('Fn'),
      'b.yaml': template('Other'),
      'main.tf': [
        'resource "aws_lambda_function" "f" {\n  function_name = "f"\n}',
        'resource "aws_sns_topic" "t" {}',
        'resource "aws_sns_topic_subscription" "s" {\n  topic_arn = aws_sns_topic.t.arn\n  protocol = "lambda"\n  endpoint = aws_lambda_function.f.arn\n}',
        'resource "aws_lambda_permission" "p" {\n  function_name = aws_lambda_function.f.function_name\n  action = "lambda:InvokeFunction"\n  principal = "sns.amazonaws.com"\n}',
        'resource "aws_lambda_permission" "q" {\n  function_name = "elsewhere"\n  action = "lambda:InvokeFunction"\n  principal = "sns.amazonaws.com"\n}',
        'module "m" {\n  source = "./m"\n}',
      ].join('\n'),
      'm/main.tf': 'resource "aws_lambda_function" "f" {\n  function_name = "g"\n}\nresource "aws_sns_topic" "t" {}\nresource "aws_lambda_permission" "p" {\n  function_name = aws_lambda_function.f.function_name\n  principal = "sns.amazonaws.com"\n}\n',
      // One module folder under two roots: each root's instance is wired by its own subscription only.
      'a/main.tf': 'module "s" {\n  source = "../shared"\n  wire = true\n}\n',
      'b/main.tf': 'module "s" {\n  source = "../shared"\n  wire = false\n}\n',
      'shared/main.tf': [
        'variable "wire" {}',
        'resource "aws_lambda_function" "f" {\n  function_name = "s"\n}',
        'resource "aws_sns_topic" "t" {}',
        'resource "aws_sns_topic_subscription" "s" {\n  count = var.wire ? 1 : 0\n  topic_arn = aws_sns_topic.t.arn\n  protocol = "lambda"\n  endpoint = aws_lambda_function.f.arn\n}',
        'resource "aws_lambda_permission" "p" {\n  function_name = aws_lambda_function.f.function_name\n  principal = "sns.amazonaws.com"\n}',
      ].join('\n'),
    });
    const { model } = await loadModel({ paths: [root], cwd: root });
    expect(compareAll(model)).toBeGreaterThanOrEqual(3);
  });
});
