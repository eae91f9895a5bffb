import type { PolicyDocument, Statement } from '../model/types.js';
import { displayString, knownString, type Value } from '../model/value.js';
import { arnFields } from './arn.js';
import { wildcardMatches } from './wildcard.js';

export function effectOf(statement: Statement): 'Allow' | 'Deny' | undefined {
  const effect = knownString(statement.effect);
  if (effect === 'Allow' || effect === 'Deny') return effect;
  return undefined;
}

/** The Action entries (as written) that match a concrete action, e.g. `lambda:Inv*` for lambda:InvokeFunction. */
export function actionEntriesMatching(statement: Statement, action: string): Value[] {
  return statement.action.filter((entry) => {
    const pattern = knownString(entry);
    return pattern !== undefined && wildcardMatches(pattern, action);
  });
}

/**
 * Whether the statement's action part covers `action`: an Action entry matches it, or a
 * NotAction list is present, fully known, and excludes nothing that matches it.
 */
export function coversAction(statement: Statement, action: string): boolean {
  return memo(actionCoverage, statement, action, () => computeCoversAction(statement, action));
}

/**
 * Rules ask the same statements about the same actions and probe sets many times over; statements
 * are never changed once modelled, so each answer is kept per statement.
 */
const actionCoverage = new WeakMap<Statement, Map<string, boolean>>();
const functionCoverage = new WeakMap<Statement, Map<readonly string[], boolean>>();

function memo<K>(cache: WeakMap<Statement, Map<K, boolean>>, statement: Statement, key: K, compute: () => boolean): boolean {
  let answers = cache.get(statement);
  if (!answers) cache.set(statement, (answers = new Map()));
  let answer = answers.get(key);
  if (answer === undefined) answers.set(key, (answer = compute()));
  return answer;
}

function computeCoversAction(statement: Statement, action: string): boolean {
  if (actionEntriesMatching(statement, action).length > 0) return true;
  if (statement.notAction.length === 0) return false;
  const patterns = statement.notAction.map(knownString);
  if (patterns.some((p) => p === undefined)) return false;
  return !patterns.some((p) => wildcardMatches(p!, action));
}

/** ARNs that differ in region, account and name: a pattern matching all of them covers every such resource. */
export const FUNCTION_PROBES = ['arn:aws:lambda:us-east-1:111111111111:function:probe-a', 'arn:aws:lambda:eu-west-3:222222222222:function:zz-99:prod'];
export const LAYER_PROBES = ['arn:aws:lambda:us-east-1:111111111111:layer:probe-a:1', 'arn:aws:lambda:eu-west-3:222222222222:layer:zz-99:42'];

function coversEvery(pattern: string, probes: readonly string[]): boolean {
  return probes.every((probe) => wildcardMatches(pattern, probe));
}

function coversAsWritten(entry: Value, probes: readonly string[]): boolean {
  const pattern = resourcePattern(entry);
  return pattern !== undefined && coversEvery(pattern, probes);
}

/**
 * A Resource entry as a pattern to match probes with. Symbolic partition, region and account
 * fields (`${AWS::AccountId}`, `data.aws_caller_identity…`) match anything there: "every function
 * of this account" is every function the holder can reach (literal ones count alike: see
 * withinScopeOf). A symbolic piece elsewhere (a name) stays literal, so it matches no probe: one
 * unknown function is not all of them.
 */
export function resourcePattern(entry: Value): string | undefined {
  if (entry.kind === 'unknown') return undefined;
  const fields = entry.kind === 'template' ? arnFields(entry) : undefined;
  if (fields && fields[0] === 'arn' && fields.length >= 6) {
    return fields.map((field, i) => (i === 1 || i === 3 || i === 4 ? field.replace(/\$\{[^}]*\}/g, '*') : field)).join(':');
  }
  return displayString(entry);
}

/** The Resource entries that cover every Lambda function (`*`, `arn:aws:lambda:*:*:function:*`, ...). */
export function resourceEntriesCoveringAllFunctions(statement: Statement, probes: readonly string[] = FUNCTION_PROBES): Value[] {
  return statement.resource.filter((entry) => coversEveryProbe(entry, probes));
}

function coversEveryProbe(entry: Value, probes: readonly string[]): boolean {
  const pattern = resourcePattern(entry);
  return pattern !== undefined && coversEvery(pattern, withinScopeOf(pattern, probes));
}

/**
 * The probes moved into the partition, region and account an ARN pattern names, where it names one
 * (`arn:aws:lambda:us-east-1:123456789012:function:*`): every function of one account or region is
 * every function the holder can reach there, as it is when written with `${AWS::AccountId}`. Only
 * the name decides then. Wildcard and empty fields leave the probes' own.
 */
function withinScopeOf(pattern: string, probes: readonly string[]): readonly string[] {
  const fields = pattern.split(':');
  if (fields.length < 6 || fields[0] !== 'arn') return probes;
  const named = SCOPE_FIELDS.filter((i) => fields[i] !== '' && !/[*?]/.test(fields[i]));
  if (named.length === 0) return probes;
  return probes.map((probe) => {
    const moved = probe.split(':');
    for (const i of named) moved[i] = fields[i];
    return moved.join(':');
  });
}

/** Partition, region and account: the fields of an ARN that say where, not what. */
const SCOPE_FIELDS = [1, 3, 4];

/**
 * Whether the resource part reaches every function: a Resource entry covering them all, or a
 * fully known NotResource that excludes only some functions (NotResource leaves the rest open).
 */
export function coversAllFunctions(statement: Statement, probes: readonly string[] = FUNCTION_PROBES): boolean {
  return memo(functionCoverage, statement, probes, () => computeCoversAllFunctions(statement, probes));
}

function computeCoversAllFunctions(statement: Statement, probes: readonly string[], scoped = true): boolean {
  // Policies can list thousands of ARNs: stop at the first entry covering them all.
  if (statement.resource.some((entry) => (scoped ? coversEveryProbe(entry, probes) : coversAsWritten(entry, probes)))) return true;
  if (statement.notResource.length === 0) return false;
  const patterns = statement.notResource.map(resourcePattern);
  if (patterns.some((p) => p === undefined)) return false;
  return !patterns.some((p) => coversEvery(p!, probes));
}

/**
 * Condition keys that narrow an identity grant to particular functions or callers; a grant
 * under one of them is not "every function". Other conditions (MFA, time, region) do not.
 */
const SCOPING_CONDITION_KEYS = [/^aws:resourcetag\//i, /^aws:resourceaccount$/i, /^aws:resourceorgid$/i, /^aws:resourceorgpaths$/i, /^lambda:functionarn$/i, /^aws:sourcearn$/i, /^aws:sourceaccount$/i];

export function hasScopingCondition(statement: Statement): boolean {
  return statement.condition.some((c) => SCOPING_CONDITION_KEYS.some((k) => k.test(c.key)));
}

export interface Grant {
  statement: Statement;
  /** How the grant arises: an Action entry with a Resource entry, or a NotAction / NotResource. */
  via: 'action' | 'not-action' | 'not-resource';
  /** The element to point a finding at: the matching Action entry, else the NotAction/NotResource entry. */
  evidence: Value;
  /** The Resource entry covering every function, when there is one. */
  resource?: Value;
}

/**
 * The Allow statements in a set of policies that grant `action` on every function, after
 * removing what an unconditional Deny in the same set takes away.
 */
export function grantsOnAllFunctions(documents: readonly PolicyDocument[], action: string, probes: readonly string[] = FUNCTION_PROBES): Grant[] {
  const statements = reachingStatements(documents, probes);
  if (statements.length === 0) return [];
  const denials = statements.filter((s) => effectOf(s) === 'Deny' && s.condition.length === 0 && coversAction(s, action));
  const grants: Grant[] = [];
  for (const statement of statements) {
    if (effectOf(statement) !== 'Allow' || hasScopingCondition(statement) || !coversAction(statement, action)) continue;
    const matched = actionEntriesMatching(statement, action)[0];
    const resource = resourceEntriesCoveringAllFunctions(statement, probes)[0];
    // An unconditional Deny takes the grant away when it covers every function the grant reaches (one account's: a Deny of that account).
    const reached = resource ? withinScopeOf(resourcePattern(resource)!, probes) : probes;
    if (denials.some((denial) => computeCoversAllFunctions(denial, reached, false))) continue;
    if (!matched) grants.push({ statement, via: 'not-action', evidence: statement.notAction[0], ...(resource ? { resource } : {}) });
    else if (!resource) grants.push({ statement, via: 'not-resource', evidence: statement.notResource[0] });
    else grants.push({ statement, via: 'action', evidence: matched, resource });
  }
  return grants;
}

/** The statements, in order, whose resource part reaches every resource the probes stand for: only they can grant or deny "on every function". */
function reachingStatements(documents: readonly PolicyDocument[], probes: readonly string[]): Statement[] {
  const statements: Statement[] = [];
  for (const document of documents) for (const statement of document.statements) if (coversAllFunctions(statement, probes)) statements.push(statement);
  return statements;
}

/**
 * The policies of a list, in list order, with a statement reaching every resource the probes stand
 * for: the only ones that can grant an action on every function. Most policies name particular
 * resources, so the rules ask their per-action questions of these alone; kept per list and probe set.
 */
export function policiesReaching<T extends { document?: PolicyDocument }>(policies: readonly T[], probes: readonly string[] = FUNCTION_PROBES): readonly T[] {
  let byProbes = reaching.get(policies);
  if (!byProbes) reaching.set(policies, (byProbes = new Map()));
  let found = byProbes.get(probes) as T[] | undefined;
  if (!found) byProbes.set(probes, (found = policies.filter((p) => p.document?.statements.some((s) => coversAllFunctions(s, probes)))));
  return found;
}

const reaching = new WeakMap<readonly unknown[], Map<readonly string[], unknown[]>>();

/**
 * Grants of several actions on every resource, one entry per granting statement listing the
 * actions it grants (in the order asked), with the first grant's evidence. `accept` filters grants.
 */
export function grantsByStatement(
  document: PolicyDocument,
  actions: ReadonlyArray<readonly [action: string, probes: readonly string[]]>,
  accept: (grant: Grant) => boolean = () => true,
): Array<{ grant: Grant; actions: string[] }> {
  const byStatement = new Map<Statement, { grant: Grant; actions: string[] }>();
  for (const [action, probes] of actions) {
    for (const grant of grantsOnAllFunctions([document], action, probes)) {
      if (!accept(grant)) continue;
      const entry = byStatement.get(grant.statement) ?? { grant, actions: [] };
      entry.actions.push(action);
      byStatement.set(grant.statement, entry);
    }
  }
  return [...byStatement.values()];
}
