import { describe, expect, it } from '@jest/globals';
import { scan } from '../../src/scan.js';
import { tempTree } from '../helpers/temp-tree.js';

/** A SAM template of `count` functions, each granted invoke on `*`: function i's Action on line 16 + 10·i. */
const template = (count: number) =>
  'AWSTemplateFormatVersion: "2010-09-09"\nTransform: AWS::Serverless-2016-10-31\nGlobals:\n  Function:\n    Runtime: python3.12\n    Timeout: 10\nResources:\n' +
  Array.from(
    { length: count },
    (_, i) => `  Fn${i}:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: a.b\n      CodeUri: .\n      Policies:\n        - Statement:\n            - Effect: Allow\n              Action: lambda:InvokeFunction\n              Resource: "*"\n`,
  ).join('');

describe('IG201 with many templates in one folder', () => {
  it('looks up each policy\'s own template, not every function of the folder: 400 templates of 10 functions', async () => {
    const cpuSeconds = async (templates: number) => {
      const root = tempTree(Object.fromEntries(Array.from({ length: templates }, (_, t) => [`t${t}.yaml`, template(10)])));
      await scan({ paths: ['t0.yaml'], cwd: root }); // parsers loaded
      const before = process.cpuUsage();
      const { findings } = await scan({ paths: ['.'], cwd: root });
      const used = process.cpuUsage(before);
      return { findings, seconds: (used.user + used.system) / 1e6 };
    };
    const small = await cpuSeconds(100);
    const { findings, seconds } = await cpuSeconds(400);
    const ig201 = findings.filter((f) => f.ruleId === 'IG201');
    expect(ig201).toHaveLength(4000);
    const at = (file: string, resource: string) => ig201.find((f) => f.range.file.endsWith(file) && f.resource === resource);
    expect(at('t0.yaml', 'Fn0')?.range.line).toBe(16);
    expect(at('t399.yaml', 'Fn9')?.range.line).toBe(106);
    // The cycle check names the 10 functions of the policy's template only: 4,000 would not be listed.
    expect(at('t399.yaml', 'Fn9')?.suggestion).toContain('(Fn0, Fn1, Fn2, Fn3, Fn4, Fn5, Fn6, Fn7, Fn8, Fn9: a dependency cycle)');
    // Four times the templates, about four times the CPU (a ratio, so a loaded machine slows both alike). When every policy
    // filtered the folder's functions, twice, 400 templates took 9.5 s: some 11 times 100 templates' cost.
    expect(seconds / small.seconds).toBeLessThan(8);
  }, 120_000);
});
