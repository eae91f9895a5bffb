import { describe, expect, it } from '@jest/globals';
import { progressReporter } from '../../src/cli/progress.js';
import { runCli } from '../../src/cli/run.js';
import { tempTree } from '../helpers/temp-tree.js';

const CLEAR = '\r\x1b[2K';

describe('progressReporter', () => {
  it('redraws at most once per interval, always on the last file, and clears the line at the end', () => {
    let time = 0;
    const out: string[] = [];
    const progress = progressReporter((s) => out.push(s), { minFiles: 5, intervalMs: 100, now: () => time });
    for (let done = 1; done <= 10; done++) {
      progress.update(done, 10);
      time += 40;
    }
    progress.finish();
    // t=0 (1), t=120 (4), t=240 (7), the last file (10), then the clear.
    expect(out).toEqual([`${CLEAR}invokeguard: parsed 1/10 files`, `${CLEAR}invokeguard: parsed 4/10 files`, `${CLEAR}invokeguard: parsed 7/10 files`, `${CLEAR}invokeguard: parsed 10/10 files`, CLEAR]);
  });

  it('stays silent for small scans and then has nothing to clear', () => {
    const out: string[] = [];
    const progress = progressReporter((s) => out.push(s), { minFiles: 50 });
    for (let done = 1; done <= 49; done++) progress.update(done, 49);
    progress.finish();
    expect(out).toEqual([]);
  });
});

describe('progress in the CLI', () => {
  const files = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`m${i}/main.tf`, `resource "aws_lambda_function" "f${i}" {\n  function_name = "f${i}"\n}\n`]));
  const root = tempTree(files);

  async function run(stderrIsTTY: boolean, ...extra: string[]) {
    let stdout = '';
    let stderr = '';
    const code = await runCli([root, ...extra], { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), isTTY: false, stderrIsTTY, env: {} });
    return { code, stdout, stderr };
  }

  it('shows files parsed / total on a TTY stderr and leaves the line clean; the report is untouched', async () => {
    const { code, stdout, stderr } = await run(true);
    expect(code).toBe(0);
    expect(stderr).toContain('invokeguard: parsed 60/60 files');
    expect(stderr.endsWith(CLEAR)).toBe(true);
    expect(stdout).toBe('✔ no findings in 60 file(s)\n');
  });

  it('is silent when stderr is not a TTY, and with --quiet', async () => {
    expect((await run(false)).stderr).toBe('');
    expect((await run(true, '--quiet')).stderr).toBe('');
  });
});
