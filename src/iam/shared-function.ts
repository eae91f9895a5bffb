import type { Range } from '../model/range.js';
import type { PolicyDocument, Statement } from '../model/types.js';
import { displayString, type Value } from '../model/value.js';
import { commonMatch, compileGlob, hasWildcard, searchBudget, tokenTable, type Glob, type SearchBudget, type TokenTable } from './glob-overlap.js';
import { coversAction, effectOf, hasScopingCondition, isUnconditionalDeny, resourcePattern } from './statement.js';

/**
 * Whether two actions' grants in a set of policies reach one function ARN together, with neither
 * action denied there: "the caller can create `app-evil` and invoke it" needs only one such name,
 * not every function. Resource entries are globs (see resourcePattern: symbolic partition, region
 * and account read as `*`). A `${...}` piece of a name (a policy variable such as `${aws:username}`,
 * an unknown Terraform or CloudFormation value) is one fixed string the caller cannot choose: equal
 * to itself in every grant, matched by `*`, by nothing else (see TokenTable). So `${aws:username}-*`
 * shares a function with itself and with `*`, but not with `app-*`, which it may or may not match.
 * A grant whose Resource is wholly unknown reaches nothing here; a Deny's unknown pieces read as `*`:
 * what we cannot know never makes a finding, only takes one away.
 */
export interface ScopedGrant {
  statement: Statement;
  /** How a message names the functions the grant reaches: "functions matching `…`", "every function but `…`". */
  scope: string;
  /** A Resource entry as written, when it is one. */
  pattern?: string;
  glob: Glob;
  /** NotResource: functions the grant leaves out. */
  except: Glob[];
}

/** One action's Allow grants on named functions, and what its unconditional Denies take away. */
export interface FunctionReach {
  action: string;
  grants: ScopedGrant[];
  /** Resource entries of the Denies: no function matching one is reached. */
  denied: Glob[];
  /** NotResource Denies: a reached function must match one entry of each list. */
  deniedUnless: Glob[][];
}

/** Function ARNs alone (`arn:…:lambda:…:function:NAME`, no version or alias): what CreateFunction makes and an unqualified call runs. */
const FUNCTION_ARN = compileGlob('arn:*:lambda:*:*:function:*');
const SEVEN_COLONS = compileGlob('*:*:*:*:*:*:*:*');

/** Per pair of grants, each way of getting past NotResource Denies is one search: past this many, none is reported. */
const MAX_UNLESS_COMBINATIONS = 16;
/** Grants are compared pairwise; policies can list thousands of ARNs, so past this many pairs nothing is reported. */
const MAX_PAIRS = 5_000;

/**
 * States all the searches of one evaluation (one identity's IG204 check, every action pair) may visit
 * together; each search also stops at 20,000 on its own. A state costs a few µs with ARN-like patterns
 * and up to about 20 µs with many `*`/`?`-heavy globs and Denies at once, so an identity's searches
 * take at most about a second of CPU (measured: an identity whose every search is as large as they
 * get, see the IG204 shared-function tests), however its policies are written. A scan's worst case is
 * that times the identities that reach the search (PassRole on every role, CreateFunction on named
 * functions, and neither step on every function), which real scans have few of; it grows with the
 * input, never with pairs of it. Past the budget the answer is "none": no finding.
 */
const STATES_PER_EVALUATION = 50_000;

/**
 * One evaluation's compiled patterns and search budget: each pattern compiled once, into one token
 * table (the same `${...}` is the same token in every grant), and every search drawing on one budget.
 */
export interface GlobCompiler {
  table: TokenTable;
  cache: Map<string, Glob>;
  budget: SearchBudget;
  /**
   * The ARN patterns of functions of the scan, by address, for a Resource entry that is a reference to one's ARN
   * (`aws_lambda_function.janitor.arn`, `!GetAtt Janitor.Arn`): a search that knows them reads such an entry as
   * that function; without them it reaches nothing, as any unknown entry.
   */
  functionArns?: ReadonlyMap<string, string>;
}

export function globCompiler(states = STATES_PER_EVALUATION): GlobCompiler {
  return { table: tokenTable(), cache: new Map(), budget: searchBudget(states) };
}

function compile(compiler: GlobCompiler, pattern: string, as: 'token' | 'star'): Glob {
  const key = `${as}\0${pattern}`;
  let glob = compiler.cache.get(key);
  if (!glob) compiler.cache.set(key, (glob = compileGlob(pattern, { table: compiler.table, as })));
  return glob;
}

/** The Allow statements granting `action` without a scoping condition, each Resource entry a grant, and the unconditional Denies of it. */
export function functionReach(documents: readonly PolicyDocument[], action: string, compiler: GlobCompiler): FunctionReach {
  const reach: FunctionReach = { action, grants: [], denied: [], deniedUnless: [] };
  for (const document of documents) {
    for (const statement of document.statements) {
      if (!coversAction(statement, action)) continue;
      if (isUnconditionalDeny(statement)) addDenial(reach, statement, compiler);
      else if (effectOf(statement) === 'Allow' && !hasScopingCondition(statement)) addGrants(reach, statement, compiler);
    }
  }
  return reach;
}

function addGrants(reach: FunctionReach, statement: Statement, compiler: GlobCompiler): void {
  for (const entry of statement.resource) {
    const pattern = resourcePattern(entry) ?? referencedFunctionArn(entry, compiler);
    if (pattern === undefined) continue;
    const written = displayString(entry) ?? pattern;
    reach.grants.push({ statement, scope: `functions matching \`${written}\``, pattern: written, glob: compile(compiler, pattern, 'token'), except: [] });
  }
  if (statement.notResource.length > 0) {
    // What a NotResource leaves out is read generously (unknown pieces as `*`), so what it grants is never overstated.
    const except = statement.notResource.map((entry) => compile(compiler, resourcePattern(entry) ?? '*', 'star'));
    const scope = `every function but ${statement.notResource.map((entry) => `\`${displayString(entry) ?? '${unknown}'}\``).join(', ')}`;
    reach.grants.push({ statement, scope, glob: compile(compiler, '*', 'token'), except });
  }
}

/** A Resource entry that is a reference to the ARN of a function whose pattern the compiler knows (not its qualified or invoke ARN). */
function referencedFunctionArn(entry: Value, compiler: GlobCompiler): string | undefined {
  if (entry.kind !== 'unknown' || entry.resource === undefined || entry.ref?.split('.').at(-1)?.toLowerCase() !== 'arn') return undefined;
  return compiler.functionArns?.get(entry.resource);
}

function addDenial(reach: FunctionReach, statement: Statement, compiler: GlobCompiler): void {
  for (const entry of statement.resource) reach.denied.push(compile(compiler, resourcePattern(entry) ?? '*', 'star'));
  if (statement.notResource.length > 0) {
    // Only the exceptions we can read are left open: an unknown one may leave nothing.
    const open = statement.notResource.flatMap((entry) => {
      const pattern = resourcePattern(entry);
      return pattern === undefined ? [] : [compile(compiler, pattern, 'token')];
    });
    reach.deniedUnless.push(open);
  }
}

/**
 * A reach standing for one function the scan deploys, its ARN `pattern` (`${...}` pieces tokens, as in grants: only
 * `*` or the same piece matches one): given as a cap, it pins a search to that function.
 */
export function functionNamed(pattern: string, name: string, at: Range, compiler: GlobCompiler): FunctionReach {
  // No policy statement grants it: a cap's statement is never named.
  const statement: Statement = { range: at, action: [], notAction: [], resource: [], notResource: [], principal: [], notPrincipal: [], condition: [] };
  return { action: 'lambda:InvokeFunction', grants: [{ statement, scope: `function \`${name}\``, pattern, glob: compile(compiler, pattern, 'token'), except: [] }], denied: [], deniedUnless: [] };
}

export interface SharedFunction {
  first: ScopedGrant;
  /** Absent when the second action reaches every function by other means (see sharedFunction). */
  second?: ScopedGrant;
  /** One grant of each of the further actions that must reach the function too (`also`), in order. */
  also: ScopedGrant[];
  /** How a message names the functions both reach: the narrower grant's scope, or both. */
  scope: string;
}

/**
 * The first pair of grants, one of each action, that reach a function ARN neither action is denied on.
 * `second` may be 'any-function': the action reaches every function by other means (an event source
 * mapping on every mapping names its function in the request), so only `first` and its Denies decide.
 * `caps` (a permissions boundary's reach of each action) must each reach that function too, through
 * one of their grants and past their Denies: a boundary only takes away. `also`: further actions of
 * the caller that must reach it as caps do, and that the scope names (a third step on one function).
 */
export function sharedFunction(
  first: FunctionReach,
  second: FunctionReach | 'any-function',
  compiler: GlobCompiler,
  caps: readonly FunctionReach[] = [],
  also: readonly FunctionReach[] = [],
): SharedFunction | undefined {
  const reaches = [first, ...(second === 'any-function' ? [] : [second]), ...also, ...caps];
  const denied = [SEVEN_COLONS, ...reaches.flatMap((r) => r.denied)];
  const unless = everyWay(reaches.flatMap((r) => r.deniedUnless), MAX_UNLESS_COMBINATIONS);
  if (unless === undefined) return undefined;
  const { budget } = compiler;
  const reached = (all: Glob[], none: Glob[]) => unless.some((open) => commonMatch([...all, ...open], none, budget) !== undefined);
  // Denies that leave no function at all (`function:*`) answer for every pair at once.
  if (!reached([FUNCTION_ARN], denied)) return undefined;
  // A grant that reaches nothing past the Denies on its own reaches nothing with another: asked once per
  // grant, when first compared (a policy may list thousands of names, most never compared), not per pair.
  const alone = new Map<ScopedGrant, boolean>();
  const reachesAlone = (grant: ScopedGrant) => {
    let answer = alone.get(grant);
    if (answer === undefined) alone.set(grant, (answer = reached([grant.glob, FUNCTION_ARN], [...denied, ...grant.except])));
    return answer;
  };
  // The further actions are chosen as caps are, first in each combination.
  const capping = everyWay([...also, ...caps].map((reach) => reach.grants), MAX_PAIRS);
  if (capping === undefined) return undefined;
  const others: Array<ScopedGrant | undefined> = second === 'any-function' ? [undefined] : second.grants;
  const everything = compile(compiler, '*', 'token');
  let pairs = 0;
  for (const a of first.grants) {
    for (const b of others) {
      // Most entries name one function: two different names share nothing, and comparing them is cheap.
      if (b && !hasWildcard(a.glob) && !hasWildcard(b.glob) && !sameGlob(a.glob, b.glob)) continue;
      for (const cap of capping) {
        if (++pairs > MAX_PAIRS || budget.left <= 0) return undefined;
        if (!reachesAlone(a) || (b && !reachesAlone(b)) || !cap.every(reachesAlone)) continue;
        const none = [...denied, ...a.except, ...(b?.except ?? []), ...cap.flatMap((c) => c.except)];
        const all = [a.glob, b?.glob ?? everything, FUNCTION_ARN, ...cap.map((c) => c.glob)];
        if (!reached(all, none)) continue;
        const named = cap.slice(0, also.length);
        return { first: a, ...(b ? { second: b } : {}), also: named, scope: sharedScope([a, ...named, ...(b ? [b] : [])]) };
      }
    }
  }
  return undefined;
}

function sameGlob(a: Glob, b: Glob): boolean {
  return a.length === b.length && a.every((symbol, i) => symbol === b[i]);
}

/** One item from each list, every way (one empty list: no way at all); undefined past `limit` ways. */
function everyWay<T>(lists: ReadonlyArray<readonly T[]>, limit: number): T[][] | undefined {
  let out: T[][] = [[]];
  for (const list of lists) {
    out = out.flatMap((chosen) => list.map((item) => [...chosen, item]));
    if (out.length > limit) return undefined;
  }
  return out;
}

/** The scope of the grant whose functions every other's include, or all of them when none does. */
function sharedScope(grants: readonly ScopedGrant[]): string {
  const narrowest = grants.find((g) => grants.every((other) => other === g || within(g, other)));
  if (narrowest) return narrowest.scope;
  const patterns = [...new Set(grants.map((g) => g.pattern))];
  if (patterns.every((p) => p !== undefined)) return `functions matching ${all(patterns.map((p) => `\`${p}\``))}`;
  const scopes = [...new Set(grants.map((g) => g.scope))];
  return scopes.length === 1 ? scopes[0] : `the functions of ${all(scopes)}`;
}

/** "both a and b", "each of a, b and c". */
function all(items: readonly string[]): string {
  return items.length === 2 ? `both ${items[0]} and ${items[1]}` : `each of ${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/** Whether every function ARN `inner` reaches, `outer` reaches too (an `outer` with exceptions: not asked, no). */
function within(inner: ScopedGrant, outer: ScopedGrant): boolean {
  return outer.except.length === 0 && commonMatch([inner.glob, FUNCTION_ARN], [SEVEN_COLONS, outer.glob, ...inner.except]) === undefined;
}
