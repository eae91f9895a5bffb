import { describe, expect, it } from '@jest/globals';
import { lambdaFunctionName } from '../../src/iam/arn.js';
import { classifyPrincipal } from '../../src/iam/principal.js';
import { lambdaServiceOf, servicePrincipalOf } from '../../src/iam/service-principal.js';
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

describe('templated service principals', () => {
  it('reads a service whose partition or region is left open as that service', () => {
    expect(classifyPrincipal(sub('s3.', { ref: 'AWS::URLSuffix' }))).toEqual({ kind: 'service', service: 's3.amazonaws.com', written: 's3.${AWS::URLSuffix}' });
    expect(classifyPrincipal(sub('logs.', { ref: 'AWS::Region' }, '.amazonaws.com'))).toEqual({ kind: 'service', service: 'logs.${AWS::Region}.amazonaws.com', written: 'logs.${AWS::Region}.amazonaws.com' });
    expect(classifyPrincipal(sub('states.', { ref: 'AWS::Region' }, '.', { ref: 'AWS::URLSuffix' })).kind).toBe('service');
  });

  it('does not read a service where the name itself is open, or the text is a URL or an ARN', () => {
    expect(classifyPrincipal(sub({ ref: 'var.service' }, '.amazonaws.com')).kind).toBe('unknown');
    expect(classifyPrincipal(sub('123456789012.', { ref: 'var.suffix' })).kind).toBe('unknown');
    expect(classifyPrincipal(sub('execute-api.', { ref: 'AWS::Region' }, '.amazonaws.com/prod')).kind).toBe('unknown');
    expect(classifyPrincipal(sub('arn:', { ref: 'AWS::Partition' }, ':iam::', { ref: 'AWS::AccountId' }, ':root')).kind).toBe('arn');
  });

  it('names Lambda and Lambda@Edge in any partition, and nothing else', () => {
    expect(lambdaServiceOf(text('lambda.amazonaws.com'))).toBe('lambda');
    expect(lambdaServiceOf(text(' lambda.amazonaws.com.cn '))).toBe('lambda');
    expect(lambdaServiceOf(text('edgelambda.amazonaws.com'))).toBe('edgelambda');
    expect(lambdaServiceOf(sub('lambda.', { ref: 'AWS::URLSuffix' }))).toBe('lambda');
    expect(lambdaServiceOf(sub('lambda.', { ref: 'data.aws_partition.current.dns_suffix' }))).toBe('lambda');
    expect(lambdaServiceOf(sub('edgelambda.', { ref: 'AWS::URLSuffix' }))).toBe('edgelambda');
    // Lambda's principal is global: a regional spelling is not it.
    expect(lambdaServiceOf(sub('lambda.', { ref: 'AWS::Region' }, '.amazonaws.com'))).toBeUndefined();
    expect(lambdaServiceOf(text('lambda.amazonaws.com.evil.example'))).toBeUndefined();
    expect(lambdaServiceOf(sub('lambda.', { ref: 'AWS::URLSuffix' }, '.evil.example'))).toBeUndefined();
    expect(servicePrincipalOf(text('ec2.amazonaws.com'))).toEqual({ service: 'ec2.amazonaws.com' });
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
