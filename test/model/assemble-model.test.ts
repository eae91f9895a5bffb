import { describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { join, relative } from 'node:path';
import { discover } from '../../src/discover/discover.js';
import { modelAssembler } from '../../src/model/assemble-model.js';
import { buildModel } from '../../src/model/build-model.js';
import type { Model } from '../../src/model/types.js';
import { parseFile } from '../../src/parse/parse-file.js';
import type { SourceDocument } from '../../src/parse/types.js';
import { random } from '../../bench/generate.js';
import { REPO_ROOT } from '../helpers/scan.js';
import { tempTree } from '../helpers/temp-tree.js';

const REALWORLD = join(REPO_ROOT, '..', 'shared', 'realworld');

async function parsedTree(root: string) {
  const { files } = await discover([root], root);
  const displayed = files.map((f) => relative(root, f.path));
  const parse = (index: number) => parseFile(files[index], displayed[index]);
  const documents: SourceDocument[] = [];
  for (let i = 0; i < files.length; i++) documents.push(await parse(i));
  return { displayed, documents, parse };
}

/** Feeds the documents to the assembler in `order`; records which files it asked to parse again. */
async function assemble(tree: Awaited<ReturnType<typeof parsedTree>>, order: number[], scpFiles = new Set<string>()): Promise<{ model: Model; reparsed: number[] }> {
  const reparsed: number[] = [];
  const assembler = modelAssembler(tree.displayed, scpFiles, async (indices) => {
    reparsed.push(...indices);
    return Promise.all(indices.map(tree.parse));
  });
  for (const index of order) assembler.add(index, tree.documents[index]);
  return { model: await assembler.finish(), reparsed };
}

function shuffled(length: number, seed: number): number[] {
  const next = random(seed);
  const order = Array.from({ length }, (_, i) => i);
  for (let i = length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

/** Equal content, and the same resource order (toEqual does not look at Map order). */
function expectSameModel(actual: Model, expected: Model): void {
  expect(actual.resources.map((r) => r.address)).toEqual(expected.resources.map((r) => r.address));
  expect(actual).toEqual(expected);
}

describe('streaming model assembly', () => {
  const trees = [join(REPO_ROOT, 'examples'), join(REPO_ROOT, 'test', 'fixtures'), ...(existsSync(REALWORLD) ? [REALWORLD] : [])];

  it.each(trees.map((t) => [relative(REPO_ROOT, t), t]))('%s: the same model as building it from every document at once, in any completion order', async (_name, root) => {
    const tree = await parsedTree(root);
    const expected = buildModel(tree.documents);
    expect(expected.resources.length).toBeGreaterThan(0);
    const inOrder = tree.documents.map((_, i) => i);
    // The real-world corpus (2,000+ files, modules called from examples and wrappers) once, shuffled: comparing its model takes seconds.
    const orders = root === REALWORLD ? [shuffled(inOrder.length, 7)] : [inOrder, [...inOrder].reverse(), shuffled(inOrder.length, 7), shuffled(inOrder.length, 8)];
    for (const order of orders) expectSameModel((await assemble(tree, order)).model, expected);
  }, 120_000);

  it('models a called module through its callers only, parsing it again when it was complete before them', async () => {
    const module = 'variable "principal" {}\nresource "aws_lambda_permission" "p" {\n  function_name = "f"\n  action        = "lambda:InvokeFunction"\n  principal     = var.principal\n}\n';
    const root = tempTree({
      // Discovery order: a/ (a caller), m/ (the module), z/ (another caller, after the module).
      'a/main.tf': 'module "open" {\n  source    = "../m"\n  principal = "*"\n}\n',
      'm/main.tf': module,
      'z/main.tf': 'module "pinned" {\n  source    = "../m"\n  principal = "events.amazonaws.com"\n}\n',
      'solo/main.tf': 'resource "aws_lambda_function_url" "u" {\n  function_name      = "f"\n  authorization_type = "NONE"\n}\n',
    });
    const tree = await parsedTree(root);
    const expected = buildModel(tree.documents);
    expect(expected.permissions.map((p) => p.address)).toEqual(['module.open.aws_lambda_permission.p', 'module.pinned.aws_lambda_permission.p']);
    const m = tree.displayed.indexOf(join('m', 'main.tf'));
    // In file order the module is known to be called (by a/) when it completes: held, not parsed again.
    const forward = await assemble(tree, tree.documents.map((_, i) => i));
    expectSameModel(forward.model, expected);
    expect(forward.reparsed).toEqual([]);
    // Completed before any caller: modelled as a root first, then dropped and parsed again.
    const moduleFirst = [m, ...tree.documents.map((_, i) => i).filter((i) => i !== m)];
    const early = await assemble(tree, moduleFirst);
    expectSameModel(early.model, expected);
    expect(early.reparsed).toEqual([m]);
  });

  it('releases a modelled directory\'s syntax trees before the scan ends, and holds a module caller\'s until then', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const root = tempTree({
      'a/main.tf': 'resource "aws_lambda_function_url" "u" {\n  function_name      = "f"\n  authorization_type = "NONE"\n}\n',
      'b/main.tf': 'module "m" {\n  source = "../m"\n}\n',
      'm/main.tf': 'resource "aws_lambda_permission" "p" {\n  function_name = "f"\n  principal     = "*"\n}\n',
    });
    const { files } = await discover([root], root);
    const displayed = files.map((f) => relative(root, f.path));
    const assembler = modelAssembler(displayed, new Set(), async () => []);
    const trees: Array<WeakRef<object>> = [];
    for (let i = 0; i < files.length; i++) {
      const document = await parseFile(files[i], displayed[i]);
      if (document.format !== 'terraform-hcl') throw new Error(`unexpected ${document.format}`);
      trees.push(new WeakRef(document.hcl.body.blocks[0])); // what a held module's declarations keep
      assembler.add(i, document);
    }
    const alive = async () => {
      await new Promise((resolve) => setImmediate(resolve)); // WeakRef targets stay alive until the current job ends
      gc();
      return displayed.filter((_, i) => trees[i].deref() !== undefined);
    };
    // a/ was modelled when its file arrived; b/ calls a module and m/ is called: both wait for the end.
    expect(await alive()).toEqual([join('b', 'main.tf'), join('m', 'main.tf')]);
    const model = await assembler.finish();
    expect(model.permissions.map((p) => p.address)).toEqual(['module.m.aws_lambda_permission.p']);
    expect(model.functionUrls.map((u) => u.address)).toEqual(['aws_lambda_function_url.u']);
  });

  it('keeps raw policy files named as SCPs apart, as buildModel does', async () => {
    const root = tempTree({ 'org/deny.json': JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'lambda:AddPermission', Resource: '*' }] }) });
    const tree = await parsedTree(root);
    const scp = new Set([join('org', 'deny.json')]);
    const { model } = await assemble(tree, [0], scp);
    expect(model.standalonePolicies?.map((p) => p.kind)).toEqual(['scp']);
    expectSameModel(model, buildModel(tree.documents, scp));
  });

  it('models a nested CloudFormation template through the stacks that nest it, parsing it again when it was complete before them', async () => {
    const child = 'AWSTemplateFormatVersion: "2010-09-09"\nParameters:\n  Principal:\n    Type: String\n    Default: events.amazonaws.com\nResources:\n  Invoke:\n    Type: AWS::Lambda::Permission\n    Properties:\n      Action: lambda:InvokeFunction\n      FunctionName: f\n      Principal: !Ref Principal\n';
    const parent = (id: string, principal: string) =>
      `AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  ${id}:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: ../m/child.yaml\n      Parameters:\n        Principal: "${principal}"\n`;
    const root = tempTree({
      // Discovery order: a/ (a parent), m/ (the child), z/ (another parent, after the child), solo/ (nests nothing).
      'a/parent.yaml': parent('Open', '*'),
      'm/child.yaml': child,
      'z/parent.yaml': parent('Pinned', 's3.amazonaws.com'),
      'solo/template.yaml': 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Url:\n    Type: AWS::Lambda::Url\n    Properties:\n      AuthType: NONE\n      TargetFunctionArn: f\n',
    });
    const tree = await parsedTree(root);
    const expected = buildModel(tree.documents);
    expect(expected.permissions.map((p) => [p.address, p.principal!.range.file])).toEqual([
      ['Open/Invoke', join('a', 'parent.yaml')],
      ['Pinned/Invoke', join('z', 'parent.yaml')],
    ]);
    const m = tree.displayed.indexOf(join('m', 'child.yaml'));
    const inOrder = tree.documents.map((_, i) => i);
    // In file order the child is known to be nested (by a/) when it arrives: held, not parsed again.
    const forward = await assemble(tree, inOrder);
    expectSameModel(forward.model, expected);
    expect(forward.reparsed).toEqual([]);
    // Complete before any parent: modelled as a root first, then dropped and parsed again.
    const childFirst = await assemble(tree, [m, ...inOrder.filter((i) => i !== m)]);
    expectSameModel(childFirst.model, expected);
    expect(childFirst.reparsed).toEqual([m]);
    for (const seed of [1, 2, 3, 4]) expectSameModel((await assemble(tree, shuffled(inOrder.length, seed))).model, expected);
  });

  it('models templates that only nest each other (a cycle) once, from the first, in any order', async () => {
    const nests = (target: string) => `AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Next:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: ${target}\n  Open:\n    Type: AWS::Lambda::Permission\n    Properties:\n      FunctionName: f\n      Principal: "*"\n`;
    const root = tempTree({ 'a.yaml': nests('b.yaml'), 'b.yaml': nests('c.yaml'), 'c.yaml': nests('a.yaml'), 'self.yaml': nests('./self.yaml') });
    const tree = await parsedTree(root);
    const expected = buildModel(tree.documents);
    expect(expected.permissions.map((p) => p.address)).toEqual(['Open', 'Next/Open', 'Next/Next/Open', 'Open']);
    expect(expected.errors.map((e) => [e.range.file, e.range.line])).toEqual([
      ['c.yaml', 6],
      ['self.yaml', 6],
    ]);
    const inOrder = tree.documents.map((_, i) => i);
    for (const order of [inOrder, [...inOrder].reverse(), shuffled(inOrder.length, 5)]) expectSameModel((await assemble(tree, order)).model, expected);
  });

  it('releases a template that nests nothing as it arrives, and holds a parent template until the end', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const url = 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Url:\n    Type: AWS::Lambda::Url\n    Properties:\n      AuthType: NONE\n      TargetFunctionArn: f\n';
    const root = tempTree({
      'a/solo.yaml': url,
      'c/child.yaml': url,
      'p/parent.yaml': 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Nested:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: ../c/child.yaml\n',
    });
    const { files } = await discover([root], root);
    const displayed = files.map((f) => relative(root, f.path));
    const assembler = modelAssembler(displayed, new Set(), async (indices) => Promise.all(indices.map((i) => parseFile(files[i], displayed[i]))));
    const trees: Array<WeakRef<object>> = [];
    for (let i = 0; i < files.length; i++) {
      const document = await parseFile(files[i], displayed[i]);
      if (document.format !== 'cloudformation') throw new Error(`unexpected ${document.format}`);
      trees.push(new WeakRef(document.template));
      assembler.add(i, document);
    }
    await new Promise((resolve) => setImmediate(resolve));
    gc();
    // The child arrived before its parent: modelled as a root, released, and parsed again at the end.
    expect(displayed.filter((_, i) => trees[i].deref() !== undefined)).toEqual([join('p', 'parent.yaml')]);
    const model = await assembler.finish();
    expect(model.functionUrls.map((u) => u.address)).toEqual(['Url', 'Nested/Url']);
  });
});
