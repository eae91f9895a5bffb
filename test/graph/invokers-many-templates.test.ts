import { describe, expect, it } from '@jest/globals';
import { invokerGraph } from '../../src/graph/invokers.js';
import { loadModel } from '../../src/scan.js';
import { tempTree } from '../helpers/temp-tree.js';

/** A SAM template: one function whose role may invoke `*`, and a permission naming it by reference (every template says `Fn`). */
const TEMPLATE =
  'AWSTemplateFormatVersion: "2010-09-09"\nTransform: AWS::Serverless-2016-10-31\nResources:\n' +
  '  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: python3.12\n      Handler: a.b\n      CodeUri: .\n' +
  '      Policies:\n        - Statement:\n            - Effect: Allow\n              Action: lambda:InvokeFunction\n              Resource: "*"\n' +
  '  FromTopic:\n    Type: AWS::Lambda::Permission\n    Properties:\n      Action: lambda:InvokeFunction\n      FunctionName: !Ref Fn\n      Principal: sns.amazonaws.com\n';

/** The invoker graph of `templates` copies of TEMPLATE in one folder, and the CPU seconds three graphs of the model took (one alone is milliseconds). */
async function graphOf(templates: number) {
  const root = tempTree(Object.fromEntries(Array.from({ length: templates }, (_, t) => [`t${t}.yaml`, TEMPLATE])));
  const { model } = await loadModel({ paths: ['.'], cwd: root });
  const before = process.cpuUsage();
  const graph = invokerGraph(model);
  for (let run = 1; run < 3; run++) invokerGraph(model);
  const used = process.cpuUsage(before);
  return { graph, seconds: (used.user + used.system) / 1e6 };
}

describe('invokerGraph with many templates in one folder', () => {
  it('looks up each policy\'s and permission\'s own template, not every function of the folder', async () => {
    const small = await graphOf(250);
    const { graph, seconds } = await graphOf(1000);
    expect(graph).toHaveLength(1000);
    // Each function: its own template's permission and role, no other template's.
    const last = graph.find((f) => f.location.file.endsWith('t999.yaml'))!;
    expect(last.invokers.map((i) => [i.kind, i.location.file.replace(/.*\//, ''), i.location.line])).toEqual([
      ['resource-permission', 't999.yaml', 20],
      ['identity-policy', 't999.yaml', 12],
    ]);
    expect(graph.every((f) => f.invokers.length === 2 && f.invokers.every((i) => i.location.file === f.location.file))).toBe(true);
    // Four times the templates, about four times the CPU (4.6 to 6.6 seen; a ratio, so a loaded machine slows both alike). When
    // every statement on `*` filtered the folder's functions, and every `!Ref Fn` every template's `Fn`, it was 23.
    expect(seconds / small.seconds).toBeLessThan(12);
  }, 120_000);
});
