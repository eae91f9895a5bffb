import type { Expr, HclBody } from '../parse/terraform-hcl/hcl-ast.js';
import type { Value } from './value.js';

/**
 * One reference a resource's definition makes to another resource of its template or module: a CloudFormation
 * `Ref`, `Fn::GetAtt`, `Fn::Sub` piece or `DependsOn`; a Terraform traversal (`aws_x.y.arn`) or `depends_on`.
 * `attribute`: the attribute read (`Arn`, `FunctionUrl`, `function_url`), absent for a bare `Ref` or a dependency.
 * Kept as written, not evaluated: a fix that adds a reference must not close a dependency cycle through any of them.
 */
export interface ResourceReference {
  address: string;
  attribute?: string;
}

/**
 * The references a CloudFormation resource's definition (its whole entry: Properties, DependsOn, Metadata excluded)
 * makes to `declared` resources of its template; `prefix`: a nested stack's address prefix.
 */
export function cloudFormationReferences(definition: Value, declared: ReadonlyMap<string, string>, prefix = '', loop?: { key: string; id: string }): ResourceReference[] {
  const bind = loop ? loopBinding(loop.key, loop.id) : undefined;
  return collectCloudFormation(declared, prefix, (add) => {
    const named = bind ? (id: string, attribute?: string) => add(bind(id), attribute) : add;
    if (definition.kind === 'object')
      for (const entry of definition.entries) {
        if (entry.key === 'DependsOn') for (const id of strings(entry.value)) named(id);
        else if (entry.key === 'Properties') walkCloudFormation(entry.value, named);
      }
  });
}

/**
 * A `Fn::ForEach` body's references are written with the loop's identifiers (`!Ref Fn\${Name}`), as its key is
 * (`Perm\${Name}`): this instance's id (`PermA`) tells what they stand for here, so `Fn\${Name}` names `FnA`.
 */
function loopBinding(key: string, id: string): ((written: string) => string) | undefined {
  const names: string[] = [];
  const pattern = key.replace(/\$\{([^}]+)\}|[^$]+|\$/g, (piece, name?: string) => {
    if (name === undefined) return piece.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    names.push(name);
    return '(.*?)';
  });
  const match = names.length > 0 ? new RegExp(`^${pattern}$`).exec(id) : null;
  if (!match) return undefined;
  const values = new Map(names.map((name, i) => [name, match[i + 1]]));
  return (written) => written.replace(/\$\{([^}]+)\}/g, (piece, name: string) => values.get(name) ?? piece);
}

/** The references any CloudFormation value (an output's `Value`) makes to `declared` resources of its template. */
export function cloudFormationValueReferences(value: Value, declared: ReadonlyMap<string, string>, prefix = ''): ResourceReference[] {
  return collectCloudFormation(declared, prefix, (add) => walkCloudFormation(value, add));
}

function collectCloudFormation(declared: ReadonlyMap<string, string>, prefix: string, walk: (add: (id: string, attribute?: string) => void) => void): ResourceReference[] {
  const found = new Map<string, ResourceReference>();
  const add = (written: string, attribute?: string) => {
    const id = declared.has(written) ? written : samGenerator(written, declared);
    if (id === undefined) return;
    const key = attribute === undefined ? id : `${id}\u0000${attribute}`;
    if (!found.has(key)) found.set(key, attribute === undefined ? { address: prefix + id } : { address: prefix + id, attribute });
  };
  walk(add);
  return [...found.values()];
}

/**
 * Resources SAM generates that a template may name, by the suffix SAM adds to the logical id of the SAM resource
 * generating them: its role (`<LogicalId>Role`), a function's URL (`<LogicalId>Url`). They are part of what the SAM
 * resource deploys, and stand for it.
 */
const SAM_GENERATED: ReadonlyArray<readonly [string, ReadonlySet<string>]> = [
  ['Role', new Set(['AWS::Serverless::Function', 'AWS::Serverless::StateMachine'])],
  ['Url', new Set(['AWS::Serverless::Function'])],
];

/** The SAM resource that generates `id` (its role, its URL), when it is one of `declared`'s. */
export function samGenerator(id: string, declared: ReadonlyMap<string, string>): string | undefined {
  for (const [suffix, types] of SAM_GENERATED) {
    if (!id.endsWith(suffix)) continue;
    const stem = id.slice(0, -suffix.length);
    if (types.has(declared.get(stem) ?? '')) return stem;
  }
  return undefined;
}

function strings(value: Value): string[] {
  if (value.kind === 'string') return [value.value];
  return value.kind === 'list' ? value.items.flatMap((i) => (i.kind === 'string' ? [i.value] : [])) : [];
}

/** `${Name}` and `${Name.Attr}` of a `Fn::Sub` string; `${!Literal}` is text. */
const SUB_PIECE = /\$\{(?!!)([^}.\s]+)(?:\.([^}\s]+))?\}/g;

// Indexed loops, no destructuring: this walks every value of every resource of a scan, and unoptimised code runs the
// iterator protocol for `for…of` and `const [x] = …`.
function walkCloudFormation(value: Value, add: (id: string, attribute?: string) => void): void {
  if (value.kind === 'list') {
    const items = value.items;
    for (let i = 0; i < items.length; i++) walkCloudFormation(items[i], add);
    return;
  }
  if (value.kind !== 'object') return;
  const entries = value.entries;
  if (entries.length === 1) {
    const key = entries[0].key;
    const argument = entries[0].value;
    if (key === 'Ref' && argument.kind === 'string') return add(argument.value);
    if (key === 'Fn::GetAtt') return getAtt(argument, add);
    if (key === 'Fn::Sub') return sub(argument, add);
  }
  for (let i = 0; i < entries.length; i++) walkCloudFormation(entries[i].value, add);
}

function getAtt(argument: Value, add: (id: string, attribute?: string) => void): void {
  const parts = argument.kind === 'string' ? splitOnce(argument.value) : strings(argument);
  if (parts.length >= 1) add(parts[0], parts[1]);
  if (argument.kind === 'list') for (const item of argument.items) if (item.kind !== 'string') walkCloudFormation(item, add);
}

function sub(argument: Value, add: (id: string, attribute?: string) => void): void {
  const text = argument.kind === 'string' ? argument.value : argument.kind === 'list' && argument.items[0]?.kind === 'string' ? argument.items[0].value : undefined;
  // Most strings name nothing: no pattern run (nor a set of the variables map's names) for them.
  if (text !== undefined && text.includes('${')) {
    // Names the variables map defines are its own, not resources.
    const own = new Set(argument.kind === 'list' && argument.items[1]?.kind === 'object' ? argument.items[1].entries.map((e) => e.key) : []);
    for (const match of text.matchAll(SUB_PIECE)) if (!own.has(match[1])) add(match[1], match[2]);
  }
  if (argument.kind === 'list') for (const item of argument.items.slice(1)) walkCloudFormation(item, add);
}

function splitOnce(text: string): string[] {
  const dot = text.indexOf('.');
  return dot < 0 ? [text] : [text.slice(0, dot), text.slice(dot + 1)];
}

/**
 * The references a Terraform resource block makes to resources of its module (`prefix`: its module instance's
 * address prefix): every traversal starting with a resource type and name, anywhere in its body, and `depends_on`.
 * `data.`, `var.`, `local.`, `module.` and iterator names are not resources of the module and are left out.
 */
export function terraformReferences(body: HclBody, prefix: string): ResourceReference[] {
  const found = new Map<string, ResourceReference>();
  const visit = (path: ReadonlyArray<string | number | Expr>) => {
    const [type, name, attribute] = path;
    if (typeof type !== 'string' || typeof name !== 'string' || NOT_RESOURCES.has(type) || !type.includes('_')) return;
    // `aws_x.y[0].arn`: an instance key before the attribute.
    const attr = typeof attribute === 'string' ? attribute : typeof path[3] === 'string' ? path[3] : undefined;
    const key = `${type}.${name}\u0000${attr ?? ''}`;
    if (!found.has(key)) found.set(key, attr === undefined ? { address: `${prefix}${type}.${name}` } : { address: `${prefix}${type}.${name}`, attribute: attr });
  };
  walkBody(body, (expr) => walkExpr(expr, visit));
  return [...found.values()];
}

const NOT_RESOURCES = new Set(['data', 'var', 'local', 'module', 'each', 'count', 'self', 'path', 'terraform']);

function walkBody(body: HclBody, onExpr: (expr: Expr) => void): void {
  for (const attribute of body.attributes) onExpr(attribute.expr);
  for (const block of body.blocks) walkBody(block.body, onExpr);
}

function walkExpr(expr: Expr, visit: (path: ReadonlyArray<string | number | Expr>) => void): void {
  switch (expr.t) {
    case 'ref':
      return visit(expr.path);
    case 'traverse':
      if (expr.base.t === 'ref') visit([...expr.base.path, ...expr.steps]);
      else walkExpr(expr.base, visit);
      for (const step of expr.steps) if (typeof step === 'object') walkExpr(step, visit);
      return;
    case 'template':
      for (const part of expr.parts) {
        if (part.kind === 'interpolation') walkExpr(part.expr, visit);
        else if (part.kind === 'directive') {
          const d = part.directive;
          if (d.tag === 'if') walkExpr(d.condition, visit);
          else if (d.tag === 'for') walkExpr(d.collection, visit);
        }
      }
      return;
    case 'call':
      for (const arg of expr.args) walkExpr(arg, visit);
      return;
    case 'tuple':
      for (const item of expr.items) walkExpr(item, visit);
      return;
    case 'object':
      for (const item of expr.items) {
        walkExpr(item.key, visit);
        walkExpr(item.value, visit);
      }
      return;
    case 'conditional':
      walkExpr(expr.condition, visit);
      walkExpr(expr.then, visit);
      walkExpr(expr.otherwise, visit);
      return;
    case 'binary':
      walkExpr(expr.left, visit);
      walkExpr(expr.right, visit);
      return;
    case 'unary':
      return walkExpr(expr.operand, visit);
    case 'for':
      for (const part of [expr.collection, expr.key, expr.value, expr.condition]) if (part) walkExpr(part, visit);
      return;
    case 'splat':
      walkExpr(expr.source, visit);
      return;
    default:
      return;
  }
}
