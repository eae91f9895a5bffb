import { describe, expect, it } from '@jest/globals';
import { arnMatches, cidrContains, documentDenies, type RequestContext } from '../../src/guardrails/evaluate.js';
import { parseOperator } from '../../src/iam/condition-operators.js';
import { parseJsonValue } from '../../src/model/json-value.js';
import { policyDocumentFromValue } from '../../src/model/policy-document.js';
import { createPositionMapper } from '../../src/model/range.js';
import type { PolicyDocument } from '../../src/model/types.js';

function scp(...statements: object[]): PolicyDocument {
  const text = JSON.stringify({ Version: '2012-10-17', Statement: statements });
  const { value } = parseJsonValue(text, createPositionMapper('scp.json', text));
  return policyDocumentFromValue(value!)!;
}

const FUNCTION = 'arn:aws:lambda:us-east-1:111122223333:function:victim';
const addPermission = (keys: RequestContext['keys'] = {}): RequestContext => ({ action: 'lambda:AddPermission', resource: FUNCTION, keys });
const deny = (condition?: object, extra: object = {}) => ({ Effect: 'Deny', Action: 'lambda:AddPermission', Resource: '*', ...(condition ? { Condition: condition } : {}), ...extra });

describe('Deny evaluator: Action, Resource and their Not forms', () => {
  it('matches actions case-insensitively with wildcards, and NotAction as its complement', () => {
    expect(documentDenies(scp({ Effect: 'Deny', Action: 'LAMBDA:addperm*', Resource: '*' }), addPermission())).toBe('denied');
    expect(documentDenies(scp({ Effect: 'Deny', Action: 'lambda:Invoke*', Resource: '*' }), addPermission())).toBe('not-denied');
    expect(documentDenies(scp({ Effect: 'Deny', NotAction: 'lambda:AddPermission', Resource: '*' }), addPermission())).toBe('not-denied');
    expect(documentDenies(scp({ Effect: 'Deny', NotAction: ['iam:*', 'sts:*'], Resource: '*' }), addPermission())).toBe('denied');
  });

  it('ignores Allow statements: only an explicit Deny is a guardrail', () => {
    expect(documentDenies(scp({ Effect: 'Allow', Action: '*', Resource: '*' }), addPermission())).toBe('not-denied');
  });

  it('matches Resource case-sensitively; the slash form of a function ARN never matches (function:name)', () => {
    expect(documentDenies(scp(deny(undefined, { Resource: 'arn:aws:lambda:*:*:function:*' })), addPermission())).toBe('denied');
    expect(documentDenies(scp(deny(undefined, { Resource: 'arn:aws:lambda:*:*:function/*' })), addPermission())).toBe('not-denied');
    expect(documentDenies(scp(deny(undefined, { Resource: 'arn:aws:lambda:*:*:FUNCTION:*' })), addPermission())).toBe('not-denied');
    // A trailing * may run past colons.
    expect(documentDenies(scp(deny(undefined, { Resource: 'arn:aws:lambda:*' })), addPermission())).toBe('denied');
    expect(documentDenies(scp(deny(undefined, { Resource: undefined, NotResource: 'arn:aws:lambda:*:*:function:victim' })), addPermission())).toBe('not-denied');
    expect(documentDenies(scp(deny(undefined, { Resource: undefined, NotResource: 'arn:aws:s3:::*' })), addPermission())).toBe('denied');
  });

  it('a statement with neither Resource nor NotResource is invalid and denies nothing', () => {
    expect(documentDenies(scp({ Effect: 'Deny', Action: '*' }), addPermission())).toBe('not-denied');
  });

  it('is unknown, not guessed, when a value cannot be known', () => {
    expect(documentDenies(undefined, addPermission())).toBe('unknown');
  });
});

describe('condition operators', () => {
  const principalStar = addPermission({ 'lambda:Principal': '*' });
  const outside = addPermission({ 'lambda:Principal': '444455556666' });

  it('StringEquals is exact and case-sensitive; StringEqualsIgnoreCase is not', () => {
    expect(documentDenies(scp(deny({ StringEquals: { 'lambda:Principal': '*' } })), principalStar)).toBe('denied');
    expect(documentDenies(scp(deny({ StringEquals: { 'lambda:FunctionUrlAuthType': 'none' } })), addPermission({ 'lambda:FunctionUrlAuthType': 'NONE' }))).toBe('not-denied');
    expect(documentDenies(scp(deny({ StringEqualsIgnoreCase: { 'lambda:FunctionUrlAuthType': 'none' } })), addPermission({ 'lambda:FunctionUrlAuthType': 'NONE' }))).toBe('denied');
  });

  it('condition key names are case-insensitive', () => {
    expect(documentDenies(scp(deny({ StringEquals: { 'LAMBDA:PRINCIPAL': '*' } })), principalStar)).toBe('denied');
  });

  it('StringLike treats * in the policy as a wildcard; StringEquals does not', () => {
    expect(documentDenies(scp(deny({ StringEquals: { 'lambda:Principal': '*' } })), outside)).toBe('not-denied');
    expect(documentDenies(scp(deny({ StringLike: { 'lambda:Principal': '*' } })), outside)).toBe('denied');
  });

  it('negated operators hold when no policy value matches (values are ORed, then negated)', () => {
    const allowList = deny({ StringNotLike: { 'lambda:Principal': ['111122223333', 'arn:aws:iam::111122223333:*', '*.amazonaws.com'] } });
    expect(documentDenies(scp(allowList), outside)).toBe('denied');
    expect(documentDenies(scp(allowList), addPermission({ 'lambda:Principal': 's3.amazonaws.com' }))).toBe('not-denied');
    expect(documentDenies(scp(allowList), addPermission({ 'lambda:Principal': '111122223333' }))).toBe('not-denied');
  });

  it('a missing key: positive operators are false, negated ones true (IAM docs), IfExists true, Null true', () => {
    const none = addPermission();
    expect(documentDenies(scp(deny({ StringEquals: { 'aws:SourceVpc': 'vpc-1' } })), none)).toBe('not-denied');
    expect(documentDenies(scp(deny({ StringNotEquals: { 'aws:SourceVpc': 'vpc-1' } })), none)).toBe('denied');
    expect(documentDenies(scp(deny({ ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/admin' } })), none)).toBe('denied');
    expect(documentDenies(scp(deny({ StringEqualsIfExists: { 'aws:SourceVpc': 'vpc-1' } })), none)).toBe('denied');
    expect(documentDenies(scp(deny({ Bool: { 'aws:ViaAWSService': 'false' } })), none)).toBe('not-denied');
    expect(documentDenies(scp(deny({ BoolIfExists: { 'aws:ViaAWSService': 'false' } })), none)).toBe('denied');
    expect(documentDenies(scp(deny({ Null: { 'lambda:SourceFunctionArn': 'true' } })), none)).toBe('denied');
    expect(documentDenies(scp(deny({ Null: { 'lambda:SourceFunctionArn': 'false' } })), none)).toBe('not-denied');
  });

  it('IfExists checks a present key like the plain operator', () => {
    const request = addPermission({ 'aws:SourceVpc': 'vpc-1' });
    expect(documentDenies(scp(deny({ StringNotEqualsIfExists: { 'aws:SourceVpc': 'vpc-1' } })), request)).toBe('not-denied');
    expect(documentDenies(scp(deny({ StringNotEqualsIfExists: { 'aws:SourceVpc': 'vpc-2' } })), request)).toBe('denied');
    expect(documentDenies(scp(deny({ Null: { 'aws:SourceVpc': 'false' } })), request)).toBe('denied');
  });

  it('Bool compares true/false case-insensitively', () => {
    expect(documentDenies(scp(deny({ Bool: { 'aws:ViaAWSService': 'False' } })), addPermission({ 'aws:ViaAWSService': 'false' }))).toBe('denied');
    expect(documentDenies(scp(deny({ Bool: { 'aws:ViaAWSService': 'true' } })), addPermission({ 'aws:ViaAWSService': 'false' }))).toBe('not-denied');
  });

  it('IpAddress / NotIpAddress test CIDR membership, IPv4 and IPv6', () => {
    const from = (ip: string) => addPermission({ 'aws:SourceIp': ip });
    const corporate = deny({ NotIpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '2001:db8::/32'] } });
    expect(documentDenies(scp(corporate), from('10.1.2.3'))).toBe('not-denied');
    expect(documentDenies(scp(corporate), from('2001:db8::1'))).toBe('not-denied');
    expect(documentDenies(scp(corporate), from('203.0.113.7'))).toBe('denied');
    expect(documentDenies(scp(deny({ IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } })), from('203.0.113.7'))).toBe('denied');
    expect(documentDenies(scp(deny({ IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } })), from('198.51.100.1'))).toBe('not-denied');
    expect(documentDenies(scp(deny({ NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } })), addPermission())).toBe('denied');
  });

  it('Arn operators compare the six components separately', () => {
    const request = addPermission({ 'lambda:SourceFunctionArn': FUNCTION });
    expect(documentDenies(scp(deny({ ArnLike: { 'lambda:SourceFunctionArn': 'arn:aws:lambda:*:*:function:*' } })), request)).toBe('denied');
    expect(documentDenies(scp(deny({ ArnLike: { 'lambda:SourceFunctionArn': 'arn:aws:lambda:*:*:function/*' } })), request)).toBe('not-denied');
    expect(documentDenies(scp(deny({ ArnNotEquals: { 'lambda:SourceFunctionArn': FUNCTION } })), request)).toBe('not-denied');
    expect(arnMatches('arn:aws:lambda:us-*:111122223333:function:vic?im', FUNCTION)).toBe(true);
    // A component wildcard does not reach into the next component.
    expect(arnMatches('arn:aws:lambda:us-east-1:*', FUNCTION)).toBe(false);
  });

  it('ForAnyValue / ForAllValues over multivalued keys, and with the key missing', () => {
    const tags = (t?: string[]) => addPermission(t ? { 'aws:TagKeys': t } : {});
    const any = deny({ 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['owner'] } });
    const all = deny({ 'ForAllValues:StringEquals': { 'aws:TagKeys': ['owner', 'team'] } });
    expect(documentDenies(scp(any), tags(['cost', 'owner']))).toBe('denied');
    expect(documentDenies(scp(any), tags(['cost']))).toBe('not-denied');
    expect(documentDenies(scp(any), tags())).toBe('not-denied');
    expect(documentDenies(scp(all), tags(['owner', 'team']))).toBe('denied');
    expect(documentDenies(scp(all), tags(['owner', 'cost']))).toBe('not-denied');
    expect(documentDenies(scp(all), tags())).toBe('denied');
    expect(documentDenies(scp(deny({ 'ForAllValues:StringNotEquals': { 'aws:TagKeys': ['secret'] } })), tags(['a', 'b']))).toBe('denied');
    expect(documentDenies(scp(deny({ 'ForAnyValue:StringNotEquals': { 'aws:TagKeys': ['a'] } })), tags(['a']))).toBe('not-denied');
  });

  it('ANDs operators and keys in a block', () => {
    const both = deny({ StringEquals: { 'lambda:Principal': '*' }, Bool: { 'aws:ViaAWSService': 'false' } });
    expect(documentDenies(scp(both), addPermission({ 'lambda:Principal': '*', 'aws:ViaAWSService': 'false' }))).toBe('denied');
    expect(documentDenies(scp(both), addPermission({ 'lambda:Principal': '*', 'aws:ViaAWSService': 'true' }))).toBe('not-denied');
  });

  it('operators it does not evaluate (Numeric, Date) are unknown rather than guessed; unknown operators too', () => {
    expect(documentDenies(scp(deny({ NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' } })), addPermission())).toBe('unknown');
    expect(documentDenies(scp(deny({ StringEqualz: { 'lambda:Principal': '*' } })), principalStar)).toBe('unknown');
    // Still denied by another statement that does match.
    expect(documentDenies(scp(deny({ StringEqualz: { 'lambda:Principal': '*' } }), deny()), principalStar)).toBe('denied');
  });

  it('parses operator names with set qualifiers and IfExists', () => {
    expect(parseOperator('ForAnyValue:StringLikeIfExists')).toEqual({ qualifier: 'ForAnyValue', base: 'StringLike', ifExists: true });
    expect(parseOperator('NullIfExists')).toBeUndefined();
    expect(parseOperator('StringEqualz')).toBeUndefined();
    expect(parseOperator('Bool')).toEqual({ base: 'Bool', ifExists: false });
  });

  it('cidrContains refuses what is not an address (placeholders match nothing)', () => {
    expect(cidrContains('<CORPORATE_CIDR>', '10.0.0.1')).toBe(false);
    expect(cidrContains('10.0.0.1', '10.0.0.1')).toBe(true);
    expect(cidrContains('10.0.0.0/33', '10.0.0.1')).toBe(false);
  });
});
