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
  const { attributes } = body;
  if (attributes.length > 1) {
    const first = firstByName(attributes);
    for (let i = 0; i < attributes.length; i++) {
      const earlier = first(i);
      if (earlier === undefined) continue;
      const repeat = attributes[i];
      if (syntax === 'json' && blockShaped(earlier.expr) && blockShaped(repeat.expr)) continue;
      errors.push(redefinition(repeat, earlier, syntax !== 'native'));
    }
  }
  for (const block of body.blocks) redefinedArguments(block.body, errors, syntax === 'json' && block.type === 'locals' ? 'json-arguments' : syntax);
}

/**
 * For each attribute index, the first attribute of the same name when that is an earlier one.
 * Most bodies are small: their names are compared pairwise rather than put in a Map per body.
 */
function firstByName(attributes: readonly HclAttribute[]): (index: number) => HclAttribute | undefined {
  if (attributes.length <= 16) {
    return (i) => {
      const name = attributes[i].name;
      for (let j = 0; j < i; j++) if (attributes[j].name === name) return attributes[j];
      return undefined;
    };
  }
  const first = new Map<string, HclAttribute>();
  for (const attribute of attributes) if (!first.has(attribute.name)) first.set(attribute.name, attribute);
  return (i) => {
    const earlier = first.get(attributes[i].name);
    return earlier !== attributes[i] ? earlier : undefined;
  };
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
