import { lambdaFunctionName } from '../iam/arn.js';
import { classifyPrincipal } from '../iam/principal.js';
import { coversAction, coversAllFunctions, effectOf, hasScopingCondition, resourcePattern } from '../iam/statement.js';
import { wildcardMatches } from '../iam/wildcard.js';
import { identityGraph, sameStack } from '../model/identity-graph.js';
import type { Range } from '../model/range.js';
import type { IdentityPolicy, LambdaFunction, Model, PolicyDocument, Statement } from '../model/types.js';
import { displayString, knownString, type Value } from '../model/value.js';
import { accountPinning } from '../rules/support/account-pinning.js';

export interface Location {
  file: string;
  line: number;
}

/** A grant on the function itself: a Lambda permission (or SAM event, resource policy file) or a function URL. */
export interface ResourceInvoker {
  kind: 'resource-permission' | 'function-url';
  /** The principal as written (`*`, `s3.amazonaws.com`, an account, a role ARN); `*` for an AuthType NONE URL. */
  principal: string;
  principalClass: 'public' | 'service' | 'account' | 'arn' | 'unknown';
  via: string;
  location: Location;
  sourceArn?: string;
  sourceAccount?: string;
  principalOrgId?: string;
  /** Anyone in any account can use it (`*` unpinned, or a URL with AuthType NONE). */
  public: boolean;
  /** Not pinned to an account: a public grant, or a service principal usable for any account's resources. */
  unscoped: boolean;
}

/** An identity policy in the scan allowing invoke on the function, and who holds it. */
export interface IdentityInvoker {
  kind: 'identity-policy';
  /** The role, user or group holding the policy (its address, or its name as written when it is not in the scan); null when attached to nothing. */
  principal: string | null;
  principalType: 'role' | 'user' | 'group' | null;
  /** Where the principal is declared, when it is in the scan. */
  principalLocation?: Location;
  /** A module's role, user or group: the Terraform root whose call made this instance. */
  principalRoot?: string;
  /** A user who holds it through a group: the group. */
  viaGroup?: string;
  policy: string;
  location: Location;
  /** The grant covers every function (`*`, `function:*`, NotResource…), not this one by name. */
  allFunctions: boolean;
  /** Condition keys on the granting statement (they may narrow it). */
  conditions?: string[];
  /** Every function, with no condition that scopes it to some. */
  unscoped: boolean;
}

export type Invoker = ResourceInvoker | IdentityInvoker;

export interface FunctionInvokers {
  function: string;
  location: Location;
  /** A module's function: the Terraform root whose call made this instance (two roots' instances share address and place). */
  root?: string;
  invokers: Invoker[];
}

const INVOKE = 'lambda:InvokeFunction';

/** Per Lambda function in the model, every principal that can invoke it, in model order. Pure. */
export function invokerGraph(model: Model): FunctionInvokers[] {
  return model.functions
    .filter((fn, i, all) => all.findIndex((f) => f.address === fn.address && f.range.file === fn.range.file && f.root === fn.root) === i)
    .map((fn) => ({
      function: fn.address,
      location: at(fn.range),
      ...(fn.root !== undefined && fn.address.startsWith('module.') ? { root: fn.root } : {}),
      invokers: dedupe([...resourceInvokers(model, fn), ...identityInvokers(model, fn)]),
    }));
}

function at(range: Range): Location {
  return { file: range.file, line: range.line };
}

function resourceInvokers(model: Model, fn: LambdaFunction): ResourceInvoker[] {
  const invokers: ResourceInvoker[] = [];
  for (const permission of model.permissions) {
    if (!permission.functionName || !targets(model, permission.functionName.value, permission.root).includes(fn)) continue;
    const principal = classifyPrincipal(permission.principal?.value);
    const unpinned = accountPinning(permission, principal.kind === 'public').pinned === false;
    const text = (v: Value | undefined) => (v === undefined ? undefined : displayString(v));
    const sourceArn = text(permission.sourceArn?.value);
    const sourceAccount = text(permission.sourceAccount?.value);
    const principalOrgId = text(permission.principalOrgId?.value);
    invokers.push({
      kind: 'resource-permission',
      principal: displayString(permission.principal?.value) ?? '(unknown)',
      principalClass: principal.kind,
      via: permission.address,
      location: at(permission.principal?.range ?? permission.range),
      ...(sourceArn !== undefined ? { sourceArn } : {}),
      ...(sourceAccount !== undefined ? { sourceAccount } : {}),
      ...(principalOrgId !== undefined ? { principalOrgId } : {}),
      public: principal.kind === 'public' && unpinned,
      unscoped: (principal.kind === 'public' || principal.kind === 'service') && unpinned,
    });
  }
  for (const url of model.functionUrls) {
    if (!url.functionName || !targets(model, url.functionName.value, url.root).includes(fn)) continue;
    // An AWS_IAM URL is reached through the invoke grants listed beside it; only NONE adds a caller.
    if (knownString(url.authorizationType?.value)?.toUpperCase() !== 'NONE') continue;
    invokers.push({ kind: 'function-url', principal: '*', principalClass: 'public', via: url.address, location: at(url.authorizationType?.range ?? url.range), public: true, unscoped: true });
  }
  return invokers;
}

interface PolicySet {
  documents: PolicyDocument[];
  principal: string | null;
  principalType: IdentityInvoker['principalType'];
  principalLocation?: Location;
  principalRoot?: string;
  viaGroup?: string;
}

function identityInvokers(model: Model, fn: LambdaFunction): IdentityInvoker[] {
  const graph = identityGraph(model);
  const invokers: IdentityInvoker[] = [];
  for (const policy of model.identityPolicies) {
    if (!policy.document) continue;
    const holders = graph.holdersOf(policy);
    const sets: PolicySet[] =
      holders.length > 0
        ? holders.map((node) => {
            const via = node.policies.find((e) => e.policy === policy)?.via;
            return {
              documents: node.policies.flatMap((e) => (e.policy.document ? [e.policy.document] : [])),
              principal: node.identity.address,
              principalType: node.identity.kind,
              principalLocation: at(node.identity.range),
              ...(node.identity.root !== undefined && node.identity.address.startsWith('module.') ? { principalRoot: node.identity.root } : {}),
              ...(via ? { viaGroup: via.address } : {}),
            };
          })
        : unresolvedHolders(policy, policy.document);
    for (const set of sets) {
      const grant = invokeGrant(model, policy, set.documents, fn);
      if (!grant) continue;
      const conditions = [...new Set(grant.statement.condition.map((c) => c.key))];
      invokers.push({
        kind: 'identity-policy',
        principal: set.principal,
        principalType: set.principalType,
        ...(set.principalLocation ? { principalLocation: set.principalLocation } : {}),
        ...(set.principalRoot !== undefined ? { principalRoot: set.principalRoot } : {}),
        ...(set.viaGroup ? { viaGroup: set.viaGroup } : {}),
        policy: policy.address,
        location: at(grant.statement.range),
        allFunctions: grant.allFunctions,
        ...(conditions.length > 0 ? { conditions } : {}),
        unscoped: grant.allFunctions && !hasScopingCondition(grant.statement),
      });
    }
  }
  return invokers;
}

/** A policy whose holders are not in the scan: named as written (`role "ci-deployer"`), or null when attached to nothing. */
function unresolvedHolders(policy: IdentityPolicy, document: PolicyDocument): PolicySet[] {
  const written = (policy.holders ?? []).flatMap((h) => {
    const text = displayString(h.value);
    return text === undefined ? [] : [{ documents: [document], principal: text, principalType: h.kind }];
  });
  return written.length > 0 ? written : [{ documents: [document], principal: null, principalType: null }];
}

/** The first Allow statement of `policy` letting its holder invoke `fn`, unless an unconditional Deny in the holder's set takes it away. */
function invokeGrant(model: Model, policy: IdentityPolicy, documents: PolicyDocument[], fn: LambdaFunction): { statement: Statement; allFunctions: boolean } | undefined {
  const all = documents.flatMap((d) => d.statements);
  const denied = all.some((s) => effectOf(s) === 'Deny' && s.condition.length === 0 && coversAction(s, INVOKE) && (coversAllFunctions(s) || namesFunction(model, s, fn, policy.root)));
  if (denied) return undefined;
  for (const statement of policy.document?.statements ?? []) {
    if (effectOf(statement) !== 'Allow' || !coversAction(statement, INVOKE)) continue;
    if (coversAllFunctions(statement)) {
      if (sameStack(fn, statement.range, policy.root)) return { statement, allFunctions: true };
      continue;
    }
    if (namesFunction(model, statement, fn, policy.root)) return { statement, allFunctions: false };
  }
  return undefined;
}

function namesFunction(model: Model, statement: Statement, fn: LambdaFunction, root: string | undefined): boolean {
  return statement.resource.some((entry) => targets(model, entry, root, statement.range).includes(fn));
}

/**
 * The functions of the scan a function name, ARN or reference denotes: a symbolic reference to
 * the function resource (in the same template or Terraform folder), its name, or an ARN whose
 * function name (wildcards allowed) matches. Unknown values denote nothing.
 */
/**
 * The functions a permission's or URL's function value names, scoped to where that value is written
 * (`from`): a nested stack's parameter, or a module's input, is written in the parent, whose resources it names.
 * `root`: the Terraform root of the resource holding the value; another root's instances are not named.
 */
function targets(model: Model, value: Value, root: string | undefined, from: Range = value.range): LambdaFunction[] {
  const resources = resourcesOf(value);
  if (resources.length > 0) return model.functions.filter((f) => resources.includes(f.address) && sameStack(f, from, root));
  const pattern = resourcePattern(value);
  if (pattern === undefined) return [];
  const name = lambdaFunctionName(pattern);
  if (name === undefined || name.includes('${')) return [];
  return model.functions.filter((f) => {
    const own = knownString(f.functionName?.value);
    return own !== undefined && wildcardMatches(name, own) && sameStack(f, from, root);
  });
}

/** The scan resources a value refers to symbolically (`aws_lambda_function.x.arn`, `!GetAtt X.Arn`, `"${…}:live"`). */
function resourcesOf(value: Value): string[] {
  switch (value.kind) {
    case 'unknown':
      return value.resource ? [value.resource] : [];
    case 'template':
      return value.parts.flatMap((p) => (typeof p !== 'string' && p.resource ? [p.resource] : []));
    default:
      return [];
  }
}

function dedupe(invokers: Invoker[]): Invoker[] {
  const seen = new Set<string>();
  return invokers.filter((i) => {
    const key = JSON.stringify(i);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
