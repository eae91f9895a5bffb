import { afterEach, describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { formatJson } from '../../src/report/json.js';
import { fastPaths } from '../../src/parse/fast-paths.js';
import { scan } from '../../src/scan.js';
import { REPO_ROOT } from '../helpers/scan.js';

const REALWORLD = join('..', 'shared', 'realworld');
/** A real-world repository (when present): all of it, or a deterministic sample (every `step`-th entry). */
function sample(repo: string, step = 1): string[] {
  const dir = join(REPO_ROOT, REALWORLD, repo);
  if (!existsSync(dir)) return [];
  return step === 1 ? [join(REALWORLD, repo)] : readdirSync(dir).sort().filter((_, i) => i % step === 0).map((f) => join(REALWORLD, repo, f));
}

/** Our own trees, then Terraform and CloudFormation from the real-world corpus. */
const TREES: string[][] = [['examples'], ['test/fixtures'], sample('terraform-aws-modules__terraform-aws-lambda'), sample('aws-samples__serverless-patterns', 5)].filter((t) => t.length > 0);

async function report(paths: string[]): Promise<string> {
  return formatJson(await scan({ paths, cwd: REPO_ROOT }), { version: 'test', color: false });
}

afterEach(() => {
  fastPaths.enabled = true;
});

describe('the fast parsers change nothing a scan reports', () => {
  it.each(TREES.map((t): [string, string[]] => [t[0], t]))('%s…: byte-identical JSON report with and without them', async (_name, tree) => {
    const fast = await report(tree);
    fastPaths.enabled = false;
    const reference = await report(tree);
    expect(JSON.parse(fast).findings.length).toBeGreaterThan(0);
    expect(fast).toBe(reference);
  }, 60_000);
});
