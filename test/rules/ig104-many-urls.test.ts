import { describe, expect, it } from '@jest/globals';
import { runRules } from '../../src/rules/run-rules.js';
import { IG104 } from '../../src/rules/IG104-function-url-auth-none.js';
import { loadModel } from '../../src/scan.js';
import { tempTree } from '../helpers/temp-tree.js';

/** `count` public function URLs and as many other resources, all in one Terraform folder. */
const module = (count: number) =>
  Array.from(
    { length: count },
    (_, i) => `resource "aws_lambda_function_url" "u${i}" {\n  function_name      = "f${i}"\n  authorization_type = "NONE"\n}\nresource "aws_sqs_queue" "q${i}" {\n  name = "q${i}"\n}\n`,
  ).join('');

describe('IG104 with many URLs in one folder', () => {
  it('finds what reads each URL through an index, not by walking the folder per URL', async () => {
    const cpuSeconds = async (count: number) => {
      const root = tempTree({ 'main.tf': module(count) });
      const { model } = await loadModel({ paths: ['.'], cwd: root });
      const before = process.cpuUsage();
      const findings = runRules([IG104], { model } as Parameters<typeof runRules>[1]).findings;
      const used = process.cpuUsage(before);
      return { findings, seconds: (used.user + used.system) / 1e6 };
    };
    await cpuSeconds(200); // JIT warm-up
    // The fastest of three runs each: a collector pause or a busy machine in one run says nothing about the algorithm.
    const fastest = async (count: number) => {
      const runs = [await cpuSeconds(count), await cpuSeconds(count), await cpuSeconds(count)];
      return runs.reduce((a, b) => (b.seconds < a.seconds ? b : a));
    };
    const small = await fastest(1000);
    const { findings, seconds } = await fastest(4000);
    expect(findings).toHaveLength(4000);
    // Four times the URLs, about four times the CPU (a ratio: load slows both alike). Walking the folder's 8,000
    // resources per URL made it some 16 times.
    expect(seconds / small.seconds).toBeLessThan(8);
  }, 120_000);
});
