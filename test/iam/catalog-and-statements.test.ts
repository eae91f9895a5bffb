import { describe, expect, it } from '@jest/globals';
import { loadActionCatalog } from '../../src/iam/action-catalog.js';
import { coversAction, coversAllFunctions, everyFunction, grantsOnAllFunctions, LAYER_PROBES } from '../../src/iam/statement.js';
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
    for (const resource of ['arn:aws:lambda:*:*:function:?*', 'arn:aws:lambda:*:123456789012:function:*', 'arn:aws:lambda:us-east-1:123456789012:function:*', 'arn:aws:lambda:eu-west-1:*:function:*', 'arn:aws-cn:lambda:cn-north-1:123456789012:*', 'arn:aws:lambda:us-east-1:*'])
      expect([resource, coversAllFunctions(statement({ resource }))]).toEqual([resource, true]);
    // The name still decides: a prefix, or a malformed ARN (no region for a function), is not every function.
    for (const resource of ['arn:aws:lambda:us-east-1:123456789012:function:orders-*', 'arn:aws:lambda::123456789012:function:*', 'arn:aws:s3:::bucket/*', 'arn:aws:lambda:us-east-1:123456789012', 'arn:*:lambda:us-east-1:123456789012', 'arn:aws:lambda:*:*:function:*-*', 'arn:aws:lambda:us-east-1:123456789012:function:*a*', 'arn:aws:lambda:*:*:function:?*-?*'])
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

  it('counts every version and alias of every function as a grant on them, for the actions that take a qualifier only', () => {
    const grant = (resource: string | string[], action = 'lambda:InvokeFunction') => {
      const [found] = grantsOnAllFunctions([doc(statement({ action: 'lambda:*', resource }))], action);
      return found ? everyFunction(found) : 'none';
    };
    const versions = 'every version and alias of every function';
    for (const [resource, expected] of [
      ['arn:aws:lambda:*:*:function:*:*', versions],
      ['arn:aws:lambda:us-east-1:123456789012:function:*:*', versions],
      ['arn:aws:lambda:*:123456789012:function:*:?*', versions],
      ['*', 'every function'],
      ['arn:aws:lambda:*:*:function:*', 'every function'],
      // A whole entry wins over one of versions and aliases.
      [['arn:aws:lambda:*:*:function:*:*', '*'], 'every function'],
      // One function's versions, one alias or version of every function, or a malformed ARN: not every function.
      ['arn:aws:lambda:*:*:function:orders:*', 'none'],
      ['arn:aws:lambda:*:*:function:*:prod', 'none'],
      ['arn:aws:lambda:*:*:function:*:1*', 'none'],
      ['arn:aws:lambda::123456789012:function:*:*', 'none'],
    ] as const)
      expect([resource, grant([...[resource].flat()])]).toEqual([resource, expected]);
    for (const action of ['lambda:InvokeFunctionUrl', 'lambda:AddPermission', 'lambda:CreateFunctionUrlConfig', 'lambda:UpdateFunctionUrlConfig'])
      expect([action, grant('arn:aws:lambda:*:*:function:*:*', action)]).toEqual([action, versions]);
    // These act on the function itself: a published version is immutable, and no function is created by version.
    for (const action of ['lambda:UpdateFunctionCode', 'lambda:CreateFunction']) expect([action, grant('arn:aws:lambda:*:*:function:*:*', action)]).toEqual([action, 'none']);
    expect(grantsOnAllFunctions([doc(statement({ action: 'lambda:*', resource: 'arn:aws:lambda:*:*:function:*:*' }))], 'lambda:AddLayerVersionPermission', LAYER_PROBES)).toEqual([]);
    // The unqualified meaning of "every function" is unchanged.
    expect(coversAllFunctions(statement({ resource: 'arn:aws:lambda:*:*:function:*:*' }))).toBe(false);
  });

  it('keeps the Deny side strict: a Deny of every version and alias removes only a grant on no more than them', () => {
    const invoke = (...statements: Statement[]) => grantsOnAllFunctions([doc(...statements)], 'lambda:InvokeFunction').map((g) => g.qualifiedOnly ?? false);
    const allow = (resource: string) => statement({ action: 'lambda:InvokeFunction', resource });
    const deny = (resource: string) => statement({ effect: 'Deny', action: 'lambda:*', resource });
    // The unqualified ARNs stay allowed.
    expect(invoke(allow('*'), deny('arn:aws:lambda:*:*:function:*:*'))).toEqual([false]);
    expect(invoke(allow('arn:aws:lambda:*:*:function:*'), deny('arn:aws:lambda:*:*:function:*:*'))).toEqual([false]);
    expect(invoke(allow('arn:aws:lambda:*:*:function:*:*'), deny('arn:aws:lambda:*:*:function:*:*'))).toEqual([]);
    expect(invoke(allow('arn:aws:lambda:*:*:function:*:*'), deny('*'))).toEqual([]);
    expect(invoke(allow('arn:aws:lambda:*:*:function:*:*'), deny('arn:aws:lambda:*:*:function:*'))).toEqual([]);
    // One account's versions, or one alias everywhere, leave the rest standing.
    expect(invoke(allow('arn:aws:lambda:*:*:function:*:*'), deny('arn:aws:lambda:*:111122223333:function:*:*'))).toEqual([true]);
    expect(invoke(allow('arn:aws:lambda:*:*:function:*:*'), deny('arn:aws:lambda:*:*:function:*:prod'))).toEqual([true]);
    expect(invoke(allow('arn:aws:lambda:us-east-1:111122223333:function:*:*'), deny('arn:aws:lambda:*:111122223333:function:*:*'))).toEqual([]);
  });

  it('leaves NotResource as it was, and lets NotAction reach every version and alias', () => {
    // NotResource of every version and alias leaves the unqualified ARNs: every function, as before.
    const notResource = grantsOnAllFunctions([doc(statement({ action: 'lambda:InvokeFunction', notResource: 'arn:aws:lambda:*:*:function:*:*' }))], 'lambda:InvokeFunction');
    expect(notResource.map((g) => [g.via, g.qualifiedOnly])).toEqual([['not-resource', undefined]]);
    expect(grantsOnAllFunctions([doc(statement({ action: 'lambda:InvokeFunction', notResource: 'arn:aws:lambda:*:*:function:*' }))], 'lambda:InvokeFunction')).toEqual([]);
    const notAction = grantsOnAllFunctions([doc(statement({ notAction: 'iam:*', resource: 'arn:aws:lambda:*:*:function:*:*' }))], 'lambda:InvokeFunction');
    expect(notAction.map((g) => [g.via, g.qualifiedOnly])).toEqual([['not-action', true]]);
  });
});
