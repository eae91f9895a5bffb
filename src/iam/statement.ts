import { parseOperator } from './condition-operators.js';
import type { Condition, PolicyDocument, Statement } from '../model/types.js';
import { displayString, knownString, type Value } from '../model/value.js';
import { arnFields } from './arn.js';
import { operatorScopes } from './caller-conditions.js';
import { wildcardMatches } from './wildcard.js';

export function effectOf(statement: Statement): 'Allow' | 'Deny' | undefined {
  const effect = knownString(statement.effect);
  if (effect === 'Allow' || effect === 'Deny') return effect;
  return undefined;
}

/** A Deny with no condition (nor one the scan cannot read): what it covers, no Allow in the same set can give. */
export function isUnconditionalDeny(statement: Statement): boolean {
  return effectOf(statement) === 'Deny' && statement.condition.length === 0 && statement.unknownCondition === undefined;
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

/**
 * ARNs that differ in region, account and name: a pattern matching all of them covers every such resource.
 * The names share no character (case aside), so a name pattern with any literal in it (`function:*-*`,
 * `function:*a*`) misses one of them: only a name of wildcards alone covers every function.
 */
export const FUNCTION_PROBES = ['arn:aws:lambda:us-east-1:111111111111:function:q', 'arn:aws:lambda:eu-west-3:222222222222:function:7-x_9:prod'];
export const LAYER_PROBES = ['arn:aws:lambda:us-east-1:111111111111:layer:q:1', 'arn:aws:lambda:eu-west-3:222222222222:layer:7-x_9:42'];

/**
 * Qualified function ARNs alone (an alias and a version): a Resource such as `function:*:*` matches every
 * one of them but no unqualified ARN. Lambda authorizes a call that names a version or alias (a qualified
 * ARN, or the Qualifier parameter) against the qualified ARN: "starting January 24, 2022, Lambda requires
 * IAM or VPC endpoint policies to specify the fully qualified ARN in the Resource element when authorizing
 * API calls that use an unqualified ARN with a qualifier parameter" (AWS notice, quoted in
 * https://github.com/juanjoDiaz/serverless-plugin-warmup/issues/304; see also
 * https://github.com/aws/aws-cdk/issues/19273 and
 * https://docs.aws.amazon.com/lambda/latest/dg/lambda-api-permissions-ref.html, "Functions–Actions that
 * operate on a function can be restricted to a specific function by function, version, or alias ARN").
 * So such a grant reaches every version and alias of every function. Whether `Qualifier=$LATEST` is checked
 * against `…:function:NAME:$LATEST` (which would make it every function outright) the docs do not say, so
 * findings name it "every version and alias of every function" (everyFunction), never more.
 */
const QUALIFIED_FUNCTION_PROBES = ['arn:aws:lambda:eu-west-3:222222222222:function:7-x_9:prod', 'arn:aws:lambda:us-east-1:111111111111:function:q:42'];

/**
 * The function actions whose API takes a version or alias (Qualifier, or a qualified FunctionName): only
 * for these does a grant on every qualified ARN count. CreateFunction and UpdateFunctionCode act on the
 * function itself (a published version is immutable), so `function:*:*` gives them nothing.
 */
const QUALIFIABLE_ACTIONS = new Set(['lambda:invokefunction', 'lambda:invokefunctionurl', 'lambda:addpermission', 'lambda:putresourcepolicy', 'lambda:createfunctionurlconfig', 'lambda:updatefunctionurlconfig']);

/** The qualified-only probes standing in for `probes` when asking about `action`, if a grant on them counts. */
function qualifiedProbesFor(action: string, probes: readonly string[]): readonly string[] | undefined {
  return probes === FUNCTION_PROBES && QUALIFIABLE_ACTIONS.has(action.toLowerCase()) ? QUALIFIED_FUNCTION_PROBES : undefined;
}

/** How a finding names what a grant reaches: `whole` ("every function", "every resource"), or every version and alias when that is all it reaches. */
export function everyFunction(grant: Pick<Grant, 'qualifiedOnly'>, whole = 'every function'): string {
  return grant.qualifiedOnly ? 'every version and alias of every function' : whole;
}

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
  // Only a field with one after it: a symbol ending the pattern stands for the rest of the ARN (an unknown name), not a wildcard.
  if (fields && fields[0] === 'arn') return fields.map((field, i) => (SCOPE_FIELDS.includes(i) && i < fields.length - 1 ? field.replace(/\$\{[^}]*\}/g, '*') : field)).join(':');
  return displayString(entry);
}

/**
 * The Resource entries that cover every Lambda function (`*`, `arn:aws:lambda:*:*:function:*`, ...); with
 * `versions`, also those covering every version and alias (`function:*:*`), for an action that takes a qualifier.
 */
export function resourceEntriesCoveringAllFunctions(statement: Statement, probes: readonly string[] = FUNCTION_PROBES, versions = false): Value[] {
  return statement.resource.filter((entry) => coversEveryProbe(entry, probes) || (versions && probes === FUNCTION_PROBES && coversEveryProbe(entry, QUALIFIED_FUNCTION_PROBES)));
}

function coversEveryProbe(entry: Value, probes: readonly string[]): boolean {
  const pattern = resourcePattern(entry);
  if (pattern === undefined) return false;
  // Most entries name one resource: without a wildcard a pattern matches one ARN, never two different probes.
  if (probes.length > 1 && !pattern.includes('*') && !pattern.includes('?')) return false;
  return coversEvery(pattern, withinScopeOf(pattern, probes));
}

/**
 * The probes moved into the partition, region and account an ARN pattern names, where it names one
 * (`arn:aws:lambda:us-east-1:123456789012:function:*`): every function of one account or region is
 * every function the holder can reach there, as it is when written with `${AWS::AccountId}`. Only
 * the name decides then. Wildcard and empty fields leave the probes' own.
 */
function withinScopeOf(pattern: string, probes: readonly string[], scopeFields: readonly number[] = SCOPE_FIELDS): readonly string[] {
  const fields = pattern.split(':');
  if (fields[0] !== 'arn') return probes;
  // A short pattern (`arn:aws:lambda:us-east-1:*`) names what it has; its last wildcard spans the rest.
  const named = scopeFields.filter((i) => i < fields.length && fields[i] !== '' && !/[*?]/.test(fields[i]));
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

/**
 * Whether a Resource entry covers every version and alias of every function (NotResource is left to
 * coversAllFunctions: its meaning does not change). Kept per statement, as coversAllFunctions is.
 */
function coversAllQualifiedFunctions(statement: Statement): boolean {
  return memo(qualifiedCoverage, statement, true, () => statement.resource.some((entry) => coversEveryProbe(entry, QUALIFIED_FUNCTION_PROBES)));
}

const qualifiedCoverage = new WeakMap<Statement, Map<true, boolean>>();

/** Whether an Allow of this statement could reach every function, or (for FUNCTION_PROBES) every version and alias of every function. */
function reachesAllFunctions(statement: Statement, probes: readonly string[], versions: boolean): boolean {
  return coversAllFunctions(statement, probes) || (versions && probes === FUNCTION_PROBES && coversAllQualifiedFunctions(statement));
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
 * aws:ResourceAccount, aws:ResourceOrgID and aws:ResourceOrgPaths are left out on purpose: they
 * name an account or organisation, and every function of one account is every function (see withinScopeOf).
 */
const SCOPING_CONDITION_KEYS = [/^aws:resourcetag\//i, /^lambda:functionarn$/i, /^aws:sourcearn$/i, /^aws:sourceaccount$/i];

/** Operators that hold only when the key is present and matches a value; Arn* and *Like read `*` and `?` as wildcards. */
const MATCHING_OPERATORS = new Set(['StringEquals', 'StringEqualsIgnoreCase', 'StringLike', 'ArnEquals', 'ArnLike']);
const PATTERN_OPERATORS = new Set(['StringLike', 'ArnEquals', 'ArnLike']);

/** Whether one of the statement's conditions narrows it to particular functions or callers (see conditionScopes). */
export function hasScopingCondition(statement: Statement): boolean {
  return statement.condition.some((c) => conditionScopes(c));
}

/**
 * The resources a service may call for (aws:SourceArn): different services, regions, accounts and names.
 * A pattern matching all of them, in its own partition and region (see withinScopeOf), names no caller:
 * `*`, `arn:aws:*:*:*:*`, `arn:aws:*`.
 */
export const SOURCE_ARN_PROBES = ['arn:aws:sns:us-east-1:111111111111:q', 'arn:aws:s3:::7-x_9', 'arn:aws:lambda:eu-west-3:222222222222:function:b.k'];

/** Partition and region: a source ARN pattern naming one still matches every account's resources there. */
const SOURCE_SCOPE_FIELDS = [1, 3];

/**
 * A condition narrows only when it cannot hold for every function or caller: a positive match (negated
 * operators, `…IfExists` and `ForAllValues:` hold for an untagged function or a request without the key), by
 * equality (an unknown value is still one value) or against known patterns none of which matches every value
 * the key can take (`StringLike "*"`, ArnLike `function:*`, `arn:aws:*:*:*:*`). An account pattern with any
 * wildcard (`*1*`, `12345678901?`) names many accounts, so it does not scope either.
 * `sources`: the ARNs aws:SourceArn can hold here (a Lambda trust: function ARNs alone).
 */
export function conditionScopes(condition: Condition, sources: readonly string[] = SOURCE_ARN_PROBES): boolean {
  if (!SCOPING_CONDITION_KEYS.some((k) => k.test(condition.key))) return false;
  return positiveMatchNarrows(condition, (value) => matchesEveryValue(condition.key, value, sources));
}

/**
 * The operator half of conditionScopes, for any key: a positive match that must hold, by equality (an unknown
 * value is still one value), or by patterns none of which is `tooBroad` (the key's own idea of matching everything).
 */
export function positiveMatchNarrows(condition: Condition, tooBroad: (pattern: Value) => boolean): boolean {
  const operator = parseOperator(condition.operator);
  if (!operator || !MATCHING_OPERATORS.has(operator.base) || !operatorScopes(condition.operator) || condition.values.length === 0) return false;
  // An unknown value (a variable, a parameter) is one particular value for an equality, but may be `*` for a pattern.
  if (!PATTERN_OPERATORS.has(operator.base)) return true;
  return condition.values.every((value) => !tooBroad(value));
}

/**
 * Whether a pattern matches every value of the key. A template's symbolic pieces (`${AWS::AccountId}`)
 * stand for one value each, so they match no probe; a wholly unknown pattern may be `*`.
 */
function matchesEveryValue(key: string, value: Value, sources: readonly string[]): boolean {
  // Symbols become a colon-free placeholder, so `${AWS::AccountId}` stays one ARN field.
  const text = value.kind === 'template' ? arnFields(value)!.map((field) => field.replace(/\$\{[^}]*\}/g, '{}')).join(':') : knownString(value);
  if (text === undefined || /^[*?]*$/.test(text)) return true;
  switch (key.toLowerCase()) {
    case 'lambda:functionarn':
      return coversEveryProbe(value, FUNCTION_PROBES);
    // An account id is exactly twelve digits: a wildcard in one stands for many accounts (as caller-conditions reads `o-a*`).
    case 'aws:sourceaccount':
      return /[*?]/.test(text);
    case 'aws:sourcearn':
      return coversEvery(text, withinScopeOf(text, sources, SOURCE_SCOPE_FIELDS));
    default:
      return false;
  }
}

export interface Grant {
  statement: Statement;
  /** How the grant arises: an Action entry with a Resource entry, or a NotAction / NotResource. */
  via: 'action' | 'not-action' | 'not-resource';
  /** The element to point a finding at: the matching Action entry, else the NotAction/NotResource entry. */
  evidence: Value;
  /** The Resource entry covering every function, when there is one. */
  resource?: Value;
  /** The grant reaches every version and alias of every function, not their unqualified ARNs (`function:*:*`). */
  qualifiedOnly?: true;
}

/**
 * The Allow statements in a set of policies that grant `action` on every function, after
 * removing what an unconditional Deny in the same set takes away.
 */
export function grantsOnAllFunctions(documents: readonly PolicyDocument[], action: string, probes: readonly string[] = FUNCTION_PROBES): Grant[] {
  const qualified = qualifiedProbesFor(action, probes);
  const statements = reachingStatements(documents, probes, qualified !== undefined);
  if (statements.length === 0) return [];
  const denials = statements.filter((s) => isUnconditionalDeny(s) && coversAction(s, action));
  const grants: Grant[] = [];
  for (const statement of statements) {
    if (effectOf(statement) !== 'Allow' || hasScopingCondition(statement) || !coversAction(statement, action)) continue;
    const matched = actionEntriesMatching(statement, action)[0];
    // An entry covering every function wins over one covering only their versions and aliases.
    const whole = resourceEntriesCoveringAllFunctions(statement, probes)[0];
    const qualifiedOnly = !whole && !coversAllFunctions(statement, probes);
    const resource = whole ?? (qualifiedOnly ? resourceEntriesCoveringAllFunctions(statement, probes, true)[0] : undefined);
    // An unconditional Deny takes the grant away when it covers every function the grant reaches (one account's: a Deny of that
    // account; every version and alias: a Deny of those). A Deny of `function:*:*` leaves a grant on `*` standing: the unqualified ARNs stay open.
    if (deniesAllReached(denials, resource, qualifiedOnly ? qualified! : probes)) continue;
    const scope = qualifiedOnly ? { qualifiedOnly: true as const } : {};
    if (!matched) grants.push({ statement, via: 'not-action', evidence: statement.notAction[0], ...(resource ? { resource } : {}), ...scope });
    else if (!resource) grants.push({ statement, via: 'not-resource', evidence: statement.notResource[0] });
    else grants.push({ statement, via: 'action', evidence: matched, resource, ...scope });
  }
  return grants;
}

/** Whether one of the Denies covers every function a grant through `resource` (none: a NotResource) reaches, in the account or region it names. */
function deniesAllReached(denials: readonly Statement[], resource: Value | undefined, probes: readonly string[]): boolean {
  const reached = resource ? withinScopeOf(resourcePattern(resource)!, probes) : probes;
  return denials.some((denial) => computeCoversAllFunctions(denial, reached, false));
}

/**
 * Whether the unconditional Denies of a document take every one of `actions` away from an Allow
 * statement's grant on every function (IG201's rule, for a statement granting many actions at once):
 * a Deny of `lambda:*`, or a NotAction Deny listing no Lambda action, removes lambda:* on *.
 */
export function deniedOnAllFunctions(document: PolicyDocument, statement: Statement, actions: readonly string[]): boolean {
  const denials = document.statements.filter(isUnconditionalDeny);
  if (denials.length === 0 || actions.length === 0) return false;
  const resource = resourceEntriesCoveringAllFunctions(statement)[0];
  const covering = denials.filter((denial) => deniesAllReached([denial], resource, FUNCTION_PROBES));
  return actions.every((action) => covering.some((denial) => coversAction(denial, action)));
}

/**
 * The statements, in order, whose resource part reaches every resource the probes stand for (with `versions`,
 * or every version and alias of every function): only they can grant or deny "on every function".
 */
function reachingStatements(documents: readonly PolicyDocument[], probes: readonly string[], versions: boolean): Statement[] {
  const statements: Statement[] = [];
  for (const document of documents) for (const statement of document.statements) if (reachesAllFunctions(statement, probes, versions)) statements.push(statement);
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
  // Every version and alias counts here: a prefilter, the per-action grants decide whether it grants.
  if (!found) byProbes.set(probes, (found = policies.filter((p) => p.document?.statements.some((s) => reachesAllFunctions(s, probes, true)))));
  return found;
}

const reaching = new WeakMap<readonly unknown[], Map<readonly string[], unknown[]>>();

/**
 * Grants of several actions on every resource, one entry per granting statement listing the
 * actions it grants (in the order asked), with the first grant's evidence. `accept` filters grants (each with the action it grants).
 */
export function grantsByStatement(
  document: PolicyDocument,
  actions: ReadonlyArray<readonly [action: string, probes: readonly string[]]>,
  accept: (grant: Grant, action: string) => boolean = () => true,
): Array<{ grant: Grant; actions: string[]; qualifiedOnly?: true }> {
  const byStatement = new Map<Statement, { grant: Grant; actions: string[]; qualifiedOnly?: true }>();
  for (const [action, probes] of actions) {
    for (const grant of grantsOnAllFunctions([document], action, probes)) {
      if (!accept(grant, action)) continue;
      let entry = byStatement.get(grant.statement);
      if (!entry) byStatement.set(grant.statement, (entry = { grant, actions: [], ...(grant.qualifiedOnly ? { qualifiedOnly: true as const } : {}) }));
      // Every version and alias only when every action's grant is that narrow (a layer action's is not).
      else if (!grant.qualifiedOnly) delete entry.qualifiedOnly;
      entry.actions.push(action);
    }
  }
  return [...byStatement.values()];
}
