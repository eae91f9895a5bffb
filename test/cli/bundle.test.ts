import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '../helpers/scan.js';

/** Both entry points as a user runs them: the bundle (package bin) and the compiled modules. */
function run(entry: string, ...args: string[]) {
  const result = spawnSync(process.execPath, [join(REPO_ROOT, entry), ...args], { cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
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
});
