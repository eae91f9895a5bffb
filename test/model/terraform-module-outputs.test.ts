import { describe, expect, it } from '@jest/globals';
import { scan } from '../../src/scan.js';
import { tempTree } from '../helpers/temp-tree.js';

async function scanned(files: Record<string, string>) {
  const root = tempTree(files);
  const { findings } = await scan({ paths: ['.'], cwd: root });
  return findings;
}

async function findingsIn(files: Record<string, string>) {
  return (await scanned(files)).map((f) => [f.ruleId, f.resource, f.range.file, f.range.line] as const);
}

const permission = (name: string, principal: string, functionName = '"fn"') => `
resource "aws_lambda_permission" "${name}" {
  action        = "lambda:InvokeFunction"
  function_name = ${functionName}
  principal     = ${principal}
}
`;

describe('Terraform module outputs', () => {
  it('evaluates module.NAME.OUTPUT in the child module, with its locals (a principal computed in the module)', async () => {
    const found = await findingsIn({
      'main.tf': `module "cfg" {\n  source = "./modules/cfg"\n}\n${permission('root', 'module.cfg.principal')}${permission('other', 'module.cfg.account')}`,
      'modules/cfg/main.tf': 'locals {\n  star = "*"\n}\noutput "principal" { value = local.star }\noutput "account" { value = "123456789012" }\n',
    });
    expect(found).toEqual([['IG101', 'aws_lambda_permission.root', 'main.tf', 8]]);
  });

  it('a resource reached through an output keeps its address: IG101 names the module function a root permission grants on', async () => {
    const findings = await scanned({
      'main.tf': `module "fn" {\n  source = "./modules/fn"\n}\n${permission('root', '"*"', 'module.fn.function_name')}`,
      'modules/fn/main.tf': 'variable "name" {}\nresource "aws_lambda_function" "this" {\n  count         = 1\n  function_name = var.name\n}\noutput "function_name" { value = aws_lambda_function.this[0].function_name }\n',
    });
    expect(findings.map((f) => [f.ruleId, f.resource, f.range.line])).toEqual([['IG101', 'aws_lambda_permission.root', 8]]);
    expect(findings[0].message).toContain('invoke module.fn.aws_lambda_function.this[0]');
  });

  it('reads module.NAME[KEY].OUTPUT in that instance, with the inputs its caller passes; a missing instance is no grant', async () => {
    const found = await findingsIn({
      'main.tf': `module "fns" {\n  for_each  = { open = "*", closed = "123456789012" }\n  source    = "./modules/fn"\n  principal = each.value\n}\n${permission('open', 'module.fns["open"].principal')}${permission('closed', 'module.fns["closed"].principal')}${permission('missing', 'try(module.fns["nope"].principal, "123456789012")')}`,
      'modules/fn/main.tf': 'variable "principal" {}\noutput "principal" { value = var.principal }\n',
    });
    expect(found).toEqual([['IG101', 'aws_lambda_permission.open', 'main.tf', 10]]);
  });

  it('module.NAME as a whole is the object of its outputs, indexed further', async () => {
    const found = await findingsIn({
      'main.tf': `module "cfg" {\n  source = "./modules/cfg"\n}\nlocals {\n  all = module.cfg\n}\n${permission('map', 'module.cfg.principals["public"]')}${permission('whole', 'local.all.principals["public"]')}${permission('private', 'module.cfg.principals["private"]')}`,
      'modules/cfg/main.tf': 'output "principals" {\n  value = { public = "*", private = "123456789012" }\n}\n',
    });
    expect(found).toEqual([
      ['IG101', 'aws_lambda_permission.map', 'main.tf', 11],
      ['IG101', 'aws_lambda_permission.whole', 'main.tf', 17],
    ]);
  });

  it('an output that depends on the caller depending on that output is unknown, without hanging', async () => {
    const found = await findingsIn({
      'main.tf': `locals {\n  p = module.loop.out\n}\nmodule "loop" {\n  source = "./modules/loop"\n  v      = local.p\n}\n${permission('cycle', 'local.p')}`,
      'modules/loop/main.tf': `variable "v" {}\noutput "out" { value = var.v }\n${permission('inner', 'var.v')}`,
    });
    expect(found).toEqual([]);
  });

  it('outputs read before the call is instantiated are the same values the instantiation models', async () => {
    // The root permission refers to the output; the module's own resources are modelled with the same inputs.
    const found = await findingsIn({
      'main.tf': `${permission('root', 'module.m.principal')}module "m" {\n  source    = "./modules/m"\n  principal = "*"\n}\n`,
      'modules/m/main.tf': `variable "principal" {}\noutput "principal" { value = var.principal }\n${permission('inner', 'var.principal')}`,
    });
    expect(found).toEqual([
      ['IG101', 'aws_lambda_permission.root', 'main.tf', 5],
      ['IG101', 'module.m.aws_lambda_permission.inner', 'modules/m/main.tf', 7],
    ]);
  });
});
