import type { Document, Node as YamlNode, Tags } from 'yaml';
import { parseJsonValue } from '../../model/json-value.js';
import { createPositionMapper, type PositionMapper, type Range } from '../../model/range.js';
import type { ObjectEntry, Value } from '../../model/value.js';
import { commentCoverage, type SourceComment } from '../comments.js';
import { lastValuesOf } from '../duplicate-keys.js';
import type { InputError } from '../types.js';
import { fastPaths } from '../fast-paths.js';
import { parseCloudFormationYamlFast } from './fast-yaml.js';
import { indentContinuations } from './lenient-indent.js';
import { getAttList, SHORT_FORMS } from './short-forms.js';
import { yamlScalarPositions } from './yaml-scalar-positions.js';
import { loadYamlLibrary, yamlLibrary } from '../yaml-library.js';

/** A template's aliases may expand to at most this many nodes: a billion-laughs bomb is refused, not expanded. */
export const MAX_ALIAS_COUNT = 100;
/** Hard cap on nodes converted from one document (aliases included). */
const MAX_NODES = 200_000;

let customTags: Tags | undefined;
/**
 * Every short form accepted on a scalar, a sequence and a mapping; the node keeps its tag
 * and the conversion below turns it into the long form (`{"Fn::GetAtt": [...]}`).
 * Built on first use: the library is loaded only when a template needs it.
 */
function shortFormTags(): Tags {
  const { YAMLMap, YAMLSeq } = yamlLibrary();
  return (customTags ??= Object.keys(SHORT_FORMS).flatMap((tag): Tags => [
    { tag, resolve: (value: string) => value },
    { tag, collection: 'seq', nodeClass: YAMLSeq, resolve: (node) => node },
    { tag, collection: 'map', nodeClass: YAMLMap, resolve: (node) => node },
  ]));
}

export interface ParsedTemplate {
  template?: Value;
  errors: InputError[];
  /** YAML comments that mention invokeguard (suppressions); JSON has none. */
  comments?: SourceComment[];
  /** Some string got a `positions` map (it may hold a policy as JSON text): only then are the fix stage's spans looked for. */
  jsonStrings?: boolean;
}

/** Parses a CloudFormation/SAM template, JSON or YAML, into a Value tree whose every node carries its range. */
export function parseCloudFormation(file: string, text: string): ParsedTemplate {
  return parseCloudFormationFastPath(file, text) ?? parseYamlTemplate(file, text);
}

/** parseCloudFormation for a caller that can wait: the yaml library is loaded only if the fast path declines. */
export async function parseCloudFormationLoading(file: string, text: string): Promise<ParsedTemplate> {
  return parseCloudFormationFastPath(file, text) ?? (await loadYamlLibrary(), parseYamlTemplate(file, text));
}

/** Without the yaml library: a JSON template, or YAML the fast path takes; undefined where the library must parse. */
export function parseCloudFormationFastPath(file: string, text: string): ParsedTemplate | undefined {
  if (/^\s*\{/.test(text)) return parseJsonTemplate(file, text);
  // Suppression comments need the library's concrete syntax tree; the fast path keeps no comments.
  const found = { duplicateKeys: false, jsonStrings: false };
  const fast = fastPaths.enabled && !text.includes('invokeguard') ? parseCloudFormationYamlFast(text, lineCounterMapper(file, text), found) : undefined;
  if (!fast) return undefined;
  const parsed: ParsedTemplate = found.jsonStrings ? { template: fast, errors: [], jsonStrings: true } : { template: fast, errors: [] };
  // A repeated key: the same last-value rule (and IG904s) as the library path; without one, no walk.
  return found.duplicateKeys ? lastValuesOnly(parsed) : parsed;
}

function parseJsonTemplate(file: string, text: string): ParsedTemplate {
  const { value, errors, jsonStrings } = parseJsonValue(text, createPositionMapper(file, text));
  return lastValuesOnly(value ? { template: value, errors, ...(jsonStrings ? { jsonStrings } : {}) } : { errors });
}

/** The YAML reference path as CloudFormation reads it: the library's tree, a repeated key's last value only. */
export function parseYamlTemplate(file: string, text: string): ParsedTemplate {
  return lastValuesOnly(parseYamlTemplateWithLibrary(file, text));
}

/** CloudFormation accepts a key given twice in one mapping and deploys its last value: the template is modelled so, each ignored entry an IG904. */
function lastValuesOnly(parsed: ParsedTemplate): ParsedTemplate {
  if (!parsed.template) return parsed;
  const { value, errors } = lastValuesOf(parsed.template, parsed.errors, 'cloudformation');
  if (value === parsed.template) return parsed;
  return { ...parsed, template: value, errors };
}

/** Positions as the yaml library's LineCounter gives them: offsets past the end are clamped to it. */
export function lineCounterMapper(file: string, text: string): PositionMapper {
  const mapper = createPositionMapper(file, text);
  return { range: (start, end) => mapper.range(Math.min(start, text.length), Math.min(Math.max(start, end), text.length)) };
}

/** The reference path: the `yaml` library, which also locates syntax errors and refuses alias bombs. */
export function parseYamlTemplateWithLibrary(file: string, text: string): ParsedTemplate {
  let mapper = lineCounterMapper(file, text);
  /** The text the document was parsed from: `text`, or `text` with continuation lines indented. */
  let parsed = text;
  // Duplicate keys are not an error to CloudFormation: lastValuesOnly reports them and keeps the last value.
  const { parseDocument } = yamlLibrary();
  const options = { customTags: shortFormTags(), prettyErrors: false, uniqueKeys: false } as const;
  let doc = parseDocument(text, options);
  if (doc.errors.length > 0) {
    // Continuation lines indented as PyYAML and CloudFormation accept them: read as they would.
    const lenient = indentContinuations(text);
    const retried = lenient && parseDocument(lenient.text, options);
    if (lenient && retried && retried.errors.length === 0) {
      const asWritten = mapper;
      doc = retried;
      mapper = { range: (start, end) => asWritten.range(lenient.original(start), lenient.original(end)) };
      parsed = lenient.text;
    }
  }
  const errors: InputError[] = doc.errors.slice(0, 1).map((e) => ({ message: `invalid YAML: ${e.message.split('\n')[0]}`, range: mapper.range(e.pos[0], e.pos[1]) }));
  if (!doc.contents) return { errors };
  const bomb = aliasBomb(doc, mapper);
  if (bomb) return { errors: [...errors, bomb] };
  const converter = new YamlConverter(parsed, mapper, aliasTargets(doc), true);
  const template = converter.convert(doc.contents as YamlNode);
  if (converter.refused) return { errors: [...errors, converter.refused] };
  return { template, errors, ...(text.includes('invokeguard') ? { comments: yamlComments(text, parsed, mapper) } : {}), ...(converter.jsonStrings ? { jsonStrings: true } : {}) };
}

/**
 * YAML text as Terraform's `yamldecode` reads it, as a Value located by `mapper`: one document, core
 * tags only (CloudFormation's short forms are an error there), aliases and size bounded as for a
 * template. Undefined where Terraform would fail, or the text is refused.
 */
export function parseYamlValue(text: string, mapper: PositionMapper): Value | undefined {
  // A key given twice is no error to yamldecode (go-cty-yaml): the last value is the one decoded.
  const doc = yamlLibrary().parseDocument(text, { prettyErrors: false, uniqueKeys: false });
  if (doc.errors.length > 0 || !doc.contents || aliasBomb(doc, mapper)) return undefined;
  const converter = new YamlConverter(text, mapper, aliasTargets(doc), false, true);
  const value = converter.convert(doc.contents as YamlNode);
  return converter.refused ? undefined : value;
}

/** Comment tokens from the YAML concrete syntax tree of `parsed` (the AST keeps comments without positions), located in `text` as written; text inside block scalars is not a comment. */
function yamlComments(text: string, parsed: string, mapper: PositionMapper): SourceComment[] {
  const covers = commentCoverage(text);
  const comments: SourceComment[] = [];
  const walk = (token: unknown): void => {
    if (Array.isArray(token)) for (const item of token) walk(item);
    else if (token && typeof token === 'object') {
      const { type, offset, source } = token as { type?: unknown; offset?: unknown; source?: unknown };
      if (type === 'comment' && typeof offset === 'number' && typeof source === 'string' && source.includes('invokeguard')) {
        const range = mapper.range(offset, offset + source.length);
        comments.push({ text: source, range, covers: covers(range) });
      } else for (const value of Object.values(token)) if (value && typeof value === 'object') walk(value);
    }
  };
  for (const token of new (yamlLibrary().Parser)().parse(parsed)) walk(token);
  return comments;
}

/** The yaml library's own guard: expanding more than MAX_ALIAS_COUNT aliased nodes throws, early. */
function aliasBomb(doc: Document, mapper: PositionMapper): InputError | undefined {
  // Without an alias there is nothing to expand: skip building the whole document as JS just to check.
  const { visit } = yamlLibrary();
  let aliased = false;
  visit(doc, {
    Alias() {
      aliased = true;
      return visit.BREAK;
    },
  });
  if (!aliased) return undefined;
  try {
    doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT, mapAsMap: true }); // output unused; mapAsMap avoids a warning per collection key
    return undefined;
  } catch (error) {
    let at: Range = mapper.range(0, 0);
    visit(doc, {
      Alias(_key, node) {
        if (node.range) at = mapper.range(node.range[0], node.range[1]);
        return visit.BREAK;
      },
    });
    return { message: `YAML refused: ${error instanceof Error ? error.message : String(error)} (aliases limited to ${MAX_ALIAS_COUNT})`, range: at };
  }
}

/**
 * The node each alias stands for: the last node anchored with its name before it, in document
 * order (YAML lets an anchor be redefined). One walk for the whole document; empty without aliases.
 */
function aliasTargets(doc: Document): ReadonlyMap<YamlNode, YamlNode> {
  const targets = new Map<YamlNode, YamlNode>();
  const anchored = new Map<string, YamlNode>();
  const { visit, isAlias } = yamlLibrary();
  visit(doc, {
    Node(_key, node) {
      if (isAlias(node)) {
        const target = anchored.get(node.source);
        if (target) targets.set(node, target);
      } else if (node.anchor) anchored.set(node.anchor, node);
    },
  });
  return targets;
}

/** `<<` written plain (not quoted) as a mapping key: YAML 1.1's merge key, which the AWS CLI's and SAM CLI's YAML loaders honour. */
function isMergeKey(node: YamlNode | null): boolean {
  return yamlLibrary().isScalar(node) && node.value === '<<' && (node.type === undefined || node.type === 'PLAIN');
}

/**
 * Converts the yaml AST (not its JS output) to Value, so ranges survive; aliases are bounded.
 * CloudFormation itself refuses aliases, but `sam deploy` and `aws cloudformation package` expand
 * them (and `<<` merge keys) before upload: the template is modelled as it is deployed, expanded.
 */
class YamlConverter {
  private readonly yaml = yamlLibrary();
  refused?: InputError;
  /** Some string got a `positions` map (ParsedTemplate.jsonStrings). */
  jsonStrings = false;
  private aliases = 0;
  private nodes = 0;

  constructor(
    /** The text the document was parsed from (its offsets are the nodes'). */
    private readonly text: string,
    private readonly mapper: PositionMapper,
    private readonly aliasTarget: ReadonlyMap<YamlNode, YamlNode>,
    /** CloudFormation's short forms (`!Ref`, `!Sub`, …) become their long forms; without, any tag but a core one is refused. */
    private readonly shortForms: boolean,
    /** A mapping keeps one entry per key, the last (a decoded object, not a template whose repeats IG904 reports). */
    private readonly lastKeyOnly = false,
  ) {}

  convert(node: YamlNode | null | undefined, fallback?: Range): Value {
    const range = node?.range ? this.mapper.range(node.range[0], node.range[1]) : (fallback ?? this.mapper.range(0, 0));
    if (!node || this.refused) return { kind: 'null', range };
    if (++this.nodes > MAX_NODES) return this.refuse(`template too large: more than ${MAX_NODES} nodes after alias expansion`, range);
    if (this.yaml.isAlias(node)) {
      if (++this.aliases > MAX_ALIAS_COUNT) return this.refuse(`too many YAML aliases (more than ${MAX_ALIAS_COUNT}): refusing a possible alias bomb`, range);
      const target = this.aliasTarget.get(node);
      // The value is the anchored node's, located where the alias stands (a string's inner positions, at the anchor, dropped).
      return target ? withoutPositions({ ...this.convert(target, range), range }) : { kind: 'null', range };
    }
    if (!this.shortForms && node.tag !== undefined && !node.tag.startsWith('tag:yaml.org,2002:')) return this.refuse(`unsupported YAML tag ${node.tag}`, range);
    const value = this.convertPlain(node, range);
    const longForm = node.tag && this.shortForms ? SHORT_FORMS[node.tag] : undefined;
    if (!longForm) return value;
    const argument = longForm === 'Fn::GetAtt' && value.kind === 'string' ? getAttList(value) : value;
    return { kind: 'object', range, entries: [{ key: longForm, keyRange: range, value: argument }] };
  }

  private convertPlain(node: YamlNode, range: Range): Value {
    if (this.yaml.isMap(node)) {
      const entries: ObjectEntry[] = [];
      let merged: Value[] | undefined;
      for (const pair of node.items) {
        const keyNode = pair.key as YamlNode | null;
        const keyRange = keyNode?.range ? this.mapper.range(keyNode.range[0], keyNode.range[1]) : range;
        const value = this.convert(pair.value as YamlNode | null, keyRange);
        if (isMergeKey(keyNode)) (merged ??= []).push(...(value.kind === 'list' ? value.items : [value]));
        else entries.push({ key: this.yaml.isScalar(keyNode) ? String(keyNode.value) : keyNode ? String(keyNode) : '', keyRange, value });
      }
      const all = merged ? withMerged(entries, merged) : entries;
      return { kind: 'object', entries: this.lastKeyOnly ? lastOfEachKey(all) : all, range };
    }
    if (this.yaml.isSeq(node)) return { kind: 'list', items: node.items.map((item) => this.convert(item as YamlNode, range)), range };
    if (this.yaml.isScalar(node)) {
      const v = node.value;
      if (v === null || v === undefined) return { kind: 'null', range };
      if (typeof v === 'boolean') return { kind: 'bool', value: v, range };
      if (typeof v === 'number' || typeof v === 'bigint') {
        // CloudFormation reads scalars as text: keep "012345678901" (an account id) as written.
        if (node.source !== undefined && /^0\d/.test(node.source)) return { kind: 'string', value: node.source, range };
        return { kind: 'number', value: Number(v), range };
      }
      const value = String(v);
      const positions = node.range ? yamlScalarPositions(this.text, node.range[0], node.range[1], value, this.mapper) : undefined;
      if (!positions) return { kind: 'string', value, range };
      this.jsonStrings = true;
      return { kind: 'string', value, range, positions };
    }
    return { kind: 'null', range };
  }

  private refuse(message: string, range: Range): Value {
    this.refused ??= { message, range };
    return { kind: 'null', range };
  }
}

function withoutPositions(value: Value): Value {
  if (value.kind !== 'string' || !value.positions) return value;
  const copy = { ...value };
  delete copy.positions;
  return copy;
}

/** The entries with only the last of each key kept, in their order. */
function lastOfEachKey(entries: ObjectEntry[]): ObjectEntry[] {
  const last = new Map(entries.map((entry) => [entry.key, entry]));
  return last.size === entries.length ? entries : entries.filter((entry) => last.get(entry.key) === entry);
}

/**
 * A mapping's own entries plus those of its merge sources (`<<: *base` or `<<: [*a, *b]`), as
 * YAML 1.1 merges them: a key the mapping sets itself wins, then the earlier source. A source that
 * is not a mapping adds nothing (PyYAML refuses the template; there is nothing to model).
 */
function withMerged(own: ObjectEntry[], sources: Value[]): ObjectEntry[] {
  const taken = new Set(own.map((entry) => entry.key));
  const merged: ObjectEntry[] = [];
  for (const source of sources) {
    if (source.kind !== 'object') continue;
    for (const entry of source.entries) {
      if (taken.has(entry.key)) continue;
      taken.add(entry.key);
      merged.push(entry);
    }
  }
  return [...merged, ...own];
}
