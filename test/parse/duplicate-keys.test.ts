import { describe, expect, it } from '@jest/globals';
import { createPositionMapper } from '../../src/model/range.js';
import { get, knownString, type Value } from '../../src/model/value.js';
import { parseJsonValue } from '../../src/model/json-value.js';
import { lineCounterMapper, parseCloudFormation, parseYamlTemplate, parseYamlTemplateWithLibrary } from '../../src/parse/cloudformation/parse-cloudformation.js';
import { parseCloudFormationYamlFast } from '../../src/parse/cloudformation/fast-yaml.js';
import { keepLastValues } from '../../src/parse/duplicate-keys.js';
import { parseText } from '../../src/parse/parse-file.js';
import { parseHclFastPath, parseHclWithTreeSitter } from '../../src/parse/terraform-hcl/parse-hcl.js';
import { parseTfJson, parseTfvarsJson } from '../../src/parse/terraform-json/tf-json.js';
import type { InputError } from '../../src/parse/types.js';

/** [line, column, kind, message] of each error: what a finding shows. */
const located = (errors: InputError[]) => errors.map((e) => [e.range.line, e.range.column, e.kind, e.message]);
const keys = (value: Value | undefined) => (value?.kind === 'object' ? value.entries.map((e) => e.key) : []);
const at = (value: Value | undefined, ...path: string[]) => path.reduce<Value | undefined>((v, key) => get(v, key), value);

const URL_YAML = `Resources:
  Url:
    Type: AWS::Lambda::Url
    Properties:
      AuthType: AWS_IAM
      TargetFunctionArn: arn:aws:lambda:us-east-1:111122223333:function:api
      AuthType: NONE
`;

describe('CloudFormation YAML (the yaml library path)', () => {
  it('keeps only the last value of a repeated key, the kept entries in source order, and reports the ignored one at its key', () => {
    // The fast path keeps both entries, as the library's tree does; parseCloudFormation resolves them the same way either path.
    expect(parseCloudFormationYamlFast(URL_YAML, lineCounterMapper('t.yaml', URL_YAML))).toEqual(parseYamlTemplateWithLibrary('t.yaml', URL_YAML).template);
    expect(parseCloudFormation('t.yaml', URL_YAML)).toEqual(parseYamlTemplate('t.yaml', URL_YAML));
    const { template, errors } = parseCloudFormation('t.yaml', URL_YAML);
    const properties = at(template, 'Resources', 'Url', 'Properties');
    expect(keys(properties)).toEqual(['TargetFunctionArn', 'AuthType']);
    expect(knownString(get(properties, 'AuthType'))).toBe('NONE');
    expect(located(errors)).toEqual([
      [5, 7, 'duplicate-key', 'duplicate key "AuthType" (Resources.Url.Properties.AuthType): CloudFormation uses only the last value, at line 7; this one is ignored'],
    ]);
  });

  it('is no YAML error any more (uniqueKeys off): the library path keeps both entries for the caller to resolve', () => {
    const raw = parseYamlTemplateWithLibrary('t.yaml', URL_YAML);
    expect(raw.errors).toEqual([]);
    expect(keys(at(raw.template, 'Resources', 'Url', 'Properties'))).toEqual(['AuthType', 'TargetFunctionArn', 'AuthType']);
  });

  it('a logical id given twice models only the last resource; three times, both earlier ones point at the last', () => {
    const text = 'Resources:\n  P:\n    Type: A\n  Q:\n    Type: B\n  P:\n    Type: C\n  P:\n    Type: D\n';
    const { template, errors } = parseYamlTemplate('t.yaml', text);
    expect(keys(at(template, 'Resources'))).toEqual(['Q', 'P']);
    expect(knownString(at(template, 'Resources', 'P', 'Type'))).toBe('D');
    expect(located(errors).map(([line, column, , message]) => [line, column, String(message).match(/line \d+/)?.[0]])).toEqual([
      [2, 3, 'line 8'],
      [6, 3, 'line 8'],
    ]);
  });

  it('names list positions in the path, finds repeats in flow mappings and in large mappings', () => {
    const many = Array.from({ length: 20 }, (_, i) => `  k${i}: ${i}\n`).join('');
    const text = `S:\n  - {Effect: Deny, Effect: Allow}\nBig:\n${many}  k3: last\n`;
    const { template, errors } = parseYamlTemplate('t.yaml', text);
    expect(located(errors).map(([line, column, , message]) => [line, column, String(message).match(/\(([^)]*)\)/)?.[1]])).toEqual([
      [2, 6, 'S[0].Effect'],
      [7, 3, 'Big.k3'],
    ]);
    expect(knownString(at(template, 'Big', 'k3'))).toBe('last');
    expect(keys(at(template, 'Big'))).toHaveLength(20);
  });
});

describe('a template that did not parse cleanly', () => {
  it('reports its syntax error alone: a repeat there may be the recovery\'s (a resource\'s keys pulled into the one before, as in a real-world template)', () => {
    // The flow sequence's lines at its key alone would be read as PyYAML reads them (lenient-indent.ts);
    // the tab-indented line below keeps that retry out, so the library's recovery is what is modelled.
    const text = 'Resources:\n  G:\n    Type: T1\n    Properties:\n      Policies:\n        - Statement:\n          - Effect: Allow\n            Resource: [\n            a,\n            b\n            ]\n  I:\n    Type: T2\n    Properties:\n      H: x\nOutputs:\n\tX: 1\n';
    // The library's recovery does repeat keys here...
    expect(keys(at(parseYamlTemplateWithLibrary('t.yaml', text).template, 'Resources', 'G'))).toEqual(['Type', 'Properties', 'Type', 'Properties']);
    const { template, errors } = parseYamlTemplate('t.yaml', text);
    // ...which is not reported as IG904 next to the IG901; the model still holds each key once.
    expect(errors.map((e) => [e.range.line, e.kind, e.message.split(':')[0]])).toEqual([[9, undefined, 'invalid YAML']]);
    expect(keys(at(template, 'Resources', 'G'))).toEqual(['Type', 'Properties']);
  });

  it('the same for a broken IAM policy file', async () => {
    const document = await parseText('iam-json', 'p.json', '{\n  "Statement": [{ "Effect": "Allow", "Effect": "Deny" }],\n  "Other": { "x": }\n}\n');
    if (document.format !== 'iam-json') throw new Error(document.format);
    expect(document.errors.map((e) => [e.range.line, e.kind])).toEqual([[3, undefined]]);
    // What parsed is kept, each key once.
    const statement = (at(document.value, 'Statement') as Extract<Value, { kind: 'list' }>).items[0];
    expect(keys(statement)).toEqual(['Effect']);
    expect(knownString(get(statement, 'Effect'))).toBe('Deny');
  });
});

describe('CloudFormation JSON', () => {
  it('keeps only the last value and reports the ignored key', () => {
    const text = '{\n  "Resources": {\n    "Url": {\n      "Type": "AWS::Lambda::Url",\n      "Properties": { "AuthType": "AWS_IAM", "AuthType": "NONE" }\n    }\n  }\n}\n';
    const { template, errors } = parseCloudFormation('t.json', text);
    expect(keys(at(template, 'Resources', 'Url', 'Properties'))).toEqual(['AuthType']);
    expect(knownString(at(template, 'Resources', 'Url', 'Properties', 'AuthType'))).toBe('NONE');
    expect(located(errors)).toEqual([
      [5, 23, 'duplicate-key', 'duplicate key "AuthType" (Resources.Url.Properties.AuthType): CloudFormation uses only the last value, at line 5; this one is ignored'],
    ]);
  });

  it('reports a mapping reached twice (as an expanded YAML alias would be) once, at its key', () => {
    const text = '{"x": 1, "x": 2}';
    const shared = parseJsonValue(text, createPositionMapper('t.json', text)).value!;
    const root: Value = { kind: 'object', range: shared.range, entries: [{ key: 'A', keyRange: shared.range, value: shared }, { key: 'B', keyRange: shared.range, value: shared }] };
    const { value, errors } = keepLastValues(root, 'cloudformation');
    expect(located(errors).map(([line, column]) => [line, column])).toEqual([[1, 2]]);
    expect(keys(at(value, 'B'))).toEqual(['x']);
  });

  it('returns a tree without repeats as it is, not a copy', () => {
    const text = '{"Resources": {"A": {"Type": "X", "Properties": {"L": [1, {"k": "v"}]}}}}';
    const { value } = parseJsonValue(text, createPositionMapper('t.json', text));
    const kept = keepLastValues(value!, 'cloudformation');
    expect(kept.value).toBe(value);
    expect(kept.errors).toEqual([]);
  });
});

describe('IAM policy JSON files', () => {
  it('model the last value and say so neutrally (no CloudFormation here)', async () => {
    const text = '{\n  "Statement": [{\n    "Effect": "Allow",\n    "Action": "lambda:InvokeFunction",\n    "Resource": "arn:aws:lambda:us-east-1:111122223333:function:f",\n    "Resource": "*"\n  }]\n}\n';
    const document = await parseText('iam-json', 'p.json', text);
    if (document.format !== 'iam-json') throw new Error(document.format);
    const statement = (at(document.value, 'Statement') as Extract<Value, { kind: 'list' }>).items[0];
    expect(keys(statement)).toEqual(['Effect', 'Action', 'Resource']);
    expect(knownString(get(statement, 'Resource'))).toBe('*');
    expect(located(document.errors)).toEqual([
      [5, 5, 'duplicate-key', 'duplicate key "Resource" (Statement[0].Resource): a JSON parser keeps only the last value, at line 6; this one is ignored'],
    ]);
  });
});

describe('Terraform HCL: an argument set twice in one body', () => {
  const both = async (text: string) => {
    const fast = parseHclFastPath('t.tf', text);
    const reference = await parseHclWithTreeSitter('t.tf', text);
    // The fast parser takes these files, and both paths report the same errors.
    expect(fast).toBeDefined();
    expect(fast?.errors).toEqual(reference.errors);
    return located(reference.errors);
  };

  it('is an IG901 at the repeat, with Terraform\'s wording and the first definition\'s line (each repeat against the first)', async () => {
    const text = 'resource "aws_lambda_function_url" "u" {\n  function_name      = "api"\n  authorization_type = "AWS_IAM"\n  authorization_type = "NONE"\n  authorization_type = "NONE"\n}\n';
    expect(await both(text)).toEqual([
      [4, 3, 'redefined-argument', 'argument "authorization_type" was already set at line 3; each argument may be set only once'],
      [5, 3, 'redefined-argument', 'argument "authorization_type" was already set at line 3; each argument may be set only once'],
    ]);
  });

  it('finds it in nested blocks, at the top level and in large bodies', async () => {
    const many = Array.from({ length: 20 }, (_, i) => `a${i} = ${i}\n`).join('');
    const text = `${many}a7 = 0\ndata "x" "y" {\n  statement {\n    effect = "Allow"\n    effect = "Deny"\n  }\n}\n`;
    expect((await both(text)).map(([line, column]) => [line, column])).toEqual([
      [21, 1],
      [25, 5],
    ]);
  });

  it('leaves repeated blocks and the same name in different bodies alone', async () => {
    const text = 'data "aws_iam_policy_document" "d" {\n  statement {\n    effect = "Allow"\n  }\n  statement {\n    effect = "Deny"\n  }\n}\nresource "a" "b" {\n  effect = "x"\n}\nlocals {\n  effect = 1\n}\nlocals {\n  other = 2\n}\n';
    expect(await both(text)).toEqual([]);
  });

  it('is not reported next to a syntax error (the repeat may be the recovery\'s); the fast parser declines such files', async () => {
    const text = 'resource "a" "b" {\n  x = 1\n  x = 2\n}\nresource "c" "d" {\n  y = [\n}\n';
    expect(parseHclFastPath('t.tf', text)).toBeUndefined();
    const { errors } = await parseHclWithTreeSitter('t.tf', text);
    expect(errors.map((e) => e.kind)).toEqual([undefined]);
    // Without the broken block, the same repeat is reported.
    expect(located((await parseHclWithTreeSitter('t.tf', text.slice(0, text.indexOf('resource "c"')))).errors).map(([line]) => line)).toEqual([3]);
  });

  it('is reported in tfvars too', async () => {
    expect(await both('region = "a"\nregion = "b"\n')).toEqual([[2, 1, 'redefined-argument', 'argument "region" was already set at line 1; each argument may be set only once']]);
  });
});

describe('Terraform JSON: a property set twice where an argument is', () => {
  it('is an IG901 at the repeated key; repeated nested blocks (an object, or a list of objects, each time) are not', async () => {
    const text = `{
  "resource": {
    "aws_lambda_function_url": {
      "u": {
        "authorization_type": "AWS_IAM",
        "authorization_type": "NONE"
      }
    }
  },
  "data": {
    "aws_iam_policy_document": {
      "d": {
        "statement": { "effect": "Allow" },
        "statement": [{ "effect": "Deny" }],
        "unknown_block": { "a": 1 },
        "unknown_block": { "a": 2 }
      }
    }
  },
  "locals": { "m": { "a": 1 }, "m": { "a": 2 } }
}
`;
    const { hcl, errors } = await parseTfJson('t.tf.json', text);
    expect(located(errors)).toEqual([
      [6, 9, 'redefined-argument', 'argument "authorization_type" was already set at line 5; each argument may be set only once'],
      [20, 32, 'redefined-argument', 'argument "m" was already set at line 20; each argument may be set only once'],
    ]);
    expect(errors[0].range.endColumn).toBe(9 + '"authorization_type"'.length);
    // The rest of the file is modelled as before.
    expect(hcl.body.blocks.find((b) => b.type === 'data')?.body.blocks.map((b) => b.type)).toEqual(['statement', 'statement']);
  });

  it('not next to a JSON syntax error', async () => {
    const { errors } = await parseTfJson('t.tf.json', '{\n  "resource": { "a": { "b": { "x": 1, "x": 2 } } },\n  "locals": { "y": }\n}\n');
    expect(errors.map((e) => [e.range.line, e.kind])).toEqual([[3, undefined]]);
  });

  it('and in terraform.tfvars.json', () => {
    const { errors } = parseTfvarsJson('terraform.tfvars.json', '{\n  "tags": { "a": "1" },\n  "tags": { "a": "2" }\n}\n');
    expect(located(errors)).toEqual([[3, 3, 'redefined-argument', 'argument "tags" was already set at line 2; each argument may be set only once']]);
  });
});
