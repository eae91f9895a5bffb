import type { Expr, HclBlock, HclBody } from '../../parse/terraform-hcl/hcl-ast.js';
import { objectKeyName } from '../../parse/terraform-hcl/hcl-ast.js';
import { parseJsonValue } from '../json-value.js';
import { parseYamlValue } from '../../parse/cloudformation/parse-cloudformation.js';
import { stringMapper } from '../policy-document.js';
import { posix } from 'node:path';
import { createPositionMapper, lineStartsOf, type Range } from '../range.js';
import { parseTemplateFast } from '../../parse/terraform-hcl/fast-hcl.js';
import { knownString, unknownValue, type ObjectEntry, type UnknownValue, type Value } from '../value.js';
import { builtin, hasInvalid, invalidValue, MAX_LIST_ITEMS, MAX_TEXT_LENGTH, mergeText, textLength, unknownResult, whollyKnown } from './functions.js';
import { binaryOperation, unaryOperation } from './operators.js';
import { withTypeDefaults } from './variable-type.js';
import { blockInstances, collectionElements, elementsOfAlternatives, forEachInstances, iterator, type Instance, type Instances } from './instances.js';
import { ownedString } from './intern.js';
import { declarations, MAX_MODULE_DEPTH, type Declarations, type ModuleInstance } from './module-tree.js';
import { policyDocumentDataValue } from './policy-document-data.js';
import { awsManagedPolicyDataValue } from './managed-policy-data.js';
import { directiveTree, renderTemplate, type TemplateScope } from './template-directives.js';
import { positionsFromRuns } from '../string-positions.js';
import { passagesInherited, passedThrough } from '../value-passages.js';
import { boundedAlternatives, enumerateChoices, firstAlternatives, takeChoice, type Choices } from '../choices.js';
import { allowedValues, literalString } from './variable-validation.js';

/** Resource attributes Terraform computes at apply time: a reference to them is symbolic. */
const COMPUTED_ATTRIBUTES = new Set(['arn', 'id', 'invoke_arn', 'qualified_arn', 'qualified_invoke_arn', 'execution_arn', 'unique_id', 'function_url', 'url_id']);

/** A nested block as Terraform sees it once `dynamic` blocks are expanded, with the evaluator its expressions need. */
export interface ScopedBlock {
  block: HclBlock;
  evaluator: Evaluator;
}

/**
 * Evaluates HCL expressions of one module instance without running anything:
 * literals, templates, locals, variables, common functions, aws_iam_policy_document,
 * `count`/`for_each` instances and `dynamic` blocks. What cannot be known is an UnknownValue
 * naming what it refers to.
 */
/** For-expression iterations one root module's evaluation may run (nested ones multiply: 100 × 100 × 100 × 100). */
export const MAX_FOR_ITERATIONS = 200_000;

/** Module instances one root module's evaluators may create (instantiated, or read for their outputs only). */
export const MAX_MODULE_INSTANCES = 50_000;

export interface EvaluationBudget {
  forIterations: number;
  moduleInstances: number;
  /** What is decided at plan time, shared by every evaluator of the root module (see PlanChoices). */
  choice: PlanChoices;
}

/**
 * Values Terraform decides when it plans (a conditional whose predicate is not known, a map looked up with
 * a key not known) are choices (see Choices). Outside a variant run (`choices` unset) they stay unknown, as
 * everywhere a value is only read; inside one they take the alternative `choices` picks. `points` counts the
 * choices met, in either mode: a cached value whose evaluation met one is decided by it, and is evaluated
 * afresh in each variant run (`generation` tells one run's cache from the next).
 */
export interface PlanChoices {
  choices?: Choices;
  points: number;
  generation: number;
}

export function evaluationBudget(): EvaluationBudget {
  return { forIterations: MAX_FOR_ITERATIONS, moduleInstances: MAX_MODULE_INSTANCES, choice: { points: 0, generation: 0 } };
}

export class Evaluator {
  /**
   * Values already evaluated, keyed by what they are the value of: a variable's name, a local's,
   * data source's or resource attribute's syntax node. Keys by identity need no string built per
   * reference (a scan makes tens of thousands of references).
   */
  private readonly cache = new Map<unknown, Value>();
  /** The keys of `cache` whose values a plan-time choice decided (the unknown it was outside a variant run). */
  private decided?: Set<unknown>;
  /** Such values in the current variant run (of generation `variantGeneration`). */
  private variantCache?: Map<unknown, Value>;
  private variantGeneration = -1;
  private readonly inProgress = new Set<unknown>();
  /**
   * The module's evaluator without names in scope: locals, variables, data sources and resources
   * without instances are evaluated (and cached) there once, whichever scope refers to them.
   */
  private readonly root: Evaluator;
  /** On the root: each instanced block's instances, with an evaluator per instance (reused, so its cache and cycle guard hold). */
  private instanceCache?: Map<HclBlock, Array<{ instance: Instance; evaluator: Evaluator }> | 'unknown' | undefined>;

  /** On the root: the values each variable's validation admits (see allowedValues), undefined where it says nothing read. */
  private validated?: Map<string, string[] | undefined>;

  /** On the root: the evaluator of each module call instance (`name` + suffix), undefined where it is not instantiated. */
  private children?: Map<string, Evaluator | undefined>;

  /** For-expression iterations left to this evaluator and every evaluator sharing its budget (a whole root module's expansion). */
  private readonly budget: EvaluationBudget;

  /** `names`: what `each`, `count` or a dynamic block's iterator stand for here; `budget`: shared with other evaluators (default: a fresh one). */
  constructor(
    readonly module: ModuleInstance,
    private readonly names?: ReadonlyMap<string, Value>,
    root?: Evaluator,
    budget?: EvaluationBudget,
  ) {
    this.root = root ?? this;
    this.budget = root?.budget ?? budget ?? evaluationBudget();
  }

  /** An evaluator that also sees `names` (an instance's `each`/`count`, a dynamic block's iterator). */
  withNames(names: ReadonlyMap<string, Value>): Evaluator {
    return new Evaluator(this.module, this.names ? new Map([...this.names, ...names]) : names, this.root);
  }

  /**
   * The instances of a resource, data source or module block, each with its evaluator; undefined
   * without count/for_each, 'unknown' when they are not known (the block is then analysed once, as before).
   */
  instances(block: HclBlock): Array<{ instance: Instance; evaluator: Evaluator }> | 'unknown' | undefined {
    const root = this.root;
    const cache = (root.instanceCache ??= new Map());
    if (cache.has(block)) return cache.get(block);
    // Guard a count that refers to its own block's instances.
    cache.set(block, 'unknown');
    // Instances are found once for every variant: a count a choice decides stays unknown (the block is modelled once,
    // as a resource that may exist), a for_each a choice decides has the instances of every alternative.
    const found: Instances = this.outsideVariants(() => {
      const state = this.budget.choice;
      const before = state.points;
      const once = blockInstances(block.body, (expr) => root.evaluate(expr));
      return once === 'unknown' && state.points !== before ? (this.chosenInstances(block.body) ?? once) : once;
    });
    const result = Array.isArray(found) ? found.map((instance) => ({ instance, evaluator: new Evaluator(root.module, instance.names, root) })) : found;
    cache.set(block, result);
    return result;
  }

  /**
   * The instances of a `for_each` (without `count`) whose collection a plan-time choice decides: those of every
   * alternative (see elementsOfAlternatives), when each is known and every combination was tried; else undefined.
   */
  private chosenInstances(body: HclBody): Instance[] | undefined {
    const forEach = body.attributes.find((a) => a.name === 'for_each');
    if (!forEach || body.attributes.some((a) => a.name === 'count')) return undefined;
    const collections: Value[] = [];
    const complete = enumerateChoices((pick) => {
      const choices: Choices = { pick, met: [] };
      collections.push(this.inVariant(choices, () => this.root.evaluate(forEach.expr)));
      return choices;
    });
    // The variant run this was asked from (if any) must not read values cached in these runs.
    this.budget.choice.generation++;
    const elements = complete ? elementsOfAlternatives(collections) : undefined;
    return elements && forEachInstances(elements);
  }

  /**
   * Runs `evaluate` as one variant: each plan-time choice takes the alternative `choices` picks (named ones alike
   * throughout, see Choices). Returns what it returns; `choices.met` then lists the choices met.
   */
  inVariant<T>(choices: Choices, evaluate: () => T): T {
    const state = this.budget.choice;
    const saved = state.choices;
    state.choices = choices;
    state.generation++;
    try {
      return evaluate();
    } finally {
      state.choices = saved;
    }
  }

  /** Runs `evaluate` as outside any variant: plan-time choices are unknown, and are not counted. */
  private outsideVariants<T>(evaluate: () => T): T {
    const state = this.budget.choice;
    const { choices, points } = state;
    state.choices = undefined;
    try {
      return evaluate();
    } finally {
      state.choices = choices;
      state.points = points;
    }
  }

  /**
   * A choice among `arity` alternatives decided at plan time, named by what decides it (`name`: its expression's
   * text, qualified by the module instance, so one predicate decides alike throughout a variant). Which one this
   * variant takes; undefined outside a variant run (the caller's value is then unknown, as it always was).
   */
  private planChoice(arity: number, name: string): number | undefined {
    const state = this.budget.choice;
    state.points++;
    return state.choices ? takeChoice(state.choices, arity, this.module.prefix + name) : undefined;
  }

  /**
   * The evaluator of a module call's instance (`suffix` '' without count/for_each; `caller`: the instance's
   * evaluator in this module, with its `each`/`count`), created on first use and shared by whoever asks next:
   * outputs read before the call is instantiated, and the instantiation, see one cache. Undefined when the
   * module's code is not in the scan, the call recurses or nests too deep, or the budget is spent.
   */
  child(name: string, suffix: string, caller: Evaluator): Evaluator | undefined {
    const root = this.root;
    const key = name + suffix;
    const children = (root.children ??= new Map());
    if (children.has(key)) return children.get(key);
    const { module } = root;
    const call = module.moduleCalls.get(name);
    const declared = this.callTarget(name);
    let child: Evaluator | undefined;
    if (call && declared && module.modules && root.budget.moduleInstances-- > 0) {
      const inputs = new Map<string, () => Value>();
      for (const attr of call.body.attributes) inputs.set(attr.name, () => passedThrough(caller.evaluate(attr.expr), attr.expr.range));
      const modules = { ...module.modules, stack: [...module.modules.stack, declared.dir] };
      child = new Evaluator({ ...declared, prefix: `${module.prefix}module.${key}.`, inputs, modules }, undefined, undefined, root.budget);
    }
    children.set(key, child);
    return child;
  }

  /** The declarations a module call instantiates: undefined when its code is not in the scan, or it recurses or nests too deep. */
  callTarget(name: string): Declarations | undefined {
    const { modules, moduleDirs } = this.module;
    const target = moduleDirs.get(name);
    const declared = target !== undefined ? modules?.declared.get(target) : undefined;
    if (!declared || !modules || modules.stack.length > MAX_MODULE_DEPTH || modules.stack.includes(declared.dir)) return undefined;
    return declared;
  }

  /**
   * The nested blocks of a type in a body, `dynamic "type"` blocks expanded in place: one per
   * element of a known for_each, its `content` seen with the iterator (the label, or `iterator = x`)
   * bound to `.key`/`.value`. A dynamic block whose for_each is not known adds nothing.
   */
  blocks(body: HclBody, type: string): ScopedBlock[] {
    const out: ScopedBlock[] = [];
    for (const block of body.blocks) {
      if (block.type === type) out.push({ block, evaluator: this });
      else if (block.type === 'dynamic' && block.labels[0] === type) this.expandDynamic(block, type, out);
    }
    return out;
  }

  /** Whether a `dynamic "<type>"` block of the body iterates over items not known here (blocks() then yields none for it). */
  unknownDynamic(body: HclBody, type: string): boolean {
    return body.blocks.some((block) => {
      if (block.type !== 'dynamic' || block.labels[0] !== type) return false;
      const forEach = this.attribute(block.body, 'for_each');
      return !forEach || !collectionElements(forEach, true);
    });
  }

  private expandDynamic(block: HclBlock, type: string, out: ScopedBlock[]): void {
    const content = block.body.blocks.find((b) => b.type === 'content');
    const forEach = this.attribute(block.body, 'for_each');
    if (!content || !forEach) return;
    const elements = collectionElements(forEach, true);
    if (!elements) return;
    const name = knownIdentifier(block.body.attributes.find((a) => a.name === 'iterator')?.expr) ?? type;
    for (const { key, value, range } of elements) {
      const evaluator = this.withNames(new Map([[name, iterator([['key', key], ['value', value]], range)]]));
      out.push({ block: { type, labels: [], body: content.body, range: content.range }, evaluator });
    }
  }

  evaluate(expr: Expr): Value {
    const range = expr.range;
    switch (expr.t) {
      case 'literal':
        if (typeof expr.value === 'string') return { kind: 'string', value: ownedString(expr.value), range };
        if (typeof expr.value === 'number') return { kind: 'number', value: expr.value, range };
        if (typeof expr.value === 'boolean') return { kind: 'bool', value: expr.value, range };
        return { kind: 'null', range };
      case 'template':
        return this.template(expr);
      case 'ref':
        return this.reference(expr.path, expr.text, range);
      case 'traverse':
        return this.traverse(expr);
      case 'splat':
        return this.splat(expr);
      case 'call':
        return this.call(expr.name, expr.args, range, expr);
      case 'tuple':
        return { kind: 'list', items: expr.items.map((i) => this.evaluate(i)), range };
      case 'object': {
        const object: Value = { kind: 'object', range, entries: [] };
        for (const item of expr.items) {
          const key = objectKeyName(item.key) ?? knownString(this.evaluate(item.key));
          // An entry whose key is not known leaves the object open: a key not found in it may be that one.
          if (key === undefined) object.open = true;
          else object.entries.push({ key: ownedString(key), keyRange: item.key.range, value: this.evaluate(item.value) });
        }
        return object;
      }
      case 'conditional': {
        const condition = this.evaluate(expr.condition);
        if (condition.kind === 'bool') return this.evaluate(condition.value ? expr.then : expr.otherwise);
        // A predicate not known yet (a workspace, a variable without default) may go either way when Terraform plans.
        const taken = condition.kind === 'unknown' && !condition.invalid ? this.planChoice(2, `if:${textOf(expr.condition)}`) : undefined;
        if (taken !== undefined) return this.evaluate(taken === 0 ? expr.then : expr.otherwise);
        return unknownResult(range, textOf(expr), [condition]);
      }
      case 'binary':
        return this.binary(expr);
      case 'unary':
        return unaryOperation(expr.op, this.evaluate(expr.operand), range, ownedString(expr.text));
      case 'for':
        return this.forExpression(expr);
      default:
        return unknownValue(range, ownedString(expr.text));
    }
  }

  private binary(expr: Extract<Expr, { t: 'binary' }>): Value {
    const compared = this.validatedComparison(expr);
    if (compared !== undefined) return { kind: 'bool', value: compared, range: expr.range };
    return binaryOperation(expr.op, this.evaluate(expr.left), () => this.evaluate(expr.right), expr.range, ownedString(expr.text));
  }

  /**
   * `[for k, v in xs : value if cond]` / `{for k, v in xs : key => value... if cond}` over a known collection
   * (a list by index, a map by key), each element seen with its names bound. Items keep their own ranges.
   */
  private forExpression(expr: Extract<Expr, { t: 'for' }>): Value {
    const { range } = expr;
    const ref = ownedString(expr.text);
    const collection = this.evaluate(expr.collection);
    const elements = collectionElements(collection, true);
    if (!elements) return hasInvalid(collection) || !['list', 'object', 'unknown', 'template'].includes(collection.kind) ? invalidValue(range, ref) : unknownValue(range, ref);
    // Nested for-expressions multiply (each inner one runs once per outer element): past the budget, unknown.
    if ((this.budget.forIterations -= elements.length) < 0) return unknownValue(range, ref);
    const items: Value[] = [];
    const entries = new Map<string, ObjectEntry>();
    for (const element of elements) {
      const names = new Map<string, Value>([[expr.valueVar, element.value]]);
      if (expr.keyVar !== undefined) names.set(expr.keyVar, element.key);
      const scoped = this.withNames(names);
      if (expr.condition) {
        const keep = scoped.evaluate(expr.condition);
        if (keep.kind !== 'bool') return keep.kind === 'unknown' && !keep.invalid ? unknownValue(range, ref) : invalidValue(range, ref);
        if (!keep.value) continue;
      }
      const value = scoped.evaluate(expr.value);
      if (!expr.object || !expr.key) {
        items.push(value);
        continue;
      }
      const keyValue = scoped.evaluate(expr.key);
      const key = knownString(keyValue);
      if (key === undefined) return hasInvalid(keyValue) ? invalidValue(range, ref) : unknownValue(range, ref);
      const existing = entries.get(key);
      if (expr.grouped) {
        if (existing?.value.kind === 'list') existing.value.items.push(value);
        else entries.set(key, { key: ownedString(key), keyRange: keyValue.range, value: { kind: 'list', items: [value], range: value.range } });
      } else if (existing) {
        return invalidValue(range, ref); // a key produced twice without `...`
      } else entries.set(key, { key: ownedString(key), keyRange: keyValue.range, value });
    }
    return expr.object ? { kind: 'object', entries: [...entries.values()], range } : { kind: 'list', items, range };
  }

  /** Evaluates a named attribute of a body, if present. */
  attribute(body: HclBody, name: string): Value | undefined {
    const attr = body.attributes.find((a) => a.name === name);
    return attr ? this.evaluate(attr.expr) : undefined;
  }

  private template(expr: Extract<Expr, { t: 'template' }>): Value {
    const range = expr.range;
    const parts: Array<string | UnknownValue> = [];
    const holes: Array<{ start: number; end: number; value: Value }> = [];
    for (const part of expr.parts) {
      if (part.kind === 'text') {
        parts.push(part.text);
        continue;
      }
      if (part.kind === 'directive') return this.directiveTemplate(expr);
      const value = this.evaluate(part.expr);
      holes.push({ start: part.start, end: part.end, value });
      const known = knownString(value);
      if (known !== undefined) parts.push(known);
      else if (value.kind === 'template') for (const piece of value.parts) parts.push(piece);
      else parts.push(value.kind === 'unknown' ? value : unknownValue(value.range, textOf(part.expr)));
    }
    // A template repeating another (a local doubling a local …) grows geometrically: past the limits, unknown.
    if (parts.length > MAX_LIST_ITEMS || textLength(parts) > MAX_TEXT_LENGTH) return unknownValue(range, textOf(expr));
    const merged = mergeText(parts);
    const owned = () => merged.map((p) => (typeof p === 'string' ? ownedString(p) : p));
    if (expr.verbatim) {
      const text = ownedString(expr.verbatim.text);
      if (holes.length === 0) return { kind: 'string', value: text, range: expr.verbatim.range, verbatim: true };
      return { kind: 'template', parts: owned(), range, verbatim: { text, range: expr.verbatim.range, holes } };
    }
    if (merged.every((p) => typeof p === 'string')) return { kind: 'string', value: ownedString(merged.join('')), range };
    return { kind: 'template', parts: owned(), range };
  }

  /**
   * A template with `%{ if }` / `%{ for }` directives, rendered when every condition and collection is known
   * (else unknown: no one string stands for it). Heredoc and template file content keeps where each rendered
   * piece was written (see renderTemplate), so a policy in it is located at its own lines.
   */
  private directiveTemplate(expr: Extract<Expr, { t: 'template' }>): Value {
    const { range, verbatim } = expr;
    const tree = directiveTree(expr.parts, verbatim?.text);
    const scopeOf = (evaluator: Evaluator): TemplateScope => ({
      evaluate: (e) => evaluator.evaluate(e),
      withNames: (names) => scopeOf(evaluator.withNames(names)),
      spend: (iterations) => (this.budget.forIterations -= iterations) >= 0,
    });
    const rendered = tree && renderTemplate(tree, scopeOf(this), verbatim?.text);
    if (!rendered) return unknownValue(range, textOf(expr));
    const merged = mergeText(rendered.parts).map((p) => (typeof p === 'string' ? ownedString(p) : p));
    if (verbatim) {
      const { file, line, column } = verbatim.range;
      const positions = positionsFromRuns(rendered.runs, rendered.text.length, createPositionMapper(file, verbatim.text, { line, column })) ?? [0, line, column, 0];
      const text = ownedString(rendered.text);
      if (rendered.holes.length === 0) return { kind: 'string', value: text, range: verbatim.range, positions };
      return { kind: 'template', parts: merged, range, verbatim: { text, range: verbatim.range, holes: rendered.holes, positions } };
    }
    if (merged.every((p) => typeof p === 'string')) return { kind: 'string', value: merged.join(''), range };
    return { kind: 'template', parts: merged, range };
  }

  private call(name: string, args: Expr[], range: Range, expr: Expr): Value {
    switch (name) {
      case 'try': {
        // Falls back only past an argument Terraform fails to evaluate; one not known yet is the result (unknown).
        for (let i = 0; i < args.length; i++) {
          const value = this.evaluate(args[i]);
          if (hasInvalid(value)) continue;
          // A step into a value not known yet (`var.config.principal`) may fail when Terraform plans: then the next argument is the result.
          if (i < args.length - 1 && value.kind === 'unknown' && this.intoUnknown(args[i]) && this.planChoice(2, `fails:${textOf(args[i])}`) === 1) continue;
          if (whollyKnown(value) || value.kind === 'unknown' || value.kind === 'template') return value;
          return unknownValue(range, textOf(expr));
        }
        return invalidValue(range, textOf(expr));
      }
      case 'can': {
        const value = args[0] ? this.evaluate(args[0]) : invalidValue(range, textOf(expr));
        if (hasInvalid(value)) return { kind: 'bool', value: false, range };
        return whollyKnown(value) ? { kind: 'bool', value: true, range } : unknownValue(range, textOf(expr));
      }
      case 'jsonencode':
      case 'tolist':
      case 'toset':
      case 'tomap':
        // A policy is read from its structure, so jsonencode(x) is x.
        return args[0] ? { ...this.evaluate(args[0]) } : unknownValue(range, textOf(expr));
      case 'file': {
        const path = args.length === 1 ? this.evaluate(args[0]) : invalidValue(range, textOf(expr));
        const known = path.kind === 'string' ? path.value : undefined;
        return (known !== undefined ? this.fileContent(known) : undefined) ?? unknownResult(range, textOf(expr), [path]);
      }
      case 'templatefile':
        return this.templateFile(args, range, textOf(expr));
      case 'jsondecode': {
        const value = args[0] ? this.evaluate(args[0]) : undefined;
        if (value?.kind !== 'string') return unknownValue(range, textOf(expr));
        return parseJsonValue(value.value, stringMapper(value)).value ?? unknownValue(range, textOf(expr));
      }
      case 'yamldecode': {
        const value = args[0] ? this.evaluate(args[0]) : undefined;
        if (value?.kind !== 'string' || value.value.length > MAX_TEXT_LENGTH) return unknownValue(range, textOf(expr));
        return parseYamlValue(value.value, stringMapper(value)) ?? unknownValue(range, textOf(expr));
      }
      case 'lookup':
        return this.lookup(args, range, textOf(expr));
      case 'element': {
        // An index not known yet reaches one of a known list's items (see keyChoice).
        const values = args.map((a) => this.evaluate(a));
        const result = builtin('element')!(values, range, textOf(expr));
        const [list, at] = values;
        if (result.kind !== 'unknown' || result.invalid || list?.kind !== 'list' || at?.kind !== 'unknown' || at.invalid) return result;
        return this.keyChoice(list, textOf(args[1])) ?? result;
      }
      case 'coalesce':
        return this.coalesce(args, range, textOf(expr));
      case 'concat': {
        const lists = args.map((a) => this.evaluate(a));
        if (lists.every((l) => l.kind === 'list')) return { kind: 'list', items: lists.flatMap((l) => (l.kind === 'list' ? l.items : [])), range };
        return unknownValue(range, textOf(expr));
      }
      default: {
        const apply = builtin(name);
        return apply ? apply(args.map((a) => this.evaluate(a)), range, textOf(expr)) : unknownValue(range, textOf(expr));
      }
    }
  }

  /**
   * Whether `expr`'s last step is into a value not known yet (`var.config.principal` with `var.config` unknown):
   * it may fail when Terraform plans. A step into a known object (`each.value.x`, whose value alone is unknown) does not.
   */
  private intoUnknown(expr: Expr): boolean {
    let parent: Expr | undefined;
    if (expr.t === 'ref' && expr.path.length > 2 && (expr.path[0] === 'var' || expr.path[0] === 'local' || this.names?.has(String(expr.path[0])))) parent = { ...expr, path: expr.path.slice(0, -1) };
    else if (expr.t === 'traverse') parent = expr.steps.length > 1 ? { ...expr, steps: expr.steps.slice(0, -1) } : expr.base;
    if (!parent) return false;
    const value = this.evaluate(parent);
    return value.kind === 'unknown' && !value.invalid && value.resource === undefined;
  }

  /**
   * `lookup(map, key, default)`. A key not known yet (`terraform.workspace`, a variable without default) may be
   * any of the map's keys, or none: in a variant run each value the map holds and the default are a choice.
   */
  private lookup(args: Expr[], range: Range, ref: string): Value {
    const values = args.map((a) => this.evaluate(a));
    const result = builtin('lookup')!(values, range, ref);
    const [map, key, fallback] = values;
    if (result.kind !== 'unknown' || result.invalid || map?.kind !== 'object' || map.open || key?.kind !== 'unknown') return result;
    const validated = this.validatedChoice(args[1]);
    if (validated !== undefined) return builtin('lookup')!([map, { kind: 'string', value: validated, range: key.range }, ...values.slice(2)], range, ref);
    const candidates = fallback ? [...map.entries.map((e) => e.value), fallback] : map.entries.map((e) => e.value);
    const choices = this.budget.choice.choices;
    const alternatives = choices ? boundedAlternatives(choices, candidates) : candidates;
    if (alternatives.length === 0) return result;
    const taken = this.planChoice(alternatives.length, `lookup:${ref}`);
    return taken === undefined ? result : alternatives[taken];
  }

  /**
   * `coalesce(a, b, …)`: the first argument neither null nor "". One not known yet (a variable defaulting to
   * null, unset) may be either: in a variant run, a choice between it and the arguments after it.
   */
  private coalesce(args: Expr[], range: Range, ref: string): Value {
    const values = args.map((a) => this.evaluate(a));
    const result = builtin('coalesce')!(values, range, ref);
    if (result.kind !== 'unknown' || result.invalid) return result;
    const at = values.findIndex((v) => v.kind === 'unknown' || v.kind === 'template');
    if (at < 0 || at === values.length - 1 || values[at].kind !== 'unknown') return result;
    const taken = this.planChoice(2, `null:${textOf(args[at])}`);
    if (taken !== 1) return result;
    return builtin('coalesce')!(values.slice(at + 1), range, ref);
  }

  /**
   * Traversal steps with computed indexes evaluated to keys; or the value the whole traversal is when
   * a key is not known (unknown) or is one Terraform refuses as an index (null, bool, collection: invalid).
   */
  private literalSteps(steps: ReadonlyArray<string | number | Expr>, range: Range, text: string): Array<string | number> | Value {
    const literal: Array<string | number> = [];
    for (const step of steps) {
      if (typeof step !== 'object') literal.push(step);
      else {
        const key = this.evaluate(step);
        if (key.kind === 'string' || key.kind === 'number') literal.push(key.value);
        else if (key.kind === 'unknown' || key.kind === 'template') return unknownResult(range, text, [key]);
        else return invalidValue(range, text);
      }
    }
    return literal;
  }

  /**
   * Computed indexes are evaluated to keys first: a variable base then makes an ordinary reference
   * path (`var.fns[each.key].principal` is `var.fns["api"].principal` in that instance), so resources,
   * instances and data sources are looked up as written literally; any other base is evaluated and stepped into.
   */
  private traverse(expr: Extract<Expr, { t: 'traverse' }>): Value {
    const steps = this.literalSteps(expr.steps, expr.range, textOf(expr));
    if (!Array.isArray(steps)) return (steps.kind === 'unknown' && !steps.invalid && this.chosenKey(expr)) || steps;
    if (expr.base.t === 'ref') return this.reference([...expr.base.path, ...steps], expr.text, expr.range);
    return index(this.evaluate(expr.base), steps, expr.text, expr.range);
  }

  /**
   * `m[k]` with a key not known yet (`local.principal[var.env]`, `var.urls[var.i]`) into a known map or list: the
   * key Terraform plans with reaches one of its values (a key it lacks fails), so in a variant run each is a choice,
   * as lookup's are. Undefined where no such step is met, or outside a variant run (the traversal is then unknown).
   */
  private chosenKey(expr: Extract<Expr, { t: 'traverse' }>): Value | undefined {
    const { range } = expr;
    const text = ownedString(expr.text);
    const literal: Array<string | number> = [];
    let current: Value | undefined;
    for (const step of expr.steps) {
      const key = typeof step === 'object' ? this.evaluate(step) : undefined;
      const known = key === undefined ? (step as string | number) : key.kind === 'string' || key.kind === 'number' ? key.value : undefined;
      if (known !== undefined) {
        if (current) current = index(current, [known], text, range);
        else literal.push(known);
        continue;
      }
      if (key?.kind !== 'unknown' || key.invalid) return undefined;
      current ??= expr.base.t === 'ref' ? this.reference([...expr.base.path, ...literal], text, range) : index(this.evaluate(expr.base), literal, text, range);
      // A key its variable's validation limits: only the entries it admits (one it admits but the map lacks fails the plan).
      const validated = current.kind === 'object' && !current.open ? this.validatedChoice(step as Expr) : undefined;
      if (validated !== undefined) {
        current = index(current, [validated], text, range);
        continue;
      }
      const chosen = this.keyChoice(current, textOf(step as Expr));
      if (!chosen) return undefined;
      current = chosen;
    }
    return current;
  }

  /**
   * One value of a known map or list, the one a key not known yet (written `keyText`) takes in this variant run;
   * undefined outside one, or for any other collection. A choice named by the key and the collection's keys (or
   * length): two maps keyed alike by one key (`local.principal[var.env]`, `local.org[var.env]`) choose alike.
   */
  private keyChoice(collection: Value, keyText: string): Value | undefined {
    let keys: string;
    let values: Value[];
    if (collection.kind === 'object' && !collection.open) {
      const byKey = new Map<string, Value>();
      for (const entry of collection.entries) byKey.set(entry.key, entry.value);
      keys = [...byKey.keys()].join(',');
      values = [...byKey.values()];
    } else if (collection.kind === 'list') {
      keys = `#${collection.items.length}`;
      values = collection.items;
    } else return undefined;
    if (values.length === 0) return undefined;
    values = firstAlternatives(this.budget.choice.choices, values);
    const taken = this.planChoice(values.length, `key:${keyText}:${keys}`);
    return taken === undefined ? undefined : values[taken];
  }

  /**
   * The value a variable not known yet (`key`, exactly `var.X`) takes in this variant run, when its validation admits
   * only some strings: one choice per variable (named by it), so every map it indexes and every comparison with it
   * decide alike. Undefined for any other key, a variable whose validation says nothing read, or outside a variant run.
   */
  private validatedChoice(key: Expr): string | undefined {
    const values = this.admittedValues(key);
    if (!values) return undefined;
    const alternatives = firstAlternatives(this.budget.choice.choices, values);
    const taken = this.planChoice(alternatives.length, `value:${textOf(key)}`);
    return taken === undefined ? undefined : alternatives[taken];
  }

  /**
   * `var.X == "a"` / `var.X != "a"` (either way round) with var.X not known and limited by its validation: its outcome
   * in this variant run (with the variable's one choice), so a conditional or local comparing it decides as its indexes do.
   */
  private validatedComparison(comparison: Extract<Expr, { t: 'binary' }>): boolean | undefined {
    if (comparison.op !== '==' && comparison.op !== '!=') return undefined;
    const { left, right } = comparison;
    const [variable, other] = this.admittedValues(left) ? [left, right] : [right, left];
    const compared = literalString(other);
    if (compared === undefined || !this.admittedValues(variable)) return undefined;
    const value = this.validatedChoice(variable);
    return value === undefined ? undefined : (value === compared) === (comparison.op === '==');
  }

  /** The values its validation admits, when `key` is exactly `var.X` and not known here; else undefined. */
  private admittedValues(key: Expr): string[] | undefined {
    if (key.t !== 'ref' || key.path.length !== 2 || key.path[0] !== 'var' || typeof key.path[1] !== 'string') return undefined;
    const name = key.path[1];
    const root = this.root;
    const validated = (root.validated ??= new Map());
    if (!validated.has(name)) {
      const declared = root.module.variables.get(name);
      validated.set(name, declared && allowedValues(declared, name, (list) => root.knownStrings(list)));
    }
    const values = validated.get(name);
    if (!values) return undefined;
    const value = this.evaluate(key);
    return value.kind === 'unknown' && !value.invalid ? values : undefined;
  }

  /** The strings a list holds, when every one is known outside any variant run (`["a", "b"]`, `local.environments`). */
  private knownStrings(list: Expr): string[] | undefined {
    const value = this.outsideVariants(() => this.evaluate(list));
    if (value.kind !== 'list') return undefined;
    const strings = value.items.map((item) => (item.kind === 'string' ? item.value : undefined));
    return strings.every((s) => s !== undefined) ? (strings as string[]) : undefined;
  }

  /**
   * `xs[*].a` / `xs.*.a`: the steps applied to each element of a known list. A count resource or module
   * call (`aws_x.y[*].arn`) is the list of its instances; one without count/for_each a one-element list.
   */
  private splat(expr: Extract<Expr, { t: 'splat' }>): Value {
    const { range } = expr;
    const text = ownedString(expr.text);
    const each = this.literalSteps(expr.each, range, text);
    if (!Array.isArray(each)) return each;
    const { source } = expr;
    if (source.t === 'ref' && source.path.length === 2) {
      const [head, name] = source.path;
      const block = typeof head !== 'string' || typeof name !== 'string' || this.names?.has(head) ? undefined : head === 'module' ? this.module.moduleCalls.get(name) : this.module.resources.get(`${head}.${name}`);
      if (block) {
        const instances = this.root.instances(block);
        if (instances === undefined) return { kind: 'list', items: [this.reference([head, name, ...each], text, range)], range };
        // for_each instances are a map, which a splat wraps whole rather than stepping into each.
        if (instances === 'unknown' || block.body.attributes.some((a) => a.name === 'for_each')) return unknownValue(range, text);
        return { kind: 'list', items: instances.map((i) => this.reference([head, name, i.instance.key, ...each], text, range)), range };
      }
    }
    const value = this.evaluate(source);
    switch (value.kind) {
      case 'null':
        return { kind: 'list', items: [], range };
      case 'list':
        return { kind: 'list', items: value.items.map((item) => index(item, each, text, range)), range };
      case 'unknown':
      case 'template':
        return unknownResult(range, text, [value]);
      default:
        // Any other single value is a one-element list.
        return { kind: 'list', items: [index(value, each, text, range)], range };
    }
  }

  private reference(path: Array<string | number>, text: string, range: Range): Value {
    const [head, second, third] = path;
    let base: Value | undefined;
    let consumed = 2;
    const named = typeof head === 'string' ? this.names?.get(head) : undefined;
    if (named) {
      base = named;
      consumed = 1;
    } else if (head === 'var' && typeof second === 'string') base = this.root.variable(second, range);
    else if (head === 'local' && typeof second === 'string') base = this.root.local(second, range);
    else if (head === 'data' && typeof second === 'string' && typeof third === 'string') {
      const data = this.dataSource(`${second}.${third}`, path, range, text);
      if (data) [base, consumed] = data;
    } else if (head === 'path' && typeof second === 'string' && path.length === 2) {
      const folder = this.pathValue(second);
      if (folder !== undefined) return { kind: 'string', value: folder, range };
    } else if (head === 'module' && typeof second === 'string' && this.module.moduleCalls.has(second)) {
      return this.moduleReference(second, path, text, range);
    } else if (typeof head === 'string' && typeof second === 'string') {
      const key = `${head}.${second}`;
      const block = this.module.resources.get(key);
      if (block) return this.resourceAttribute(block, key, head, path, text, range);
    }
    if (!base) return unknownValue(range, ownedString(text));
    return passagesInherited(base, index(base, path.slice(consumed), text, range));
  }

  /**
   * `path.module`, `path.root`, `path.cwd` as Terraform sets them when run in the root module's folder:
   * the module's folder relative to the root's ('.' in the root; `../modules/x`, `.terraform/modules/x`), and '.'.
   */
  private pathValue(name: string): string | undefined {
    if (name === 'root' || name === 'cwd') return '.';
    if (name !== 'module') return undefined;
    return posix.relative(this.rootFolder(), this.module.dir) || '.';
  }

  /** A file file() or templatefile() names: a relative path is taken from the root module's folder, as Terraform does. */
  private readFile(path: string): { file: string; text: string } | undefined {
    return this.module.modules?.readFile?.(posix.isAbsolute(path) ? path : posix.join(this.rootFolder(), path));
  }

  /** The root module's folder (as findings show paths), which Terraform resolves relative paths against. */
  private rootFolder(): string {
    return this.module.modules?.stack[0] ?? this.module.dir;
  }

  /**
   * `file(path)`: the text of a file inside the scan (see TerraformFileReader), as a string whose
   * positions are the file's own (verbatim from line 1), so a policy in it is located in that file.
   * Undefined when it cannot be read: the caller's value is then unknown.
   */
  private fileContent(path: string): Value | undefined {
    const found = this.readFile(path);
    if (!found) return undefined;
    let range = FILE_RANGES.get(found);
    if (!range) FILE_RANGES.set(found, (range = wholeText(found.file, found.text)));
    return { kind: 'string', value: found.text, range, verbatim: true };
  }

  /**
   * `templatefile(path, vars)`: the file read as file() reads it, parsed as a template of text and
   * `${...}` interpolations and `%{...}` directives (as a heredoc) and evaluated seeing only `vars`, as
   * Terraform does. Vars not known as an object, or a file not read (or not parsed) is unknown.
   */
  private templateFile(args: Expr[], range: Range, ref: string): Value {
    if (args.length !== 2) return invalidValue(range, ref);
    const path = this.evaluate(args[0]);
    const vars = this.evaluate(args[1]);
    const read = path.kind === 'string' ? this.readFile(path.value) : undefined;
    if (!read || vars.kind !== 'object' || vars.open) return unknownResult(range, ref, [path, vars]);
    let template = TEMPLATES.get(read);
    if (template === undefined) TEMPLATES.set(read, (template = parseTemplateFast(read.file, read.text, createPositionMapper(read.file, read.text)) ?? null));
    if (!template) return unknownValue(range, ref);
    const names = new Map(vars.entries.map((e) => [e.key, e.value]));
    const scope: ModuleInstance = { ...declarations({ dir: this.module.dir, files: [], tfvars: [] }), prefix: this.module.prefix, inputs: new Map() };
    return new Evaluator(scope, names, undefined, this.budget).evaluate(template);
  }

  private variable(name: string, range: Range): Value | undefined {
    return this.memo(`var.${name}`, () => `var.${name}`, () => {
      const declared = this.module.variables.get(name);
      const input = this.module.inputs.get(name);
      const fallback = input ? undefined : declared?.body.attributes.find((a) => a.name === 'default');
      const value = input ? input() : fallback ? this.evaluate(fallback.expr) : unknownValue(range, `var.${name}`);
      // Terraform fills attributes a type declares optional(...) with null: one missing from the value is not an error.
      const type = declared?.body.attributes.find((a) => a.name === 'type');
      return type ? withTypeDefaults(value, type.expr) : value;
    });
  }

  private local(name: string, range: Range): Value {
    const expr = this.module.locals.get(name);
    if (expr) return this.memo(expr, () => `local.${name}`, () => passedThrough(this.evaluate(expr), expr.range));
    // An undeclared local is Unknown where it is first referenced, as every later reference says.
    const undeclared = `local.${name}`;
    return this.memo(undeclared, () => undeclared, () => unknownValue(range, undeclared));
  }

  /**
   * `data.aws_iam_policy_document.x.json` (or `x[0].json`, `x["k"].json` for an instance): the document;
   * `data.aws_iam_policy.x.arn` (`.policy`, `.name`, `.path`) of an AWS managed policy we keep (see
   * awsManagedPolicyDataValue). With how many path steps it took; undefined for anything else.
   */
  private dataSource(key: string, path: Array<string | number>, range: Range, text: string): [Value, number] | undefined {
    const block = this.module.dataSources.get(key);
    const document = key.startsWith('aws_iam_policy_document.');
    if (!block || (!document && !key.startsWith('aws_iam_policy.'))) return undefined;
    const instances = this.root.instances(block);
    // Without known instances the block is read once (each/count unknown in it); `x[0]` of it is still that block.
    const at = instances !== undefined && path.length >= 5 ? 4 : 3;
    const attribute = path[at];
    if (typeof attribute !== 'string' || (document && attribute !== 'json' && attribute !== 'minified_json')) return undefined;
    let evaluator: Evaluator = this.root;
    if (at === 4 && Array.isArray(instances)) {
      const found = instances.find((i) => i.instance.key === path[3]);
      if (!found) return [invalidValue(range, ownedString(text)), at + 1];
      evaluator = found.evaluator;
    }
    if (!document) {
      const value = awsManagedPolicyDataValue(block, evaluator, attribute, range);
      return value && [value, at + 1];
    }
    return [evaluator.memo(block, () => `data.${key}`, () => policyDocumentDataValue(block, evaluator) ?? unknownValue(range, ownedString(text))), at + 1];
  }

  /**
   * `aws_x.y.attr` (`key`: `aws_x.y`), or `aws_x.y[0].attr` / `aws_x.y["k"].attr` of an instance: an input
   * attribute set literally is read (with that instance's `each`/`count`); computed ones (arn, id) stay symbolic.
   */
  private resourceAttribute(block: HclBlock, key: string, type: string, path: Array<string | number>, text: string, range: Range): Value {
    const instances = this.root.instances(block);
    let evaluator: Evaluator = this.root;
    let address = this.module.prefix + key;
    let at = 2;
    if (instances !== undefined) {
      const step = path[2];
      if (Array.isArray(instances) && step !== undefined) {
        const found = instances.find((i) => i.instance.key === step);
        // An instance that does not exist is an error in Terraform (`try` falls back past it).
        if (!found) return invalidValue(range, ownedString(text));
        evaluator = found.evaluator;
        address += found.instance.suffix;
        at = 3;
      } else if (typeof step === 'number' || (instances === 'unknown' && path.length > 3)) at = 3;
    }
    const symbolic = (): UnknownValue => ({ kind: 'unknown', ref: ownedString(text), range, resource: address, resourceType: type });
    const attribute = path[at];
    if (typeof attribute !== 'string' || COMPUTED_ATTRIBUTES.has(attribute) || path.length > at + 1) return symbolic();
    const set = block.body.attributes.find((a) => a.name === attribute);
    if (!set) return symbolic();
    const value = evaluator.memo(set, () => `${key}.${attribute}`, () => evaluator.evaluate(set.expr));
    return value.kind === 'unknown' ? symbolic() : value;
  }

  /**
   * `module.NAME.OUTPUT…` (`module.NAME[KEY].OUTPUT…` for an instance): the child's output evaluated in that
   * instance's scope. `module.NAME` alone is the object of its outputs (a list or map of them with instances).
   */
  private moduleReference(name: string, path: Array<string | number>, text: string, range: Range): Value {
    const root = this.root;
    const instances = root.instances(root.module.moduleCalls.get(name)!);
    if (instances === 'unknown') return unknownValue(range, ownedString(text));
    if (instances === undefined) return outputsOf(root.child(name, '', root), path, 2, text, range);
    const step = path[2];
    if (step === undefined) {
      const all = instances.map((i) => ({ key: i.instance.key, value: outputsOf(root.child(name, i.instance.suffix, i.evaluator), path, 3, text, range) }));
      if (all.every((i) => typeof i.key === 'number')) return { kind: 'list', items: all.map((i) => i.value), range };
      return { kind: 'object', entries: all.map((i) => ({ key: ownedString(String(i.key)), keyRange: range, value: i.value })), range };
    }
    const found = instances.find((i) => i.instance.key === step);
    if (!found) return invalidValue(range, ownedString(text)); // no such instance: an error in Terraform
    return outputsOf(root.child(name, found.instance.suffix, found.evaluator), path, 3, text, range);
  }

  /** The value of this module's `output "name"`, evaluated once. */
  output(name: string, range: Range, text: string): Value {
    const block = this.module.outputs.get(name);
    // An output not declared (or declared in a file that did not parse) is not known here.
    if (!block) return unknownValue(range, ownedString(text));
    return this.root.memo(block, () => `${this.module.prefix}output.${name}`, () => this.root.attribute(block.body, 'value') ?? unknownValue(range, ownedString(text)));
  }

  /**
   * `name` says what `key` is the value of, for the Unknown a cycle of references yields. A value a plan-time
   * choice decides is cached apart in a variant run (the next run may choose otherwise); reading it is meeting that choice.
   */
  private memo(key: unknown, name: () => string, compute: () => Value): Value {
    const state = this.budget.choice;
    const cached = this.cache.get(key);
    if (cached) {
      if (this.decided === undefined || !this.decided.has(key)) return cached;
      state.points++;
      if (!state.choices) return cached;
    }
    if (state.choices) {
      const chosen = this.variantValues(state).get(key);
      if (chosen) {
        state.points++;
        return chosen;
      }
    }
    if (this.inProgress.has(key)) return unknownValue({ file: this.module.dir, line: 1, column: 1, endLine: 1, endColumn: 1 }, name());
    this.inProgress.add(key);
    const before = state.points;
    try {
      const value = compute();
      const decided = state.points !== before;
      if (decided && state.choices) this.variantValues(state).set(key, value);
      else {
        this.cache.set(key, value);
        if (decided) (this.decided ??= new Set()).add(key);
      }
      return value;
    } finally {
      this.inProgress.delete(key);
    }
  }

  /** This variant run's cache of values choices decided. */
  private variantValues(state: PlanChoices): Map<unknown, Value> {
    if (this.variantGeneration !== state.generation || !this.variantCache) {
      this.variantCache = new Map();
      this.variantGeneration = state.generation;
    }
    return this.variantCache;
  }
}

/** Steps `path[at…]` into a child module instance's outputs: `at` names the output; none left is the object of all of them. */
function outputsOf(child: Evaluator | undefined, path: Array<string | number>, at: number, text: string, range: Range): Value {
  if (!child) return unknownValue(range, ownedString(text));
  const name = path[at];
  if (name === undefined) {
    const entries: ObjectEntry[] = [];
    for (const [output, block] of child.module.outputs) entries.push({ key: output, keyRange: block.range, value: child.output(output, range, text) });
    return { kind: 'object', entries, range };
  }
  if (typeof name !== 'string') return invalidValue(range, ownedString(text));
  return index(child.output(name, range, text), path.slice(at + 1), text, range);
}

/** Each template file templatefile() read, parsed once (null: declined by the fast parser), however many instances read it. */
const TEMPLATES = new WeakMap<object, Extract<Expr, { t: 'template' }> | null>();

/** The range of each text file() read (by the reader's cached result): computed once, however many instances read it. */
const FILE_RANGES = new WeakMap<object, Range>();

/** A whole text's range in its file, from line 1, column 1 to its end. */
function wholeText(file: string, text: string): Range {
  const lines = lineStartsOf(text);
  const last = lines[lines.length - 1];
  return { file, line: 1, column: 1, endLine: lines.length, endColumn: text.length - last + 1 };
}

function textOf(expr: Expr): string {
  return 'text' in expr ? ownedString(expr.text) : expr.t === 'call' ? `${expr.name}(...)` : 'expression';
}

/** A bare identifier expression (`iterator = rule`; in Terraform JSON the string `"rule"`). */
function knownIdentifier(expr: Expr | undefined): string | undefined {
  if (expr?.t === 'literal' && typeof expr.value === 'string') return expr.value;
  return expr?.t === 'ref' && expr.path.length === 1 && typeof expr.path[0] === 'string' ? expr.path[0] : undefined;
}

/**
 * Follows `.attr` / `[i]` steps into a known value; into an unknown one, the result is unknown.
 * A step Terraform cannot take (a key missing from a known object, an index past a known list's
 * end, any step into null or a scalar) makes the result invalid, which `try` falls back past.
 */
function index(base: Value, steps: Array<string | number>, text: string, range: Range): Value {
  let current = base;
  for (const step of steps) {
    if (current.kind === 'object') {
      const key = String(step);
      let entry;
      for (let i = current.entries.length - 1; i >= 0 && !entry; i--) if (current.entries[i].key === key) entry = current.entries[i];
      if (!entry) return current.open ? unknownValue(range, ownedString(text)) : invalidValue(range, ownedString(text));
      current = entry.value;
    } else if (current.kind === 'list') {
      if (typeof step !== 'number' || !current.items[step]) return invalidValue(range, ownedString(text));
      current = current.items[step];
    } else if (current.kind === 'unknown' || current.kind === 'template') {
      return current.kind === 'unknown' && current.invalid ? invalidValue(range, ownedString(text)) : unknownValue(range, ownedString(text));
    } else {
      return invalidValue(range, ownedString(text));
    }
  }
  return current;
}
