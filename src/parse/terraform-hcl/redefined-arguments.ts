import type { InputError } from '../types.js';
import type { Expr, HclAttribute, HclBody } from './hcl-ast.js';

/**
 * How a body was written. `json`: Terraform JSON, where a nested block is an object (or a list of
 * objects) just like an object-valued argument; without the provider schema we cannot tell them
 * apart, so a repeat where both values have that shape is left alone. `json-arguments`: JSON
 * whose body holds arguments only (locals, tfvars.json), so every repeat counts.
 */
export type BodySyntax = 'native' | 'json' | 'json-arguments';

/**
 * Terraform rejects an argument set twice in one body ("Attribute redefined" in native syntax,
 * "Duplicate argument" in JSON): each repeat is an IG901 at the repeat, as Terraform reports it.
 * Repeated blocks are normal and not looked at, nor the same name in different bodies.
 * Both HCL parsers (fast and tree-sitter) and the tf.json adapter run this same pass on their AST,
 * so they agree by construction.
 */
export function redefinedArguments(body: HclBody, errors: InputError[], syntax: BodySyntax = 'native'): void {
  const { attributes, blocks } = body;
  const count = attributes.length;
  // Most bodies are small: their names are compared pairwise rather than put in a Map per body.
  if (count > 1 && count <= 16) {
    for (let i = 1; i < count; i++) {
      const name = attributes[i].name;
      for (let j = 0; j < i; j++) {
        if (attributes[j].name !== name) continue;
        report(attributes[i], attributes[j], errors, syntax);
        break;
      }
    }
  } else if (count > 16) {
    const first = new Map<string, HclAttribute>();
    for (const attribute of attributes) {
      const earlier = first.get(attribute.name);
      if (earlier) report(attribute, earlier, errors, syntax);
      else first.set(attribute.name, attribute);
    }
  }
  for (let i = 0; i < blocks.length; i++) redefinedArguments(blocks[i].body, errors, syntax === 'json' && blocks[i].type === 'locals' ? 'json-arguments' : syntax);
}

function report(repeat: HclAttribute, earlier: HclAttribute, errors: InputError[], syntax: BodySyntax): void {
  if (syntax === 'json' && blockShaped(earlier.expr) && blockShaped(repeat.expr)) return;
  errors.push(redefinition(repeat, earlier, syntax !== 'native'));
}

/** Terraform's own wording, with the first definition's line; located at the repeated name. */
function redefinition(repeat: HclAttribute, first: HclAttribute, quoted: boolean): InputError {
  const { file, line, column } = repeat.range;
  const width = repeat.name.length + (quoted ? 2 : 0);
  return {
    kind: 'redefined-argument',
    message: `argument ${JSON.stringify(repeat.name)} was already set at line ${first.range.line}; each argument may be set only once`,
    range: { file, line, column, endLine: line, endColumn: column + width },
  };
}

function blockShaped(expr: Expr): boolean {
  return expr.t === 'object' || (expr.t === 'tuple' && expr.items.length > 0 && expr.items.every((item) => item.t === 'object'));
}
