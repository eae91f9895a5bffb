import { describe, expect, it } from '@jest/globals';
import { triples } from '../helpers/scan.js';
import { tempTree } from '../helpers/temp-tree.js';

/** A parameter with `allowed` AllowedValues ("*" last), read as the Principal of `permissions` permissions. */
function manyAllowed(allowed: number, permissions: number): string {
  const values = Array.from({ length: allowed - 1 }, (_, i) => `"11112222${String(i).padStart(4, '0')}"`);
  const resources = Array.from(
    { length: permissions },
    (_, i) => `  P${i}:\n    Type: AWS::Lambda::Permission\n    Properties: { Action: lambda:InvokeFunction, FunctionName: orders, Principal: !Ref Caller }\n`,
  );
  return `AWSTemplateFormatVersion: "2010-09-09"\nParameters:\n  Caller:\n    Type: String\n    AllowedValues: [${[...values, '"*"'].join(', ')}]\nResources:\n${resources.join('')}`;
}

describe('CloudFormation values decided at deploy time are explored like Fn::If branches', () => {
  it('a mapping entry for an unknown key, an allowed value (with or without a default), an unknown condition: IG101 at the Principal line', async () => {
    expect(await triples('test/fixtures/cfn-choices/fail.cfn.yaml')).toEqual([
      // !FindInMap [RegionMap, !Ref AWS::Region, Caller]: eu-west-1 gives "*".
      ['IG101', 'ByRegion', 28],
      // !FindInMap [Callers, prod, !Ref AWS::StackName]: Reports gives "*".
      ['IG101', 'BySecondKey', 34],
      ['IG101', 'AllowedOnly', 40],
      // The default is an account, but the deployer may pass the other allowed value, "*".
      ['IG101', 'AllowedBesideDefault', 46],
      ['IG101', 'OutsideProd', 52],
    ]);
  });

  it('the AllowedValues of an SSM-typed parameter are keys, not values: a condition on its value stays unknown (IG101)', async () => {
    expect(await triples('test/fixtures/cfn-choices/ssm-keys.cfn.yaml')).toEqual([['IG101', 'PublicPermission', 17]]);
  });

  it('a parameter with thousands of AllowedValues read by hundreds of resources is explored only so far, in bounded time', async () => {
    const root = tempTree({ 'small.cfn.yaml': manyAllowed(16, 1), 'large.cfn.yaml': manyAllowed(5000, 400) });
    const started = Date.now();
    const found = await triples(root);
    // Unbounded, every one of the 5,000 values was tried for each of the 400 (minutes, gigabytes).
    expect(Date.now() - started).toBeLessThan(3000);
    // Sixteen alternatives are explored: "*" is seen in the small list, not beyond the bound.
    expect(found).toEqual([['IG101', 'P0', 9]]);
  });

  it('branches and resources whose condition is statically false, and choices that are all pinned, fire nothing', async () => {
    expect(await triples('test/fixtures/cfn-choices/pass.cfn.yaml')).toEqual([]);
  });
});

describe('SAM state machines', () => {
  it('Policies on the role SAM generates are read as a function\'s: IG201 for a policy template, a managed policy name and an inline statement; nothing with Role or a scoped policy', async () => {
    expect(await triples('test/fixtures/sam/state-machine.cfn.yaml')).toEqual([
      // LambdaInvokePolicy with FunctionName "*": every function of this account.
      ['IG201', 'AnyFunction', 15],
      ['IG201', 'ManagedName', 21],
      ['IG201', 'InlineStatement', 29],
    ]);
  });

  it('a PermissionsBoundary written as Fn::If is each of its branches: the branch without one leaves the grant (IG201)', async () => {
    expect(await triples('test/fixtures/sam/state-machine-boundary.cfn.yaml')).toEqual([['IG201', 'Machine', 28]]);
  });
});
