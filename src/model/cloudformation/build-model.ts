import { isLambdaPrincipal, trustStatements } from '../../iam/trust.js';
import type { Range } from '../range.js';
import { attachManagedPolicy, selfRef } from '../aws-managed.js';
import { policyDocumentFromValue } from '../policy-document.js';
import type { Attribute, IdentityKind, IdentityPolicyKind, IdentityRef, Model, PolicyDocument, ResourceBase } from '../types.js';
import { asList, get, knownString, type ObjectEntry, type Value } from '../value.js';
import { CfnEvaluator, ifVariants, type TemplateScope } from './evaluate.js';
import { addCloudFormationPosture, isPostureType } from './posture.js';
import { addSamFunction } from './sam.js';
import { addDocument, attribute, entrySpan } from './support.js';

/** A parsed CloudFormation/SAM template, as the parse stage hands it over. */
export interface CloudFormationTemplate {
  file: string;
  template: Value;
}

/** Adds every CloudFormation/SAM template's resources to the model. Addresses are logical ids. */
export function addCloudFormationModel(model: Model, templates: CloudFormationTemplate[]): void {
  for (const { template } of templates) {
    const resources = get(template, 'Resources');
    if (!resources || resources.kind !== 'object') continue;
    const scope = templateScope(template, resources);
    const globals = get(get(template, 'Globals'), 'Function');
    for (const entry of resources.entries) addResource(model, scope, entry, globals);
  }
}

function templateScope(template: Value, resources: Value & { kind: 'object' }): TemplateScope {
  const parameters = new Map<string, Value>();
  const declared = get(template, 'Parameters');
  if (declared?.kind === 'object') for (const p of declared.entries) parameters.set(p.key, p.value);
  const resourceTypes = new Map<string, string>();
  for (const r of resources.entries) {
    const type = knownString(get(r.value, 'Type'));
    if (type) resourceTypes.set(r.key, type);
  }
  const mappings = get(template, 'Mappings');
  return { parameters, resourceTypes, ...(mappings ? { mappings } : {}) };
}

/**
 * `base` plus each property present, as an Attribute under its model key, in the order given
 * (the key order spreading one `{ [key]: attribute }` per property gave; assigning is cheaper).
 */
function withAttributes<K extends string>(base: ResourceBase, properties: Value, names: ReadonlyArray<readonly [K, string]>): ResourceBase & Partial<Record<K, Attribute>> {
  const out: Record<string, unknown> = { ...base };
  // An indexed loop, not `for (const [key, name] of names)`: until the JIT optimises it, that
  // runs the iterator protocol twice per property (the list, then each pair), for every resource.
  for (let i = 0; i < names.length; i++) {
    const found = attribute(properties, names[i][1]);
    if (found) out[names[i][0]] = found;
  }
  return out as ResourceBase & Partial<Record<K, Attribute>>;
}

const FUNCTION_ATTRIBUTES = [
  ['functionName', 'FunctionName'],
  ['role', 'Role'],
] as const;
const PERMISSION_ATTRIBUTES = [
  ['action', 'Action'],
  ['principal', 'Principal'],
  ['functionName', 'FunctionName'],
  ['sourceArn', 'SourceArn'],
  ['sourceAccount', 'SourceAccount'],
  ['principalOrgId', 'PrincipalOrgID'],
  ['functionUrlAuthType', 'FunctionUrlAuthType'],
] as const;
const URL_ATTRIBUTES = [
  ['authorizationType', 'AuthType'],
  ['functionName', 'TargetFunctionArn'],
] as const;

const EMPTY_OBJECT = (range: Range): Value => ({ kind: 'object', entries: [], range });

function addResource(model: Model, scope: TemplateScope, entry: ObjectEntry, globals: Value | undefined): void {
  const id = entry.key;
  const type = knownString(get(entry.value, 'Type'));
  if (!type) return;
  const base: ResourceBase = { address: id, sourceType: type, range: entrySpan(entry), arnExpression: `!GetAtt ${id}.Arn` };
  // AWS CDK synth output (cdk.out/*.template.json): the construct in the user's CDK code the resource came from.
  const constructPath = knownString(get(get(entry.value, 'Metadata'), 'aws:cdk:path'));
  if (constructPath !== undefined) base.constructPath = constructPath;
  model.resources.set(id, base);
  const raw = get(entry.value, 'Properties') ?? EMPTY_OBJECT(entry.value.range);
  // Every Fn::If branch combination: a grant too wide in any of them is reported (findings at one place are deduplicated).
  // Evaluated only for the types read below: most resources of a template (buckets, queues,
  // tables, ...) are only an address for the model.
  const evaluate = () => ifVariants(scope, raw);
  switch (type) {
    case 'AWS::Lambda::Function':
      model.functions.push(withAttributes(base, evaluate()[0], FUNCTION_ATTRIBUTES));
      return;
    case 'AWS::Lambda::Permission':
      for (const p of evaluate()) model.permissions.push(withAttributes(base, p, PERMISSION_ATTRIBUTES));
      return;
    case 'AWS::Lambda::Url':
      for (const p of evaluate()) model.functionUrls.push(withAttributes(base, p, URL_ATTRIBUTES));
      return;
    case 'AWS::IAM::ManagedPolicy':
      for (const p of evaluate()) addDocument(model, base, 'managed', attribute(p, 'PolicyDocument'), policyHolders(p), knownString(get(p, 'ManagedPolicyName')));
      return;
    case 'AWS::IAM::Policy':
      for (const p of evaluate())
        addDocument(model, base, attribute(p, 'Roles') ? 'role-inline' : attribute(p, 'Users') ? 'user-inline' : 'group-inline', attribute(p, 'PolicyDocument'), policyHolders(p), knownString(get(p, 'PolicyName')));
      return;
    case 'AWS::IAM::UserToGroupAddition': {
      const [properties] = evaluate();
      const group = get(properties, 'GroupName');
      (model.memberships ??= []).push({ address: id, range: base.range, users: asList(get(properties, 'Users')), groups: group ? [group] : [] });
      return;
    }
    case 'AWS::IAM::Role':
    case 'AWS::IAM::User':
    case 'AWS::IAM::Group': {
      const variants = evaluate();
      const identity = IDENTITY_TYPES[type];
      addIdentity(model, base, identity, variants[0]);
      const self: IdentityRef[] = [{ kind: identity, value: selfRef(base) }];
      const kind: IdentityPolicyKind = `${identity}-inline`;
      for (const p of variants) {
        const inline = get(p, 'Policies');
        for (const item of inline?.kind === 'list' ? inline.items : []) addDocument(model, { ...base, range: item.range }, kind, attribute(item, 'PolicyDocument'), self, knownString(get(item, 'PolicyName')));
        const arns = get(p, 'ManagedPolicyArns');
        for (const arn of arns?.kind === 'list' ? arns.items : []) attachManagedPolicy(model, base, arn, self);
      }
      return;
    }
    case 'AWS::Serverless::Function': {
      const evaluatedGlobals = globals ? new CfnEvaluator(scope).evaluate(globals) : undefined;
      evaluate().forEach((p, i) => addSamFunction(model, scope, base, p, evaluatedGlobals, i === 0));
      return;
    }
    default:
      if (isPostureType(type)) addCloudFormationPosture(model, type, base, evaluate()[0]);
      return;
  }
}

const IDENTITY_TYPES: Record<string, IdentityKind> = { 'AWS::IAM::Role': 'role', 'AWS::IAM::User': 'user', 'AWS::IAM::Group': 'group' };
const NAME_PROPERTIES: Record<IdentityKind, string> = { role: 'RoleName', user: 'UserName', group: 'GroupName' };

/** A role, user or group: its name, a role's trust policy, a user's `Groups`. */
function addIdentity(model: Model, base: ResourceBase, kind: IdentityKind, properties: Value): void {
  const name = knownString(get(properties, NAME_PROPERTIES[kind]));
  const trust = kind === 'role' ? attribute(properties, 'AssumeRolePolicyDocument') : undefined;
  const trustDocument = trust ? policyDocumentFromValue(trust.value, model.errors) : undefined;
  const implicit = kind === 'role' && samGenerated(properties, trustDocument);
  (model.identities ??= []).push({
    ...base,
    kind,
    ...(name !== undefined ? { name } : {}),
    ...(trust ? { trust } : {}),
    ...(trustDocument ? { trustDocument } : {}),
    ...(implicit ? { implicit } : {}),
  });
  const groups = asList(get(properties, 'Groups'));
  if (kind === 'user' && groups.length > 0) (model.memberships ??= []).push({ address: base.address, range: base.range, users: [selfRef(base)], groups });
}

/**
 * A role SAM wrote when it transformed a function without `Role` (a processed template, SAM's
 * translator output): SAM tags each one `lambda:createdBy = SAM`. It is the same role the SAM
 * template leaves implicit, so it is judged the same way, as long as its trust is SAM's (Lambda
 * only): a function's `AssumeRolePolicyDocument` that trusts others is the user's and stays reported.
 */
function samGenerated(properties: Value, trust: PolicyDocument | undefined): boolean {
  if (!asList(get(properties, 'Tags')).some((tag) => knownString(get(tag, 'Key')) === 'lambda:createdBy' && knownString(get(tag, 'Value')) === 'SAM')) return false;
  return trust !== undefined && trustStatements(trust).every((s) => s.notPrincipal.length === 0 && s.principal.length > 0 && s.principal.every(isLambdaPrincipal));
}

/** `Roles` / `Users` / `Groups` of an `AWS::IAM::Policy` or `ManagedPolicy`: the identities it is attached to. */
function policyHolders(properties: Value): IdentityRef[] {
  return (['role', 'user', 'group'] as const).flatMap((kind) => asList(get(properties, `${kind[0].toUpperCase()}${kind.slice(1)}s`)).map((value) => ({ kind, value })));
}
