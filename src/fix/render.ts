import type { FixValue } from './types.js';

/**
 * The syntax at an edited place: Terraform HCL, JSON inside an HCL heredoc (a template:
 * references as `"${…}"`), Terraform JSON (strings are templates), CloudFormation YAML or
 * JSON, and plain JSON (raw IAM policies: literal strings only).
 */
export type Syntax = 'hcl' | 'hcl-json' | 'tf-json' | 'cfn-yaml' | 'cfn-json' | 'json';

export function isJsonSyntax(syntax: Syntax): boolean {
  return syntax !== 'hcl' && syntax !== 'cfn-yaml';
}

/** A value as code in `syntax`; undefined when the syntax cannot express it (a Terraform reference in CloudFormation). */
export function renderValue(value: FixValue, syntax: Syntax): string | undefined {
  switch (value.kind) {
    case 'string':
      return renderString(value.value, syntax);
    case 'terraform': {
      const suffix = value.suffix ?? '';
      if (syntax === 'hcl') return suffix ? `"\${${value.expression}}${escapeTemplate(hclEscape(suffix))}"` : value.expression;
      if (syntax === 'hcl-json' || syntax === 'tf-json') return `"\${${value.expression}}${escapeTemplate(JSON.stringify(suffix).slice(1, -1))}"`;
      return undefined;
    }
    case 'intrinsic': {
      const argument = typeof value.argument === 'string' ? value.argument : value.argument.join('.');
      // A Sub string starts with `${`: a plain scalar so written would be a flow mapping inside a list.
      if (syntax === 'cfn-yaml') return `!${value.name.replace(/^Fn::/, '')} ${value.name === 'Fn::Sub' ? JSON.stringify(argument) : argument}`;
      if (syntax === 'cfn-json') return `{ ${JSON.stringify(value.name)}: ${JSON.stringify(value.argument)} }`.replace(/","/g, '", "');
      return undefined;
    }
    case 'list': {
      const items = value.items.map((item) => renderValue(item, syntax));
      return items.every((i) => i !== undefined) ? `[${items.join(', ')}]` : undefined;
    }
    case 'object': {
      const entries = value.entries.map(([key, item]) => {
        const rendered = renderValue(item, syntax);
        return rendered === undefined ? undefined : `${renderKey(key, syntax)}${syntax === 'hcl' ? ' = ' : ': '}${rendered}`;
      });
      return entries.every((e) => e !== undefined) ? `{ ${entries.join(', ')} }` : undefined;
    }
  }
}

/** An attribute or property name as written in `syntax`. */
export function renderKey(key: string, syntax: Syntax): string {
  if (isJsonSyntax(syntax)) return JSON.stringify(key);
  return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(key) ? key : JSON.stringify(key);
}

function renderString(text: string, syntax: Syntax): string {
  switch (syntax) {
    case 'hcl':
      return `"${escapeTemplate(hclEscape(text))}"`;
    case 'hcl-json':
    case 'tf-json':
      // Both are templates: a literal `${` must be doubled.
      return escapeTemplate(JSON.stringify(text));
    case 'cfn-yaml':
      return yamlPlainSafe(text) ? text : JSON.stringify(text);
    default:
      return JSON.stringify(text);
  }
}

function hclEscape(text: string): string {
  return text.replace(/[\\"]/g, (c) => `\\${c}`).replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t');
}

function escapeTemplate(text: string): string {
  return text.replace(/\$\{/g, '$${').replace(/%\{/g, '%%{');
}

/** A YAML plain scalar that reads back as this same string (not a number, bool, null, or anything with syntax). */
function yamlPlainSafe(text: string): boolean {
  if (!/^[A-Za-z_][A-Za-z0-9_./:-]*$/.test(text) || /:$/.test(text)) return false;
  return !/^(true|false|yes|no|on|off|y|n|null|~)$/i.test(text);
}
