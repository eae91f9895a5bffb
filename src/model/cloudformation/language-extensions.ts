import type { InputError } from '../../parse/types.js';
import { substitutedPositions } from '../string-positions.js';
import { get, knownString, type ObjectEntry, type ObjectValue, type Value } from '../value.js';
import { CfnEvaluator, type TemplateScope } from './evaluate.js';
import { entrySpan } from './support.js';

/**
 * Loops of one template may generate at most this many entries (resources, properties, outputs,
 * conditions: all levels together) and walk this many nodes: hostile input is refused, not expanded.
 */
export const MAX_GENERATED_ENTRIES = 1000;
const MAX_LOOP_NODES = 500_000;

const LOOP_PREFIX = 'Fn::ForEach::';
/** The sections CloudFormation expands `Fn::ForEach` in (resource properties included). */
const LOOP_SECTIONS = new Set(['Resources', 'Outputs', 'Conditions']);

export interface ExpandedTemplate {
  template: Value;
  /** Malformed loops, keys generated twice, the bound exceeded: IG901 at the loop. */
  errors: InputError[];
  /** Logical id of each resource a loop generated → its key as written in the loop body (`Permission${Name}`). */
  instances: ReadonlyMap<string, string>;
}

/**
 * A loop identifier's value in one iteration: its text, or `undefined` when the collection is not
 * known (a parameter without default, an import). Such a loop body is expanded once, the
 * identifier unknown and its keys as written (`Permission${Name}`): whatever the collection
 * holds, what the body grants regardless of the identifier (`Principal: '*'`) is granted by
 * every resource it generates, so it is reported once; what depends on the identifier stays unknown.
 */
type Binding = { text: string } | undefined;
type Bindings = ReadonlyMap<string, Binding>;

const NO_BINDINGS: Bindings = new Map();
const NOTHING: ReadonlyMap<string, string> = new Map();

/**
 * `Transform: AWS::LanguageExtensions` (alone or with SAM): `Fn::ForEach::<Loop>` expanded as
 * CloudFormation expands it before anything else reads the template. Every generated value keeps
 * the range of the text it came from (a finding on a generated permission points into the loop body).
 *
 * In the body, the identifier is replaced in keys (`${Id}`, and `&{Id}` with non-alphanumeric
 * characters removed), in `Ref: Id`, and in `Fn::Sub` strings; other strings are left as written,
 * as the transform leaves them. Without the transform, CloudFormation rejects the loop, and the
 * template is read as it is.
 */
export function expandLanguageExtensions(template: Value): ExpandedTemplate {
  if (template.kind !== 'object' || !usesLanguageExtensions(template)) return { template, errors: [], instances: NOTHING };
  const expander = new Expander(scopeOf(template));
  let entries: ObjectEntry[] | undefined;
  template.entries.forEach((entry, i) => {
    if (!LOOP_SECTIONS.has(entry.key) || entry.value.kind !== 'object') return;
    const value = expander.object(entry.value, NO_BINDINGS, entry.key === 'Resources' ? expander.instances : undefined);
    if (value !== entry.value) (entries ??= [...template.entries])[i] = { ...entry, value };
  });
  return { template: entries ? { ...template, entries } : template, errors: expander.errors, instances: expander.instances };
}

function usesLanguageExtensions(template: Value): boolean {
  const transform = get(template, 'Transform');
  const names = transform?.kind === 'list' ? transform.items : transform ? [transform] : [];
  return names.some((name) => knownString(name) === 'AWS::LanguageExtensions');
}

/** Parameters and mappings: what a loop's collection may be read from. */
function scopeOf(template: Value): TemplateScope {
  const parameters = new Map<string, Value>();
  const declared = get(template, 'Parameters');
  if (declared?.kind === 'object') for (const p of declared.entries) parameters.set(p.key, p.value);
  const mappings = get(template, 'Mappings');
  return { parameters, resourceTypes: new Map(), ...(mappings ? { mappings } : {}) };
}

class Expander {
  readonly errors: InputError[] = [];
  readonly instances = new Map<string, string>();
  private generated = 0;
  private nodes = 0;
  /** Set once a bound is exceeded: later loops are not expanded (one error says so). */
  private stopped = false;

  constructor(private readonly scope: TemplateScope) {}

  value(value: Value, bindings: Bindings): Value {
    if (bindings.size > 0 && ++this.nodes > MAX_LOOP_NODES) return value;
    if (value.kind === 'object') return this.object(value, bindings);
    if (value.kind !== 'list') return value;
    let items: Value[] | undefined;
    value.items.forEach((item, i) => {
      const walked = this.value(item, bindings);
      if (walked !== item) (items ??= [...value.items])[i] = walked;
    });
    return items ? { ...value, items } : value;
  }

  /**
   * An object with its loops expanded in place and, inside a loop body, the identifiers replaced.
   * `instances`: given for the `Resources` section, collects the logical ids loops generate there.
   */
  object(value: ObjectValue, bindings: Bindings, instances?: Map<string, string>): Value {
    const only = value.entries.length === 1 ? value.entries[0] : undefined;
    if (only && bindings.size > 0) {
      if (only.key === 'Ref' && only.value.kind === 'string' && bindings.has(only.value.value)) {
        const bound = bindings.get(only.value.value);
        // Reported where it is used, as a parameter's value is.
        return bound ? { kind: 'string', value: bound.text, range: value.range } : { kind: 'unknown', ref: only.value.value, range: value.range };
      }
      if (only.key === 'Fn::Sub') return this.sub(value, only, bindings);
    }
    let entries: ObjectEntry[] | undefined;
    let seen: Set<string> | undefined;
    value.entries.forEach((entry, i) => {
      if (entry.key.startsWith(LOOP_PREFIX)) {
        entries ??= value.entries.slice(0, i);
        seen ??= new Set(entries.map((e) => e.key));
        for (const generated of this.loop(entry, bindings, instances)) {
          if (seen.has(generated.key)) {
            this.errors.push({ message: `${entry.key} generates "${generated.key}", a key its object already has: CloudFormation rejects the template`, range: entrySpan(entry) });
            continue;
          }
          seen.add(generated.key);
          entries.push(generated);
        }
        return;
      }
      const key = bindings.size > 0 ? substituteKey(entry.key, bindings) : entry.key;
      const walked = this.value(entry.value, bindings);
      if (bindings.size > 0 && instances) instances.set(key, entry.key);
      if (seen?.has(key)) {
        this.errors.push({ message: `"${key}" is also generated by a Fn::ForEach loop of the same object: CloudFormation rejects the template`, range: entry.keyRange });
        return;
      }
      seen?.add(key);
      if (entries) entries.push(key === entry.key && walked === entry.value ? entry : { ...entry, key, value: walked });
      else if (key !== entry.key || walked !== entry.value) (entries = value.entries.slice(0, i)).push({ ...entry, key, value: walked });
    });
    return entries ? { ...value, entries } : value;
  }

  /** The entries `Fn::ForEach::<Loop>: [Identifier, Collection, {OutputKey: OutputValue}]` generates. */
  private loop(entry: ObjectEntry, bindings: Bindings, instances: Map<string, string> | undefined): ObjectEntry[] {
    if (this.stopped) return [];
    const [identifier, collection, fragment] = entry.value.kind === 'list' && entry.value.items.length === 3 ? entry.value.items : [];
    const name = knownString(identifier);
    if (name === undefined || !collection || fragment?.kind !== 'object') {
      this.errors.push({ message: `${entry.key} must be a list of three: an identifier, a collection, and the {OutputKey: OutputValue} fragment to repeat`, range: entrySpan(entry) });
      return [];
    }
    const out: ObjectEntry[] = [];
    for (const item of this.collection(collection, bindings)) {
      this.nodes++; // an iteration costs even when its body generates nothing
      const body = this.object(fragment, new Map(bindings).set(name, item), instances);
      const generated = body.kind === 'object' ? body.entries : [];
      this.generated += generated.length;
      if (this.generated > MAX_GENERATED_ENTRIES || this.nodes > MAX_LOOP_NODES) {
        this.stopped = true;
        this.errors.push({ message: `${entry.key}: Fn::ForEach loops of this template generate more than ${MAX_GENERATED_ENTRIES} entries (or too large a template); the loops from here on are not analysed`, range: entrySpan(entry) });
        return out;
      }
      out.push(...generated);
    }
    return out;
  }

  /** The identifier's value for each iteration: the known items, and one unknown iteration if any item (or the whole collection) is not known. */
  private collection(collection: Value, bindings: Bindings): Binding[] {
    const evaluated = new CfnEvaluator(this.scope).evaluate(this.value(collection, bindings));
    if (evaluated.kind !== 'list') return [undefined];
    const items: Binding[] = [];
    let unknown = false;
    for (const item of evaluated.items) {
      const text = knownString(item);
      if (text === undefined) unknown = true;
      else items.push({ text });
    }
    if (unknown) items.push(undefined);
    return items;
  }

  /** `Fn::Sub` in a loop body: known identifiers written into the string; unknown ones passed as variables whose value is unknown. */
  private sub(value: ObjectValue, only: ObjectEntry, bindings: Bindings): Value {
    const argument = only.value;
    const text = argument.kind === 'list' ? argument.items[0] : argument;
    if (text?.kind !== 'string') return { ...value, entries: [{ ...only, value: this.value(argument, bindings) }] };
    const unknown: ObjectEntry[] = [];
    const replacements: Array<{ start: number; end: number; length: number }> = [];
    const replaced = text.value.replace(/([$&])\{([^}]*)\}/g, (match, sigil: string, name: string, at: number) => {
      if (!bindings.has(name)) return match;
      const bound = bindings.get(name);
      const out = bound ? (sigil === '$' ? bound.text : alphanumeric(bound.text)) : `\${${name}}`;
      if (!bound && !unknown.some((e) => e.key === name)) unknown.push({ key: name, keyRange: text.range, value: { kind: 'unknown', ref: name, range: text.range } });
      if (out !== match) replacements.push({ start: at, end: at + match.length, length: out.length });
      return out;
    });
    // A policy string's inner positions follow the text: each identifier's value stands where it was written.
    const written: Value =
      replaced === text.value
        ? text
        : text.positions
          ? { ...text, value: replaced, positions: substitutedPositions(text.positions, text.range, text.value.length, replacements) }
          : { ...text, value: replaced };
    const given = argument.kind === 'list' && argument.items[1] ? this.value(argument.items[1], bindings) : undefined;
    if (unknown.length === 0) {
      if (argument.kind !== 'list') return written === text ? value : { ...value, entries: [{ ...only, value: written }] };
      if (written === text && given === argument.items[1]) return value;
    }
    const variables: Value | undefined =
      unknown.length === 0 ? given : { kind: 'object', range: given?.range ?? text.range, entries: [...(given?.kind === 'object' ? given.entries : []), ...unknown] };
    const items = variables ? [written, variables] : [written];
    return { ...value, entries: [{ ...only, value: { kind: 'list', range: argument.range, items } }] };
  }
}

/** `${Id}` → the item, `&{Id}` → the item without non-alphanumeric characters; an unknown item leaves the key as written. */
function substituteKey(key: string, bindings: Bindings): string {
  if (!key.includes('{')) return key;
  return key.replace(/([$&])\{([^}]*)\}/g, (match, sigil: string, name: string) => {
    const bound = bindings.get(name);
    if (!bound) return match;
    return sigil === '$' ? bound.text : alphanumeric(bound.text);
  });
}

function alphanumeric(text: string): string {
  return text.replace(/[^0-9A-Za-z]/g, '');
}
