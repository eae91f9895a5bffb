import { describe, expect, it } from '@jest/globals';
import { chmodSync, mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { discover } from '../../src/discover/discover.js';
import { scan } from '../../src/scan.js';
import { tempTree } from '../helpers/temp-tree.js';

const PUBLIC = 'resource "aws_lambda_function_url" "u" {\n  authorization_type = "NONE"\n}\n';

describe('discover', () => {
  it('skips .git, node_modules, .terraform and what the root .gitignore ignores', async () => {
    const root = tempTree({
      'main.tf': PUBLIC,
      '.git/x.tf': PUBLIC,
      'node_modules/m/x.tf': PUBLIC,
      '.terraform/modules/x.tf': PUBLIC,
      'generated/x.tf': PUBLIC,
      'generated/cdk.out.json': '{}',
      'skip.json': '{}',
      'alone/skip.tf': PUBLIC,
      '.gitignore': 'generated/\nskip.*\n',
      'README.md': '# not IaC',
    });
    const { files } = await discover([root]);
    expect(files.map((f) => f.path.slice(root.length + 1))).toEqual(['main.tf']);
  });

  it('scans a Terraform file .gitignore lists when its folder holds other scanned Terraform files (Terraform loads the whole folder), with a notice; exclude still skips it', async () => {
    const root = tempTree({ 'main.tf': PUBLIC, 'zz_hotfix.tf': PUBLIC, 'terraform.tfvars': 'x = 1\n', 'notes.json': '{}', '.gitignore': 'zz_*.tf\n*.tfvars\nnotes.json\n' });
    const { files, notices } = await discover([root]);
    expect(files.map((f) => f.path.slice(root.length + 1))).toEqual(['main.tf', 'terraform.tfvars', 'zz_hotfix.tf']);
    expect(notices.map((n) => [n.path.slice(root.length + 1), n.message])).toEqual([
      ['terraform.tfvars', 'listed in .gitignore but scanned: Terraform loads every configuration file of its module folder'],
      ['zz_hotfix.tf', 'listed in .gitignore but scanned: Terraform loads every configuration file of its module folder'],
    ]);
    const excluded = await discover([root], root, { exclude: ['zz_*.tf'] });
    expect(excluded.files.map((f) => f.path.slice(root.length + 1))).toEqual(['main.tf', 'terraform.tfvars']);
  });

  it('never follows a symlink out of the scan root, and survives symlink loops', async () => {
    const outside = tempTree({ 'secret.tf': PUBLIC });
    const root = tempTree({ 'main.tf': PUBLIC, 'inner/ok.tf': PUBLIC });
    symlinkSync(join(outside, 'secret.tf'), join(root, 'escape.tf'));
    symlinkSync(outside, join(root, 'escape-dir'));
    symlinkSync(join(root, 'inner'), join(root, 'inner', 'loop'));
    symlinkSync(join(root, 'inner', 'ok.tf'), join(root, 'alias.tf'));
    const { files, notices } = await discover([root]);
    const names = files.map((f) => f.path.slice(root.length + 1));
    expect(names).toEqual(['alias.tf', 'inner/ok.tf', 'main.tf']);
    expect(notices.map((n) => n.message).join('\n')).toMatch(/outside the scan root/);
    expect(notices.filter((n) => /outside/.test(n.message))).toHaveLength(2);
  });

  it('matches exclude and include globs against paths from the root, through nested and symlinked folders, with and without a .gitignore', async () => {
    const tree = {
      'main.tf': PUBLIC,
      'z/b/deep.tf': PUBLIC,
      'z/b/keep.tf': PUBLIC,
      'z/other.yaml': 'Resources: {}\n',
      'real/x.tf': PUBLIC,
    };
    for (const gitignore of [undefined, '', '# only a comment\n', 'real/\n']) {
      const root = tempTree(gitignore === undefined ? tree : { ...tree, '.gitignore': gitignore });
      // Walked before its target (names sort first), so its files are found through it, matched by where they really are.
      symlinkSync(join(root, 'z', 'b'), join(root, 'a-link'));
      const names = async (filters: { include?: string[]; exclude?: string[] }) => (await discover([root], root, filters)).files.map((f) => f.path.slice(root.length + 1));
      const real = gitignore === 'real/\n' ? [] : ['real/x.tf'];
      expect(await names({})).toEqual(['a-link/deep.tf', 'a-link/keep.tf', 'main.tf', ...real, 'z/other.yaml']);
      expect(await names({ exclude: ['z/b/deep.tf'] })).toEqual(['a-link/keep.tf', 'main.tf', ...real, 'z/other.yaml']);
      expect(await names({ exclude: ['b/', 'z/*.yaml'] })).toEqual(['main.tf', ...real]);
      expect(await names({ include: ['z/b/*.tf', 'main.tf'] })).toEqual(['a-link/deep.tf', 'a-link/keep.tf', 'main.tf']);
    }
  });

  it('classifies a given file path directly and rejects a missing path', async () => {
    const root = tempTree({ 'a.tf': PUBLIC });
    expect((await discover([join(root, 'a.tf')])).files).toHaveLength(1);
    await expect(discover([join(root, 'missing')])).rejects.toThrow(/cannot read/);
  });
});

describe('bad input is located and the scan goes on', () => {
  it('reports binary, oversized, non-UTF-8 and unreadable files as IG901 and still reports good files', async () => {
    const root = tempTree({
      'good.tf': PUBLIC,
      'binary.tf': Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1, 2]),
      'big.tf': `# ${'x'.repeat(300)}\n`,
      'latin1.tf': Buffer.concat([Buffer.from('# ok\n# caf'), Buffer.from([0xe9]), Buffer.from('\n')]),
      'locked/secret.tf': PUBLIC,
    });
    mkdirSync(join(root, 'spaced dir ü'));
    chmodSync(join(root, 'locked/secret.tf'), 0o000);
    const { findings } = await scan({ paths: ['.'], cwd: root, maxFileBytes: 200 });
    const summary = findings.map((f) => `${f.ruleId} ${f.range.file}:${f.range.line} ${f.message}`);
    expect(summary).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^IG901 big\.tf:1 .*over the 200-byte limit/),
        expect.stringMatching(/^IG901 binary\.tf:1 binary file/),
        expect.stringMatching(/^IG901 latin1\.tf:2 .*not valid UTF-8/),
        expect.stringMatching(/^IG104 good\.tf:2 /),
      ]),
    );
    // root can read anything; only an ordinary user sees the unreadable file.
    if (process.getuid?.() !== 0) expect(summary).toEqual(expect.arrayContaining([expect.stringMatching(/^IG901 locked\/secret\.tf:1 cannot read file/)]));
  });
});

describe('module calls whose local source the scan does not read', () => {
  it('say so in a notice: a skipped folder, a folder outside the scanned paths; a scanned module says nothing', async () => {
    const root = tempTree({
      'live/main.tf': 'module "skipped" {\n  source = "./node_modules/infra"\n}\nmodule "outside" {\n  source = "../modules/perm"\n}\nmodule "read" {\n  source = "./local"\n}\n',
      'live/node_modules/infra/main.tf': PUBLIC,
      'live/local/main.tf': 'variable "x" {\n  default = 1\n}\n',
      'modules/perm/main.tf': PUBLIC,
    });
    const { notices } = await scan({ paths: [join(root, 'live')], cwd: root });
    expect(notices.map((n) => n.message)).toEqual([
      'module "skipped" (source "./node_modules/infra", live/main.tf:1): no scanned Terraform file there (outside the scanned paths, or in a skipped folder); its resources are not analysed',
      'module "outside" (source "../modules/perm", live/main.tf:4): no scanned Terraform file there (outside the scanned paths, or in a skipped folder); its resources are not analysed',
    ]);
    expect(notices.map((n) => n.path)).toEqual(['live/main.tf', 'live/main.tf']);
  });
});
