import { describe, expect, it } from '@jest/globals';
import { triples } from '../helpers/scan.js';

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
});
