import { describe, expect, it } from '@jest/globals';
import { buildModel } from '../../src/model/build-model.js';
import { parseText } from '../../src/parse/parse-file.js';
import { scan } from '../../src/scan.js';
import { tempTree } from '../helpers/temp-tree.js';

/** One Terraform trail with these advanced field selectors (HCL blocks): does it log Lambda Invoke? */
async function terraformSelector(fields: string[]): Promise<boolean | undefined> {
  const blocks = ['field = "eventCategory"\n equals = ["Data"]', 'field = "resources.type"\n equals = ["AWS::Lambda::Function"]', ...fields].map((f) => `field_selector {\n${f}\n}`);
  const text = `variable "unknown" {}\nresource "aws_cloudtrail" "t" {\n name = "t"\n s3_bucket_name = "b"\n advanced_event_selector {\n${blocks.join('\n')}\n}\n}\n`;
  const model = buildModel([await parseText('terraform-hcl', 'main.tf', text)]);
  return model.posture!.trails[0].lambdaDataEvents;
}

/** The same in CloudFormation (field selectors as YAML flow mappings). */
async function cloudFormationSelector(fields: string[]): Promise<boolean | undefined> {
  const selectors = ['{Field: eventCategory, Equals: [Data]}', '{Field: resources.type, Equals: [AWS::Lambda::Function]}', ...fields].map((f) => `            - ${f}`);
  const text = ['Parameters:', '  Unknown:', '    Type: String', 'Resources:', '  T:', '    Type: AWS::CloudTrail::Trail', '    Properties:', '      IsLogging: true', '      S3BucketName: b', '      AdvancedEventSelectors:', '        - FieldSelectors:', ...selectors, ''].join('\n');
  const model = buildModel([await parseText('cloudformation', 'template.yaml', text)]);
  return model.posture!.trails[0].lambdaDataEvents;
}

describe('IG501: the other field selectors of a Lambda advanced selector (ANDed) must let Invoke through', () => {
  const CASES: Array<[string, string, string, boolean | undefined]> = [
    ['nothing else', '', '', true],
    ['eventName equals Invoke', 'field = "eventName"\n equals = ["Invoke"]', '{Field: eventName, Equals: [Invoke]}', true],
    ['eventName equals InvokeExecution only', 'field = "eventName"\n equals = ["InvokeExecution"]', '{Field: eventName, Equals: [InvokeExecution]}', false],
    ['eventName not_equals Invoke', 'field = "eventName"\n not_equals = ["Invoke"]', '{Field: eventName, NotEquals: [Invoke]}', false],
    ['eventName not_equals something else', 'field = "eventName"\n not_equals = ["InvokeExecution"]', '{Field: eventName, NotEquals: [InvokeExecution]}', true],
    ['eventName starts_with Inv', 'field = "eventName"\n starts_with = ["Inv"]', '{Field: eventName, StartsWith: [Inv]}', true],
    ['eventName not_starts_with Inv', 'field = "eventName"\n not_starts_with = ["Inv"]', '{Field: eventName, NotStartsWith: [Inv]}', false],
    ['eventName ends_with Execution', 'field = "eventName"\n ends_with = ["Execution"]', '{Field: eventName, EndsWith: [Execution]}', false],
    ['readOnly true (Invoke is a write event)', 'field = "readOnly"\n equals = ["true"]', '{Field: readOnly, Equals: [true]}', false],
    ['readOnly false', 'field = "readOnly"\n equals = ["false"]', '{Field: readOnly, Equals: [false]}', true],
    ['eventCategory Management as well', 'field = "eventCategory"\n equals = ["Management"]', '{Field: eventCategory, Equals: [Management]}', false],
    // An attacker invokes a function (or calls as an identity) the selector does not keep.
    ['resources.ARN naming some functions', 'field = "resources.ARN"\n starts_with = ["arn:aws:lambda:us-east-1:111122223333:function:app-"]', '{Field: resources.ARN, StartsWith: ["arn:aws:lambda:us-east-1:111122223333:function:app-"]}', false],
    ['resources.ARN equals one function', 'field = "resources.ARN"\n equals = ["arn:aws:lambda:us-east-1:111122223333:function:app"]', '{Field: resources.ARN, Equals: ["arn:aws:lambda:us-east-1:111122223333:function:app"]}', false],
    ['resources.ARN with a prefix every function has', 'field = "resources.ARN"\n starts_with = ["arn:aws:lambda"]', '{Field: resources.ARN, StartsWith: ["arn:aws:lambda:"]}', true],
    ['resources.ARN leaving one function out', 'field = "resources.ARN"\n not_equals = ["arn:aws:lambda:us-east-1:111122223333:function:noisy"]', '{Field: resources.ARN, NotEquals: ["arn:aws:lambda:us-east-1:111122223333:function:noisy"]}', true],
    ['userIdentity.arn naming one caller', 'field = "userIdentity.arn"\n equals = ["arn:aws:iam::111122223333:role/ci"]', '{Field: userIdentity.arn, Equals: ["arn:aws:iam::111122223333:role/ci"]}', false],
    ['resources.ARN against an unknown value', 'field = "resources.ARN"\n starts_with = [var.unknown]', '{Field: resources.ARN, StartsWith: [!Ref Unknown]}', undefined],
    ['eventSource lambda', 'field = "eventSource"\n equals = ["lambda.amazonaws.com"]', '{Field: eventSource, Equals: [lambda.amazonaws.com]}', true],
    ['eventSource of another service', 'field = "eventSource"\n equals = ["s3.amazonaws.com"]', '{Field: eventSource, Equals: [s3.amazonaws.com]}', false],
    ['eventName against an unknown value', 'field = "eventName"\n not_equals = [var.unknown]', '{Field: eventName, NotEquals: [!Ref Unknown]}', undefined],
    ['an unknown field', 'field = var.unknown\n equals = ["true"]', '{Field: !Ref Unknown, Equals: ["true"]}', undefined],
  ];
  it.each(CASES)('%s', async (_name, hcl, yaml, expected) => {
    expect(await terraformSelector(hcl ? [hcl] : [])).toBe(expected);
    expect(await cloudFormationSelector(yaml ? [yaml] : [])).toBe(expected);
  });
});

describe('IG501: basic event selectors', () => {
  const trail = async (readWrite: string) => {
    const text = `variable "rw" {}\nresource "aws_cloudtrail" "t" {\n name = "t"\n s3_bucket_name = "b"\n event_selector {\n ${readWrite}\n data_resource {\n type = "AWS::Lambda::Function"\n values = ["arn:aws:lambda"]\n }\n }\n}\n`;
    return buildModel([await parseText('terraform-hcl', 'main.tf', text)]).posture!.trails[0].lambdaDataEvents;
  };
  it('ReadOnly leaves Invoke (a write event) out; All, WriteOnly and the default keep it; a variable is not judged', async () => {
    expect(await trail('read_write_type = "ReadOnly"')).toBe(false);
    expect(await trail('read_write_type = "WriteOnly"')).toBe(true);
    expect(await trail('read_write_type = "All"')).toBe(true);
    expect(await trail('')).toBe(true);
    expect(await trail('read_write_type = var.rw')).toBeUndefined();
  });
  it('DataResources values: arn:aws:lambda is every function, function ARNs only those, an unknown value is not judged', async () => {
    const values = async (list: string) => {
      const text = `variable "fn" {}\nresource "aws_cloudtrail" "t" {\n name = "t"\n s3_bucket_name = "b"\n event_selector {\n data_resource {\n type = "AWS::Lambda::Function"\n values = ${list}\n }\n }\n}\n`;
      return buildModel([await parseText('terraform-hcl', 'main.tf', text)]).posture!.trails[0].lambdaDataEvents;
    };
    expect(await values('["arn:aws:lambda"]')).toBe(true);
    expect(await values('["arn:aws:lambda:us-east-1:111122223333:function:payments"]')).toBe(false);
    expect(await values('[var.fn]')).toBeUndefined();
  });
});

describe('detective posture defaults', () => {
  it('Terraform: a trail logs, a detector is enabled and an analyzer is ACCOUNT unless told otherwise', async () => {
    const text = 'resource "aws_cloudtrail" "t" {\n name = "t"\n s3_bucket_name = "b"\n}\nresource "aws_guardduty_detector" "d" {}\nresource "aws_accessanalyzer_analyzer" "a" {\n analyzer_name = "a"\n}\n';
    const posture = buildModel([await parseText('terraform-hcl', 'main.tf', text)]).posture!;
    expect(posture.trails.map((t) => t.logging)).toEqual([true]);
    expect(posture.guardDutyDetectors.map((d) => d.enabled)).toEqual([true]);
    expect(posture.accessAnalyzers.map((a) => a.analyzerType)).toEqual(['ACCOUNT']);
  });
  it('CloudFormation: IsLogging, Enable and Type are required, so without them nothing is known', async () => {
    const text = ['Resources:', '  T:', '    Type: AWS::CloudTrail::Trail', '    Properties: {S3BucketName: b}', '  D:', '    Type: AWS::GuardDuty::Detector', '    Properties: {}', '  A:', '    Type: AWS::AccessAnalyzer::Analyzer', '    Properties: {}', ''].join('\n');
    const posture = buildModel([await parseText('cloudformation', 'template.yaml', text)]).posture!;
    expect(posture.trails.map((t) => t.logging)).toEqual([undefined]);
    expect(posture.guardDutyDetectors.map((d) => d.enabled)).toEqual([undefined]);
    expect(posture.accessAnalyzers.map((a) => a.analyzerType)).toEqual([undefined]);
  });
});

describe('IG502 and IG505: what links a feature or policy to its detector or association', () => {
  const ORG = 'resource "aws_organizations_organization" "org" {\n  feature_set = "ALL"\n}\n';
  const findings = async (rule: string, text: string) => {
    const { findings } = await scan({ paths: ['main.tf'], cwd: tempTree({ 'main.tf': ORG + text }) });
    return findings.filter((f) => f.ruleId === rule).map((f) => [f.resource, f.range.line]);
  };
  const FEATURE = (detector: string) => `resource "aws_guardduty_detector_feature" "lambda" {\n  detector_id = ${detector}\n  name = "LAMBDA_NETWORK_LOGS"\n  status = "ENABLED"\n}\n`;
  it('a feature counts unless it names a disabled detector of the scan', async () => {
    const disabled = 'resource "aws_guardduty_detector" "off" {\n  enable = false\n}\nresource "aws_guardduty_detector" "on" {}\n';
    expect(await findings('IG502', disabled + FEATURE('aws_guardduty_detector.off.id'))).toEqual([['aws_guardduty_detector.off', 4]]);
    expect(await findings('IG502', disabled + FEATURE('aws_guardduty_detector.on.id'))).toEqual([]);
    // A detector id from elsewhere: its detector cannot be judged.
    expect(await findings('IG502', disabled + FEATURE('"12abc34d567e8fa901bc2d34e56789f0"'))).toEqual([]);
  });
  const POLICY = 'resource "aws_securityhub_configuration_policy" "fsbp" {\n  name = "fsbp"\n  configuration_policy {\n    service_enabled = true\n    enabled_standard_arns = ["arn:aws:securityhub:eu-west-1::standards/aws-foundational-security-best-practices/v/1.0.0"]\n  }\n}\n';
  const ASSOCIATION = (policy: string) => `resource "aws_securityhub_configuration_policy_association" "root" {\n  target_id = "r-abcd"\n  policy_id = ${policy}\n}\n`;
  it('a configuration policy counts once an association names it, or names a policy outside the scan', async () => {
    expect(await findings('IG505', POLICY)).toEqual([['aws_securityhub_configuration_policy.fsbp', 4]]);
    expect(await findings('IG505', POLICY + ASSOCIATION('aws_securityhub_configuration_policy.fsbp.id'))).toEqual([]);
    expect(await findings('IG505', POLICY + ASSOCIATION('"a1b2c3d4-5678-90ab-cdef-EXAMPLE11111"'))).toEqual([]);
  });
});

describe('IG505: which configuration policy control lists turn Lambda.1 off', () => {
  /** A Terraform configuration policy with this security_controls_configuration body: lambdaControlOff. */
  async function policyTurnsOff(controls: string): Promise<boolean> {
    const text = `variable "unknown" {}\nresource "aws_securityhub_configuration_policy" "p" {\n name = "p"\n configuration_policy {\n service_enabled = true\n enabled_standard_arns = []\n security_controls_configuration {\n${controls}\n}\n}\n}\n`;
    const model = buildModel([await parseText('terraform-hcl', 'main.tf', text)]);
    return model.posture!.securityHub[0].lambdaControlOff === true;
  }
  it.each([
    ['disabled names it', 'disabled_control_identifiers = ["S3.1", "Lambda.1"]', true],
    ['disabled names others', 'disabled_control_identifiers = ["Lambda.2"]', false],
    ['disabled list unknown (not judged)', 'disabled_control_identifiers = var.unknown', false],
    ['enabled leaves it out', 'enabled_control_identifiers = ["Lambda.2"]', true],
    ['enabled names it', 'enabled_control_identifiers = ["Lambda.1"]', false],
    ['enabled with an unknown entry (not judged)', 'enabled_control_identifiers = ["Lambda.2", var.unknown]', false],
  ])('%s', async (_name, controls, expected) => {
    expect(await policyTurnsOff(controls)).toBe(expected);
  });

  it('a standards control counts only DISABLED, for FSBP Lambda.1, when the scan can read both', async () => {
    const off = async (arn: string, status: string) => {
      const text = `variable "unknown" {}\nresource "aws_securityhub_standards_control" "c" {\n standards_control_arn = ${arn}\n control_status = ${status}\n}\n`;
      return buildModel([await parseText('terraform-hcl', 'main.tf', text)]).posture!.securityHubLambdaControlOff.length;
    };
    const fsbp = '"arn:aws:securityhub:us-east-1:111122223333:control/aws-foundational-security-best-practices/v/1.0.0/Lambda.1"';
    expect(await off(fsbp, '"DISABLED"')).toBe(1);
    expect(await off(fsbp, '"ENABLED"')).toBe(0);
    expect(await off(fsbp, 'var.unknown')).toBe(0);
    expect(await off('"arn:aws:securityhub:us-east-1:111122223333:control/nist-800-53/v/5.0.0/Lambda.1"', '"DISABLED"')).toBe(0);
    expect(await off('var.unknown', '"DISABLED"')).toBe(0);
  });
});

describe('IG501: the filter that keeps invokes out is carried on the trail (invokeGap)', () => {
  const gapOf = async (language: 'terraform-hcl' | 'cloudformation', file: string, text: string) => buildModel([await parseText(language, file, text)]).posture!.trails[0].invokeGap;
  const terraform = (fields: string) =>
    `resource "aws_cloudtrail" "t" {\n name = "t"\n s3_bucket_name = "b"\n advanced_event_selector {\n field_selector {\n field = "resources.type"\n equals = ["AWS::Lambda::Function"]\n }\n field_selector {\n${fields}\n }\n }\n}\n`;
  const cloudFormation = (field: string) =>
    ['Resources:', '  T:', '    Type: AWS::CloudTrail::Trail', '    Properties:', '      IsLogging: true', '      S3BucketName: b', '      AdvancedEventSelectors:', '        - FieldSelectors:', '            - {Field: resources.type, Equals: [AWS::Lambda::Function]}', `            - ${field}`, ''].join('\n');

  it('names the field selector, in the spelling of the file', async () => {
    const prefix = await gapOf('terraform-hcl', 'main.tf', terraform('field = "resources.ARN"\n starts_with = ["arn:aws:lambda:us-east-1:123456789012:function:prod-"]'));
    expect(prefix).toEqual({
      reason: 'logs invokes of only some functions (resources.ARN starts_with [arn:aws:lambda:us-east-1:123456789012:function:prod-])',
      unrecorded: 'an attacker invoking any other function goes unrecorded',
      fix: "remove the resources.ARN field selector, or leave functions out with not_starts_with or not_equals instead, so every function's invokes are logged",
      filter: 'resources.ARN starts_with [arn:aws:lambda:us-east-1:123456789012:function:prod-]',
    });
    const caller = await gapOf('cloudformation', 'template.yaml', cloudFormation('{Field: userIdentity.arn, Equals: ["arn:aws:iam::111122223333:role/ci"]}'));
    expect(caller?.reason).toBe('logs invokes by only some callers (userIdentity.arn Equals [arn:aws:iam::111122223333:role/ci])');
    expect(caller?.fix).toContain('leave callers out with NotStartsWith or NotEquals instead');
    expect((await gapOf('cloudformation', 'template.yaml', cloudFormation('{Field: eventSource, Equals: [s3.amazonaws.com]}')))?.reason).toBe(
      'selects an eventSource other than lambda.amazonaws.com (eventSource Equals [s3.amazonaws.com])',
    );
    expect((await gapOf('terraform-hcl', 'main.tf', terraform('field = "eventName"\n not_equals = ["Invoke"]')))?.reason).toBe('leaves Invoke out (eventName not_equals [Invoke])');
  });

  it('basic selectors: values naming functions, read-only events', async () => {
    const basic = (readWrite: string, values: string) =>
      `resource "aws_cloudtrail" "t" {\n name = "t"\n s3_bucket_name = "b"\n event_selector {\n ${readWrite}\n data_resource {\n type = "AWS::Lambda::Function"\n values = ${values}\n }\n }\n}\n`;
    expect((await gapOf('terraform-hcl', 'main.tf', basic('', '["arn:aws:lambda:us-east-1:111122223333:function:payments"]')))?.filter).toBe('values = [arn:aws:lambda:us-east-1:111122223333:function:payments]');
    expect((await gapOf('terraform-hcl', 'main.tf', basic('read_write_type = "ReadOnly"', '["arn:aws:lambda"]')))?.reason).toBe('keeps only read-only events, and Invoke is a write event (read_write_type = ReadOnly)');
  });

  it('no gap where the trail logs every invoke, or the selector is not about Lambda', async () => {
    expect(await gapOf('terraform-hcl', 'main.tf', terraform('field = "resources.ARN"\n starts_with = ["arn:aws:lambda"]'))).toBeUndefined();
    // A second selector logs everything: the first one's prefix leaves nothing out.
    const both = terraform('field = "resources.ARN"\n starts_with = ["arn:aws:lambda:us-east-1:1:function:prod-"]').replace(/\}\n$/, ' advanced_event_selector {\n field_selector {\n field = "resources.type"\n equals = ["AWS::Lambda::Function"]\n }\n }\n}\n');
    expect(buildModel([await parseText('terraform-hcl', 'main.tf', both)]).posture!.trails[0].lambdaDataEvents).toBe(true);
    expect(await gapOf('terraform-hcl', 'main.tf', both)).toBeUndefined();
  });
});
