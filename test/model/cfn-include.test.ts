import { describe, expect, it } from '@jest/globals';
import { scanPaths } from '../helpers/scan.js';

describe('CloudFormation AWS::Include', () => {
  it('is not read, and a notice says so at each include (among the resources and as a property)', async () => {
    const { notices } = await scanPaths('test/fixtures/cfn-include/template.yaml');
    expect(notices.map((n) => n.message)).toEqual([
      'AWS::Include of ./snippets/perm.yaml (test/fixtures/cfn-include/template.yaml:11) is not read: what it adds is not analysed',
      'AWS::Include of ./snippets/auth.yaml (test/fixtures/cfn-include/template.yaml:19) is not read: what it adds is not analysed',
    ]);
  });
});
