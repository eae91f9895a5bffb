import { runCli } from '../../src/cli/run.js';
import type { Rule } from '../../src/rules/types.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process with captured output; `cwd` switches the working folder for the run. */
export async function runCaptured(argv: string[], options: { env?: NodeJS.ProcessEnv; isTTY?: boolean; cwd?: string; rules?: readonly Rule[] } = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const previous = process.cwd();
  if (options.cwd) process.chdir(options.cwd);
  try {
    const code = await runCli(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), isTTY: options.isTTY ?? false, env: options.env ?? {} }, options.rules ? { rules: options.rules } : {});
    return { code, stdout, stderr };
  } finally {
    process.chdir(previous);
  }
}

/** Runs the CLI in-process from the current folder, not a TTY, empty environment. */
export function cli(...argv: string[]): Promise<CliRun> {
  return runCaptured(argv);
}
