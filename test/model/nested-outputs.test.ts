import { describe, expect, it } from '@jest/globals';
import { buildModel } from '../../src/model/build-model.js';
import type { Model } from '../../src/model/types.js';
import { displayString, type Value } from '../../src/model/value.js';
import { parseCloudFormation } from '../../src/parse/cloudformation/parse-cloudformation.js';
import type { SourceDocument } from '../../src/parse/types.js';

/** The model of templates given as file → YAML text. */
function modelOf(files: Record<string, string>): Model {
  const documents: SourceDocument[] = Object.entries(files).map(([file, text]) => {
    const { template, errors } = parseCloudFormation(file, text);
    return template ? { format: 'cloudformation', file, template, errors } : { format: 'unreadable', file, errors };
  });
  return buildModel(documents);
}

const HEADER = 'AWSTemplateFormatVersion: "2010-09-09"\n';
const stack = (id: string, url: string, parameters = '') => `  ${id}:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: ${url}\n${parameters}`;
const permission = (id: string, functionName: string) => `  ${id}:\n    Type: AWS::Lambda::Permission\n    Properties:\n      Principal: "*"\n      FunctionName: ${functionName}\n`;
const CHILD = `${HEADER}Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n  Other:\n    Type: AWS::Lambda::Function\nConditions:\n  InUsEast: !Equals [!Ref AWS::Region, us-east-1]\nOutputs:\n  FnArn:\n    Value: !GetAtt Fn.Arn\n  Either:\n    Condition: InUsEast\n    Value: !If [InUsEast, !GetAtt Fn.Arn, !GetAtt Other.Arn]\n`;

/** How a value reads: the model address of a resource it refers to, else as displayed. */
function target(value: Value | undefined): string | undefined {
  return value?.kind === 'unknown' && value.resource !== undefined ? `resource:${value.resource}` : displayString(value);
}

function functionNames(model: Model, address: string): Array<string | undefined> {
  return model.permissions.filter((p) => p.address === address).map((p) => target(p.functionName?.value));
}

describe('nested stack outputs in the parent scope', () => {
  it('a parent IAM policy whose Resource is a child output names the child function, located at the parent', () => {
    const model = modelOf({
      'parent.yaml': `${HEADER}Resources:\n${stack('App', 'child.yaml')}  Policy:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument:\n        Statement:\n          - Effect: Allow\n            Action: lambda:InvokeFunction\n            Resource: !GetAtt App.Outputs.FnArn\n`,
      'child.yaml': CHILD,
    });
    const [resource] = model.identityPolicies.find((p) => p.address === 'Policy')!.document!.statements[0].resource;
    expect(target(resource)).toBe('resource:App/Fn');
    expect([resource.range.file, resource.range.line]).toEqual(['parent.yaml', 14]);
  });

  it('an Fn::If in a (conditional) output is one more branch of the parent resource reading it', () => {
    const model = modelOf({ 'parent.yaml': `${HEADER}Resources:\n${stack('App', 'child.yaml')}${permission('Open', '!GetAtt App.Outputs.Either')}`, 'child.yaml': CHILD });
    expect(functionNames(model, 'Open')).toEqual(['resource:App/Fn', 'resource:App/Other']);
  });

  it('models each child once: reading its outputs does not instantiate it again', () => {
    const model = modelOf({ 'parent.yaml': `${HEADER}Resources:\n${permission('First', '!GetAtt App.Outputs.FnArn')}${stack('App', 'child.yaml')}${permission('Second', '!GetAtt App.Outputs.FnArn')}`, 'child.yaml': CHILD });
    expect(model.functions.map((f) => f.address)).toEqual(['App/Fn', 'App/Other']);
    expect([...functionNames(model, 'First'), ...functionNames(model, 'Second')]).toEqual(['resource:App/Fn', 'resource:App/Fn']);
  });

  it('stays unknown, without looping, where stacks read their own outputs or each other\'s through their parameters', () => {
    const passes = (from: string) => `      Parameters:\n        Target: !GetAtt ${from}.Outputs.Passed\n`;
    const relay = `${HEADER}Parameters:\n  Target:\n    Type: String\nResources:\n${permission('Open', '!Ref Target')}Outputs:\n  Passed:\n    Value: !Ref Target\n`;
    const model = modelOf({ 'parent.yaml': `${HEADER}Resources:\n${stack('A', 'relay.yaml', passes('B'))}${stack('B', 'relay.yaml', passes('A'))}${stack('Self', 'relay.yaml', passes('Self'))}`, 'relay.yaml': relay });
    expect(['A/Open', 'B/Open', 'Self/Open'].map((address) => functionNames(model, address))).toEqual([
      // Unknown: a reference to the stack itself, as any attribute of it not modelled. A's parameters
      // are read first: B's output, so B's parameters, so A's output (still being decided: unknown).
      ['resource:A'],
      ['resource:A'],
      ['resource:Self'],
    ]);
  });

  it('stays unknown for a child that does not parse, or that nests itself', () => {
    const model = modelOf({
      'parent.yaml': `${HEADER}Resources:\n${stack('Broken', 'broken.yaml')}${stack('Loop', 'loop.yaml')}${permission('FromBroken', '!GetAtt Broken.Outputs.FnArn')}${permission('FromLoop', '!GetAtt Loop.Outputs.Inner')}`,
      'broken.yaml': `${HEADER}Resources:\n  Fn: [unclosed\n`,
      // loop.yaml nests itself: the inner instance is refused, so its output is not known.
      'loop.yaml': `${HEADER}Resources:\n${stack('Again', 'loop.yaml')}Outputs:\n  Inner:\n    Value: !GetAtt Again.Outputs.Inner\n`,
    });
    expect(functionNames(model, 'FromBroken')).toEqual(['resource:Broken']);
    // Loop's own output is read; it is the refused inner stack's output, an unknown in Loop's scope.
    expect(functionNames(model, 'FromLoop')).toEqual(['resource:Loop/Again']);
    expect(model.errors.map((e) => e.message)).toContainEqual(expect.stringContaining('Nested stack Again is not analysed: the template includes itself'));
  });
});
