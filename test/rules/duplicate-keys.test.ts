import { describe, expect, it } from '@jest/globals';
import { ruleTriples, triples } from '../helpers/scan.js';

/**
 * The same function URL written in four formats, its AuthType given twice: AWS_IAM, then NONE.
 * CloudFormation deploys the last value (IG104 on it, IG904 at the ignored key); Terraform
 * rejects the file (IG901 at the repeat).
 */
describe('a key given twice, as each deployer treats it', () => {
  it('CloudFormation YAML: IG104 on the value that deploys, IG904 at the one a reviewer reads first', async () => {
    expect(await triples('test/fixtures/duplicate-keys/url.cfn.yaml')).toEqual([
      ['IG904', 'test/fixtures/duplicate-keys/url.cfn.yaml', 7],
      ['IG104', 'Url', 8],
    ]);
  });

  it('CloudFormation JSON: the same', async () => {
    expect(await triples('test/fixtures/duplicate-keys/url.cfn.json')).toEqual([
      ['IG904', 'test/fixtures/duplicate-keys/url.cfn.json', 8],
      ['IG104', 'Url', 9],
    ]);
  });

  it.each(['url.tf', 'url.tf.json'])('Terraform (%s): IG901 at the redefined argument, no IG904', async (name) => {
    const file = `test/fixtures/duplicate-keys/${name}`;
    const found = await triples(file);
    expect(found.filter(([rule]) => rule === 'IG901' || rule === 'IG904')).toEqual([['IG901', file, name === 'url.tf' ? 4 : 7]]);
  });

  it('an IAM policy file: IG904 at the ignored Resource, and the grant read with the last one (every function)', async () => {
    expect(await triples('test/fixtures/IG904/fail.iam.json')).toEqual([
      ['IG201', 'test/fixtures/IG904/fail.iam.json', 7],
      ['IG904', 'test/fixtures/IG904/fail.iam.json', 8],
    ]);
    expect(await ruleTriples('IG904', 'test/fixtures/IG904/pass.iam.json')).toEqual([]);
  });
});
