import { describe, expect, it } from '@jest/globals';
import { scan } from '../../src/scan.js';
import { REPO_ROOT } from '../helpers/scan.js';

const FILE = 'test/fixtures/scp-elsewhere/full-access.json';

describe('--scp', () => {
  it('reads a policy file outside an scp/ folder as an identity policy by default', async () => {
    const { findings } = await scan({ paths: [FILE], cwd: REPO_ROOT });
    expect(findings.map((f) => f.ruleId)).toContain('IG201');
  });

  it('reads the same file as an SCP when given with --scp: an SCP grants nothing, so no identity rule fires; the guardrail rules read it', async () => {
    const { findings } = await scan({ paths: [], scpPaths: ['test/fixtures/scp-elsewhere'], cwd: REPO_ROOT });
    expect(findings.filter((f) => !/^IG4/.test(f.ruleId))).toEqual([]);
    // It is now an SCP the guardrail rules judge: "Allow *" stops no attack.
    expect(findings.map((f) => f.ruleId)).toEqual(expect.arrayContaining(['IG401', 'IG402', 'IG403', 'IG405']));
  });
});
