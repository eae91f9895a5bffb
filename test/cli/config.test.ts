import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { parseConfig } from '../../src/config/config.js';
import { cli } from '../helpers/cli.js';
import { tempCopy } from '../helpers/temp-tree.js';

type Json = { findings: Array<{ ruleId: string; severity: string; file: string }> };

async function withConfig(yaml: string): Promise<string> {
  const dir = await tempCopy('examples/terraform/vulnerable');
  await writeFile(join(dir, '.invokeguard.yml'), yaml);
  return dir;
}

describe('config', () => {
  it('disables a rule and overrides a severity (found in the scan root)', async () => {
    const dir = await withConfig('rules:\n  IG201: off\n  IG101:\n    severity: medium\n');
    const { code, stdout } = await cli('--format', 'json', dir);
    expect(code).toBe(1);
    const { findings } = JSON.parse(stdout) as Json;
    expect(findings.some((f) => f.ruleId === 'IG201')).toBe(false);
    expect(findings.find((f) => f.ruleId === 'IG101')?.severity).toBe('medium');
    expect(findings.find((f) => f.ruleId === 'IG104')?.severity).toBe('high');
  });

  it('an override moves findings below the severity threshold', async () => {
    const dir = await withConfig('rules:\n  IG101: {severity: low}\n  IG102: off\n  IG104: {enabled: false}\n  IG201: off\n  IG202: off\n  IG205: off\n  IG303: off\n');
    const { code, stdout } = await cli('--format', 'json', '--severity-threshold', 'medium', dir);
    expect((JSON.parse(stdout) as Json).findings.map((f) => [f.ruleId, f.severity])).toEqual([['IG101', 'low']]);
    expect(code).toBe(0);
  });

  it('reads --config FILE from anywhere', async () => {
    const dir = await tempCopy('examples/terraform/vulnerable');
    const file = join(dir, 'custom.yml');
    await writeFile(file, 'rules: {IG101: off, IG102: off, IG104: off, IG201: off, IG202: off, IG205: off, IG303: off}\n');
    const { code, stdout } = await cli('--config', file, '--format', 'json', dir);
    expect((JSON.parse(stdout) as Json).findings).toEqual([]);
    expect(code).toBe(0);
  });

  it('excludes and includes files by glob during discovery', async () => {
    const dir = await withConfig('exclude:\n  - ci.tf\n');
    await mkdir(join(dir, 'legacy'));
    await writeFile(join(dir, 'legacy', 'old.tf'), 'resource "aws_lambda_function_url" "u" {\n  function_name = "x"\n  authorization_type = "NONE"\n}\n');
    const files = async () => new Set((JSON.parse((await cli('--format', 'json', dir)).stdout) as Json).findings.map((f) => f.file.split('/').slice(-2).join('/')));
    expect([...(await files())].sort()).toEqual(expect.arrayContaining([expect.stringMatching(/main\.tf$/), 'legacy/old.tf']));
    expect([...(await files())].some((f) => f.endsWith('ci.tf'))).toBe(false);
    await writeFile(join(dir, '.invokeguard.yml'), 'include: ["legacy/**"]\n');
    expect([...(await files())]).toEqual(['legacy/old.tf']);
  });

  it('keeps organisation facts for rules', () => {
    const config = parseConfig("accounts: ['012345678901', 111122223333]\norgId: o-a1b2c3d4e5\ncidrs: [10.0.0.0/8, '2001:db8::/32']\n", 'x.yml');
    expect(config.accounts).toEqual(['012345678901', '111122223333']);
    expect(config.orgId).toBe('o-a1b2c3d4e5');
    expect(config.cidrs).toEqual(['10.0.0.0/8', '2001:db8::/32']);
  });

  it('an empty config file is no config', () => {
    expect(parseConfig('', 'x.yml')).toMatchObject({ rules: {}, accounts: [], include: [], exclude: [] });
  });

  it.each([
    ['an unknown key', 'rules:\n  IG101: off\nacounts: []\n', 3, 'unknown key "acounts"'],
    ['an unknown rule', 'rules:\n  IG101: off\n  IG999: off\n', 3, 'unknown rule "IG999"'],
    ['an unknown rule option', 'rules:\n  IG101:\n    level: low\n', 3, 'unknown key "level" in rule IG101'],
    ['a bad severity', 'rules:\n  IG101:\n    severity: urgent\n', 3, 'severity must be one of'],
    ['a bad account', "accounts:\n  - '1234'\n", 2, '"1234" in "accounts" is not a 12-digit AWS account id'],
    ['a bad orgId', 'orgId: org-1\n', 1, '"orgId" must be an AWS Organizations id'],
    ['a bad cidr', 'cidrs: [10.0.0.0/33]\n', 1, 'is not a CIDR range'],
    ['exclude not a list', 'exclude: "*.tf"\n', 1, '"exclude" must be a list'],
    ['not a mapping', '- rules\n', 1, 'must be a mapping'],
    ['invalid YAML', 'rules:\n  IG101: off\naccounts: [\n', 4, 'invalid YAML'],
    ['a duplicate key', 'orgId: o-a1b2c3d4e5\norgId: o-a1b2c3d4e5\n', 2, 'invalid YAML'],
  ])('rejects %s with file and line, exit 2', async (_label, yaml, line, message) => {
    const dir = await withConfig(yaml);
    const file = join(dir, '.invokeguard.yml');
    const { code, stdout, stderr } = await cli(dir);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(`${file}:${line}: `);
    expect(stderr).toContain(message);
  });

  it('exits 2 naming a missing --config file', async () => {
    const dir = await tempCopy('examples/terraform/vulnerable');
    const { code, stderr } = await cli('--config', join(dir, 'missing.yml'), dir);
    expect(code).toBe(2);
    expect(stderr).toContain(`cannot read config file ${join(dir, 'missing.yml')}`);
  });
});
