import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeDeclinedTree } from '../helpers/declined-tree.js';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from '../helpers/scan.js';

/** Both entry points as a user runs them: the bundle (package bin) and the compiled modules. */
function run(entry: string, ...args: string[]) {
  return runNode([join(REPO_ROOT, entry), ...args]);
}

function runNode(args: string[]) {
  const result = spawnSync(process.execPath, args, { cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('the bundled CLI (dist/invokeguard.mjs, built by npm run build)', () => {
  it.each([
    ['--format', 'json', 'examples'],
    ['--format', 'sarif', 'examples/terraform/vulnerable'],
    ['examples/cloudformation/vulnerable/template.yaml'],
  ])('prints exactly what the unbundled CLI prints: %s', (...args) => {
    const bundled = run('dist/invokeguard.mjs', ...args);
    const modules = run('dist/src/cli/main.js', ...args);
    expect(bundled.code).toBe(1);
    expect(bundled).toEqual(modules);
  }, 30_000);

  it('ends quietly with its own exit code when the reader closes the pipe early (invokeguard . | head)', () => {
    // A shell pipe, as a user has it (a Node child's stdout is a socket pair, whose buffer would hold the whole report).
    const cli = join(REPO_ROOT, 'dist/invokeguard.mjs');
    const result = spawnSync('bash', ['-c', `set -o pipefail; "${process.execPath}" "${cli}" --format sarif examples | head -c 10 > /dev/null`], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(1);
  }, 30_000);

  it('leaves the Access Analyzer cross-check and the AWS SDK out of the file every start compiles, in chunks that load when asked for', async () => {
    const entry = readFileSync(join(REPO_ROOT, 'dist', 'invokeguard.mjs'), 'utf8');
    expect(entry).not.toMatch(/@aws-sdk\/client-accessanalyzer|from "node:https?"/);
    const chunk = readdirSync(join(REPO_ROOT, 'dist', 'chunks')).find((f) => f.startsWith('cross-check-'));
    expect(chunk).toBeDefined();
    const loaded = (await import(pathToFileURL(join(REPO_ROOT, 'dist', 'chunks', chunk!)).href)) as Record<string, unknown>;
    expect(Object.values(loaded).some((v) => typeof v === 'function')).toBe(true);
  }, 30_000);

  it('leaves the yaml library out of the files every start loads, and loads it for a template the fast path declines', () => {
    const loaded = startUpFiles();
    expect(loaded.length).toBeGreaterThan(1);
    for (const file of loaded) expect(readFileSync(file, 'utf8')).not.toContain('node_modules/yaml/');
    // An anchor and an alias: the fast path declines, the library (its lazy chunk) parses.
    const dir = mkdtempSync(join(tmpdir(), 'invokeguard-lazy-yaml-'));
    try {
      writeFileSync(
        join(dir, 'template.yaml'),
        ['Resources:', '  Open:', '    Type: AWS::Lambda::Permission', '    Properties: &open', '      Action: lambda:InvokeFunction', '      FunctionName: fn', "      Principal: '*'", '  Again:', '    Type: AWS::Lambda::Permission', '    Properties: *open', ''].join('\n'),
      );
      const bundled = run('dist/invokeguard.mjs', '--format', 'json', dir);
      expect(bundled).toEqual(run('dist/src/cli/main.js', '--format', 'json', dir));
      expect(JSON.parse(bundled.stdout).findings.filter((f: { ruleId: string }) => f.ruleId === 'IG101').map((f: { line: number }) => f.line)).toEqual([7, 7]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);

  it('imports no built-in a typical scan does not use (crypto, zlib, worker threads) in the files every start loads', () => {
    for (const file of startUpFiles()) expect(readFileSync(file, 'utf8')).not.toMatch(/from "node:(?:crypto|zlib|worker_threads)"/);
  });
});

/** The bundle's entry and, transitively, the chunks it imports statically: what every start (a one-file scan) compiles. */
function startUpFiles(): string[] {
  const loaded = new Set<string>();
  const visit = (file: string) => {
    if (loaded.has(file)) return;
    loaded.add(file);
    for (const [, name] of readFileSync(file, 'utf8').matchAll(/^(?:import|export)\s[^;]*?from "\.\/(?:chunks\/)?([^"]+\.mjs)"/gm)) visit(join(REPO_ROOT, 'dist', 'chunks', name));
  };
  visit(join(REPO_ROOT, 'dist', 'invokeguard.mjs'));
  return [...loaded];
}

describe('the parse pool from the built entry points', () => {
  let dir: string;
  beforeAll(() => {
    dir = writeDeclinedTree();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const counted = (entry: string, jobs: string) =>
    runNode(['--require', join(REPO_ROOT, 'test', 'helpers', 'count-workers.cjs'), join(REPO_ROOT, entry), '--format', 'json', '--jobs', jobs, dir]);

  it.each([['dist/invokeguard.mjs'], ['dist/src/cli/main.js']])('%s starts workers with --jobs 2, none with --jobs 1, and prints the same', (entry) => {
    const pooled = counted(entry, '2');
    const single = counted(entry, '1');
    expect(pooled.stderr).toMatch(/^workers started: [12]\n$/);
    expect(single.stderr).toBe('workers started: 0\n');
    expect(pooled.code).toBe(1);
    expect(pooled.stdout).toBe(single.stdout);
    expect(JSON.parse(pooled.stdout).findings.filter((f: { ruleId: string }) => f.ruleId === 'IG101')).toHaveLength(62);
  }, 60_000);
});
