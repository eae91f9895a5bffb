import { describe, expect, it } from '@jest/globals';
import { lambdaFunctionName } from '../../src/iam/arn.js';
import { classifyPrincipal } from '../../src/iam/principal.js';
import type { Range } from '../../src/model/range.js';
import type { Value } from '../../src/model/value.js';

const range: Range = { file: 't.yaml', line: 1, column: 1, endLine: 1, endColumn: 2 };
const text = (value: string): Value => ({ kind: 'string', value, range });
/** `!Sub` text with pseudo parameters: known pieces and symbolic `${…}` holes. */
const sub = (...parts: Array<string | { ref: string }>): Value => ({
  kind: 'template',
  range,
  parts: parts.map((p) => (typeof p === 'string' ? p : { kind: 'unknown', range, ref: p.ref })),
});

describe('classifyPrincipal', () => {
  it('reads the account of a root ARN whether written out or built with pseudo parameters', () => {
    expect(classifyPrincipal(text('arn:aws:iam::111122223333:root'))).toEqual({ kind: 'account', account: '111122223333' });
    expect(classifyPrincipal(sub('arn:', { ref: 'AWS::Partition' }, ':iam::111122223333:root'))).toEqual({ kind: 'account', account: '111122223333' });
  });

  it('keeps other templates as ARNs or unknown, never guessing an account', () => {
    expect(classifyPrincipal(sub('arn:', { ref: 'AWS::Partition' }, ':iam::', { ref: 'AWS::AccountId' }, ':root')).kind).toBe('arn');
    expect(classifyPrincipal(sub('arn:', { ref: 'AWS::Partition' }, ':iam::111122223333:role/caller'))).toEqual({ kind: 'arn', arn: 'arn:${AWS::Partition}:iam::111122223333:role/caller' });
    expect(classifyPrincipal(sub({ ref: 'var.principal' })).kind).toBe('unknown');
  });

  it('classifies the literal forms', () => {
    expect(classifyPrincipal(text('*'))).toEqual({ kind: 'public' });
    expect(classifyPrincipal(text('s3.amazonaws.com'))).toEqual({ kind: 'service', service: 's3.amazonaws.com' });
    expect(classifyPrincipal(text('111122223333'))).toEqual({ kind: 'account', account: '111122223333' });
  });
});

describe('lambdaFunctionName', () => {
  it('reads the function name from every FunctionName form the Lambda API accepts', () => {
    expect(lambdaFunctionName('orders')).toBe('orders');
    expect(lambdaFunctionName('orders:prod')).toBe('orders');
    expect(lambdaFunctionName('123456789012:function:orders')).toBe('orders');
    expect(lambdaFunctionName('arn:aws:lambda:us-east-1:123456789012:function:orders')).toBe('orders');
    expect(lambdaFunctionName('arn:aws:lambda:us-east-1:123456789012:function:orders-*:live')).toBe('orders-*');
    expect(lambdaFunctionName('arn:aws:lambda:us-east-1:123456789012:layer:deps:1')).toBeUndefined();
  });
});
