import { describe, expect, it } from '@jest/globals';
import { loadActionCatalog } from '../../src/iam/action-catalog.js';
import { coversAction, coversAllFunctions, grantsOnAllFunctions } from '../../src/iam/statement.js';
import { wildcardMatches } from '../../src/iam/wildcard.js';
import type { PolicyDocument, Statement } from '../../src/model/types.js';
import type { Value } from '../../src/model/value.js';

const at = { file: 'p.json', line: 1, column: 1, endLine: 1, endColumn: 2 };
const s = (v: string): Value => ({ kind: 'string', value: v, range: at });
function statement(parts: Partial<Record<'effect' | 'action' | 'notAction' | 'resource' | 'notResource', string | string[]>>): Statement {
  const list = (v: string | string[] | undefined) => (v === undefined ? [] : (Array.isArray(v) ? v : [v]).map(s));
  return {
    range: at,
    effect: s(String(parts.effect ?? 'Allow')),
    action: list(parts.action),
    notAction: list(parts.notAction),
    resource: list(parts.resource),
    notResource: list(parts.notResource),
    principal: [],
    notPrincipal: [],
    condition: [],
  };
}
const doc = (...statements: Statement[]): PolicyDocument => ({ range: at, statements });

describe('action catalog', () => {
  it('expands wildcards against the real Lambda catalog, case-insensitively', async () => {
    const catalog = await loadActionCatalog(['lambda', 'lamda']);
    expect(catalog.expand('lambda:Inv*').sort()).toEqual(['lambda:InvokeAsync', 'lambda:InvokeFunction', 'lambda:InvokeFunctionUrl'].filter((a) => catalog.exists(a)).sort());
    expect(catalog.expand('LAMBDA:invokefunction')).toEqual(['lambda:InvokeFunction']);
    expect(catalog.expand('lambda:*Function*')).toEqual(expect.arrayContaining(['lambda:InvokeFunction', 'lambda:UpdateFunctionCode', 'lambda:CreateFunction']));
    expect(catalog.expand('lambda:*').length).toBeGreaterThan(100);
    expect(catalog.exists('lambda:InvokeFuncton')).toBe(false);
    expect(catalog.serviceExists('lamda')).toBe(false);
    expect(catalog.serviceExists('s3')).toBeUndefined();
  });

  it('looks up names written without wildcards as matching them against the catalog finds them', async () => {
    const catalog = await loadActionCatalog(['lambda', 'iam', 'sts']);
    // Every catalog action, written in other cases: the lookup finds exactly what the glob `name*` finds of the same length.
    for (const name of ['lambda:*', 'iam:*', 'sts:*'].flatMap((p) => catalog.expand(p))) {
      const sameLength = catalog.expand(`${name}*`).filter((n) => n.length === name.length);
      expect(catalog.expand(name.toUpperCase())).toEqual(sameLength);
      expect(catalog.expand(name.toLowerCase())).toEqual(sameLength);
    }
    expect(catalog.expand('lambda:InvokeFuncton')).toEqual([]);
    expect(catalog.expand('s3:GetObject')).toEqual([]); // service not loaded
    // Not ASCII: the Kelvin sign lower-cases to k, but IAM matching (the RegExp's case folding) does not equate them.
    expect(catalog.expand('lambda:Invo\u212AeFunction')).toEqual([]);
  });

  it('matches IAM globs: * any run, ? one character, nothing else special', () => {
    expect(wildcardMatches('lambda:Inv?keFunction', 'lambda:InvokeFunction')).toBe(true);
    expect(wildcardMatches('lambda:Invoke.unction', 'lambda:InvokeFunction')).toBe(false);
    expect(wildcardMatches('arn:aws:lambda:*:*:function:*', 'arn:aws:lambda:us-east-1:1:function:x')).toBe(true);
  });
});

describe('statement semantics', () => {
  it('understands NotAction and NotResource', () => {
    expect(coversAction(statement({ notAction: 'iam:*' }), 'lambda:InvokeFunction')).toBe(true);
    expect(coversAction(statement({ notAction: ['iam:*', 'lambda:Invoke*'] }), 'lambda:InvokeFunction')).toBe(false);
    expect(coversAllFunctions(statement({ notResource: 'arn:aws:lambda:us-east-1:1:function:admin' }))).toBe(true);
    expect(coversAllFunctions(statement({ notResource: '*' }))).toBe(false);
    expect(coversAllFunctions(statement({ resource: 'arn:aws:lambda:us-east-1:123456789012:function:orders-*' }))).toBe(false);
  });

  it('lets an unconditional Deny in the same set remove the grant, and never counts a Deny as a grant', () => {
    const allow = statement({ action: 'lambda:*', resource: '*' });
    expect(grantsOnAllFunctions([doc(allow)], 'lambda:InvokeFunction')).toHaveLength(1);
    expect(grantsOnAllFunctions([doc(allow), doc(statement({ effect: 'Deny', action: 'lambda:InvokeFunction', resource: '*' }))], 'lambda:InvokeFunction')).toEqual([]);
    expect(grantsOnAllFunctions([doc(statement({ effect: 'Deny', action: '*', resource: '*' }))], 'lambda:InvokeFunction')).toEqual([]);
  });

  it('counts every function of one account or region as every function, as one written with ${AWS::AccountId}', () => {
    for (const resource of ['arn:aws:lambda:*:123456789012:function:*', 'arn:aws:lambda:us-east-1:123456789012:function:*', 'arn:aws:lambda:eu-west-1:*:function:*', 'arn:aws-cn:lambda:cn-north-1:123456789012:*'])
      expect([resource, coversAllFunctions(statement({ resource }))]).toEqual([resource, true]);
    // The name still decides: a prefix, or a malformed ARN (no region for a function), is not every function.
    for (const resource of ['arn:aws:lambda:us-east-1:123456789012:function:orders-*', 'arn:aws:lambda::123456789012:function:*', 'arn:aws:s3:::bucket/*'])
      expect([resource, coversAllFunctions(statement({ resource }))]).toEqual([resource, false]);
  });

  it('lets a Deny remove a grant on one account only when it covers that account', () => {
    const inAccount = (account: string, effect = 'Allow') => statement({ effect, action: 'lambda:InvokeFunction', resource: `arn:aws:lambda:*:${account}:function:*` });
    const invoke = (...statements: Statement[]) => grantsOnAllFunctions([doc(...statements)], 'lambda:InvokeFunction');
    expect(invoke(inAccount('111122223333'))).toHaveLength(1);
    expect(invoke(inAccount('111122223333'), inAccount('111122223333', 'Deny'))).toEqual([]);
    expect(invoke(inAccount('111122223333'), statement({ effect: 'Deny', action: 'lambda:*', resource: '*' }))).toEqual([]);
    // Another account's Deny leaves this account's functions open; one account's Deny leaves a grant on every account standing.
    expect(invoke(inAccount('111122223333'), inAccount('444455556666', 'Deny'))).toHaveLength(1);
    expect(invoke(statement({ action: 'lambda:*', resource: '*' }), inAccount('111122223333', 'Deny'))).toHaveLength(1);
  });
});
