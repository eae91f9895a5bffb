import { execFile } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from '@jest/globals';
import { writeDeclinedTree } from './helpers/declined-tree.js';
import { REPO_ROOT, scanPaths } from './helpers/scan.js';

const exec = promisify(execFile);
/** npm from a test: no parent's jest flags, no audit or funding calls. */
const env = { ...process.env, NODE_OPTIONS: '', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };

interface LockEntry {
  dev?: boolean;
  devOptional?: boolean;
}

/**
 * An app that depends on the packed tarball, locked to the runtime entries of this repository's
 * lockfile (dev entries left out): what a user's `npm install invokeguard` gets.
 */
async function writeRuntimeLockfile(app: string, tarball: string, integrity: string): Promise<void> {
  const pkg = JSON.parse(await readFile(join(REPO_ROOT, 'package.json'), 'utf8')) as Record<string, unknown>;
  const lock = JSON.parse(await readFile(join(REPO_ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
  const spec = `file:${tarball}`;
  const packages: Record<string, unknown> = {
    '': { name: 'app', dependencies: { invokeguard: spec } },
    'node_modules/invokeguard': { version: pkg.version, resolved: spec, integrity, license: pkg.license, dependencies: pkg.dependencies, bin: pkg.bin, engines: pkg.engines },
  };
  for (const [path, entry] of Object.entries(lock.packages)) if (path !== '' && !entry.dev && !entry.devOptional) packages[path] = entry;
  await writeFile(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, dependencies: { invokeguard: spec } }));
  await writeFile(join(app, 'package-lock.json'), JSON.stringify({ name: 'app', lockfileVersion: 3, requires: true, packages }));
}

describe('the npm package', () => {
  it('packs only the runtime files, installs offline into an empty folder and scans examples/', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'invokeguard-pack-'));
    // `pretest` has built dist/; `prepack` would build again.
    const { stdout: packed } = await exec('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: REPO_ROOT, env });
    const [pack] = JSON.parse(packed) as Array<{ filename: string; integrity: string; files: Array<{ path: string }> }>;
    const files = pack.files.map((f) => f.path);
    expect(files).toContain('dist/src/cli/main.js');
    expect(files).toContain('policies/sam-policy-templates.json');
    expect(files).toContain('dist/parse-worker.mjs');
    expect(files.filter((f) => !/^(dist\/(invokeguard|parse-worker)\.mjs|dist\/chunks\/[\w-]+\.mjs|dist\/src\/.+\.js|policies\/.+\.(json|md)|README\.md|LICENSE|package\.json)$/.test(f))).toEqual([]);
    expect(files.filter((f) => /(^|\/)(test|fixtures|examples|bench|scripts)\//.test(f))).toEqual([]);

    const app = join(dir, 'app');
    await cp(join(REPO_ROOT, 'examples'), join(app, 'examples'), { recursive: true });
    await writeRuntimeLockfile(app, join(dir, pack.filename), pack.integrity);
    // `npm ci` put every locked tarball in the npm cache, but not the registry metadata a plain
    // `npm install <tgz>` resolves ranges with: so the app gets a lockfile of the runtime entries.
    await exec('npm', ['ci', '--offline', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: app, env });
    expect((await readdir(join(app, 'node_modules'))).filter((d) => ['jest', 'typescript', 'ajv', 'pngjs', '@microsoft'].includes(d))).toEqual([]);
    const run = await exec('npx', ['--offline', 'invokeguard', '--format', 'json', 'examples'], { cwd: app, env }).then(
      (r) => ({ code: 0, ...r }),
      (e: { code: number; stdout: string; stderr: string }) => e,
    );
    // npm's own warnings about the machine's npm config aside, the tool writes nothing to stderr.
    expect(run.stderr.split('\n').filter((l) => l !== '' && !l.startsWith('npm warn'))).toEqual([]);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as { findings: Array<{ ruleId: string; file: string }> };
    expect(report.findings.length).toBeGreaterThan(10);
    // The installed package finds exactly what the source tree finds.
    const expected = (await scanPaths('examples')).findings;
    expect(report.findings.map((f) => `${f.ruleId} ${f.file}`)).toEqual(expected.map((f) => `${f.ruleId} ${f.range.file}`));
    expect(new Set(report.findings.map((f) => f.ruleId))).toEqual(new Set(['IG101', 'IG102', 'IG104', 'IG201', 'IG202', 'IG204', 'IG205', 'IG301', 'IG303', 'IG404']));
    expect(report.findings.every((f) => f.file.startsWith('examples/') && f.file.includes('/vulnerable/'))).toBe(true);

    // The parse pool works from the installed package (its worker ships beside the bundle): on
    // files enough to start it, --jobs 2 starts workers and prints what --jobs 1 prints.
    const declined = writeDeclinedTree();
    const counted = (jobs: string) =>
      exec(join(app, 'node_modules', '.bin', 'invokeguard'), ['--format', 'json', '--jobs', jobs, declined], {
        cwd: app,
        env: { ...env, NODE_OPTIONS: `--require ${join(REPO_ROOT, 'test', 'helpers', 'count-workers.cjs')}` },
      }).catch((e: { stdout: string; stderr: string }) => e);
    const [pooled, single] = [await counted('2'), await counted('1')];
    expect(pooled.stderr).toMatch(/^workers started: [12]\n$/);
    expect(single.stderr).toBe('workers started: 0\n');
    expect(JSON.parse(pooled.stdout).findings.length).toBeGreaterThanOrEqual(62);
    expect(pooled.stdout).toBe(single.stdout);
    await rm(declined, { recursive: true, force: true });
  }, 120_000);
});
