import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { classifyByContent } from '../../src/discover/classify.js';
import { markerLine, plainScalar } from '../../src/parse/cloudformation/fast-yaml.js';
import { parseCloudFormation, parseYamlTemplate, parseYamlTemplateWithLibrary } from '../../src/parse/cloudformation/parse-cloudformation.js';
import { fastPaths } from '../../src/parse/fast-paths.js';
import { scan } from '../../src/scan.js';
import { REPO_ROOT } from '../helpers/scan.js';
import { tempTree } from '../helpers/temp-tree.js';
import { mutate, mutationFrom, propertyParameters } from '../helpers/property.js';
import { expectAgreement, fast, REALWORLD, yamlFiles } from '../helpers/fast-yaml-agreement.js';

const SNIPPETS = [
  'A: 1 # c\nB:\n  C: !Ref X\n  D: [a, "b", {k: v}]\n  E:\n    - x\n    - y: 1\n      z: 2\n  F: |\n    code\n  G:\n  H: ~\n',
  'A:\n  C: 1\n\n  # comment\n  E: 2   \n\n# top comment\nD:\n  - a\n\n  - b\nF: "q"\nG: x y z\n',
  'A: !If [c, !Ref x, "y"]\nB: !Sub\n  - "${a}"\n  - a: !GetAtt X.Arn\nC: |-\n  l1\n   l2\n\nD: >\n  f1\n  f2\n\n  f3\nE: !Join\n  - ""\n  - - a\n    - b\n',
  "\"Q\": 'it''s'\nF: [ ]\nG: {}\nH: -1\nI: 0x1F\nJ: 012\nK: 1.5\nM: \"a\\tb\\u00e9\"\nN: a:b # x\nO: \"#x\"\nP: 123456789012\nR: true\nS: Null\n",
  'Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Role: !GetAtt Role.Arn\n      Tags:\n      - Key: a\n        Value: b\n      Code:\n        ZipFile: |\n          exports.handler = async () => ({})\nOutputs:\n  Arn:\n    Value: !GetAtt Fn.Arn\n',
  "Policy:\n  Statement:\n    - Effect: Allow\n      Action: ['lambda:InvokeFunction', \"lambda:Get*\"]\n      Resource: '*'\n      Condition: { StringEquals: { 'aws:SourceAccount': !Ref AWS::AccountId } }\n",
  // Quoted scalars read as one slice, and those that need the character loop (escapes, doubled quotes).
  String.raw`A: ''
B: ""
C: 'x'''
D: '''x'
E: "a\\b"
F: "q\"q"
'G': "#x" # c
"H": ['a', "b", 'c''d', "e\u00e9", '']
I: { 'k': 'v', "k2": "v2", 'k''3': "" }
J: !Sub 'arn:${'$'}{AWS::Partition}:x'
`,
];

/** Real-world templates the fast path declined before it read the constructs above (paths under REALWORLD). */
const NEWLY_ACCEPTED = [
  'aws-samples__serverless-patterns/activemq-private-lambda-java-sam/ActiveMQAndClientEC2.yaml',
  'aws-samples__serverless-patterns/alb-lambda-rust/template.yml',
  'aws-samples__serverless-patterns/apigw-caching-sam/template.yaml',
  'aws-samples__serverless-patterns/apigw-ec2/template.yaml',
  'aws-samples__serverless-patterns/apigw-http-api-lambda-dotnet-sam/template.yaml',
  'aws-samples__serverless-patterns/apigw-http-api-lambda-rds-proxy-java/template-rds-proxy.yaml',
  'aws-samples__serverless-patterns/apigw-http-api-lambda-rds-proxy/template-rds-proxy.yaml',
  'aws-samples__serverless-patterns/apigw-lambda-observability/template.yaml',
  'aws-samples__serverless-patterns/apigw-lambda-rust/template.yml',
  'aws-samples__serverless-patterns/apigw-ses-transformation/template.yaml',
  'aws-samples__serverless-patterns/apigw-websocket-api-connection-dynamodb/template.yaml',
  'aws-samples__serverless-patterns/apigw-websocket-api-sfn-async/template.yaml',
  'aws-samples__serverless-patterns/apigw-websocket-api-sfn-sync/template.yaml',
  'aws-samples__serverless-patterns/appsync-dynamodb-singletable/template.yaml',
  'aws-samples__serverless-patterns/cloudfront-apigw-http-api-lambda-rust/template.yml',
  'aws-samples__serverless-patterns/cloudfront-failover-apigw-http-api-lambda-rust/cloudfront.yml',
  'aws-samples__serverless-patterns/cloudfront-lambda-url-rust/template.yml',
  'aws-samples__serverless-patterns/cloudfront-s3-oac-sam/template.yaml',
  'aws-samples__serverless-patterns/cognito-sns-sms-origination-id-sam/template.yaml',
  'aws-samples__serverless-patterns/custom-http-headers-to-sqs-message-attributes-using-http-api-gateway/template.yaml',
  'aws-samples__serverless-patterns/documentdb-lambda-java-sam/DocumentDBAndMongoClientEC2.yaml',
  'aws-samples__serverless-patterns/dynamodb-eventbridge-scheduler/template.yaml',
  'aws-samples__serverless-patterns/ec2-s3-express-one-zone-sam/template.yaml',
  'aws-samples__serverless-patterns/eventbridge-api-destinations/2-slack/template.yaml',
  'aws-samples__serverless-patterns/eventbridge-api-destinations/8-pagerduty/template.yaml',
  'aws-samples__serverless-patterns/eventbridge-cloudwatch/template.yaml',
  'aws-samples__serverless-patterns/eventbridge-pipes-amazonmq-to-eventbridge-sam/template.yaml',
  'aws-samples__serverless-patterns/eventbridge-pipes-msk-iam-auth-to-lambda/template.yaml',
  'aws-samples__serverless-patterns/eventbridge-pipes-sqs-enrich-with-api-destination/template.yaml',
  'aws-samples__serverless-patterns/eventbridge-scheduled-batch-sam/template.yaml',
  'aws-samples__serverless-patterns/inspector-eventbridge-multi-destinations/template.yaml',
  'aws-samples__serverless-patterns/kinesis-lambda-error-handling/template.yaml',
  'aws-samples__serverless-patterns/lambda-aurora-serverlessv2-postgresql/template.yaml',
  'aws-samples__serverless-patterns/lambda-bedrock-dynamodb-sam/template.yaml',
  'aws-samples__serverless-patterns/lambda-layer-ssm-parameters/parameters/template.yml',
  'aws-samples__serverless-patterns/lambda-streaming-sdk-sam/template.yaml',
  'aws-samples__serverless-patterns/msk-lambda-iam-java-sam/MSKAndKafkaClientEC2.yaml',
  'aws-samples__serverless-patterns/msk-lambda-iam-node-sam/MSKAndKafkaClientEC2.yaml',
  'aws-samples__serverless-patterns/msk-lambda-iam-python-sam/MSKAndKafkaClientEC2.yaml',
  'aws-samples__serverless-patterns/msk-lambda-schema-avro-java-sam/MSKAndKafkaClientEC2.yaml',
  'aws-samples__serverless-patterns/msk-lambda-schema-avro-java-sam/template_original.yaml',
  'aws-samples__serverless-patterns/multi-account-private-apigw/centralAccount/template.yaml',
  'aws-samples__serverless-patterns/public-nlb-or-alb-private-api-cfn/template.yaml',
  'aws-samples__serverless-patterns/rabbitmq-private-lambda-java-sam/RabbitMQAndClientEC2.yaml',
  'aws-samples__serverless-patterns/sam-webapp-cognito/template.yaml',
  'aws-samples__serverless-patterns/systems-manager-automation-to-stepfunctions/template.yaml',
  'aws-samples__serverless-patterns/vpc-lattice-lambda/template.yaml',
  'awslabs__serverless-application-model/integration/resources/templates/single/basic_table_no_param.yaml',
  'awslabs__serverless-application-model/tests/translator/input/api_endpoint_configuration_with_vpcendpoint.yaml',
  'awslabs__serverless-application-model/tests/translator/input/api_with_auth_all_maximum.yaml',
  'awslabs__serverless-application-model/tests/translator/input/api_with_auth_all_maximum_openapi_3.yaml',
  'awslabs__serverless-application-model/tests/translator/input/api_with_cors.yaml',
  'awslabs__serverless-application-model/tests/translator/input/api_with_cors_openapi_3.yaml',
  'awslabs__serverless-application-model/tests/translator/input/api_with_method_settings.yaml',
  'awslabs__serverless-application-model/tests/translator/input/depends_on.yaml',
  'awslabs__serverless-application-model/tests/translator/input/error_function_policy_template_with_missing_parameter.yaml',
  'awslabs__serverless-application-model/tests/translator/input/error_multiple_resource_errors.yaml',
  'awslabs__serverless-application-model/tests/translator/input/intrinsic_functions.yaml',
  'awslabs__serverless-application-model/tests/translator/input/state_machine_with_api_authorizer_maximum.yaml',
  // Keys with nothing after them but spaces or comment lines; multi-line plain scalars; a core-schema tag (`!!int`).
  'aws-samples__serverless-patterns/_pattern-model/template.yaml',
  'aws-samples__serverless-patterns/apigw-lambda-sagemaker-jumpstartendpoint-cdk-python/template.yaml',
  'aws-samples__serverless-patterns/dynamodb-lambda-cdk-kotlin/template.yaml',
  'aws-samples__serverless-patterns/kinesis-lambda-ddb-cdk-java/template.yaml',
  'aws-samples__serverless-patterns/kinesis-lambda-py-cdk/template.yaml',
  'aws-samples__serverless-patterns/lambda-streaming-ttfb-write-sam-with-bedrock-streaming/template.yaml',
  'aws-samples__serverless-patterns/apigw-websocket-api-lambda-authorizer/template.yaml',
  'aws-samples__serverless-patterns/lambda-rekognition/template.yaml',
  'aws-samples__serverless-patterns/sns-firehose-opensearch/template.yml',
];

/** Repeated keys at several levels, in block and flow mappings, with values of every shape. */
const DUPLICATE_KEYS = [
  'A: 1\nB: 2\nA: 3\n',
  '---\nA: 1\nB:\n  A: 2\n  A: [3]\n',
  'R:\n  F:\n    Type: X\n    Properties:\n      Role: a\n      Role: !GetAtt R.Arn\n  F:\n    Type: Y\n',
  'L:\n  - k: 1\n    k: [a, b]\n  - { a: 1, b: 2, a: { c: 3, c: 4 } }\nM: {"x": 1, "x": 2}\n',
  'P:\n  Statement:\n    - Effect: Allow\n      Action: lambda:InvokeFunction\n      Principal: "*"\n      Principal:\n        AWS: !Ref Account\n      Effect: Deny\n',
];


describe('fast CloudFormation YAML parser agrees with the yaml library', () => {
  it('reads an empty value followed by comment lines (the library stretches the collections it ends over them), once declined, found by the mutation test', () => {
    for (const text of ['R:\n  Org:\n    Type: X\n    P:\n# c\n  # d\n  Next:\n    Type: Y\n', 'R:\n  Org:\n    Type: X\n    P:\n  # d\n  Next: 1\n']) {
      expect(expectAgreement(text)).toBe(true);
    }
    expect(expectAgreement('R:\n  Org:\n    P: 1\n# c\n  Next: 1\n')).toBe(true);
    expect(expectAgreement('R:\n  Org:\n    P:\n\n  Next: 1\n')).toBe(true);
  });

  it.each(SNIPPETS.map((s) => [s]))('on %j', (text) => {
    expect(expectAgreement(text)).toBe(true);
  });

  it('finds document markers and directives at a line start as /^(?:---|\.\.\.|%)/m does, every JavaScript line terminator included', () => {
    const text = fc.string({ unit: fc.constantFrom('-', '.', '%', '\n', '\u2028', '\u2029', 'a', ' '), maxLength: 30 });
    fc.assert(
      fc.property(text, (t) => {
        expect(markerLine(t)).toBe(/^(?:---|\.\.\.|%)/m.test(t));
      }),
      propertyParameters(3000),
    );
    expect(fast('a: 1\n---\nb: 2\n')).toBeUndefined();
    expect(fast('a: 1\u2028%x\n')).toBeUndefined();
    expect(fast('a: 1\nb: x---\n')).toBeDefined();
    // From an offset: the lines starting there or later.
    fc.assert(
      fc.property(text, fc.nat({ max: 30 }), (t, n) => {
        const lineStart = t.lastIndexOf('\n', Math.min(n, t.length) - 1) + 1;
        expect(markerLine(t, lineStart)).toBe(/^(?:---|\.\.\.|%)/m.test(t.slice(lineStart)));
      }),
      propertyParameters(3000),
    );
  });

  it('reads a template opening with a document start line (`---`) as the library does, and declines any other marker', () => {
    for (const text of ['---\nA: 1\nB:\n  - x\n', '---\n# c\n\nA: !Sub "${x}---"\n', '---\nA: |\n  ---x\n']) expect(expectAgreement(text)).toBe(true);
    for (const text of ['---\nA: 1\n---\nB: 2\n', '---\nA: 1\n...\n', '--- \nA: 1\n', '# c\n---\nA: 1\n', '---\n', '---\n---\nA: 1\n', '%YAML 1.2\n---\nA: 1\n']) expect(fast(text)).toBeUndefined();
  });

  it('resolves plain scalars (null, bool, number or text) exactly as the regex chain it shortcuts', () => {
    const reference = (source: string): unknown => {
      if (!/^[-+.0-9~nNtTfF]/.test(source)) return source;
      if (/^(?:~|[Nn]ull|NULL)$/.test(source)) return null;
      if (/^(?:[Tt]rue|TRUE)$/.test(source)) return true;
      if (/^(?:[Ff]alse|FALSE)$/.test(source)) return false;
      if (/^0o[0-7]+$/.test(source)) return parseInt(source.slice(2), 8);
      if (/^0x[0-9a-fA-F]+$/.test(source)) return parseInt(source.slice(2), 16);
      if (/^[-+]?[0-9]+$/.test(source)) return source.replace(/^[-+]/, '').length > 15 || /^-0+$/.test(source) ? 'bail' : Number(source);
      if (/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/.test(source)) return /^-0*\.?0*(?:[eE].*)?$/.test(source) ? 'bail' : parseFloat(source);
      if (/^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/.test(source)) return 'bail';
      return source;
    };
    const outcome = (source: string): unknown => {
      try {
        return plainScalar(source);
      } catch {
        return 'bail';
      }
    };
    const words = ['~', 'null', 'Null', 'NULL', 'nULL', 'true', 'True', 'TRUE', 'tRUE', 'false', 'False', 'FALSE', 'nodejs20.x', 'fn-1', '0x1F', '0o17', '-0', '1e5', '.inf', '.nan'];
    const text = fc.oneof(fc.constantFrom(...words), fc.string({ unit: fc.constantFrom('n', 'u', 'l', 'N', 'L', 't', 'r', 'e', 'T', 'E', 'f', 'a', 's', 'F', '~', '0', '1', '-', '+', '.', 'x', 'o', 'i'), minLength: 1, maxLength: 7 }));
    fc.assert(
      fc.property(text, (source) => {
        expect(outcome(source)).toEqual(reference(source));
      }),
      propertyParameters(3000),
    );
  });

  it('keeps both entries of a repeated key in small mappings (scanned) and large ones (indexed), block and flow, as the library does', () => {
    const keys = (n: number) => Array.from({ length: n }, (_, i) => `k${i}`);
    for (const n of [3, 15, 16, 17, 40]) {
      const block = keys(n).map((k) => `${k}: 1\n`).join('');
      const flow = `m: { ${keys(n).map((k) => `${k}: 1`).join(', ')} }\n`;
      expect(expectAgreement(block)).toBe(true);
      expect(expectAgreement(flow)).toBe(true);
      for (const at of [0, n - 1]) {
        expect(expectAgreement(`${block}k${at}: 2\n`)).toBe(true);
        expect(expectAgreement(`m: { ${[...keys(n), `k${at}`].map((k) => `${k}: 1`).join(', ')} }\n`)).toBe(true);
      }
    }
  });

  it.each(DUPLICATE_KEYS.map((s) => [s]))('keeps the last value of a repeated key and reports each earlier one (IG904) exactly as the library path, on %j', (text) => {
    expect(expectAgreement(text)).toBe(true);
    const viaFast = parseCloudFormation('t.yaml', text);
    const viaLibrary = parseYamlTemplate('t.yaml', text);
    expect(viaFast).toEqual(viaLibrary);
    expect(viaFast.errors.length).toBeGreaterThan(0);
    expect(viaFast.errors.every((e) => e.kind === 'duplicate-key')).toBe(true);
  });

  it('on mutated templates with repeated keys: agrees with the library or declines, and keeps the same last values and IG904s', () => {
    const mutation = mutationFrom('-:#"\'{}, \nak1');
    let accepted = 0;
    fc.assert(
      fc.property(fc.constantFrom(...DUPLICATE_KEYS), fc.array(mutation, { maxLength: 3 }), (seed, mutations) => {
        const text = mutate(seed, mutations);
        if (!expectAgreement(text)) return;
        accepted++;
        expect(parseCloudFormation('t.yaml', text)).toEqual(parseYamlTemplate('t.yaml', text));
      }),
      propertyParameters(1500),
    );
    expect(accepted).toBeGreaterThan(150);
  }, 60_000);

  it('declines what it leaves to the library: aliases, tabs, unknown tags, errors, several documents', () => {
    for (const text of [
      'a: &x 1\nb: *x\n',
      'a:\n\tb: 1\n',
      'a: !Custom x\n',
      'a: [1, 2\n',
      '---\na: 1\n---\nb: 2\n',
      '- a\n- b\n',
      'a: b: c\n',
      // A plain `<<` is a merge key, which the library path merges (once read as an ordinary key here).
      'A:\n  <<: {x: 1}\n  y: 2\n',
      'A:\n  <<:\n    x: 1\n',
      'A: {<<: {x: 1}, y: 2}\n',
    ]) {
      expect(fast(text)).toBeUndefined();
    }
  });

  it('parses every YAML template in the fixtures, examples and real-world sample exactly as the library does', () => {
    const realworld = yamlFiles(REALWORLD).filter((_, i) => i % 4 === 0);
    const files = [...yamlFiles(join(REPO_ROOT, 'test', 'fixtures')), ...yamlFiles(join(REPO_ROOT, 'examples')), ...realworld];
    let accepted = 0;
    let templates = 0;
    for (const file of files) {
      const text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
      if (!/AWS::/.test(text)) continue;
      templates++;
      if (expectAgreement(text)) accepted++;
    }
    // Most real templates take the fast path (the rest: a lone CR, anchors, tags it does not know, implicit pairs in flow sequences).
    expect(accepted / templates).toBeGreaterThan(0.8);
  }, 60_000);

  it('parses EVERY CloudFormation YAML template of the real-world corpus (when present) exactly as the library does, wherever it accepts', () => {
    let accepted = 0;
    let templates = 0;
    for (const file of yamlFiles(REALWORLD)) {
      const text = readFileSync(file, 'utf8');
      // The templates a scan sends to the fast path: classified by content, not JSON, no suppression comments.
      if (classifyByContent(text) !== 'cloudformation' || /^\s*\{/.test(text) || text.includes('invokeguard')) continue;
      templates++;
      if (expectAgreement(text)) accepted++;
    }
    if (templates > 0) expect(accepted / templates).toBeGreaterThan(0.9);
  }, 120_000);

  it('accepts the real-world templates (when present) that it once declined (quoted scalars and flows indented less than their entry, repeated keys, JSON-style flow keys, folded text with more-indented lines, a leading ---, comment lines after a collection, an empty value before comment lines, multi-line plain scalars, `!!int`), each exactly as the library reads it', () => {
    const present = NEWLY_ACCEPTED.map((f) => join(REALWORLD, f)).filter((f) => existsSync(f));
    for (const file of present) {
      const text = readFileSync(file, 'utf8');
      expect([file, expectAgreement(text)]).toEqual([file, true]);
      expect(parseCloudFormation(file, text)).toEqual(parseYamlTemplate(file, text));
    }
  }, 60_000);

  it('on 1,000 mutated templates (characters deleted, inserted, duplicated): agrees or declines, and parseCloudFormation never throws', () => {
    const seeds = [...yamlFiles(join(REPO_ROOT, 'test', 'fixtures')), ...yamlFiles(join(REPO_ROOT, 'examples'))].map((f) => readFileSync(f, 'utf8'));
    const mutation = mutationFrom('-:#"\'[]{},!|>&* \n\tax1');
    fc.assert(
      fc.property(fc.constantFrom(...seeds), fc.array(mutation, { minLength: 1, maxLength: 4 }), (seed, mutations) => {
        const text = mutate(seed, mutations);
        expectAgreement(text);
        const started = Date.now();
        const { errors } = parseCloudFormation('t.yaml', text);
        expect(Date.now() - started).toBeLessThan(1000);
        for (const error of errors) {
          expect(error.range.line).toBeGreaterThanOrEqual(1);
          expect(error.range.line).toBeLessThanOrEqual(text.split('\n').length);
        }
      }),
      propertyParameters(1000),
    );
  }, 60_000);
});

/** Templates using the constructs the fast path learned from the real-world corpus, for unit and mutation cases. */
const MULTI_LINE_FLOWS = [
  'P:\n  Action: [\n    s3:GetObject,\n    "s3:PutObject",\n    !Sub "arn:${X}",\n  ]\n  Next: 1\n',
  'P:\n  Statement: [{\n      "Effect": "Allow",   # why\n\n      # a comment line\n      "Action": ["lambda:*",\n        \'x\'],\n      "Principal": { "AWS": !GetAtt R.Arn }\n    }]\nQ: 2\n',
  'P:\n  Layers:\n    [\n      !Sub "arn:${AWS::Region}:layer:1",\n    ]\n  Env:\n    {\n      "A": "1",\n      "B": [ x, { k: v } ]\n    }\n',
  'L:\n  - [\n     a, b\n    ]\n  - { k: [\n      1, 2 ], m: n }\n  - Name: !Sub [\n      "x-${ID}",\n      !Select [2, !Split ["/", !Ref AWS::StackId]],\n    ] # trailing\n',
  'A: [\n  x\n]\nB: {\n  "k":\n    "v",\n  k2:\n    v2\n}\nC: [x\n  , y]\n',
  // Lines indented to or below their entry's column (the library path reads them re-indented: lenient-indent.ts).
  'G:\n  Api:\n    Cors: {\n    "Fn::Join": [",", ["a", "b"]]\n    }\n    M: [{\n        "P": "/*",\n    }]\n',
  'R:\n  - Action: [\n    !Sub "arn:${A}",\n  x\n# c\n      ]\n    Next: [{\n   a: 1\n}]\n',
  'S: {"$schema": "x#",\n"type": "object",\n  "p": {"a": [1,\n2]}}\nT: 1\n',
  // JSON-style keys (the value right after the colon) and spaces before a colon.
  'a: {"k":v, "m":"n", \'p\':[1], q : r, "s"  : t}\nb:\n  - { AttributeName : id, AttributeType : S }\nc: {k :\n v}\n',
];

describe('fast CloudFormation YAML parser: flow collections over several lines', () => {
  it.each(MULTI_LINE_FLOWS.map((s) => [s]))('agrees with the library on %j', (text) => {
    expect(expectAgreement(text)).toBe(true);
  });

  it('declines where the library reports an error or reads something else (under-indented lines of a value on the next line, multi-line plain scalars, text ending inside)', () => {
    for (const text of [
      // On the line after its key, a flow's lines are not re-indented by the library path: it reports the error.
      'b:\n  a:\n    [\n  x]\n',
      'b:\n  a:\n    [[\n   x\n  ]]\n',
      'b:\n  a: !Sub\n    [\n  x]\n',
      'a: [\n  x\n  y]\n',
      'a: {k:v}\n',
      'a: {k: v\n  w}\n',
      'a: [\n  x,\n',
      'a: [x, #c\n',
      'a: [x,#c\n  y]\n',
      'a: !Sub [\n    "x-${ID}",\n    ID: !Ref Y,\n  ]\n',
      // `x:` at a line end in a flow sequence is an implicit pair, not the text "x:" (found by the mutation test).
      'C: [x:\n]\n',
      'C: [x:\n  , y]\n',
      // A tag needs white space after it (found by the mutation test; on one line too).
      'a: !Sub[\n    x,\n  ]\n',
      'a: !Sub[x]\n',
      'a: [!Ref{x: 1}]\n',
    ]) {
      expect(fast(text)).toBeUndefined();
    }
  });

  it('on mutated multi-line flows and a line re-indented at random: agrees with the library or declines', () => {
    const reindent = fc.tuple(fc.nat(), fc.nat({ max: 8 }));
    const mutation = mutationFrom('-:#"\'[]{},! \nax1');
    let accepted = 0;
    fc.assert(
      fc.property(fc.constantFrom(...MULTI_LINE_FLOWS), reindent, fc.array(mutation, { maxLength: 2 }), (seed, [line, indent], mutations) => {
        // One line gets 0-8 spaces of indentation, then a few characters change.
        const lines = seed.split('\n');
        const at = line % lines.length;
        lines[at] = ' '.repeat(indent) + lines[at].trimStart();
        const text = mutate(lines.join('\n'), mutations);
        if (expectAgreement(text)) accepted++;
      }),
      propertyParameters(2000),
    );
    // The generator must reach the accepted path often enough for the agreement check to mean something.
    expect(accepted).toBeGreaterThan(100);
  }, 60_000);
});

/** Block scalars: every chomping indicator, trailing and leading empty lines, empty scalars, sequence items, tags. */
const BLOCK_SCALARS = [
  'a: |+\n  x\n\n\nb: 1\n',
  'a: >+\n  x\n  y\n\n',
  'a: >+\n  x\n\n\n  y\n\n\nb: 1\n',
  'a: |+\n  x\n \n   \n',
  'a: |+\n  x\n\n# c\nb: 1\n',
  'a: |+\n  x\n\n  # c\nb: 1\n',
  'a: |\n  x\n    \n  y\n',
  'a: |-\n  x\n    \n\nb: 1\n',
  'a: |\n\n  x\n',
  'a: >\n\n\n  y\n  z\n',
  'a: |\n  \n  x\n',
  'a: |\nb: 1\n',
  'a: |-\nb: 1\n',
  'a: >+\nb: 1\n',
  'a: |\n',
  'a: |',
  'a:\n  - |+\n    x\n\n  - >-\n    y\n    z\n\n  - |\n  - !Sub |\n    ${x}\n',
  'P:\n  Code:\n    ZipFile: !Sub |+\n      import os\n\n      def handler(e, c):\n          return os.environ\n\n\n  Next: >\n    a\n    b\n\n    c\n',
  // Folded text with more-indented lines (kept with the breaks around them) and empty lines, under each chomping indicator.
  'a: >\n  {\n    "k": 1,\n\n    "m": [\n      2\n    ]\n  }\nb: 1\n',
  'a: >-\n  x\n    y\n  z\n\n\n    w\n\n  v\n\nb: 1\n',
  'a: >+\n  x\n    y\n\n    z\n  w\n\n\nb: 1\n',
  'a:\n  - !Sub >\n    #set($x = 1)\n    {\n       "a": "${X}"\n    }\n  - >\n    t\n      \n    u\n',
  'a: >\n  x\n     \n   y\n  \n  z\nb: >+\n  p\n    q\n    \nc: 1\n',
  // Text ending on the scalar's last line, without a final newline.
  'a: |\n  x',
  'a: >\n  x\n    y',
  'b:\n  a: !Sub |+\n    {\n      "k": "${x}"\n    }',
];

describe('fast CloudFormation YAML parser: block scalars', () => {
  it.each(BLOCK_SCALARS.map((s) => [s]))('agrees with the library on %j', (text) => {
    expect(expectAgreement(text)).toBe(true);
  });

 it('declines explicit indentation, more-indented leading empty lines, an empty scalar before empty lines, empty lines at the end of a text without a final newline', () => {
    for (const text of ['a: |2\n   x\n', 'a: >-1\n  x\n', 'a: >\n   \n  x\n    y\n', 'a: |\n   \n  x\n', 'a: |\n\nb: 1\n', 'a: |\n# c\nb: 1\n', 'a: |+\n  x\n\n  ', 'a: >+\n  x\n \n ']) {
      expect(fast(text)).toBeUndefined();
    }
  });

  it('on mutated block scalars (chomping, indentation and empty lines changed): agrees with the library or declines', () => {
    const mutation = mutationFrom('-+|># \n\nax1');
    let accepted = 0;
    fc.assert(
      fc.property(fc.constantFrom(...BLOCK_SCALARS), fc.array(mutation, { maxLength: 3 }), (seed, mutations) => {
        const text = mutate(seed, mutations);
        if (expectAgreement(text)) accepted++;
      }),
      propertyParameters(2000),
    );
    expect(accepted).toBeGreaterThan(200);
  }, 60_000);
});

/** Values on the line after their key or dash: scalars, tagged scalars, a tag alone then its collection. */
const NEXT_LINE_VALUES = [
  'P:\n  QueueName:\n    !GetAtt Q.QueueName\n  Name: \n    !Sub \'${AWS::StackName}\'\n  Uri:\n    Fn::Sub:\n        arn:aws:apigateway:${AWS::Region}:lambda\n  N:\n    42\n',
  'U:\n  Fn::Base64:\n    !Sub\n    - |\n      #!/bin/bash\n      yum update -y\n    - {}\n  Policy:\n    !Sub |\n      {"Version": "2012-10-17"}\n',
  'L:\n  -\n    "quoted"\n  -\n    !Ref X\n  - # c\n    plain\nM: # c\n  !Join\n    - ""\n    - [a, b]\n',
];

describe('fast CloudFormation YAML parser: values on the line after their key', () => {
  it.each(NEXT_LINE_VALUES.map((s) => [s]))('agrees with the library on %j', (text) => {
    expect(expectAgreement(text)).toBe(true);
  });

  it('declines a value not indented past its key, a block scalar header alone on its line, a tagged value below a tag', () => {
    for (const text of ['a:\nx\n', 'a:\n  |\n    text\n', 'R: !Sub\n  !GetAtt X.Arn\n']) {
      expect(fast(text)).toBeUndefined();
    }
  });

  it('on mutated templates with values on the next line: agrees with the library or declines', () => {
    const mutation = mutationFrom('-:#"\'!|[] \n\nax1');
    let accepted = 0;
    fc.assert(
      fc.property(fc.constantFrom(...NEXT_LINE_VALUES), fc.array(mutation, { maxLength: 3 }), (seed, mutations) => {
        const text = mutate(seed, mutations);
        if (expectAgreement(text)) accepted++;
      }),
      propertyParameters(2000),
    );
    expect(accepted).toBeGreaterThan(200);
  }, 60_000);
});

/** Quoted scalars over several lines (JSON policies in `!Sub '...'`), folded. */
const MULTI_LINE_QUOTED = [
  "P:\n  Doc: !Sub '{\n      \"Version\": \"2012-10-17\",\n\n      \"Statement\": [ { \"Effect\": \"Allow\" } ]\n    }'\n  Next: 1\n",
  "a: 'x  \n  \n\n   y  '\nb: '\n  y'\nc: 'x\n  '\nd: 'it''s\n  ok''' # c\n",
  'a: "x\\ty\n  z\\u00e9"\nb: "x\n\n\n  y"\nc:\n  - "l1\n    l2"\n  -\n    \'l3\n     l4\'\n',
  // On the line after its key, continued at the key's indentation or deeper (once declined, now read).
  'a: "quoted\n  continued"\nb:\n  "q\n  r"\nc:\n  "q\n r"\n',
  // After the entry's `key:` or `-`, continued at or below the entry's column (the library path re-indents them: lenient-indent.ts).
  "R:\n  P:\n    - PolicyName: x\n      PolicyDocument: !Sub '{\n        \"Version\": \"2012-10-17\",\n\n  \"Statement\": [ ]\n      }'\n    - 'a\nb'\n  Q: \"x\n\n    y\\tz\n  w\"\n",
  "b:\n  a: 'x\n  y'\n  c: 'x\n y\nz'\n  d:\n    - \"l\n  m\"\n    - - k: 'n\n o'\n",
];

describe('fast CloudFormation YAML parser: quoted scalars over several lines', () => {
  it.each(MULTI_LINE_QUOTED.map((s) => [s]))('agrees with the library on %j', (text) => {
    expect(expectAgreement(text)).toBe(true);
  });

  it('declines escaped line breaks and spaces, lines of a value on the next line not indented past the entry, quoted keys over lines, text after the closing quote', () => {
    for (const text of [
      'a: "x\\\n  y"\n',
      'a: "x\\ \n  y"\n',
      // On the line after its key (a tag between or not), nothing re-indents them: the library reports an error.
      "b:\n  a:\n    'x\n  y'\n",
      "b:\n  a: !Sub\n    'x\n  y'\n",
      "b:\n  a:\n    !Sub 'x\n  y'\n",
      "'a\n  b': 1\n",
      "a: 'x\n  y'\n  z\n",
      "a: 'x\n  y' z\n",
      "a: ['x\n  y']\n",
    ]) {
      expect(fast(text)).toBeUndefined();
    }
  });

  it('on mutated multi-line quoted scalars: agrees with the library or declines', () => {
    const mutation = mutationFrom('"\'\\ \n\nntx1#:');
    let accepted = 0;
    fc.assert(
      fc.property(fc.constantFrom(...MULTI_LINE_QUOTED), fc.array(mutation, { maxLength: 3 }), (seed, mutations) => {
        const text = mutate(seed, mutations);
        if (expectAgreement(text)) accepted++;
      }),
      propertyParameters(2000),
    );
    expect(accepted).toBeGreaterThan(200);
  }, 60_000);

  it('on multi-line quoted scalars with a line re-indented at random (0-8 spaces): agrees with the library or declines', () => {
    const reindent = fc.tuple(fc.nat(), fc.nat({ max: 8 }));
    let accepted = 0;
    fc.assert(
      fc.property(fc.constantFrom(...MULTI_LINE_QUOTED), reindent, (seed, [line, indent]) => {
        const lines = seed.split('\n');
        const at = line % lines.length;
        lines[at] = ' '.repeat(indent) + lines[at].trimStart();
        if (expectAgreement(lines.join('\n'))) accepted++;
      }),
      propertyParameters(2000),
    );
    expect(accepted).toBeGreaterThan(200);
  }, 60_000);
});

/** Comment lines after a collection's last item, at every indentation, with blank lines, under maps, sequences and several levels. */
const TRAILING_COMMENTS = [
  'a:\n  b: 1\n  # c\nd: 2\n',
  'R:\n  X:\n    b: 1\n    # c\n\n  Y: 2\n',
  'R:\n  X:\n    b:\n      c: 1\n      # x\n    # y\n   # z\n\n  Y: 2\n',
  'R:\n  X:\n    b: 1\n        # deeper\n\n        # again\n    # at the map\n  Y: [1]\n      # deeper than Y\n  # at R\nZ: 1\n',
  'R:\n  L:\n    - a\n    # c\n    - b\n      # d\n  # e\n  M:\n  - x\n  # f\nN:\n- y\n# g\n- z\n # h\n',
  'R:\n  S:\n    - k: v\n      # under k\n    # under the dash\n  T: "q"\n     # c\n  U: !Ref X\n # c\nV: |\n  text\n # c\n  # d\nW:\n  x: >-\n    folded\n   # c\n',
  'Resources:\n  Api:\n    Type: AWS::Serverless::Api\n    Properties:\n      StageName: Prod\n      # CacheClusterEnabled: True\n      #   - HttpMethod: "*"\n\n  Fn:\n    Type: X # c\n    Properties:\n      Policies:\n        - DynamoDBCrudPolicy:\n            TableName: !Ref T\n      # why\n\nOutputs:\n  A:\n    Value: 1\n    # end\n',
];

/** Keys with nothing after them (trailing spaces, a comment) before comment lines, blank lines, the next key, a closing collection or the end of the text. */
const EMPTY_VALUES = [
  'A: 1\nGlobals:\n\n\n# Comment\nResources:\n\n\n# c\nOutputs:\n\n\n',
  'R:\n  Org:\n    P:   # c\n  Next: 1\n',
  'R:\n  Org:\n    Type: X\n    P:   \n      # deeper\n  # d\n\nN:\n',
  'L:\n  - a:\n    # c\n  - b\n  - c:\n      # c\n    d:\n  # d\nM: 1\n',
  'V:\n  K1: \n  K2: \n  Url:\n    Type: X\nW:\n  x:\n    # end',
];

describe('fast CloudFormation YAML parser: comment lines after a collection', () => {
  it.each([...TRAILING_COMMENTS, ...EMPTY_VALUES].map((s) => [s]))('agrees with the library on %j', (text) => {
    expect(expectAgreement(text)).toBe(true);
  });

  it('ends an empty last value, and the collections closing with it, where the token after its comment lines starts (lines and columns pinned)', () => {
    const text = 'R:\n  Org:\n    Type: X\n    P:  # c\n# d\n\n    # e\n  Next:\n';
    const template = fast(text)!;
    expect(expectAgreement(text)).toBe(true);
    const org = template.kind === 'object' && template.entries[0].value.kind === 'object' ? template.entries[0].value.entries[0].value : undefined;
    expect(org?.kind === 'object' && org.entries[1].value).toMatchObject({ kind: 'null', range: { line: 4, column: 9, endLine: 4, endColumn: 9 } });
    // Org's mapping runs to `Next` (line 8, column 3), not to the end of `P:`'s line.
    expect(org?.range).toMatchObject({ line: 3, column: 5, endLine: 8, endColumn: 3 });
    const next = template.kind === 'object' && template.entries[0].value.kind === 'object' ? template.entries[0].value.entries[1] : undefined;
    expect(next?.value.range).toMatchObject({ line: 8, column: 8, endLine: 8, endColumn: 8 });
  });

  it('on templates with a comment line (0-9 spaces of indentation) and blank lines inserted at random: agrees with the library or declines', () => {
    const seeds = [...TRAILING_COMMENTS, ...EMPTY_VALUES, ...SNIPPETS, ...NEXT_LINE_VALUES, ...BLOCK_SCALARS];
    const insertion = fc.tuple(fc.nat(), fc.nat({ max: 9 }), fc.boolean());
    let accepted = 0;
    fc.assert(
      fc.property(fc.constantFrom(...seeds), fc.array(insertion, { minLength: 1, maxLength: 3 }), (seed, insertions) => {
        const lines = seed.split('\n');
        for (const [line, indent, blank] of insertions) lines.splice(line % (lines.length + 1), 0, `${' '.repeat(indent)}# c`, ...(blank ? [''] : []));
        if (expectAgreement(lines.join('\n'))) accepted++;
      }),
      propertyParameters(3000),
    );
    expect(accepted).toBeGreaterThan(1000);
  }, 60_000);
});

/** Plain scalars continued on lines indented past their entry: on the key's line, after a dash, on the next line, tagged, with empty lines and a closing comment. */
const MULTI_LINE_PLAIN = [
  "P:\n  Description: The name of the new DynamoDB to store connection identifiers for\n    each connected clients. Minimum 3 characters.\n  MinLength: '3'\n",
  'A: x\n  y\n\n   z   \n\n\n  w # c\nB: 1\n',
  'L:\n  - x\n    y\n  - a: b\n     c\n    d: e\n      f\n  -\n    g\n    h\n',
  'A:\n  x\n y\nB: !Sub a\n  ${b}\nC: !Ref\n  x\n   y\n',
  'A: x\n  - y\n  [z] {w} "q" \'r\' !t &a *b | > % @\nB: 1',
  'R:\n  F:\n    Description: 1\n      2\n    Name: true\n      false\n    # c\n  G: 012\n\n\n    345\n',
];

describe('fast CloudFormation YAML parser: multi-line plain scalars', () => {
  it.each(MULTI_LINE_PLAIN.map((s) => [s]))('agrees with the library on %j', (text) => {
    expect(expectAgreement(text)).toBe(true);
  });

  it('folds the lines into one string (a space per line break, a newline per empty line) located from its first character to its last (lines and columns pinned)', () => {
    const template = fast('A:\n  B: one\n    two\n\n     three  # c\n  C: 1\n')!;
    const b = template.kind === 'object' && template.entries[0].value.kind === 'object' ? template.entries[0].value.entries[0].value : undefined;
    expect(b).toEqual({ kind: 'string', value: 'one two\nthree', range: { file: 't.yaml', line: 2, column: 6, endLine: 5, endColumn: 11 } });
    expect(expectAgreement('A:\n  B: one\n    two\n\n     three  # c\n  C: 1\n')).toBe(true);
  });

  it('declines a `: ` or a final `:` on a continuation line, a tag other than !!str on folded text, and a scalar on the line after its key once a line between lowers the indentation the library asks of its continuation', () => {
    for (const text of ['A: x\n  y: z\n', 'A: x\n  y:\n', 'A: !!int 1\n  2\n', 'A:\n\n# c\n  x\nB: 1\n', 'A:\n#c\n x\nB: 1\n', 'A:\n\n#c\n  "x"\nB: 1\n']) {
      expect(fast(text)).toBeUndefined();
    }
    // There the library runs the scalar on over `B: 1` (an implicit key over two lines, an error): these were once read here.
    expect(parseYamlTemplateWithLibrary('t.yaml', 'A:\n\n# c\n  x\nB: 1\n').errors).toHaveLength(1);
    expect(parseYamlTemplateWithLibrary('t.yaml', 'A:\n#c\n x\nB: 1\n').errors).toHaveLength(1);
    // A comment line with a space after `#`, not after an empty line, or indented past the key lowers nothing.
    for (const text of ['A:\n# c\n  x\nB: 1\n', 'R:\n  A:\n\n  # c\n    x\n  B: 1\n']) expect(expectAgreement(text)).toBe(true);
  });

  it('on mutated multi-line plain scalars (lines re-indented, characters inserted and deleted): agrees with the library or declines', () => {
    const reindent = fc.tuple(fc.nat(), fc.nat({ max: 6 }));
    const mutation = mutationFrom('-:#"\' \n\n\nax1!&[]{},|>');
    let accepted = 0;
    fc.assert(
      fc.property(fc.constantFrom(...MULTI_LINE_PLAIN), reindent, fc.array(mutation, { maxLength: 3 }), (seed, [line, indent], mutations) => {
        const lines = seed.split('\n');
        const at = line % lines.length;
        lines[at] = ' '.repeat(indent) + lines[at].trimStart();
        if (expectAgreement(mutate(lines.join('\n'), mutations))) accepted++;
      }),
      propertyParameters(3000),
    );
    expect(accepted).toBeGreaterThan(500);
  }, 60_000);
});

/** Core-schema tags (`!!int`, `!!str`, ...) on plain scalars, and `!!str` on quoted ones, in block and flow collections. */
const CORE_TAGGED = [
  'A: !!int 86400\nB: !!str 12\nC: !!str "x"\nD: [!!int 0x1F, !!bool true, !!null ~, !!float 1.5, !!str null]\nE: !!int 012\nF: !!float 1e5\nG: !!str a\n  b\n',
  "R:\n  Alarm:\n    Properties:\n      Metrics:\n        - Id: ad1\n          MetricStat:\n            Period: !!int 86400\n            Stat: Sum\n  L:\n    - !!str 1.0\n    - !!int -5\n    - !!float .5\n    - !!bool False\n    - !!null null\n    - { k: !!str ~, m: !!int 0o17, n: !!str 'q' }\n",
];

describe('fast CloudFormation YAML parser: core-schema tags on scalars', () => {
  it.each(CORE_TAGGED.map((s) => [s]))('agrees with the library on %j', (text) => {
    expect(expectAgreement(text)).toBe(true);
  });

  it('reads `!!int 86400` as the number, located at the scalar without its tag, and `!!str 12` as text (lines and columns pinned)', () => {
    const template = fast('A: !!int 86400\nB: !!str 12\n')!;
    expect(template.kind === 'object' && template.entries.map((e) => e.value)).toEqual([
      { kind: 'number', value: 86400, range: { file: 't.yaml', line: 1, column: 10, endLine: 1, endColumn: 15 } },
      { kind: 'string', value: '12', range: { file: 't.yaml', line: 2, column: 10, endLine: 2, endColumn: 12 } },
    ]);
  });

  it('declines a scalar its tag does not resolve as untagged (the library warns and keeps text), other tags, tagged collections, a tagged value on the next line', () => {
    for (const text of ['A: !!int abc\n', 'A: !!float 1\n', 'A: !!bool 1\n', 'A: !!null x\n', 'A: !!int 1.5\n', 'A: !!int "1"\n', 'A: !!str |\n  x\n', 'A: !!map {a: 1}\n', 'A: !!int\n  5\n', 'A: !!binary x\n', 'A: !!str\n', 'A: [!!str]\n', 'A: !!int 12345678901234567\n']) {
      expect(fast(text)).toBeUndefined();
    }
  });

  it('on mutated core-tagged scalars (tags, digits and quotes changed): agrees with the library or declines', () => {
    const mutation = mutationFrom('!.0123456789exo~nulTF"\' \n:-,[');
    let accepted = 0;
    fc.assert(
      fc.property(fc.constantFrom(...CORE_TAGGED), fc.array(mutation, { maxLength: 3 }), (seed, mutations) => {
        if (expectAgreement(mutate(seed, mutations))) accepted++;
      }),
      propertyParameters(3000),
    );
    expect(accepted).toBeGreaterThan(500);
  }, 60_000);
});

/** A public invoke grant (IG101, line 13 of each) after each construct the fast path learned. */
const PUBLIC_GRANT = 'Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n  Public:\n    Type: AWS::Lambda::Permission\n    Properties:\n      Action: lambda:InvokeFunction\n      FunctionName: !Ref Fn\n      Principal: "*"\n';
const WITH_CONSTRUCTS: Array<[string, string]> = [
  ['an empty value before comment lines', 'AWSTemplateFormatVersion: "2010-09-09"\nGlobals:   \n\n# Comment\n'],
  ['a multi-line plain scalar', 'AWSTemplateFormatVersion: "2010-09-09"\nDescription: a template\n  over two lines\n  # c\n'],
  ['a core-schema tag', 'AWSTemplateFormatVersion: !!str 2010-09-09\nMetadata:\n  Period: !!int 86400\n  # c\n'],
];

describe('fast CloudFormation YAML parser: findings in templates with the constructs it learned', () => {
  it.each(WITH_CONSTRUCTS)('after %s: the fast path reads the template and a scan reports the same findings, IG101 on its line, as with the library', async (_name, head) => {
    const text = head + PUBLIC_GRANT;
    expect(fast(text)).toBeDefined();
    expect(expectAgreement(text)).toBe(true);
    const dir = tempTree({ 'template.yaml': text });
    try {
      const findings = async () => (await scan({ paths: ['.'], cwd: dir })).findings.map((f) => [f.ruleId, f.resource, f.range.line, f.range.column]);
      const viaFast = await findings();
      expect(viaFast.filter(([rule]) => rule === 'IG101').map(([rule, resource, line]) => [rule, resource, line])).toEqual([['IG101', 'Public', 13]]);
      fastPaths.enabled = false;
      expect(await findings()).toEqual(viaFast);
    } finally {
      fastPaths.enabled = true;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
