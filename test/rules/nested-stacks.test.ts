import { describe, expect, it } from '@jest/globals';
import { scan } from '../../src/scan.js';
import { REPO_ROOT, scanPaths } from '../helpers/scan.js';
import { tempTree } from '../helpers/temp-tree.js';

const DIR = 'test/fixtures/nested-stacks';

/** [rule, address, file (under the fixture folder), line] of every finding. */
async function located(path: string): Promise<Array<[string, string, string, number]>> {
  const { findings } = await scanPaths(path);
  return findings.map((f) => [f.ruleId, f.resource, f.range.file.slice(DIR.length + 1), f.range.line]);
}

describe('CloudFormation nested stacks with local templates, analysed with what their parent passes', () => {
  it('finds the "*" a parent passes into a child permission at the parent, and what the child writes itself in the child, once per nesting stack', async () => {
    expect(await located(`${DIR}/public`)).toEqual([
      // The child's own "*" (line 21), reached through both stacks that nest it.
      ['IG101', 'Api/Anyone', 'public/child.yaml', 21],
      ['IG101', 'Events/Anyone', 'public/child.yaml', 21],
      // Principal: "*" passed by the stack Api.
      ['IG101', 'Api/Invoke', 'public/parent.yaml', 13],
      // The parent's own parameter default (events.amazonaws.com) passed by Events: unpinned, at the parent's Ref.
      ['IG102', 'Events/Invoke', 'public/parent.yaml', 20],
    ]);
  });

  it('names the function the parent passes (its !GetAtt, in the parent scope), not an unknown one', async () => {
    const { findings } = await scanPaths(`${DIR}/public`);
    expect(findings.find((f) => f.resource === 'Api/Invoke')!.message).toBe('Api/Invoke lets any AWS principal ("*") invoke Handler: it has no source account and no source ARN and no organisation id.');
  });

  it('a child\'s condition is not its parent\'s of the same name: the "*" of the child\'s output is read through the parent\'s Fn::If (IG101)', async () => {
    expect(await located(`${DIR}/same-condition`)).toEqual([
      ['IG101', 'Perm', 'same-condition/parent.yaml', 29],
      ['IG102', 'Perm', 'same-condition/parent.yaml', 29],
    ]);
  });

  it('reads a child nothing in the scan nests as a standalone template, with its own safe defaults', async () => {
    expect(await located(`${DIR}/standalone`)).toEqual([]);
  });

  it('never reaches outside the scan: a parent scanned without its child models no child, a child scanned alone uses its defaults', async () => {
    expect(await located(`${DIR}/public/parent.yaml`)).toEqual([]);
    // Alone, FunctionArn is unknown and Principal keeps its default (apigateway.amazonaws.com, no SourceArn).
    expect(await located(`${DIR}/public/child.yaml`)).toEqual([
      ['IG102', 'Invoke', 'public/child.yaml', 15],
      ['IG101', 'Anyone', 'public/child.yaml', 21],
    ]);
  });

  it('a SAM AWS::Serverless::Application with a local Location passing AuthType NONE: IG104 at the parent, fixed there', async () => {
    const { findings } = await scanPaths(`${DIR}/sam`);
    expect(findings.map((f) => [f.ruleId, f.resource, f.range.file, f.range.line])).toEqual([['IG104', 'Orders/Api', `${DIR}/sam/template.yaml`, 10]]);
    expect(findings[0].fix!.edits).toEqual([expect.objectContaining({ file: `${DIR}/sam/template.yaml`, text: 'AWS_IAM' })]);
  });

  it('a template nesting itself, directly or through another, is modelled once and the loop reported where it closes', async () => {
    const { findings } = await scanPaths(`${DIR}/cycle`);
    expect(findings.map((f) => [f.ruleId, f.resource.startsWith(DIR) ? '(file)' : f.resource, f.range.file.slice(DIR.length + 1), f.range.line])).toEqual([
      ['IG901', '(file)', 'cycle/b.yaml', 6],
      ['IG101', 'B/Open', 'cycle/b.yaml', 12],
      ['IG901', '(file)', 'cycle/loop.yaml', 7],
      ['IG101', 'Open', 'cycle/loop.yaml', 13],
    ]);
    expect(findings[0].message).toContain('Nested stack A is not analysed: the template includes itself');
  });

  it('passes every Fn::If branch of the parent\'s parameters, and a comma-delimited list as the list the child declares', async () => {
    const root = tempTree({
      'parent.yaml':
        'AWSTemplateFormatVersion: "2010-09-09"\nParameters:\n  Mode:\n    Type: String\nConditions:\n  Closed: !Equals [!Ref Mode, closed]\nResources:\n  Api:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: child.yaml\n      Parameters:\n        Principal: !If [Closed, "111122223333", "*"]\n        Callers: "111122223333,*"\n',
      'child.yaml':
        'AWSTemplateFormatVersion: "2010-09-09"\nParameters:\n  Principal:\n    Type: String\n  Callers:\n    Type: CommaDelimitedList\nResources:\n  Invoke:\n    Type: AWS::Lambda::Permission\n    Properties:\n      FunctionName: f\n      Principal: !Ref Principal\n  Second:\n    Type: AWS::Lambda::Permission\n    Properties:\n      FunctionName: f\n      Principal: !Select [1, !Ref Callers]\n',
    });
    const { findings } = await scan({ paths: [root], cwd: root });
    expect(findings.filter((f) => f.ruleId === 'IG101').map((f) => [f.resource, f.range.file, f.range.line])).toEqual([
      ['Api/Invoke', 'parent.yaml', 13],
      ['Api/Second', 'parent.yaml', 14],
    ]);
  });

  it('instantiates at most 64 nested stacks under one root template, and says where it stopped', async () => {
    // Each level nests the next five times: 5 + 25 + 125 instances below the root.
    const fanOut = (next: string) =>
      `AWSTemplateFormatVersion: "2010-09-09"\nResources:\n${[1, 2, 3, 4, 5].map((i) => `  S${i}:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: ${next}\n`).join('')}`;
    const leaf = 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Open:\n    Type: AWS::Lambda::Permission\n    Properties:\n      FunctionName: f\n      Principal: "*"\n';
    const root = tempTree({ 'l0.yaml': fanOut('l1.yaml'), 'l1.yaml': fanOut('l2.yaml'), 'l2.yaml': fanOut('leaf.yaml'), 'leaf.yaml': leaf });
    const { findings } = await scan({ paths: [root], cwd: root });
    // Depth first: S1 with its 5 and their 25 leaves (31 instances), S2 likewise (62), then S3 and its S1 (64): 50 leaves.
    expect(findings.filter((f) => f.ruleId === 'IG101')).toHaveLength(50);
    const stopped = (file: string, stack: number) => [file, 2 + 4 * stack, `Nested stack S${stack} is not analysed: its root template l0.yaml already instantiates 64 nested stacks.`];
    // Reported at each TemplateURL not followed: the root's S4 and S5, S3's own five and those of its S1.
    expect(findings.filter((f) => f.ruleId === 'IG901').map((f) => [f.range.file, f.range.line, f.message])).toEqual([
      stopped('l0.yaml', 4),
      stopped('l0.yaml', 5),
      ...[2, 3, 4, 5].map((i) => stopped('l1.yaml', i)),
      ...[1, 2, 3, 4, 5].map((i) => stopped('l2.yaml', i)),
    ]);
  });

  it('stops nesting 8 levels below the root, reported where it stops', async () => {
    const level = (i: number) =>
      `AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Deeper:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: t${i + 1}.yaml\n  Open:\n    Type: AWS::Lambda::Permission\n    Properties:\n      FunctionName: f\n      Principal: "*"\n`;
    const root = tempTree(Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`t${i}.yaml`, level(i)])));
    const { findings } = await scan({ paths: [root], cwd: root });
    const opened = findings.filter((f) => f.ruleId === 'IG101').map((f) => f.resource);
    expect(opened).toEqual(Array.from({ length: 9 }, (_, depth) => [...Array(depth).fill('Deeper'), 'Open'].join('/')));
    expect(findings.filter((f) => f.ruleId === 'IG901').map((f) => [f.range.file, f.range.line, f.message])).toEqual([
      ['t8.yaml', 6, 'Nested stack Deeper is not analysed: the template nests more than 8 levels deep (t0.yaml -> t1.yaml -> t2.yaml -> t3.yaml -> t4.yaml -> t5.yaml -> t6.yaml -> t7.yaml -> t8.yaml -> t9.yaml).'],
    ]);
  });
});

describe('CloudFormation nested stack outputs read by the parent (Fn::GetAtt Stack.Outputs.NAME)', () => {
  it("a root template's policy attached to a nested stack's role through an output makes it that execution role's, reported at the child's role", async () => {
    const { findings } = await scanPaths(`${DIR}/tree`);
    expect(findings.map((f) => [f.ruleId, f.resource, f.range.file.slice(DIR.length + 1), f.range.line])).toEqual([
      // WorkerAdmin (parent.yaml) names Worker/WorkerRole through the output WorkerRoleName: the same stack tree.
      ['IG301', 'Worker/WorkerRole', 'tree/child.yaml', 26],
      ['IG303', 'Worker/WorkerRole', 'tree/child.yaml', 31],
      ['IG303', 'HandlerRole', 'tree/parent.yaml', 18],
      ['IG201', 'WorkerAdmin', 'tree/parent.yaml', 52],
      ['IG202', 'WorkerAdmin', 'tree/parent.yaml', 52],
      ['IG205', 'WorkerAdmin', 'tree/parent.yaml', 52],
    ]);
    expect(findings[0].message).toContain('(WorkerAdmin (test/fixtures/nested-stacks/tree/parent.yaml:43))');
  });

  it('links a parent permission to the function a child outputs, in both GetAtt forms, through a middle stack, and into a sibling stack', async () => {
    const { findings } = await scanPaths(`${DIR}/outputs`);
    expect(findings.map((f) => [f.ruleId, f.resource, f.range.file.slice(DIR.length + 1), f.range.line])).toEqual([
      // App's output passed by the parent into the Consumer stack's parameter.
      ['IG102', 'Consumer/Events', 'outputs/consumer.yaml', 11],
      ['IG101', 'Public', 'outputs/parent.yaml', 15],
      ['IG102', 'Bucket', 'outputs/parent.yaml', 22],
      ['IG101', 'Missing', 'outputs/parent.yaml', 28],
      ['IG101', 'Deep', 'outputs/parent.yaml', 38],
    ]);
    const message = (address: string) => findings.find((f) => f.resource === address)!.message;
    // App/Fn, not another.yaml's root function Fn (earlier in the scan, same logical id).
    expect(message('Public')).toBe('Public lets any AWS principal ("*") invoke App/Fn: it has no source account and no source ARN and no organisation id.');
    expect(message('Bucket')).toBe('Bucket lets s3.amazonaws.com invoke App/Fn for a resource in any account: it has no source account and no source ARN.');
    expect(message('Consumer/Events')).toContain('invoke App/Fn ');
    // The grandchild's function, output by worker.yaml and passed up by middle.yaml's own output.
    expect(message('Deep')).toContain('invoke Platform/Workers/Worker:');
    // An output the child does not declare stays unknown: still reported, the function named as written.
    expect(message('Missing')).toBe('Missing lets any AWS principal ("*") invoke ${App.Outputs.NoSuchOutput}: it has no source account and no source ARN and no organisation id.');
  });

  it('reads the outputs of a SAM AWS::Serverless::Application with a local Location', async () => {
    const { findings } = await scanPaths(`${DIR}/sam-outputs`);
    expect(findings.map((f) => [f.ruleId, f.resource, f.range.file, f.range.line, f.message])).toEqual([
      ['IG101', 'Public', `${DIR}/sam-outputs/template.yaml`, 14, 'Public lets any AWS principal ("*") invoke Orders/Api: it has no source account and no source ARN and no organisation id.'],
    ]);
  });

  it('a child output that is a value, not a reference, is reported where the parent reads it', async () => {
    const root = tempTree({
      'parent.yaml':
        'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Shared:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: shared.yaml\n  Open:\n    Type: AWS::Lambda::Permission\n    Properties:\n      FunctionName: f\n      Principal: !GetAtt Shared.Outputs.Caller\n',
      'shared.yaml': 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Topic:\n    Type: AWS::SNS::Topic\nOutputs:\n  Caller:\n    Value: "*"\n',
    });
    const { findings } = await scan({ paths: [root], cwd: root });
    expect(findings.map((f) => [f.ruleId, f.resource, f.range.file, f.range.line])).toEqual([['IG101', 'Open', 'parent.yaml', 11]]);
  });
});

describe('suppressions in a nested template', () => {
  it('Metadata.invokeguard.ignore on a child resource covers it through every parent, even where the parent passes the value', async () => {
    const root = tempTree({
      'parent.yaml': 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Api:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: child.yaml\n      Parameters:\n        Principal: "*"\n',
      'child.yaml':
        'AWSTemplateFormatVersion: "2010-09-09"\nParameters:\n  Principal:\n    Type: String\nResources:\n  Partner:\n    Type: AWS::Lambda::Permission\n    Metadata:\n      invokeguard:\n        ignore:\n          - id: IG101\n            reason: reviewed\n    Properties:\n      FunctionName: f\n      Principal: !Ref Principal\n  Other:\n    Type: AWS::Lambda::Permission\n    Properties:\n      FunctionName: f\n      Principal: !Ref Principal\n',
    });
    const result = await scan({ paths: [root], cwd: root });
    expect(result.findings.map((f) => [f.ruleId, f.resource, f.range.file, f.range.line])).toEqual([['IG101', 'Api/Other', 'parent.yaml', 8]]);
    expect(result.suppressed!.map((s) => [s.finding.resource, s.finding.range.file, s.justification])).toEqual([['Api/Partner', 'parent.yaml', 'reviewed']]);
  });
});

describe('--fix in a nested template shared by several stacks', () => {
  it('keeps a change every instance asks for, and one written where a parent passes the value; withholds one only some instances need', async () => {
    const { findings } = await scanPaths(`${DIR}/shared`);
    expect(findings.map((f) => [f.ruleId, f.resource, f.range.file.slice(DIR.length + 1), f.range.line, f.fix!.edits.map((e) => e.file.slice(DIR.length + 1))])).toEqual([
      ['IG104', 'StackC/ParamUrl', 'shared/c.yaml', 8, ['shared/c.yaml']],
      ['IG104', 'StackA/OpenUrl', 'shared/child.yaml', 19, ['shared/child.yaml']],
      ['IG104', 'StackB/OpenUrl', 'shared/child.yaml', 19, ['shared/child.yaml']],
      ['IG104', 'StackC/OpenUrl', 'shared/child.yaml', 19, ['shared/child.yaml']],
      // Only StackB leaves Auth at its NONE default: editing the child would change StackA's and StackC's too.
      ['IG104', 'StackB/ParamUrl', 'shared/child.yaml', 24, []],
    ]);
    expect(findings[4].fix!.description).toContain('shared by 3 instances (a nested stack template, one instance per stack that nests it)');
  });

  it('adds no key next to a value the parent passes (it would land in the parent\'s Parameters)', async () => {
    const config = { file: 'test', rules: {}, accounts: ['111122223333'], cidrs: [], include: [], exclude: [] };
    const { findings } = await scan({ paths: [`${DIR}/public`], cwd: REPO_ROOT, config });
    const unpinned = findings.find((f) => f.ruleId === 'IG102')!;
    expect(unpinned.fix!.edits).toEqual([]);
    expect(unpinned.fix!.description).toContain(`Not applied by --fix: Events/Invoke takes the value from its parent stack (${DIR}/public/parent.yaml:20)`);
    // The same child scanned alone: the key is added in the child, as for any template.
    const alone = await scan({ paths: [`${DIR}/public/child.yaml`], cwd: REPO_ROOT, config });
    expect(alone.findings.find((f) => f.ruleId === 'IG102')!.fix!.edits).toHaveLength(1);
  });
});
