import type { Attribute, IamIdentity, PolicyDocument } from './types.js';
import type { Value } from './value.js';

/**
 * Some values are decided when the deployment is planned, not in the code: a CloudFormation `Fn::If`
 * whose condition is not known, a Terraform conditional whose predicate is not (`terraform.workspace
 * == "prod"`), a map looked up with a key not known. Each is a choice an evaluator makes as `Choices`
 * tell it; the model evaluates a resource under every combination of choices (see `enumerateChoices`),
 * so a grant that is too wide in any plan that can be made is seen.
 */
export interface Choices {
  /** Which alternative (0 ≤ pick < arity) the `index`-th choice met takes. */
  pick: (index: number, arity: number) => number;
  /** The arity of each choice met, in order, and the alternative taken. */
  met: Array<{ arity: number; taken: number }>;
  /**
   * What a named choice took (`if:Cond`, `parameter:Env`): the same condition or parameter decides
   * the same way everywhere in one evaluation, so combinations that cannot deploy are not explored.
   */
  named?: Map<string, number>;
  /** Set when a choice had more than MAX_ALTERNATIVES alternatives: only the first were offered. */
  truncated?: boolean;
}

/** Every choice takes its first alternative: a conditional's true branch, a mapping's first entry, a parameter's default. */
export const FIRST: Choices['pick'] = () => 0;

/** Evaluations of one value `enumerateChoices` makes at most by enumerating combinations (2^4: four conditionals). */
export const MAX_VARIANTS = 16;

/**
 * Alternatives one choice offers at most (the default and the first allowed values, a mapping's first
 * entries): a parameter with thousands of AllowedValues, read by many resources, would otherwise
 * multiply the evaluations of each of them.
 */
export const MAX_ALTERNATIVES = 16;

/** Takes the next choice among `arity` alternatives; a named one as it was taken before, if it was. */
export function takeChoice(choices: Choices, arity: number, name?: string): number {
  const before = name === undefined ? undefined : choices.named?.get(name);
  if (before !== undefined && before < arity) return before;
  const taken = Math.min(Math.max(choices.pick(choices.met.length, arity), 0), arity - 1);
  choices.met.push({ arity, taken });
  if (name !== undefined) (choices.named ??= new Map()).set(name, taken);
  return taken;
}

/**
 * The first MAX_ALTERNATIVES of `items` a choice offers, marking `choices` truncated when some are left out (outside a
 * variant run, `choices` undefined, nothing is offered and nothing is cut).
 */
export function firstAlternatives<T>(choices: Choices | undefined, items: T[]): T[] {
  if (!choices || items.length <= MAX_ALTERNATIVES) return items;
  choices.truncated = true;
  return items.slice(0, MAX_ALTERNATIVES);
}

/** The first MAX_ALTERNATIVES distinct values (sliced first: `distinct` of thousands, on every evaluation, is what is bounded). */
export function boundedAlternatives(choices: Choices, candidates: Value[]): Value[] {
  return distinct(firstAlternatives(choices, candidates));
}

/**
 * Runs an evaluation (`run`, with the pick it is to follow, returning the choices it met) under every
 * combination of the choices it meets; without any choice, once. Returns whether every combination was
 * tried. Beyond MAX_VARIANTS combinations, each alternative of each choice is still tried once (the k-th
 * run of that pass takes the k-th alternative of every choice), but not every combination. A choice offers
 * at most MAX_ALTERNATIVES alternatives (and then the result is not complete), which bounds that pass.
 */
export function enumerateChoices(run: (pick: Choices['pick']) => Choices): boolean {
  // Combinations in odometer order, replaying the choices made before the one that moves on:
  // a choice met only inside an alternative (a conditional in a conditional's branch) is enumerated there.
  let prefix: number[] = [];
  let widest = 1;
  let truncated = false;
  for (let tried = 0; tried < MAX_VARIANTS; tried++) {
    const { met, truncated: cut } = run((index) => prefix[index] ?? 0);
    truncated ||= cut === true;
    for (const m of met) widest = Math.max(widest, m.arity);
    let j = met.length - 1;
    while (j >= 0 && met[j].taken + 1 >= met[j].arity) j--;
    if (j < 0) return !truncated;
    prefix = [...met.slice(0, j).map((m) => m.taken), met[j].taken + 1];
  }
  for (let k = 1; k < widest; k++) run((_, arity) => Math.min(k, arity - 1));
  return false;
}

/** Each value once (by content, not range), in order. */
export function distinct(values: Value[]): Value[] {
  const seen = new Set<string>();
  return values.filter((v) => {
    const key = valueKey(v);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** A key two values share exactly when they are the same but for their ranges. */
export function valueKey(value: Value): string {
  return JSON.stringify(strip(value));
}

/** A value without its ranges, to compare two values. */
function strip(value: Value): unknown {
  switch (value.kind) {
    case 'list':
      return value.items.map(strip);
    case 'object':
      return value.entries.map((e) => [e.key, strip(e.value)]);
    case 'template':
      return value.parts.map((p) => (typeof p === 'string' ? p : `\${${p.ref}}`));
    case 'unknown':
      // The resource too: a nested stack's output is named by the same ref whichever child resource an Fn::If picks.
      return value.resource === undefined ? { unknown: value.ref } : { unknown: value.ref, resource: value.resource };
    case 'null':
      return null;
    default:
      return value.value;
  }
}

/**
 * The permissions boundary each variant of an identity writes (`undefined`: none): the first written, and
 * all of them when they differ (IamIdentity.boundaryVariants); the identity graph decides what several mean.
 */
export function boundaryOf(written: Array<Attribute | undefined>): Pick<IamIdentity, 'boundary' | 'boundaryVariants'> {
  const boundary = written.find((a) => a !== undefined);
  if (!boundary) return {};
  const distinct = new Set(written.map((a) => (a ? valueKey(a.value) : '')));
  return distinct.size === 1 ? { boundary } : { boundary, boundaryVariants: written };
}

/**
 * The trust document each variant of a role writes (`undefined`: none, or not knowable): the first as its trust, the
 * others that say something else as IamIdentity.trustVariants, so a trust too wide in any variant is judged.
 */
export function trustOf(written: Array<PolicyDocument | undefined>): Pick<IamIdentity, 'trustDocument' | 'trustVariants'> {
  const [trustDocument, ...others] = written.filter((d): d is PolicyDocument => d !== undefined);
  if (!trustDocument) return {};
  // Nearly every role has one variant: no content key (a JSON text of its whole trust document) is needed then.
  if (others.length === 0) return { trustDocument };
  const seen = new Set([contentKey(trustDocument)]);
  const trustVariants = others.filter((d) => {
    const key = contentKey(d);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return trustVariants.length > 0 ? { trustDocument, trustVariants } : { trustDocument };
}

/** Keys that say where a part of a model entry is written, not what it is. */
const PLACES = new Set(['range', 'keyRange', 'operatorRange', 'positions', 'keys']);

/** What a model entry says, wherever its parts are written (two variants' entries share it when they say the same). */
export function contentKey(item: object): string {
  return JSON.stringify(item, (key, value: unknown) => (PLACES.has(key) ? undefined : value));
}

/** A key two model entries share when they say the same at the same place (inner places aside: a branch's value is written elsewhere). */
export function itemKey(item: object): string {
  const range = (item as { range?: { file: string; line: number; column: number } }).range;
  const at = range ? `${range.file}:${range.line}:${range.column}` : '';
  return at + contentKey(item);
}
