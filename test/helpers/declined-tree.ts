import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A temp folder of 62 Terraform files of ~3 KB (190 KB; more than the parse pool's IN_PROCESS_CHARS)
 * that the fast HCL parser declines (a non-ASCII identifier), so the pool parses them; each grants
 * invoke to "*" (IG101). Two are named for the crashing test worker (parse-workers/crashing.mjs).
 */
export function writeDeclinedTree(): string {
  const dir = mkdtempSync(join(tmpdir(), 'invokeguard-pool-'));
  const tf = (i: number) =>
    `# ${'padding '.repeat(360)}\nresource "aws_lambda_permission" "p${i}" {\n  principal     = "*"\n  action        = "lambda:InvokeFunction"\n  function_name = "f"\n  statement_id  = "s${i}"\n}\n\nlocals {\n  café = ${i}\n}\n`;
  for (let i = 0; i < 60; i++) writeFileSync(join(dir, `f${String(i).padStart(2, '0')}.tf`), tf(i));
  writeFileSync(join(dir, 'f20-exit.tf'), tf(100));
  writeFileSync(join(dir, 'f40-throw.tf'), tf(101));
  return dir;
}
