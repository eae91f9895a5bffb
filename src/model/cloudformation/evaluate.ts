import type { Hole } from '../json-value.js';
import type { Range } from '../range.js';
import { mayHoldJson, substitutedPositions } from '../string-positions.js';
import { get, knownString, type ObjectEntry, type UnknownValue, type Value } from '../value.js';
import { boundedAlternatives, enumerateChoices, FIRST, takeChoice, valueKey, type Choices } from '../choices.js';

/** What intrinsics can see of the template they stand in. */
export interface TemplateScope {
  /** Parameter declarations by name (`Type`, `Default`, ...). */
  parameters: Map<string, Value>;
  /** The `Mappings` section. */
  mappings?: Value;
  /** Logical id → resource type, for `Ref`/`Fn::GetAtt` to a resource. */
  resourceTypes: Map<string, string>;
  /** Extra names `Ref` resolves first (SAM policy template parameters). */
  substitutions?: Map<string, Value>;
  /**
   * A nested stack's parameters as its parent passes them, evaluated in the parent's scope: they
   * override the defaults and keep their ranges (a finding on such a value points at the parent).
   */
  given?: ReadonlyMap<string, Value>;
  /** A nested stack's address prefix (`Stack/`): references to its resources name them by model address. */
  prefix?: string;
  /** A nested stack's root template file: its resources record it (ResourceBase.rootTemplate). */
  rootTemplate?: string;
  /**
   * `Fn::GetAtt Stack.Outputs.NAME` of a nested stack whose template is modelled: the output's
   * `Value` as written, with the child's scope to evaluate it in; undefined when it is not known.
   */
  outputs?: (stack: string, name: string) => { value: Value; scope: TemplateScope } | undefined;
  /** The `Conditions` section. */
  conditions?: Value;
  /** Each condition's statically known value, once computed (undefined: it may go either way; see `knownCondition`). */
  conditionCache?: Map<string, boolean | undefined | 'deciding'>;
}

export { MAX_ALTERNATIVES, MAX_VARIANTS, valueKey, type Choices } from '../choices.js';

const MAX_DEPTH = 64;

const INTRINSICS = new Set([
  'Ref',
  'Fn::Sub',
  'Fn::GetAtt',
  'Fn::Join',
  'Fn::If',
  'Fn::FindInMap',
  'Fn::Select',
  'Fn::Split',
  'Fn::ImportValue',
  'Fn::Base64',
  'Fn::Cidr',
  'Fn::GetAZs',
  'Fn::Equals',
  'Fn::And',
  'Fn::Or',
  'Fn::Not',
  'Fn::Transform',
  'Fn::ToJsonString',
  'Fn::Length',
]);

/** Evaluates CloudFormation intrinsics statically: nothing is run, unknowns stay `unknown` with a symbolic ref. */
export class CfnEvaluator {
  /**
   * `pinned`: only what the template pins stands for a value: a parameter's `Default` does not (the
   * deployer may pass another), nor does a value a parent stack passes (it may come from the parent's
   * default). Used to decide conditions, where taking a default for granted would prune a branch that can deploy.
   */
  constructor(
    private readonly scope: TemplateScope,
    readonly choices: Choices = { pick: FIRST, met: [] },
    private readonly pinned = false,
  ) {}

  /** Takes the next choice among `arity` alternatives; a named one as it was taken before, if it was. */
  private choose(arity: number, name?: string): number {
    return takeChoice(this.choices, arity, name);
  }

  /**
   * A named choice's name, qualified by the template instance: a nested stack's condition or parameter
   * is not its parent's of the same name (an output read through `Fn::GetAtt` shares this evaluation's choices).
   */
  private choiceName(kind: 'if' | 'parameter', name: string): string {
    return `${kind}:${this.scope.prefix ?? ''}${name}`;
  }

  /** One of `alternatives` (at least one), relocated to `range`; a choice when there are several. */
  private oneOf(candidates: Value[], range: Range, depth: number, name?: string): Value {
    const alternatives = this.bounded(candidates);
    const picked = alternatives.length === 1 ? alternatives[0] : alternatives[this.choose(alternatives.length, name)];
    return relocate(this.evaluate(picked, depth), range);
  }

  private bounded(candidates: Value[]): Value[] {
    return boundedAlternatives(this.choices, candidates);
  }

  evaluate(value: Value, depth = 0): Value {
    if (depth > MAX_DEPTH) return { kind: 'unknown', range: value.range };
    // Values are never mutated: a collection nothing in which evaluates differently is returned
    // as it is, not copied (most properties hold no intrinsic, and every resource is evaluated).
    if (value.kind === 'list') {
      const items = this.evaluateAll(value.items, depth + 1);
      return items === value.items ? value : { ...value, items };
    }
    if (value.kind !== 'object') return value;
    // Indexed, not destructured (`const [only] = ...`): unoptimised code runs the iterator protocol for that, on every object.
    const only = value.entries[0];
    if (value.entries.length === 1 && INTRINSICS.has(only.key)) return this.intrinsic(only.key, only.value, value.range, depth + 1);
    let entries: ObjectEntry[] | undefined;
    for (let i = 0; i < value.entries.length; i++) {
      const entry = value.entries[i];
      const evaluated = this.evaluate(entry.value, depth + 1);
      if (evaluated !== entry.value) (entries ??= value.entries.slice(0, i))[i] = { ...entry, value: evaluated };
      else if (entries) entries[i] = entry;
    }
    return entries ? { ...value, entries } : value;
  }

  /** The items evaluated; the same array when every item evaluates to itself. */
  private evaluateAll(items: Value[], depth: number): Value[] {
    let out: Value[] | undefined;
    for (let i = 0; i < items.length; i++) {
      const evaluated = this.evaluate(items[i], depth);
      if (evaluated !== items[i]) (out ??= items.slice(0, i))[i] = evaluated;
      else if (out) out[i] = evaluated;
    }
    return out ?? items;
  }

  private intrinsic(name: string, argument: Value, range: Range, depth: number): Value {
    switch (name) {
      case 'Ref': {
        // AWS::LanguageExtensions allows an intrinsic as the name (`Ref: !Sub "${Name}Topic"`).
        const target = knownString(argument.kind === 'object' ? this.evaluate(argument, depth) : argument);
        return target === undefined ? unknown(range) : this.ref(target, range, depth);
      }
      case 'Fn::GetAtt':
        return this.getAtt(this.evaluate(argument, depth), range, depth);
      case 'Fn::Sub':
        return this.sub(argument, range, depth);
      case 'Fn::Join':
        return this.join(argument, range, depth);
      case 'Fn::If': {
        if (argument.kind !== 'list' || argument.items.length !== 3) return unknown(range);
        // A condition known statically picks its branch; the branch that can never deploy is not explored.
        const condition = knownString(argument.items[0]);
        const known = condition === undefined ? undefined : knownCondition(this.scope, condition);
        const takeFalse = known === undefined ? this.choose(2, condition === undefined ? undefined : this.choiceName('if', condition)) === 1 : !known;
        return this.evaluate(argument.items[takeFalse ? 2 : 1], depth);
      }
      case 'Fn::Equals':
      case 'Fn::And':
      case 'Fn::Or':
      case 'Fn::Not': {
        const truth = this.truth({ kind: 'object', entries: [{ key: name, keyRange: range, value: argument }], range }, depth);
        return truth === undefined ? unknown(range) : { kind: 'bool', value: truth, range };
      }
      case 'Fn::FindInMap':
        return this.findInMap(argument, range, depth);
      case 'Fn::Select': {
        if (argument.kind !== 'list' || argument.items.length !== 2) return unknown(range);
        const index = Number(knownString(this.evaluate(argument.items[0], depth)));
        const list = this.evaluate(argument.items[1], depth);
        return list.kind === 'list' && Number.isInteger(index) && list.items[index] ? list.items[index] : unknown(range);
      }
      case 'Fn::Split': {
        if (argument.kind !== 'list' || argument.items.length !== 2) return unknown(range);
        const delimiter = knownString(this.evaluate(argument.items[0], depth));
        const text = knownString(this.evaluate(argument.items[1], depth));
        if (delimiter === undefined || text === undefined || delimiter === '') return unknown(range);
        return { kind: 'list', range, items: text.split(delimiter).map((s) => ({ kind: 'string', value: s, range })) };
      }
      case 'Fn::ImportValue': {
        const exported = knownString(this.evaluate(argument, depth));
        return unknown(range, exported !== undefined ? `ImportValue:${exported}` : undefined);
      }
      case 'Fn::ToJsonString': {
        // The JSON text of an object or list (AWS::LanguageExtensions). Kept as the structure, with its
        // ranges: a policy document passed as a string is read (and located) like one written as an object.
        const structure = this.evaluate(argument, depth);
        return structure.kind === 'object' || structure.kind === 'list' ? structure : unknown(range);
      }
      case 'Fn::Length': {
        const list = this.evaluate(argument, depth);
        return list.kind === 'list' ? { kind: 'number', value: list.items.length, range } : unknown(range);
      }
      default:
        // Base64, Cidr, GetAZs, macros: nothing an invoke grant is built from.
        return unknown(range);
    }
  }

  /**
   * A condition function's value (`Fn::Equals`, `Fn::And`, `Fn::Or`, `Fn::Not`, `{Condition: Name}`),
   * in three-valued logic: undefined when it is not known.
   */
  private truth(value: Value, depth: number): boolean | undefined {
    if (depth > MAX_DEPTH || value.kind !== 'object' || value.entries.length !== 1) return undefined;
    const { key, value: argument } = value.entries[0];
    const items = argument.kind === 'list' ? argument.items : [];
    switch (key) {
      case 'Condition': {
        const name = knownString(argument);
        return name === undefined ? undefined : knownCondition(this.scope, name);
      }
      case 'Fn::Equals': {
        if (items.length !== 2) return undefined;
        const [left, right] = items.map((item) => knownString(this.evaluate(item, depth + 1)));
        return left === undefined || right === undefined ? undefined : left === right;
      }
      case 'Fn::Not': {
        const inner = items.length === 1 ? this.truth(items[0], depth + 1) : undefined;
        return inner === undefined ? undefined : !inner;
      }
      case 'Fn::And':
      case 'Fn::Or': {
        // And: one false decides it; Or: one true does. Otherwise known only when every operand is.
        const decisive = key === 'Fn::Or';
        const truths = items.map((item) => this.truth(item, depth + 1));
        if (truths.includes(decisive)) return decisive;
        return items.length > 0 && truths.every((t) => t === !decisive) ? !decisive : undefined;
      }
      default:
        return undefined;
    }
  }

  private ref(target: string, range: Range, depth: number): Value {
    const substituted = this.scope.substitutions?.get(target);
    if (substituted) return relocate(this.evaluate(substituted, depth), range);
    if (target === 'AWS::NoValue') return { kind: 'null', range };
    const parameter = this.scope.parameters.get(target);
    if (parameter) {
      // Its default, the value passed and its AllowedValues are parameter store keys: the value read there is not known.
      if (ssmTyped(parameter)) return unknown(range, target);
      const passed = this.scope.given?.get(target);
      if (passed) return this.pinned ? unknown(range, target) : (listParameter(parameter, passed, passed.range) ?? passed);
      const fallback = get(parameter, 'Default');
      const allowed = allowedValues(parameter);
      // The deployer may pass any allowed value, not only the default: each is a choice (the default first).
      if (allowed.length > 0) return this.oneOf(fallback && !this.pinned ? [fallback, ...allowed] : allowed, range, depth, this.choiceName('parameter', target));
      if (!fallback || this.pinned) return unknown(range, target);
      return listParameter(parameter, fallback, range) ?? relocate(this.evaluate(fallback, depth), range);
    }
    const resourceType = this.scope.resourceTypes.get(target);
    if (resourceType) return { kind: 'unknown', ref: target, resource: this.address(target), resourceType, range };
    // Pseudo parameters (AWS::AccountId = "this account", AWS::Region, ...) and anything undeclared.
    return unknown(range, target);
  }

  private getAtt(argument: Value, range: Range, depth: number): Value {
    const parts = argument.kind === 'list' ? argument.items.map(knownString) : [knownString(argument)];
    const [logical, ...rest] = parts.length === 1 && parts[0]?.includes('.') ? [parts[0].slice(0, parts[0].indexOf('.')), parts[0].slice(parts[0].indexOf('.') + 1)] : parts;
    if (logical === undefined || rest.some((p) => p === undefined)) return unknown(range);
    if (rest.length === 1 && rest[0]!.startsWith('Outputs.') && this.scope.outputs) {
      const output = this.scope.outputs(logical, rest[0]!.slice('Outputs.'.length));
      if (output) {
        const value = relocate(this.inScope(output.scope, output.value, depth), range);
        // A child resource keeps its address, but is named as the parent writes it: its own logical id
        // (`Fn.Arn`) means nothing here, and would match a same-named resource of another template.
        return value.kind === 'unknown' && value.resource !== undefined ? { ...value, ref: `${logical}.${rest[0]}` } : value;
      }
    }
    const ref = [logical, ...rest].join('.');
    const resourceType = this.scope.resourceTypes.get(logical);
    return resourceType ? { kind: 'unknown', ref, resource: this.address(logical), resourceType, range } : unknown(range, ref);
  }

  /**
   * `value` evaluated in another template's scope (a nested stack's output), making this evaluator's
   * choices: an `Fn::If` in the output is one more choice of what reads it.
   */
  private inScope(scope: TemplateScope, value: Value, depth: number): Value {
    return new CfnEvaluator(scope, this.choices, this.pinned).evaluate(value, depth);
  }

  /** A resource's model address from its logical id. */
  private address(logical: string): string {
    return this.scope.prefix === undefined ? logical : this.scope.prefix + logical;
  }

  private sub(argument: Value, range: Range, depth: number): Value {
    const [templateValue, variables] = argument.kind === 'list' ? argument.items : [argument, undefined];
    const text = knownString(templateValue);
    if (text === undefined) return unknown(range);
    // A string that may be a JSON policy keeps where its pieces stand: a policy parsed from it is located inside it.
    const json = templateValue.kind === 'string' && mayHoldJson(text);
    const holes: Hole[] = [];
    const parts: Array<string | UnknownValue> = [];
    let cursor = 0;
    for (const match of text.matchAll(/\$\{([^}]*)\}/g)) {
      parts.push(text.slice(cursor, match.index));
      cursor = match.index + match[0].length;
      const name = match[1].trim();
      let value: Value;
      if (name.startsWith('!')) value = { kind: 'string', value: `\${${name.slice(1)}}`, range };
      else {
        const variable = get(variables, name);
        value = variable
          ? this.evaluate(variable, depth)
          : name.includes('.') && !name.startsWith('AWS::')
            ? this.getAtt({ kind: 'string', value: name, range }, range, depth)
            : this.ref(name, range, depth);
      }
      parts.push(...pieces(value, range));
      if (json) holes.push({ start: match.index, end: cursor, value });
    }
    parts.push(text.slice(cursor));
    const result = fromParts(parts, range);
    if (!json || templateValue.kind !== 'string') return result;
    // Without positions (a string read from elsewhere) the policy inside is located at the string's start.
    const positions = templateValue.positions ?? [0, range.line, range.column, 0];
    if (holes.length === 0) return { kind: 'string', value: text, range, positions };
    if (result.kind === 'template') return { ...result, verbatim: { text, range, holes, positions } };
    if (result.kind !== 'string') return result;
    // Every variable known: the text kept keeps its positions, each value stands at its `${...}`.
    const replaced = holes.map((h) => ({ start: h.start, end: h.end, length: knownString(h.value)?.length ?? 0 }));
    return { ...result, positions: substitutedPositions(positions, templateValue.range, text.length, replaced) };
  }

  private join(argument: Value, range: Range, depth: number): Value {
    if (argument.kind !== 'list' || argument.items.length !== 2) return unknown(range);
    const delimiter = knownString(this.evaluate(argument.items[0], depth));
    const list = this.evaluate(argument.items[1], depth);
    if (delimiter === undefined || list.kind !== 'list') return unknown(range);
    const parts: Array<string | UnknownValue> = [];
    list.items.forEach((item, i) => {
      if (i > 0) parts.push(delimiter);
      parts.push(...pieces(item, range));
    });
    return fromParts(parts, range);
  }

  /**
   * `[Map, TopKey, SecondKey]`, and with AWS::LanguageExtensions a fourth `{DefaultValue: x}`, which
   * CloudFormation returns when the map, the top key or the second key is missing. A key not known
   * (`!Ref AWS::Region`) may be any the map has: each value it may give is a choice.
   */
  private findInMap(argument: Value, range: Range, depth: number): Value {
    if (argument.kind !== 'list' || argument.items.length < 3) return unknown(range);
    const [mapName, topKey, secondKey] = argument.items.slice(0, 3).map((item) => knownString(this.evaluate(item, depth)));
    const fallback = argument.items[3] ? get(argument.items[3], 'DefaultValue') : undefined;
    const missing = (): Value => (fallback ? this.evaluate(fallback, depth) : unknown(range, `FindInMap:${mapName}`));
    if (mapName === undefined) return unknown(range);
    const map = get(this.scope.mappings, mapName);
    if (map?.kind !== 'object') return missing();
    if (topKey !== undefined && secondKey !== undefined) {
      const found = get(get(map, topKey), secondKey);
      return found ? relocate(this.evaluate(found, depth), range) : missing();
    }
    const tops = topKey === undefined ? map.entries.map((e) => e.value) : [get(map, topKey)];
    const found = tops.flatMap((top) => (secondKey !== undefined ? [get(top, secondKey)] : top?.kind === 'object' ? top.entries.map((e) => e.value) : []));
    // The key may be one the map lacks: that gives the default, or, without one, fails the deployment (no value to explore).
    const alternatives = [...found.filter((v): v is Value => v !== undefined), ...(fallback ? [fallback] : [])];
    return alternatives.length > 0 ? this.oneOf(alternatives, range, depth) : unknown(range, `FindInMap:${mapName}`);
  }
}

/** A parameter whose value CloudFormation reads from the SSM parameter store, under the key the template gives. */
function ssmTyped(parameter: Value): boolean {
  return knownString(get(parameter, 'Type'))?.startsWith('AWS::SSM::Parameter::Value<') === true;
}

/** A parameter's `AllowedValues` (scalars only: a list parameter's apply to each of its items). */
function allowedValues(parameter: Value): Value[] {
  const type = knownString(get(parameter, 'Type')) ?? '';
  const allowed = get(parameter, 'AllowedValues');
  if (allowed?.kind !== 'list' || type === 'CommaDelimitedList' || type.startsWith('List<')) return [];
  return allowed.items;
}

/** A list-typed parameter's text (`CommaDelimitedList`, `List<…>`) as the list CloudFormation makes of it; undefined for other types. */
function listParameter(parameter: Value, text: Value, range: Range): Value | undefined {
  const type = knownString(get(parameter, 'Type')) ?? '';
  const known = knownString(text);
  if (known === undefined || (type !== 'CommaDelimitedList' && !type.startsWith('List<'))) return undefined;
  return { kind: 'list', range, items: known.split(',').map((s) => ({ kind: 'string', value: s.trim(), range })) };
}

function unknown(range: Range, ref?: string): UnknownValue {
  return ref === undefined ? { kind: 'unknown', range } : { kind: 'unknown', ref, range };
}

/** A scalar value read from elsewhere (a parameter default, a mapping) is reported where it is used. */
function relocate(value: Value, range: Range): Value {
  if (value.kind === 'list' || value.kind === 'object') return value;
  // Positions inside the string (and a Sub template's) point where it was read from: dropped with its range.
  if (value.kind === 'string' && value.positions) return { kind: 'string', value: value.value, range };
  if (value.kind === 'template' && value.verbatim) return { kind: 'template', parts: value.parts, range };
  return { ...value, range };
}

function pieces(value: Value, range: Range): Array<string | UnknownValue> {
  const text = knownString(value);
  if (text !== undefined) return [text];
  if (value.kind === 'template') return value.parts;
  if (value.kind === 'unknown') return [value];
  return [unknown(range)];
}

function fromParts(parts: Array<string | UnknownValue>, range: Range): Value {
  const merged: Array<string | UnknownValue> = [];
  for (const part of parts) {
    if (part === '') continue;
    const last = merged[merged.length - 1];
    if (typeof part === 'string' && typeof last === 'string') merged[merged.length - 1] = last + part;
    else merged.push(part);
  }
  if (merged.every((p) => typeof p === 'string')) return { kind: 'string', value: merged.join(''), range };
  return { kind: 'template', parts: merged, range };
}

/**
 * Evaluates `value` under every combination of the choices it meets, each distinct result once;
 * without any choice there is one result. `complete`: every combination was tried. Beyond
 * MAX_VARIANTS combinations, each alternative of each choice is still tried once (the k-th variant
 * of that pass takes the k-th alternative of every choice), but not every combination. A choice offers
 * at most MAX_ALTERNATIVES alternatives (and then the result is not complete), which bounds that pass.
 */
export function variantsOf(scope: TemplateScope, value: Value, pinned = false): { values: Value[]; complete: boolean } {
  const values: Value[] = [];
  let seen: Set<string> | undefined;
  const run = (pick: Choices['pick']): Choices => {
    const choices: Choices = { pick, met: [] };
    const result = new CfnEvaluator(scope, choices, pinned).evaluate(value);
    if (values.length === 0) values.push(result);
    else {
      seen ??= new Set([valueKey(values[0])]);
      const key = valueKey(result);
      if (!seen.has(key)) {
        seen.add(key);
        values.push(result);
      }
    }
    return choices;
  };
  const complete = enumerateChoices(run);
  return { values, complete };
}

/**
 * A condition's value when the template pins it (`!Equals [a, b]` of literals, `Fn::Not`/`And`/`Or`
 * of known ones, a parameter compared against each of its `AllowedValues`); undefined when it may go
 * either way (a parameter's default may be overridden), is missing, or refers to itself.
 */
export function knownCondition(scope: TemplateScope, name: string): boolean | undefined {
  const cache = (scope.conditionCache ??= new Map());
  const cached = cache.get(name);
  if (cached === 'deciding') return undefined;
  if (cache.has(name)) return cached;
  const expression = get(scope.conditions, name);
  if (!expression) return undefined;
  cache.set(name, 'deciding');
  const { values, complete } = variantsOf(scope, expression, true);
  const truths = values.map((v) => (v.kind === 'bool' ? v.value : undefined));
  const known = complete && truths[0] !== undefined && truths.every((t) => t === truths[0]) ? truths[0] : undefined;
  cache.set(name, known);
  return known;
}
