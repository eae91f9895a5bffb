import { describe, expect, it } from '@jest/globals';
import { buildModel } from '../../src/model/build-model.js';
import { variantsOf, CfnEvaluator, MAX_ALTERNATIVES, type TemplateScope } from '../../src/model/cloudformation/evaluate.js';
import { displayString, get, type Value } from '../../src/model/value.js';
import { parseCloudFormation } from '../../src/parse/cloudformation/parse-cloudformation.js';

const HEADER = `
Parameters:
  Stage: { Type: String, Default: prod }
  Secret: { Type: String }
  Names: { Type: CommaDelimitedList, Default: "a,b" }
  Caller: { Type: String, AllowedValues: ["*", "111122223333"] }
  Env: { Type: String, Default: prod, AllowedValues: [dev, prod] }
Conditions:
  Never: !Equals [a, b]
  Always: !Equals ["1", 1]
  NotNever: !Not [{ Condition: Never }]
  BothEnvs: !And [!Equals [!Ref Env, prod], !Equals [!Ref Env, dev]]
  EitherEnv: !Or [!Equals [!Ref Env, prod], !Equals [!Ref Env, dev]]
  IsProdByDefault: !Equals [!Ref Stage, prod]
  IsProd: !Equals [!Ref Env, prod]
  InThisAccount: !Equals [!Ref AWS::AccountId, "111122223333"]
  Loop: !Not [{ Condition: Loop }]
Mappings:
  Accounts:
    prod: { Id: "111122223333" }
    dev: { Id: "444455556666" }
  Same:
    us-east-1: { Kind: queue }
    eu-west-1: { Kind: queue }
Resources:
  Bucket: { Type: "AWS::S3::Bucket" }
  Fn: { Type: "AWS::Lambda::Function" }
`;

function parse(text: string): Value {
  const { template, errors } = parseCloudFormation('t.yaml', text);
  expect(errors).toEqual([]);
  return template!;
}

function scopeOf(template: Value): TemplateScope {
  const parameters = new Map<string, Value>();
  const declared = get(template, 'Parameters');
  if (declared?.kind === 'object') for (const e of declared.entries) parameters.set(e.key, e.value);
  const resourceTypes = new Map<string, string>();
  const resources = get(template, 'Resources');
  if (resources?.kind === 'object') for (const e of resources.entries) resourceTypes.set(e.key, displayString(get(e.value, 'Type'))!);
  return { parameters, resourceTypes, mappings: get(template, 'Mappings')!, conditions: get(template, 'Conditions')! };
}

/** Evaluates `Value: <expr>` written in YAML against the header's parameters, mappings and resources. */
function evaluate(expression: string): Value {
  const template = parse(`${HEADER}Outputs:\n  X:\n    Value: ${expression}\n`);
  return new CfnEvaluator(scopeOf(template)).evaluate(get(get(get(template, 'Outputs'), 'X'), 'Value')!);
}

/** `Value: <expr>` of an output, as written. */
function output(expression: string): Value {
  return get(get(get(parse(`${HEADER}Outputs:\n  X:\n    Value: ${expression}\n`), 'Outputs'), 'X'), 'Value')!;
}

const HEADER_SCOPE = scopeOf(parse(HEADER));

/** Every variant of `<expr>`, shown as text. */
function variants(expression: string): string[] {
  return variantsOf(HEADER_SCOPE, output(expression)).values.map((v) => displayString(v) ?? v.kind);
}

describe('CloudFormation intrinsics', () => {
  it('normalises short forms to the long form', () => {
    const template = parse('A: !GetAtt Fn.Arn\nB: !Ref Fn\nC: !If [Cond, x, y]\n');
    const strip = (v: Value | undefined): unknown =>
      v?.kind === 'object' ? Object.fromEntries(v.entries.map((e) => [e.key, strip(e.value)])) : v?.kind === 'list' ? v.items.map(strip) : v && 'value' in v ? v.value : null;
    expect(strip(template)).toEqual({ A: { 'Fn::GetAtt': ['Fn', 'Arn'] }, B: { Ref: 'Fn' }, C: { 'Fn::If': ['Cond', 'x', 'y'] } });
  });

  it('Ref: parameter default, unknown parameter, resource, pseudo parameter', () => {
    expect(evaluate('!Ref Stage')).toMatchObject({ kind: 'string', value: 'prod' });
    expect(evaluate('!Ref Secret')).toMatchObject({ kind: 'unknown', ref: 'Secret' });
    expect(evaluate('!Ref Bucket')).toMatchObject({ kind: 'unknown', ref: 'Bucket', resource: 'Bucket', resourceType: 'AWS::S3::Bucket' });
    expect(evaluate('!Ref AWS::AccountId')).toMatchObject({ kind: 'unknown', ref: 'AWS::AccountId' });
    expect(evaluate('!Ref Names')).toMatchObject({ kind: 'list', items: [{ value: 'a' }, { value: 'b' }] });
  });

  it('Fn::GetAtt in both forms names the resource and its type', () => {
    expect(evaluate('!GetAtt Fn.Arn')).toMatchObject({ kind: 'unknown', ref: 'Fn.Arn', resource: 'Fn', resourceType: 'AWS::Lambda::Function' });
    expect(evaluate('{ "Fn::GetAtt": [Bucket, Arn] }')).toMatchObject({ ref: 'Bucket.Arn', resourceType: 'AWS::S3::Bucket' });
  });

  it('Fn::Sub: pseudo parameters, attributes, parameters, variables and ${!literal}', () => {
    const sub = evaluate('!Sub "arn:${AWS::Partition}:x:${Stage}:${Fn.Arn}:${!Keep}"');
    expect(sub.kind).toBe('template');
    expect(displayString(sub)).toBe('arn:${AWS::Partition}:x:prod:${Fn.Arn}:${Keep}');
    expect(evaluate('!Sub ["${Name}-${Stage}", { Name: orders }]')).toMatchObject({ kind: 'string', value: 'orders-prod' });
  });

  it('Fn::Join of known pieces is a string; with unknown pieces a template', () => {
    expect(evaluate('!Join ["-", [a, !Ref Stage]]')).toMatchObject({ kind: 'string', value: 'a-prod' });
    expect(displayString(evaluate('!Join [":", [arn, !Ref AWS::AccountId]]'))).toBe('arn:${AWS::AccountId}');
  });

  it('Fn::FindInMap with known keys, and with an unknown key when every entry agrees', () => {
    expect(evaluate('!FindInMap [Accounts, !Ref Stage, Id]')).toMatchObject({ kind: 'string', value: '111122223333' });
    expect(evaluate('!FindInMap [Same, !Ref AWS::Region, Kind]')).toMatchObject({ kind: 'string', value: 'queue' });
    expect(variants('!FindInMap [Same, !Ref AWS::Region, Kind]')).toEqual(['queue']);
  });

  it('Fn::FindInMap with an unknown key: each value the map may give is a variant, reported where it is used', () => {
    expect(variants('!FindInMap [Accounts, !Ref AWS::Region, Id]')).toEqual(['111122223333', '444455556666']);
    expect(variants('!FindInMap [Accounts, prod, !Ref Secret]')).toEqual(['111122223333']);
    expect(variants('!FindInMap [Accounts, !Ref AWS::Region, !Ref Secret]')).toEqual(['111122223333', '444455556666']);
    const [first] = variantsOf(HEADER_SCOPE, output('!FindInMap [Accounts, !Ref AWS::Region, Id]')).values;
    // The value stands at the FindInMap (line of X's Value), as with a known key.
    expect(first.range.line).toBe(output('x').range.line);
  });

  it('Fn::FindInMap DefaultValue: used when the map, top key or second key is missing, and one more variant when a key is unknown', () => {
    expect(evaluate('{ "Fn::FindInMap": [Accounts, nowhere, Id, { DefaultValue: "999999999999" }] }')).toMatchObject({ kind: 'string', value: '999999999999' });
    expect(evaluate('{ "Fn::FindInMap": [Accounts, prod, Other, { DefaultValue: x }] }')).toMatchObject({ kind: 'string', value: 'x' });
    expect(evaluate('{ "Fn::FindInMap": [NoSuchMap, prod, Id, { DefaultValue: !Ref Stage }] }')).toMatchObject({ kind: 'string', value: 'prod' });
    expect(evaluate('{ "Fn::FindInMap": [Accounts, !Ref Stage, Id, { DefaultValue: x }] }')).toMatchObject({ kind: 'string', value: '111122223333' });
    // The region may be a key of the map or not: the entries and the default.
    expect(variants('{ "Fn::FindInMap": [Accounts, !Ref AWS::Region, Id, { DefaultValue: "111122223333" }] }')).toEqual(['111122223333', '444455556666']);
    expect(variants('{ "Fn::FindInMap": [Same, !Ref AWS::Region, Kind, { DefaultValue: queue }] }')).toEqual(['queue']);
    expect(variants('{ "Fn::FindInMap": [Same, !Ref AWS::Region, Kind, { DefaultValue: topic }] }')).toEqual(['queue', 'topic']);
    expect(variants('{ "Fn::FindInMap": [Accounts, prod, !Ref Secret, { DefaultValue: x }] }')).toEqual(['111122223333', 'x']);
    expect(evaluate('!FindInMap [!Ref Secret, prod, Id]')).toMatchObject({ kind: 'unknown' });
  });

  it('Ref to a parameter with AllowedValues: each allowed value is a variant, the default first', () => {
    expect(variants('!Ref Caller')).toEqual(['*', '111122223333']);
    expect(variants('!Ref Env')).toEqual(['prod', 'dev']);
    // One parameter is one choice: both places take the same value.
    expect(variants('!Join [":", [!Ref Caller, !Ref Caller]]')).toEqual(['*:*', '111122223333:111122223333']);
  });

  it('an SSM-typed parameter is not known: its default, the value passed and its AllowedValues are store keys', () => {
    const template = parse(`Parameters:\n  Caller: { Type: "AWS::SSM::Parameter::Value<String>", Default: /app/caller, AllowedValues: [/app/caller, /app/other] }\n`);
    const key: Value = { kind: 'string', value: '/app/passed', range: output('x').range };
    for (const scope of [scopeOf(template), { ...scopeOf(template), given: new Map([['Caller', key]]) }]) {
      const { values, complete } = variantsOf(scope, output('!Ref Caller'));
      expect(values).toEqual([expect.objectContaining({ kind: 'unknown', ref: 'Caller' })]);
      expect(complete).toBe(true);
    }
  });

  it('a choice offers at most MAX_ALTERNATIVES alternatives, and then the variants are not complete', () => {
    const allowed = Array.from({ length: MAX_ALTERNATIVES + 4 }, (_, i) => `v${i}`);
    const scope = scopeOf(parse(`Parameters:\n  Many: { Type: String, AllowedValues: [${allowed.join(', ')}] }\n`));
    const { values, complete } = variantsOf(scope, output('!Ref Many'));
    expect(values.map(displayString)).toEqual(allowed.slice(0, MAX_ALTERNATIVES));
    expect(complete).toBe(false);
    expect(variantsOf(HEADER_SCOPE, output('!Ref Caller')).complete).toBe(true);
  });

  it('Conditions known statically pick their Fn::If branch; others are explored both ways', () => {
    expect(variants('!If [Never, "*", "111122223333"]')).toEqual(['111122223333']);
    expect(variants('!If [Always, "*", "111122223333"]')).toEqual(['*']);
    expect(variants('!If [NotNever, a, b]')).toEqual(['a']);
    expect(variants('!If [BothEnvs, a, b]')).toEqual(['b']);
    expect(variants('!If [EitherEnv, a, b]')).toEqual(['a']);
    // A default may be overridden; a value among several allowed ones, or the account, is not known.
    expect(variants('!If [IsProdByDefault, a, b]')).toEqual(['a', 'b']);
    expect(variants('!If [IsProd, a, b]')).toEqual(['a', 'b']);
    expect(variants('!If [InThisAccount, a, b]')).toEqual(['a', 'b']);
    expect(variants('!If [Undeclared, a, b]')).toEqual(['a', 'b']);
    expect(variants('!If [Loop, a, b]')).toEqual(['a', 'b']);
    // The same condition decides every Fn::If on it the same way.
    expect(variants('!Join ["", [!If [IsProd, a, b], !If [IsProd, c, d]]]')).toEqual(['ac', 'bd']);
  });

  it('a condition on a value a parent stack passes stays unknown (the parent may have taken it from its own default)', () => {
    const passed: Value = { kind: 'string', value: 'prod', range: output('x').range };
    const scope: TemplateScope = { ...scopeOf(parse(HEADER)), given: new Map([['Env', passed]]) };
    expect(variantsOf(scope, output('!If [IsProd, a, b]')).values.map(displayString)).toEqual(['a', 'b']);
    expect(variantsOf(scope, output('!Ref Env')).values.map(displayString)).toEqual(['prod']);
  });

  it('beyond MAX_VARIANTS combinations, every alternative of every choice is still tried', () => {
    const many = Array.from({ length: 6 }, (_, i) => `!If [C${i}, "x${i}", "y${i}"]`).join(', ');
    const shown = variants(`!Join ["", [${many}]]`);
    for (let i = 0; i < 6; i++) expect(shown.some((v) => v.includes(`y${i}`))).toBe(true);
    expect(shown).toContain('y0y1y2y3y4y5');
  });

  it('Fn::Length of a list, Fn::ToJsonString as the structure it serialises (so a policy inside is still read)', () => {
    expect(evaluate('{ "Fn::Length": [a, b, !Ref Stage] }')).toMatchObject({ kind: 'number', value: 3 });
    expect(evaluate('{ "Fn::Length": !Ref Names }')).toMatchObject({ kind: 'number', value: 2 });
    expect(evaluate('{ "Fn::Length": !Ref Secret }')).toMatchObject({ kind: 'unknown' });
    const json = evaluate('{ "Fn::ToJsonString": { Statement: [{ Effect: Allow, Action: "lambda:*", Resource: !Sub "arn:aws:lambda:*:${Stage}" }] } }');
    expect(json.kind).toBe('object');
    const statement = (get(json, 'Statement') as Value & { kind: 'list' }).items[0];
    expect(get(statement, 'Resource')).toMatchObject({ kind: 'string', value: 'arn:aws:lambda:*:prod' });
    expect(evaluate('{ "Fn::ToJsonString": !Ref Secret }')).toMatchObject({ kind: 'unknown' });
  });

  it('Ref of a name written as an intrinsic (AWS::LanguageExtensions)', () => {
    expect(evaluate('{ Ref: !Join ["", [Sta, ge]] }')).toMatchObject({ kind: 'string', value: 'prod' });
    expect(evaluate('{ Ref: { "Fn::Join": ["", [Buck, et]] } }')).toMatchObject({ kind: 'unknown', resource: 'Bucket' });
  });

  it('Fn::Select and Fn::Split of literals', () => {
    expect(evaluate('!Select [1, [a, b, c]]')).toMatchObject({ kind: 'string', value: 'b' });
    expect(evaluate('!Select [0, !Split [",", "x,y"]]')).toMatchObject({ kind: 'string', value: 'x' });
  });

  it('Fn::If: every branch is a variant', () => {
    const template = parse(`${HEADER}Outputs:\n  X:\n    Value: { P: !If [C, "*", "123456789012"], Q: !If [D, !Ref AWS::NoValue, y] }\n`);
    const variants = variantsOf(scopeOf(template), get(get(get(template, 'Outputs'), 'X'), 'Value')!).values;
    const shown = variants.map((v) => `${displayString(get(v, 'P'))}|${get(v, 'Q')?.kind}`).sort();
    expect(shown).toEqual(['*|null', '*|string', '123456789012|null', '123456789012|string']);
  });

  it('strings that look like intrinsics are literals', () => {
    expect(evaluate('"AWS::AccountId"')).toMatchObject({ kind: 'string', value: 'AWS::AccountId' });
    expect(evaluate('"Bucket.Arn"')).toMatchObject({ kind: 'string', value: 'Bucket.Arn' });
    expect(evaluate('"${AWS::AccountId}"')).toMatchObject({ kind: 'string', value: '${AWS::AccountId}' });
  });

  it('keeps an account id with a leading zero as written', () => {
    expect(evaluate('012345678901')).toMatchObject({ kind: 'string', value: '012345678901' });
  });
});

describe('CloudFormation evaluation shares what it does not change', () => {
  const template = parse(`${HEADER}Outputs:
  Plain:
    Value: { Tags: [{ Key: a, Value: b }, [1, 2]], Name: x, N: 3, On: true, Off: ~ }
  Mixed:
    Value: { Tags: [{ Key: a, Value: !Ref Stage }, plain], Name: x, Arn: !GetAtt Fn.Arn, Last: [y] }
`);
  const outputs = get(template, 'Outputs');
  const snapshot = structuredClone(template);
  const evaluator = new CfnEvaluator(scopeOf(template));
  const plain = get(get(outputs, 'Plain'), 'Value')!;
  const mixed = get(get(outputs, 'Mixed'), 'Value')!;
  const plainResult = evaluator.evaluate(plain);
  const mixedResult = evaluator.evaluate(mixed);

  it('returns a collection without intrinsics as it is', () => {
    expect(plainResult).toBe(plain);
  });

  it('copies only the path to what changed, and gives what evaluating every node gives', () => {
    expect(mixedResult).not.toBe(mixed);
    if (mixedResult.kind !== 'object' || mixed.kind !== 'object') throw new Error('expected objects');
    expect(mixedResult.entries.map((e) => e.key)).toEqual(['Tags', 'Name', 'Arn', 'Last']);
    const [tags, name, arn, last] = mixedResult.entries;
    expect(name).toBe(mixed.entries[1]);
    expect(last.value).toBe(mixed.entries[3].value);
    expect(tags.value.kind === 'list' && tags.value.items[1]).toBe(mixed.entries[0].value.kind === 'list' && mixed.entries[0].value.items[1]);
    expect(get(tags.value.kind === 'list' ? tags.value.items[0] : undefined, 'Value')).toMatchObject({ kind: 'string', value: 'prod' });
    expect(arn.value).toMatchObject({ kind: 'unknown', ref: 'Fn.Arn', resourceType: 'AWS::Lambda::Function' });
    // Same content, key order and ranges as a copy of every node, range by range.
    expect(JSON.stringify(mixedResult)).toBe(
      JSON.stringify({ ...mixed, entries: [{ ...mixed.entries[0], value: { ...mixed.entries[0].value, items: [tags.value.kind === 'list' ? tags.value.items[0] : null, mixed.entries[0].value.kind === 'list' ? mixed.entries[0].value.items[1] : null] } }, { ...mixed.entries[1] }, { ...mixed.entries[2], value: arn.value }, { ...mixed.entries[3] }] }),
    );
  });

  it('never changes its input', () => {
    expect(template).toEqual(snapshot);
  });
});

describe('CloudFormation Lambda resources in the model', () => {
  it('carry the properties present as attributes, in a fixed key order, absent ones left out', () => {
    const template = parse(`Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties: { Role: !GetAtt R.Arn, FunctionName: f }
  Perm:
    Type: AWS::Lambda::Permission
    Properties: { SourceArn: arn:x, Principal: "*", Action: lambda:InvokeFunction, FunctionName: !Ref Fn }
  Url:
    Type: AWS::Lambda::Url
    Properties: { TargetFunctionArn: !GetAtt Fn.Arn }
`);
    const model = buildModel([{ format: 'cloudformation', file: 't.yaml', template, errors: [] }]);
    const base = ['address', 'sourceType', 'range', 'arnExpression'];
    expect(Object.keys(model.functions[0])).toEqual([...base, 'functionName', 'role']);
    expect(Object.keys(model.permissions[0])).toEqual([...base, 'action', 'principal', 'functionName', 'sourceArn']);
    expect(Object.keys(model.functionUrls[0])).toEqual([...base, 'functionName']);
    expect(model.permissions[0].principal).toMatchObject({ value: { kind: 'string', value: '*' }, range: { line: 7, column: 37 } });
    expect(displayString(model.functionUrls[0].functionName?.value)).toBe('${Fn.Arn}');
  });
});

describe('SAM function model', () => {
  it('events become the permissions SAM generates, scoped as SAM scopes them', async () => {
    const { readFile } = await import('node:fs/promises');
    const file = 'test/fixtures/sam/scoped.cfn.yaml';
    const { template } = parseCloudFormation(file, await readFile(file, 'utf8'));
    const model = buildModel([{ format: 'cloudformation', file, template: template!, errors: [] }]);
    const shown = model.permissions.map((p) => [
      p.address,
      displayString(p.principal?.value),
      p.sourceArn ? displayString(p.sourceArn.value) : null,
      p.sourceAccount ? displayString(p.sourceAccount.value) : null,
      p.range.line,
    ]);
    expect(shown).toEqual([
      ['Api', 'apigateway.amazonaws.com', 'arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${ServerlessRestApi}/*/GET/orders', null, 22],
      ['Api', 's3.amazonaws.com', null, '${AWS::AccountId}', 27],
      ['Api', 'events.amazonaws.com', '${ApiNightly.Arn}', null, 32],
    ]);
    expect(model.identityPolicies.map((p) => [p.address, displayString(p.document?.statements[0].resource[0])])).toEqual([
      ['Api', 'arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:${Worker}*'],
    ]);
    expect(model.functions.map((f) => f.address)).toEqual(['Worker', 'Api']);
  });
});
