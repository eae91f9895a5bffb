import { describe, expect, it } from '@jest/globals';
import { documentDenies, type RequestContext } from '../../src/guardrails/evaluate.js';
import { guardrailSpec } from '../../src/guardrails/scenarios.js';
import { parseJsonValue } from '../../src/model/json-value.js';
import { policyDocumentFromValue } from '../../src/model/policy-document.js';
import { createPositionMapper } from '../../src/model/range.js';
import type { PolicyDocument } from '../../src/model/types.js';

/**
 * The attacked function is any function of any account the SCPs reach, in any region: the region
 * is the request's aws:RequestedRegion too, drawn once for both.
 */

function scp(...statements: object[]): PolicyDocument {
  const text = JSON.stringify({ Version: '2012-10-17', Statement: statements });
  return policyDocumentFromValue(parseJsonValue(text, createPositionMapper('scp.json', text)).value!)!;
}

const [CREATE_URL] = guardrailSpec('IG401').scenarios;
const [STOLEN_TOKEN] = guardrailSpec('IG403').scenarios;
const URL_ACTIONS = ['lambda:CreateFunctionUrlConfig', 'lambda:UpdateFunctionUrlConfig'];
const urlDeny = (extra: object) => ({ Effect: 'Deny', Action: URL_ACTIONS, Condition: { StringEquals: { 'lambda:FunctionUrlAuthType': 'NONE' } }, ...extra });
const perimeter = (condition: object) => ({ Effect: 'Deny', Action: '*', Resource: '*', Condition: { ...condition, NotIpAddressIfExists: { 'aws:SourceIp': ['10.0.0.0/8'] }, BoolIfExists: { 'aws:ViaAWSService': 'false' } } });
const inAccount = (request: RequestContext, account: string): RequestContext => ({ ...request, targetAccount: account });

describe('the attacked function: region', () => {
  it('a Deny on one region\'s functions does not count; on every region it does', () => {
    expect(documentDenies(scp(urlDeny({ Resource: 'arn:aws:lambda:us-east-1:*:function:*' })), CREATE_URL)).toBe('not-denied');
    expect(documentDenies(scp(urlDeny({ Resource: 'arn:aws:lambda:*:*:function:*' })), CREATE_URL)).toBe('denied');
    expect(documentDenies(scp(urlDeny({ Resource: '*' })), CREATE_URL)).toBe('denied');
    // us-east-1 by Resource, the rest by NotResource: every region together.
    expect(documentDenies(scp(urlDeny({ Resource: 'arn:aws:lambda:us-east-1:*:function:*' }), urlDeny({ NotResource: 'arn:aws:lambda:us-east-1:*:function:*' })), CREATE_URL)).toBe('denied');
  });

  it('the function\'s region is the requested region: a Deny on eu-west-1\'s functions and one outside eu-west-1 cover every request', () => {
    const euFunctions = urlDeny({ Resource: 'arn:aws:lambda:eu-west-1:*:function:*' });
    const outsideEu = { Effect: 'Deny', Action: URL_ACTIONS, Resource: '*', Condition: { StringNotEquals: { 'aws:RequestedRegion': 'eu-west-1' } } };
    expect(documentDenies(scp(euFunctions, outsideEu), CREATE_URL)).toBe('denied');
    expect(documentDenies(scp(euFunctions), CREATE_URL)).toBe('not-denied');
  });

  it('IG403: lambda:SourceFunctionArn holds the function\'s region', () => {
    expect(documentDenies(scp(perimeter({ ArnLike: { 'lambda:SourceFunctionArn': 'arn:aws:lambda:us-east-1:*:function:*' } })), STOLEN_TOKEN)).toBe('not-denied');
    expect(documentDenies(scp(perimeter({ ArnLike: { 'lambda:SourceFunctionArn': 'arn:aws:lambda:*:*:function:*' } })), STOLEN_TOKEN)).toBe('denied');
  });
});

describe('the attacked function: account', () => {
  const accountOnly = perimeter({ StringLike: { 'lambda:SourceFunctionArn': 'arn:aws:lambda:*:111122223333:function:*' } });

  it('at a root or OU, any account: one the policy does not name gets through', () => {
    expect(documentDenies(scp(accountOnly), STOLEN_TOKEN)).toBe('not-denied');
    expect(documentDenies(scp(urlDeny({ Resource: 'arn:aws:lambda:*:111122223333:function:*' })), CREATE_URL)).toBe('not-denied');
  });

  it('on a known account, that account only', () => {
    expect(documentDenies(scp(accountOnly), inAccount(STOLEN_TOKEN, '111122223333'))).toBe('denied');
    expect(documentDenies(scp(accountOnly), inAccount(STOLEN_TOKEN, '444455556666'))).toBe('not-denied');
  });

  it('an exempted account the policy names is tried too', () => {
    const allButOne = urlDeny({ NotResource: 'arn:aws:lambda:*:111122223333:function:*' });
    expect(documentDenies(scp(allButOne), CREATE_URL)).toBe('not-denied');
    expect(documentDenies(scp(allButOne), inAccount(CREATE_URL, '444455556666'))).toBe('denied');
  });

  it('patterns over part of an account id: one id per way they match together', () => {
    // The unnamed account tried first (444455556666) is inside 4444*; another id is not.
    expect(documentDenies(scp(urlDeny({ Resource: 'arn:aws:lambda:*:4444*:function:*' })), CREATE_URL)).toBe('not-denied');
    expect(documentDenies(scp(urlDeny({ Resource: 'arn:aws:lambda:*:4444*:function:*' }), urlDeny({ NotResource: 'arn:aws:lambda:*:4444*:function:*' })), CREATE_URL)).toBe('denied');
    expect(documentDenies(scp(urlDeny({ Resource: 'arn:aws:lambda:*:4444*:function:*' }), urlDeny({ Resource: 'arn:aws:lambda:*:*5:function:*' })), CREATE_URL)).toBe('not-denied');
  });
});

describe('the attacked function: name', () => {
  it('a Deny sparing names of a pattern lets a function so named through', () => {
    expect(documentDenies(scp(perimeter({ ArnNotLike: { 'lambda:SourceFunctionArn': 'arn:aws:lambda:*:*:function:trusted-*' } })), STOLEN_TOKEN)).toBe('not-denied');
    expect(documentDenies(scp(urlDeny({ Resource: 'arn:aws:lambda:*:*:function:prod-*' })), CREATE_URL)).toBe('not-denied');
    // Two patterns that together cover every name.
    expect(documentDenies(scp(urlDeny({ Resource: 'arn:aws:lambda:*:*:function:prod-*' }), urlDeny({ NotResource: 'arn:aws:lambda:*:*:function:prod-*' })), CREATE_URL)).toBe('denied');
  });

  it('names written out: each is tried, and one none of them is', () => {
    const names = Array.from({ length: 120 }, (_, i) => `arn:aws:lambda:*:*:function:app-${i}`);
    expect(documentDenies(scp(urlDeny({ Resource: '*' }), urlDeny({ Resource: names })), CREATE_URL)).toBe('denied');
    expect(documentDenies(scp(urlDeny({ NotResource: names })), CREATE_URL)).toBe('not-denied');
    expect(documentDenies(scp(urlDeny({ Resource: names })), CREATE_URL)).toBe('not-denied');
    expect(documentDenies(scp(urlDeny({ Resource: names }), urlDeny({ NotResource: names })), CREATE_URL)).toBe('denied');
    expect(documentDenies(scp(urlDeny({ Resource: ['arn:aws:lambda:*:*:function:victim'] }), urlDeny({ NotResource: 'arn:aws:lambda:*:*:function:victim' })), CREATE_URL)).toBe('denied');
  });

  it('a wildcard that may run over the name from an earlier component is not read by component: unknown', () => {
    expect(documentDenies(scp(urlDeny({ Resource: '*' }), urlDeny({ NotResource: 'arn:aws:lambda:*:function:trusted-*' })), CREATE_URL)).toBe('unknown');
  });
});
