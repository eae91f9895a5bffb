import { describe, expect, it } from '@jest/globals';
import { prepareTemplate, scannedPaths, templateRoots } from '../../src/model/cloudformation/nested.js';
import { parseCloudFormation } from '../../src/parse/cloudformation/parse-cloudformation.js';

const SCANNED = ['stacks/parent.yaml', 'stacks/child.yaml', 'stacks/nested/deep.yaml', 'other/child.yaml'];

/** The local templates `stacks/parent.yaml` nests, with this resource list. */
function children(resources: string): string[] {
  const { template, errors } = parseCloudFormation('stacks/parent.yaml', `AWSTemplateFormatVersion: "2010-09-09"\nResources:\n${resources}`);
  expect(errors).toEqual([]);
  return prepareTemplate('stacks/parent.yaml', template!, scannedPaths(SCANNED)).children.map((c) => `${c.entry.key} -> ${c.target}`);
}

const stack = (id: string, type: string, property: string, location: string) => `  ${id}:\n    Type: ${type}\n    Properties:\n      ${property}: ${location}\n`;

describe('local nested templates', () => {
  it('resolves TemplateURL and Location relative to the parent, to the scan\'s own file names', () => {
    expect(
      children(
        stack('A', 'AWS::CloudFormation::Stack', 'TemplateURL', './child.yaml') +
          stack('B', 'AWS::CloudFormation::Stack', 'TemplateURL', 'nested/../nested/deep.yaml') +
          stack('C', 'AWS::Serverless::Application', 'Location', '../other/child.yaml'),
      ),
    ).toEqual(['A -> stacks/child.yaml', 'B -> stacks/nested/deep.yaml', 'C -> other/child.yaml']);
  });

  it('leaves URLs, absolute paths, SAR applications, intrinsics and files outside the scan alone', () => {
    expect(
      children(
        stack('Https', 'AWS::CloudFormation::Stack', 'TemplateURL', 'https://s3.amazonaws.com/b/child.yaml') +
          stack('S3', 'AWS::Serverless::Application', 'Location', 's3://b/child.yaml') +
          stack('Absolute', 'AWS::CloudFormation::Stack', 'TemplateURL', '/stacks/child.yaml') +
          stack('Sub', 'AWS::CloudFormation::Stack', 'TemplateURL', '!Sub "./${Name}.yaml"') +
          stack('Outside', 'AWS::CloudFormation::Stack', 'TemplateURL', '../../etc/child.yaml') +
          stack('Missing', 'AWS::CloudFormation::Stack', 'TemplateURL', './missing.yaml') +
          '  Sar:\n    Type: AWS::Serverless::Application\n    Properties:\n      Location:\n        ApplicationId: arn:aws:serverlessrepo:us-east-1:111122223333:applications/x\n        SemanticVersion: 1.0.0\n',
      ),
    ).toEqual([]);
  });

  it('roots: templates nothing nests, in file order, then the first of each cycle nothing else reaches', () => {
    const graph: Record<string, string[]> = { p: ['c', 'gone'], c: ['g'], g: [], x: ['y'], y: ['x'], self: ['self'], solo: [] };
    expect([...templateRoots(Object.keys(graph), (file) => graph[file])]).toEqual(['p', 'x', 'self', 'solo']);
  });
});
