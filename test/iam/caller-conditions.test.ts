import { describe, expect, it } from '@jest/globals';
import { callerScope } from '../../src/iam/caller-conditions.js';
import type { Condition } from '../../src/model/types.js';
import type { Value } from '../../src/model/value.js';

const at = { file: 'p.json', line: 1, column: 1, endLine: 1, endColumn: 2 };
const s = (v: string): Value => ({ kind: 'string', value: v, range: at });
const condition = (operator: string, key: string, ...values: Value[]): Condition => ({ operator, key, values, range: at });

describe('callerScope', () => {
  it('reads fixed caller-side keys as scoping, case-insensitively', () => {
    expect(callerScope(condition('StringEquals', 'AWS:PrincipalAccount', s('111122223333')))).toBe('account');
    expect(callerScope(condition('ArnLike', 'aws:PrincipalArn', s('arn:aws:iam::111122223333:role/ci-*')))).toBe('account');
    expect(callerScope(condition('StringLike', 'aws:userid', s('AROAEXAMPLEID:*')))).toBe('account');
    expect(callerScope(condition('ForAnyValue:StringLike', 'aws:PrincipalOrgPaths', s('o-a1b2c3d4e5/*')))).toBe('organisation');
    expect(callerScope(condition('StringEquals', 'aws:SourceOrgID', s('o-a1b2c3d4e5')))).toBe('source-organisation');
    expect(callerScope(condition('StringEquals', 'aws:SourceVpce', s('vpce-1a2b3c4d')))).toBe('network');
    expect(callerScope(condition('Bool', 'aws:PrincipalIsAWSService', s('true')))).toBe('aws-service');
    expect(callerScope(condition('Bool', 'aws:PrincipalIsAWSService', { kind: 'bool', value: true, range: at }))).toBe('aws-service');
  });

  it('does not read a wildcard, a policy variable, or one open value among several as scoping', () => {
    expect(callerScope(condition('StringLike', 'aws:PrincipalAccount', s('*')))).toBeUndefined();
    expect(callerScope(condition('ArnLike', 'aws:PrincipalArn', s('arn:aws:iam::*:role/ci')))).toBeUndefined();
    expect(callerScope(condition('StringEquals', 'aws:PrincipalAccount', s('${aws:PrincipalTag/account}')))).toBeUndefined();
    expect(callerScope(condition('StringLike', 'aws:SourceVpce', s('111122223333'), s('vpce-*')))).toBeUndefined();
    expect(callerScope(condition('ForAnyValue:StringLike', 'aws:PrincipalOrgPaths', s('*/ou-ab12-11111111/*')))).toBeUndefined();
    expect(callerScope(condition('Bool', 'aws:PrincipalIsAWSService', s('false')))).toBeUndefined();
  });

  it('does not read operators that let other callers through as scoping', () => {
    expect(callerScope(condition('StringNotEquals', 'aws:PrincipalAccount', s('111122223333')))).toBeUndefined();
    expect(callerScope(condition('StringEqualsIfExists', 'aws:PrincipalAccount', s('111122223333')))).toBeUndefined();
    expect(callerScope(condition('ForAllValues:StringLike', 'aws:PrincipalOrgPaths', s('o-a1b2c3d4e5/*')))).toBeUndefined();
  });

  it('does not read aws:SourceIp or unrelated keys as scoping', () => {
    expect(callerScope(condition('IpAddress', 'aws:SourceIp', s('203.0.113.0/24')))).toBeUndefined();
    expect(callerScope(condition('StringEquals', 'aws:RequestedRegion', s('eu-west-1')))).toBeUndefined();
  });
});
