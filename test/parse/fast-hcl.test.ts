import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createPositionMapper } from '../../src/model/range.js';
import { parseHclFast } from '../../src/parse/terraform-hcl/fast-hcl.js';
import type { Expr } from '../../src/parse/terraform-hcl/hcl-ast.js';
import { parseHcl, parseHclFastPath, parseHclWithTreeSitter } from '../../src/parse/terraform-hcl/parse-hcl.js';
import { REPO_ROOT } from '../helpers/scan.js';
import { mutate, mutationFrom, propertyParameters } from '../helpers/property.js';

const REALWORLD = join(REPO_ROOT, '..', 'shared', 'realworld');

function hclFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.(tf|tfvars)$/.test(f))
    .map((f) => join(dir, f))
    .sort();
}

const fast = (text: string) => parseHclFast('t.tf', text, createPositionMapper('t.tf', text));

/** The fast path either declines, or yields exactly tree-sitter's AST for input tree-sitter finds valid. */
async function expectAgreement(text: string): Promise<boolean> {
  const quick = fast(text);
  if (!quick) return false;
  const reference = await parseHclWithTreeSitter('t.tf', text);
  // An argument set twice is no syntax error: both paths report it, alike (test/parse/duplicate-keys.test.ts).
  expect(reference.errors.filter((e) => e.kind !== 'redefined-argument')).toEqual([]);
  expect(parseHclFastPath('t.tf', text)?.errors).toEqual(reference.errors);
  expect(quick).toEqual(reference.hcl);
  return true;
}

const SNIPPETS = [
  'a = " x "\nb = "${p} ${q}"\nc = " a ${p} b "\n',
  'a = "esc \\" \\\\ \\n \\u00e9 \\U0001F600 $${lit} %%{lit} $ % $$"\n',
  'a = x ? y : z\nb = p ? q : r ? s : t\nc = p ? (q ? r : s) : t\nd = a == "" && b != "" ? 1 : 2\n',
  'a = [for k, v in var.m : v if v != null]\nb = {for k, v in var.m : k => v... if k != ""}\n',
  'a = var.list[*].id\nb = var.list.*.id\nc = var.x.0\nd = var.m["k"][0].name\ne = var.m[var.k]\nf = (var.x).y\ng = f(1).z\n',
  'a = -1\nb = !var.x\nc = 1.5e3 + 0x1F * 2 % 3 / 4 - 5\nd = 1 < 2 || 3 >= 4\ne = [1, 2,]\nf = { a = 1, b = 2 }\ng = { "k" : 1 }\nh = {}\ni = []\n',
  'a = jsonencode({\n  Statement = [{ Effect = "Allow" }]\n})\nb = concat(["a"], var.x...)\nc = provider::aws::arn_parse("x")\nd = f()\n',
  'x = <<EOF\n  hi ${var.name}\n  $${literal}\nEOF\ny = <<-EOT\n    indented\n    EOT\nz = <<EOF\nEOF\n',
  '# top\nresource "aws_lambda_function" "f" { # trailing\n  // slashes\n  /* block\n comment */\n  a = 1 /* inline */\n  nested {\n    b = [ # in tuple\n      1,\n    ]\n  }\n}\n',
  'block ident label "quoted" {\n}\nempty {}\none { a = 1 }\n',
  'a = "x"\r\nb = [\r\n  1,\r\n]\r\n# crlf comment\r\n',
  'a-b = c-d\nlocals {\n  x = count.index-1\n}\n',
  'a = "${"nested ${"deep"}"}"\n',
  'a = !var.a.b && (x || y) == -z\nb = -a * b - c - d\nc = a || b && c == d < e + f * g\nd = !(p) || f(x).y > 1\n',
  'a = [for s in xs : s]\nb = {for k, v in var.m : k => v.x if v.on}\nc = [for i, v in [for x in y : x] : {n = i}]\n',
  'a = aws_lambda_function.fns[*].arn\nb = var.t[*].a[0].b\nc = var.l.*.a.b[0].c\nd = var.l.*.a.0\ne = var.m[var.k][*].x\nf = f(1)[*].y\ng = var.x[*]\nh = var.x.*\ni = var.a[*].b[*].c\nm = var.a[*][*]\nn = var.a.*.*\nj = (var.x)[*].y\nk = module.m[*].out["k"]\nl = var.l[*][each.key]\n',
  'a = var.x[*].y == 1 && !var.z.*.w\nb = "${var.l[*].id}"\nc = [for s in var.l[*].s : s]\n',
  'a = "x %{ if c ~} y${~ v} %{~ else }z%{ endif } w"\nb = "%{ for x in xs }%{ if x != "" }${x}%{ endif }%{ endfor }"\nc = "%{if a}%{endif}"\n',
  'a = <<EOT\n  %{ for k, v in var.m ~}\n  {${v}}\n  %{~ endfor }\n  $${x} %%{y}\n  %{ if var.on ~}on%{ else ~} off %{~ endif ~}\nEOT\n',
];

describe('fast HCL parser agrees with tree-sitter', () => {
  it.each(SNIPPETS.map((s) => [s]))('on %j', async (text) => {
    expect(await expectAgreement(text)).toBe(true);
  });

  it('groups operators by HCL precedence, left-associative, and reads for-expressions structurally', () => {
    const shape = (e: Expr): unknown =>
      e.t === 'binary' ? [shape(e.left), e.op, shape(e.right)] : e.t === 'unary' ? [e.op, shape(e.operand)] : 'text' in e ? e.text : e.t === 'literal' ? e.value : e.t;
    const [a, b] = fast('a = a || b && c == d < e + f * -g\nb = x - y - z\n')!.body.attributes;
    expect(shape(a.expr)).toEqual(['a', '||', ['b', '&&', ['c', '==', ['d', '<', ['e', '+', ['f', '*', ['-', 'g']]]]]]]);
    expect(shape(b.expr)).toEqual([['x', '-', 'y'], '-', 'z']);
    const [f] = fast('f = {for k, v in var.m : k => v... if v.on}\n')!.body.attributes;
    expect(f.expr).toMatchObject({ t: 'for', object: true, keyVar: 'k', valueVar: 'v', collection: { t: 'ref', path: ['var', 'm'] }, key: { t: 'ref', path: ['k'] }, value: { t: 'ref', path: ['v'] }, grouped: true, condition: { t: 'ref', path: ['v', 'on'] } });
  });

  it('reads splats structurally: [*] applies every later step to each element, .* only the attributes right after it', () => {
    const [a, c, i, m] = fast('a = var.t[*].a[0].b\nc = var.l.*.a.b[0].c\ni = var.a[*].b[*].c\nm = var.a[*][*]\n')!.body.attributes;
    expect(a.expr).toMatchObject({ t: 'splat', source: { t: 'ref', path: ['var', 't'], text: 'var.t' }, each: ['a', 0, 'b'], text: 'var.t[*].a[0].b' });
    expect(c.expr).toMatchObject({ t: 'traverse', base: { t: 'splat', source: { t: 'ref', path: ['var', 'l'] }, each: ['a', 'b'], text: 'var.l.*.a.b' }, steps: [0, 'c'], text: 'var.l.*.a.b[0].c' });
    expect(i.expr).toMatchObject({ t: 'other', text: 'var.a[*].b[*].c' });
    expect(m.expr).toMatchObject({ t: 'other', text: 'var.a[*][*]' });
  });

  it('keeps whitespace at the edges of string literals (tree-sitter nodes drop it; both paths now read the source)', async () => {
    const { hcl } = await parseHclWithTreeSitter('t.tf', 'a = " x "\nb = "${p} ${q}"\n');
    expect(hcl.body.attributes[0].expr).toMatchObject({ t: 'literal', value: ' x ' });
    expect(hcl.body.attributes[1].expr).toMatchObject({ t: 'template', parts: [{ kind: 'interpolation' }, { kind: 'text', text: ' ' }, { kind: 'interpolation' }] });
  });

  it('declines what it leaves to tree-sitter: syntax errors, unmatched directives, detached strip markers, root objects', () => {
    const directives = ['a = "%{if x}y"', 'a = "%{ else }"', 'a = "%{if x}%{else}%{else}%{endif}"', 'a = "%{for x in y}%{else}%{endfor}"', 'a = "%{ for x in y }%{ endif }"', 'a = "%{ unless x }"', 'a = "${ ~x}"', 'a = "%{ if x ~ }%{ endif }"'];
    for (const text of [...directives, 'a = ', 'a = "x', 'a = 1 2', 'x {', '}', '{ "a": 1 }', 'a = "\\d"', 'a = "line\nbreak"', 'x = <<EOF\nno end', 'a = (1']) {
      expect(fast(text)).toBeUndefined();
    }
  });

  it('reads template directives tag by tag, with their strip markers', () => {
    const [a] = fast('a = "%{ for k, v in m ~}${~ v}%{~ endfor }"\n')!.body.attributes;
    expect(a.expr).toMatchObject({
      t: 'template',
      parts: [
        { kind: 'directive', directive: { tag: 'for', keyVar: 'k', valueVar: 'v', collection: { t: 'ref', path: ['m'] } }, start: 5, end: 24, stripAfter: true },
        { kind: 'interpolation', expr: { t: 'ref', path: ['v'] }, start: 24, end: 30, stripBefore: true },
        { kind: 'directive', directive: { tag: 'endfor' }, start: 30, end: 42, stripBefore: true },
      ],
    });
  });

  it('parses every HCL file in the fixtures, examples and real-world sample exactly as tree-sitter does', async () => {
    // A deterministic sample (every fourth file) of the real-world corpus keeps the suite fast.
    const realworld = hclFiles(REALWORLD).filter((_, i) => i % 4 === 0);
    const files = [...hclFiles(join(REPO_ROOT, 'test', 'fixtures')), ...hclFiles(join(REPO_ROOT, 'examples')), ...realworld];
    let accepted = 0;
    for (const file of files) if (await expectAgreement(readFileSync(file, 'utf8'))) accepted++;
    // The fast path must carry real code, not decline it all.
    expect(accepted / files.length).toBeGreaterThan(0.95);
  }, 60_000);

  it('on 1,000 mutated fixtures (characters deleted, inserted, duplicated): agrees or declines, and parseHcl never throws', async () => {
    const seeds = [...hclFiles(join(REPO_ROOT, 'test', 'fixtures')), ...hclFiles(join(REPO_ROOT, 'examples'))].map((f) => readFileSync(f, 'utf8'));
    const mutation = mutationFrom('{}[]()"=$#/*<\n ,.:?ax1\\%~');
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...seeds), fc.array(mutation, { minLength: 1, maxLength: 4 }), async (seed, mutations) => {
        const text = mutate(seed, mutations);
        await expectAgreement(text);
        const started = Date.now();
        const { errors } = await parseHcl('t.tf', text);
        expect(Date.now() - started).toBeLessThan(1000);
        for (const error of errors) expect(error.range.line).toBeGreaterThanOrEqual(1);
        for (const error of errors) expect(error.range.line).toBeLessThanOrEqual(text.split('\n').length);
      }),
      propertyParameters(1000),
    );
  }, 60_000);
});
