import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { classifyByContent } from '../../src/discover/classify.js';
import { applyFixes } from '../../src/fix/apply.js';
import { buildModel } from '../../src/model/build-model.js';
import { CfnEvaluator } from '../../src/model/cloudformation/evaluate.js';
import { expandLanguageExtensions, MAX_GENERATED_ENTRIES } from '../../src/model/cloudformation/language-extensions.js';
import { displayString, get, type Value } from '../../src/model/value.js';
import { parseCloudFormation } from '../../src/parse/cloudformation/parse-cloudformation.js';
import { scan } from '../../src/scan.js';
import { tempTree } from '../helpers/temp-tree.js';

const TRANSFORM = 'Transform: AWS::LanguageExtensions\n';

function parse(text: string): Value {
  const { template, errors } = parseCloudFormation('t.yaml', text);
  expect(errors).toEqual([]);
  return template!;
}

function expand(text: string) {
  return expandLanguageExtensions(parse(text));
}

const keys = (value: Value | undefined) => (value?.kind === 'object' ? value.entries.map((e) => e.key) : []);
/** A value of the expanded template, evaluated as the model evaluates it (no parameters needed here). */
const evaluated = (value: Value | undefined) => (value ? new CfnEvaluator({ parameters: new Map(), resourceTypes: new Map() }).evaluate(value) : undefined);

describe('Fn::ForEach expansion', () => {
  it('generates logical ids with ${Id} and &{Id} (non-alphanumeric characters removed), in nested loops, keeping other resources in place', () => {
    const { template, errors, instances } = expand(`${TRANSFORM}Resources:
  Before: { Type: AWS::S3::Bucket }
  Fn::ForEach::Outer:
    - Team
    - [red-team, blue.team]
    - Fn::ForEach::Inner:
        - Stage
        - [Dev, Prod]
        - Topic&{Team}\${Stage}:
            Type: AWS::SNS::Topic
  After: { Type: AWS::S3::Bucket }
`);
    expect(errors).toEqual([]);
    expect(keys(get(template, 'Resources'))).toEqual(['Before', 'TopicredteamDev', 'TopicredteamProd', 'TopicblueteamDev', 'TopicblueteamProd', 'After']);
    expect(instances.get('TopicblueteamProd')).toBe('Topic&{Team}${Stage}');
    expect(instances.has('Before')).toBe(false);
  });

  it('replaces Ref of the identifier (at the Ref) and ${Id} in Fn::Sub, short and long forms, and leaves other strings as written', () => {
    const { template } = expand(`${TRANSFORM}Resources:
  Fn::ForEach::Topics:
    - Name
    - [Orders]
    - \${Name}Topic:
        Type: AWS::SNS::Topic
        Properties:
          TopicName: !Ref Name
          DisplayName: !Sub "\${Name}-\${AWS::Region}"
          Other: { "Fn::Sub": ["&{Name}:\${Suffix}", { Suffix: !Ref Name }] }
          Plain: "\${Name}"
`);
    const properties = get(get(get(template, 'Resources'), 'OrdersTopic'), 'Properties');
    expect(get(properties, 'TopicName')).toMatchObject({ kind: 'string', value: 'Orders', range: { line: 9 } });
    expect(displayString(evaluated(get(properties, 'DisplayName')))).toBe('Orders-${AWS::Region}');
    expect(evaluated(get(properties, 'Other'))).toMatchObject({ kind: 'string', value: 'Orders:Orders' });
    expect(get(properties, 'Plain')).toMatchObject({ kind: 'string', value: '${Name}' });
  });

  it('expands loops in resource properties, Outputs and Conditions, with the collection from a parameter default or a mapping', () => {
    const { template, errors } = expand(`${TRANSFORM}Parameters:
  Names: { Type: CommaDelimitedList, Default: "a, b" }
Mappings:
  Lists:
    All: { Items: [x, y, z] }
Conditions:
  Fn::ForEach::IsName:
    - N
    - !Ref Names
    - Is\${N}: !Equals [!Ref N, a]
Resources:
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      Tags:
        Fn::ForEach::Tag:
          - T
          - !FindInMap [Lists, All, Items]
          - \${T}: !Sub "tag-\${T}"
Outputs:
  Fn::ForEach::Out:
    - N
    - !Ref Names
    - Out\${N}: { Value: !Ref N }
`);
    expect(errors).toEqual([]);
    expect(keys(get(template, 'Conditions'))).toEqual(['Isa', 'Isb']);
    expect(keys(get(get(get(get(template, 'Resources'), 'Queue'), 'Properties'), 'Tags'))).toEqual(['x', 'y', 'z']);
    expect(get(get(get(template, 'Outputs'), 'Outb'), 'Value')).toMatchObject({ kind: 'string', value: 'b' });
  });

  it('a collection that is not known is expanded once, under the key as written, the identifier unknown', () => {
    const { template, errors, instances } = expand(`${TRANSFORM}Parameters:
  Names: { Type: CommaDelimitedList }
Resources:
  Fn::ForEach::Perms:
    - Name
    - !Ref Names
    - Permission\${Name}:
        Type: AWS::Lambda::Permission
        Properties:
          FunctionName: !Ref Name
          SourceArn: !Sub "arn:aws:s3:::\${Name}"
          Principal: "*"
`);
    expect(errors).toEqual([]);
    expect(keys(get(template, 'Resources'))).toEqual(['Permission${Name}']);
    expect(instances.get('Permission${Name}')).toBe('Permission${Name}');
    const properties = get(get(get(template, 'Resources'), 'Permission${Name}'), 'Properties');
    expect(get(properties, 'FunctionName')).toMatchObject({ kind: 'unknown', ref: 'Name' });
    // Unknown even when a parameter of the same name exists: the identifier shadows it.
    expect(displayString(evaluated(get(properties, 'SourceArn')))).toBe('arn:aws:s3:::${Name}');
  });

  it('a loop whose body grants "*" regardless of the identifier is reported even when the collection is unknown; what depends on it is not', async () => {
    const root = tempTree({
      'template.yaml': `${TRANSFORM}Parameters:
  Names: { Type: CommaDelimitedList }
Resources:
  Fn::ForEach::Perms:
    - Name
    - !ImportValue names
    - Permission\${Name}:
        Type: AWS::Lambda::Permission
        Properties:
          Action: lambda:InvokeFunction
          FunctionName: !Ref Name
          Principal: "*"
      Url\${Name}:
        Type: AWS::Lambda::Url
        Properties:
          AuthType: !Ref Name
          TargetFunctionArn: !Ref Name
`,
    });
    const { findings } = await scan({ paths: ['.'], cwd: root });
    expect(findings.map((f) => [f.ruleId, f.resource, f.range.line])).toEqual([['IG101', 'Permission${Name}', 13]]);
  });

  it('stops at the bound with a located IG901 and keeps what it generated until then', () => {
    const items = Array.from({ length: 40 }, (_, i) => `i${i}`).join(', ');
    const { template, errors } = expand(`${TRANSFORM}Resources:
  Fn::ForEach::Outer:
    - A
    - [${items}]
    - Fn::ForEach::Inner:
        - B
        - [${items}]
        - R\${A}x\${B}: { Type: AWS::SNS::Topic }
`);
    expect(errors).toHaveLength(1);
    expect(errors[0].message).toMatch(new RegExp(`more than ${MAX_GENERATED_ENTRIES} entries`));
    expect(errors[0].range.line).toBe(3);
    const generated = keys(get(template, 'Resources')).length;
    expect(generated).toBeGreaterThan(0);
    expect(generated).toBeLessThanOrEqual(MAX_GENERATED_ENTRIES);
  });

  it('a scan reports the bound as IG901 at the loop, and a huge collection that generates nothing ends too', async () => {
    const items = Array.from({ length: 2000 }, (_, i) => `i${i}`).join(',');
    const root = tempTree({
      'template.yaml': `${TRANSFORM}Parameters:
  Many: { Type: CommaDelimitedList, Default: "${items}" }
Resources:
  Fn::ForEach::Many:
    - N
    - !Ref Many
    - T\${N}: { Type: AWS::SNS::Topic }
`,
    });
    const { findings } = await scan({ paths: ['.'], cwd: root });
    expect(findings.map((f) => [f.ruleId, f.range.line])).toEqual([['IG901', 5]]);
    const empty = Array.from({ length: 600_000 }, () => 'x').join(',');
    const started = Date.now();
    const { errors } = expand(`${TRANSFORM}Resources:
  Fn::ForEach::Nothing:
    - N
    - !Split [",", "${empty}"]
    - {}
`);
    expect(errors.map((e) => e.range.line)).toEqual([3]);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('reports a malformed loop and a key generated twice, at the loop', () => {
    const { template, errors } = expand(`${TRANSFORM}Resources:
  Fn::ForEach::Broken:
    - Name
    - [a]
  Fn::ForEach::Twice:
    - Name
    - [a, a]
    - Same: { Type: AWS::SNS::Topic }
`);
    expect(errors.map((e) => [e.range.line, e.message])).toEqual([
      [3, expect.stringMatching(/Fn::ForEach::Broken must be a list of three/)],
      [6, expect.stringMatching(/generates "Same", a key its object already has/)],
    ]);
    expect(keys(get(template, 'Resources'))).toEqual(['Same']);
  });

  it('leaves a template without the AWS::LanguageExtensions transform as it is (CloudFormation rejects its loops)', () => {
    const text = `Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn::ForEach::L:\n    - N\n    - [a]\n    - T\${N}: { Type: AWS::SNS::Topic }\n`;
    const template = parse(text);
    expect(expandLanguageExtensions(template).template).toBe(template);
  });
});

describe('the model of a template with loops', () => {
  it('generated resources are instances of their loop body, and resolve references to each other', () => {
    const text = `${TRANSFORM}Resources:
  Fn::ForEach::Fns:
    - Name
    - [A, B]
    - Fn\${Name}: { Type: AWS::Lambda::Function }
      Url\${Name}:
        Type: AWS::Lambda::Url
        Properties:
          AuthType: NONE
          TargetFunctionArn: !GetAtt [!Sub "Fn\${Name}", Arn]
`;
    const model = buildModel([{ format: 'cloudformation', file: 't.yaml', template: parse(text), errors: [] }]);
    expect(model.functionUrls.map((u) => [u.address, u.instanceOf, u.range.line, u.functionName?.value])).toEqual([
      ['UrlA', 'Url${Name}', 7, expect.objectContaining({ kind: 'unknown', resource: 'FnA', resourceType: 'AWS::Lambda::Function' })],
      ['UrlB', 'Url${Name}', 7, expect.objectContaining({ kind: 'unknown', resource: 'FnB', resourceType: 'AWS::Lambda::Function' })],
    ]);
  });

  it('a policy passed through Fn::ToJsonString is analysed, at its lines', async () => {
    const root = tempTree({
      'template.yaml': `${TRANSFORM}Resources:
  Invoker:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Fn::ToJsonString:
          Version: "2012-10-17"
          Statement:
            - Effect: Allow
              Action: lambda:InvokeFunction
              Resource: "*"
`,
    });
    const { findings } = await scan({ paths: ['.'], cwd: root });
    expect(findings.map((f) => [f.ruleId, f.resource, f.range.line])).toEqual([['IG201', 'Invoker', 11]]);
  });
});

describe('--fix on resources a loop generates', () => {
  const template = (auth: string) => `${TRANSFORM}Mappings:
  Auth:
    A: { Type: NONE }
    B: { Type: ${auth} }
Resources:
  Fn::ForEach::Urls:
    - Name
    - [A, B]
    - Url\${Name}:
        Type: AWS::Lambda::Url
        Properties:
          AuthType: !FindInMap [Auth, !Ref Name, Type]
          TargetFunctionArn: !Sub "arn:aws:lambda:us-east-1:111122223333:function:\${Name}"
`;

  it('edits the loop body once when every iteration asks for the same change', async () => {
    const root = tempTree({ 'template.yaml': template('NONE') });
    const result = await scan({ paths: ['.'], cwd: root });
    expect(result.findings.map((f) => [f.ruleId, f.resource, f.fix?.edits.length])).toEqual([
      ['IG104', 'UrlA', 1],
      ['IG104', 'UrlB', 1],
    ]);
    const [fixed] = await applyFixes(result.findings, { paths: ['.'], cwd: root, sources: result.sources });
    expect(fixed.refused).toBeUndefined();
    expect(readFileSync(join(root, 'template.yaml'), 'utf8')).toBe(template('NONE').replace('AuthType: !FindInMap [Auth, !Ref Name, Type]', 'AuthType: AWS_IAM'));
  });

  it('leaves the body to a person when an iteration does not need the change', async () => {
    const result = await scan({ paths: ['.'], cwd: tempTree({ 'template.yaml': template('AWS_IAM') }) });
    expect(result.findings.map((f) => [f.ruleId, f.resource, f.fix?.edits.length])).toEqual([['IG104', 'UrlA', 0]]);
    expect(result.findings[0].fix?.description).toMatch(/Not applied by --fix: the code of UrlA is shared by 2 instances \(a Fn::ForEach loop body\)/);
  });
});

describe('suppressions in a loop body', () => {
  it('Metadata.invokeguard.ignore on a resource in a (nested) loop body suppresses every resource the body generates, and only those', async () => {
    const root = tempTree({
      'template.yaml': `${TRANSFORM}Resources:
  Fn::ForEach::Outer:
    - Team
    - [Red, Blue]
    - Fn::ForEach::Perms:
        - Name
        - [Orders, Billing]
        - Permission\${Team}\${Name}:
            Type: AWS::Lambda::Permission
            Metadata:
              invokeguard:
                ignore: [{ id: IG101, reason: public webhook by design }]
            Properties:
              Action: lambda:InvokeFunction
              FunctionName: !Ref Name
              Principal: "*"
      Open\${Team}:
        Type: AWS::Lambda::Permission
        Properties:
          Action: lambda:InvokeFunction
          FunctionName: !Ref Team
          Principal: "*"
`,
    });
    const { findings, suppressed } = await scan({ paths: ['.'], cwd: root });
    expect(findings.map((f) => [f.ruleId, f.resource, f.range.line])).toEqual([
      ['IG101', 'OpenBlue', 23],
      ['IG101', 'OpenRed', 23],
    ]);
    expect(suppressed?.map((s) => s.finding.resource).sort()).toEqual(['PermissionBlueBilling', 'PermissionBlueOrders', 'PermissionRedBilling', 'PermissionRedOrders']);
  });
});

describe('discovery', () => {
  it('a YAML template whose only resources are loop bodies written as flow maps is found by its transform', () => {
    const loop = '  Fn::ForEach::T:\n    - N\n    - [a]\n    - T${N}: { Type: AWS::SNS::Topic }\n';
    expect(classifyByContent(`Transform: AWS::LanguageExtensions\nResources:\n${loop}`)).toBe('cloudformation');
    expect(classifyByContent(`Transform:\n  - AWS::Serverless-2016-10-31\n  - 'AWS::LanguageExtensions'\nResources:\n${loop}`)).toBe('cloudformation');
    expect(classifyByContent(`Transform: [AWS::Serverless-2016-10-31, AWS::LanguageExtensions]\nResources:\n${loop}`)).toBe('cloudformation');
    // Mentioning the transform in prose is not a template.
    expect(classifyByContent('notes: we use AWS::LanguageExtensions here\n')).toBeUndefined();
  });
});

describe('--fix never names a resource of a loop over an unknown collection', () => {
  const template = (names: string) => `${TRANSFORM}Parameters:
  Names: { Type: CommaDelimitedList${names} }
Resources:
  Fn::ForEach::Fns:
    - Name
    - !Ref Names
    - Fn\${Name}: { Type: AWS::Lambda::Function }
      Bucket\${Name}:
        Type: AWS::S3::Bucket
        Properties:
          NotificationConfiguration:
            LambdaConfigurations:
              - Event: s3:ObjectCreated:*
                Function: !GetAtt Fn\${Name}.Arn
      FromS3\${Name}:
        Type: AWS::Lambda::Permission
        Properties:
          Action: lambda:InvokeFunction
          FunctionName: !Ref Fn\${Name}
          Principal: s3.amazonaws.com
  Invoker:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Statement:
          - Effect: Allow
            Action: lambda:InvokeFunction
            Resource: "*"
`;
  const fixes = async (names: string) => {
    const { findings } = await scan({ paths: ['.'], cwd: tempTree({ 'template.yaml': template(names) }), config: { file: 't', rules: {}, accounts: [], cidrs: [], include: [], exclude: [] } });
    return Object.fromEntries(findings.map((f) => [f.ruleId, f.fix?.edits.map((e) => e.text).join(' | ')]));
  };

  // The bucket in the loop notifies the function beside it: the trigger --fix may pin (support/wired-triggers.ts).
  it('with the collection known, the fix names the generated functions and bucket by their logical ids', async () => {
    const known = await fixes(', Default: "A"');
    expect(known.IG201).toMatch(/!GetAtt FnA\.Arn/);
    expect(known.IG102).toMatch(/!GetAtt BucketA\.Arn/);
  });

  it('with it unknown, IG201 is left to a person and IG102 pins only the account', async () => {
    const unknown = await fixes('');
    expect(unknown.IG201).toBe('');
    expect(unknown.IG102).not.toMatch(/Bucket/);
    expect(unknown.IG102).toMatch(/SourceAccount: !Ref AWS::AccountId/);
  });
});
