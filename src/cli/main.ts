#!/usr/bin/env node
import { runCli } from './run.js';

/**
 * A reader that stops early (`invokeguard . | head`) closes the pipe: the rest of the report is
 * not wanted, which is no error of ours. Writes after that are dropped and the run ends with its
 * own exit code, instead of an unhandled EPIPE stack trace.
 */
function writer(stream: NodeJS.WriteStream): (text: string) => void {
  let open = true;
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    open = false;
  });
  return (text) => {
    if (open) stream.write(text);
  };
}

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: writer(process.stdout),
  stderr: writer(process.stderr),
  isTTY: Boolean(process.stdout.isTTY),
  stderrIsTTY: Boolean(process.stderr.isTTY),
  env: process.env,
});
