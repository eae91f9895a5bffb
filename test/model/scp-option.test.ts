import { describe, expect, it } from '@jest/globals';
import { scan } from '../../src/scan.js';
import { REPO_ROOT } from '../helpers/scan.js';

const FILE = 'test/fixtures/scp-elsewhere/full-access.json';

describe('--scp', () => {
  it('reads a policy file outside an scp/ folder as an identity policy by default', async () => {
    const { findings } = await scan({ paths: [FILE], cwd: REPO_ROOT });
    expect(findings.map((f) => f.ruleId)).toContain('IG201');
  });

  it('reads the same file as an SCP when given with --scp: an SCP grants nothing, so no identity rule fires', async () => {
    const { findings } = await scan({ paths: [], scpPaths: ['test/fixtures/scp-elsewhere'], cwd: REPO_ROOT });
    expect(findings).toEqual([]);
  });
});
