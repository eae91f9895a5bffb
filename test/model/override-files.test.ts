import { describe, expect, it } from '@jest/globals';
import { declarations } from '../../src/model/terraform/module-tree.js';
import { isOverrideFile } from '../../src/model/terraform/override-files.js';
import { parseHcl } from '../../src/parse/terraform-hcl/parse-hcl.js';
import { triples } from '../helpers/scan.js';

const parsed = async (file: string, text: string) => (await parseHcl(file, text)).hcl;

describe('Terraform override files', () => {
  it('knows them by name, as Terraform and OpenTofu do', () => {
    for (const name of ['override.tf', 'override.tf.json', 'app_override.tf', 'x/app_override.tf.json', 'override.tofu', 'a_override.tofu.json']) expect(isOverrideFile(name)).toBe(true);
    for (const name of ['main.tf', 'overrides.tf', 'myoverride.tf', 'override.tfvars', 'override.json']) expect(isOverrideFile(name)).toBe(false);
  });

  it('merges after every ordinary file, in order: arguments replaced one by one, nested block types replaced whole', async () => {
    const main = await parsed(
      'm/main.tf',
      'resource "t" "r" {\n  a = 1\n  b = 2\n  x { v = 1 }\n  x { v = 2 }\n  y { v = 3 }\n}\nlocals {\n  l = 1\n  k = 1\n}\nvariable "v" {\n  default = 1\n}\n',
    );
    const first = await parsed('m/a_override.tf', 'resource "t" "r" {\n  b = 20\n  c = 30\n  x { v = 9 }\n}\nlocals {\n  l = 10\n}\n');
    const second = await parsed('m/override.tf', 'resource "t" "r" {\n  b = 200\n}\nvariable "v" {\n  default = 100\n}\nresource "t" "orphan" {}\n');
    // Discovery order puts a_override.tf before main.tf: Terraform still applies it after.
    const declared = declarations({ dir: 'm', files: [first, main, second], tfvars: [] });
    const resource = declared.resources.get('t.r')!;
    expect(resource.range.file).toBe('m/main.tf');
    expect(resource.body.attributes.map((a) => [a.name, a.expr.t === 'literal' ? a.expr.value : undefined, a.range.file])).toEqual([
      ['a', 1, 'm/main.tf'],
      ['b', 200, 'm/override.tf'],
      ['c', 30, 'm/a_override.tf'],
    ]);
    expect(resource.body.blocks.map((b) => [b.type, b.range.file])).toEqual([
      ['y', 'm/main.tf'],
      ['x', 'm/a_override.tf'],
    ]);
    expect([...declared.locals].map(([name, expr]) => [name, expr.range.file])).toEqual([
      ['l', 'm/a_override.tf'],
      ['k', 'm/main.tf'],
    ]);
    expect(declared.variables.get('v')!.body.attributes[0].range.file).toBe('m/override.tf');
    expect(declared.resources.has('t.orphan')).toBe(false);
  });

  it('scans the module as Terraform deploys it: base arguments kept, overridden ones reported where written', async () => {
    expect(await triples('test/fixtures/terraform-override')).toEqual([
      // principal "*" stays from main.tf (the override renames the statement only)
      ['IG101', 'aws_lambda_permission.anyone', 14],
      // local.url_auth is NONE, from override.tf
      ['IG104', 'aws_lambda_function_url.second', 38],
      ['IG104', 'aws_lambda_function_url.api', 6],
    ]);
  });
});
