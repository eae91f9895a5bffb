import { isLambdaPrincipal, trustStatements } from '../../iam/trust.js';
import type { Range } from '../range.js';
import { attachManagedPolicy, selfRef } from '../aws-managed.js';
import { policyDocumentFromValue } from '../policy-document.js';
import { addResourcePolicy } from '../resource-policy-grants.js';
import { emptyModel, type Attribute, type IamIdentity, type IdentityKind, type IdentityPolicyKind, type IdentityRef, type Model, type PolicyDocument, type ResourceBase } from '../types.js';
import { asList, displayString, get, knownString, type ObjectEntry, type Value } from '../value.js';
import { CfnEvaluator, knownCondition, variantsOf, type TemplateScope } from './evaluate.js';
import { prepareTemplate, scannedPaths, templateRoots, type NestedStack, type PreparedTemplate } from './nested.js';
import { addCloudFormationPosture, isPostureType } from './posture.js';
import { cloudFormationReferences, cloudFormationValueReferences } from '../references.js';
import { addSamFunction, addSamStateMachine } from './sam.js';
import { addDocument, attribute, boundaryOf, entrySpan, trustOf } from './support.js';

/** A parsed CloudFormation/SAM template, as the parse stage hands it over. */
export interface CloudFormationTemplate {
  file: string;
  template: Value;
}

/**
 * Adds every CloudFormation/SAM template's resources to the model. Addresses are logical ids; a
 * nested stack's resources are addressed through the stacks that nest them (`Network/Permission`,
 * `Outer/Inner/Permission`: the logical ids of the nesting resources, then the resource's own).
 */
export function addCloudFormationModel(model: Model, templates: CloudFormationTemplate[]): void {
  const scanned = scannedPaths(templates.map((t) => t.file));
  const prepared = new Map(templates.map(({ file, template }) => [file, prepareTemplate(file, template, scanned)]));
  const roots = templateRoots([...prepared.keys()], (file) => prepared.get(file)!.children.map((c) => c.target));
  for (const file of roots) instantiateTemplate(model, prepared, prepared.get(file)!);
}

/** A nested stack may nest this deep; each root's nested stacks may be instantiated this often in all (the variants of the parameters passed included). */
const MAX_NESTING = 8;
const MAX_NESTED_INSTANCES = 64;

interface TemplateInstance {
  /** `''` for a root template; `Stack/` (and `Outer/Inner/`) for a nested one. */
  prefix: string;
  /** The parameters the parent passes, evaluated in its scope. */
  given?: ReadonlyMap<string, Value>;
  /** The files of the templates nesting this one, root first, itself last. */
  stack: readonly string[];
  /** Nested instances the root may still make. */
  budget: { left: number };
}

/**
 * Models one template — as a root, or as a nested stack with what its parent passes — and, through
 * it, the nested stacks it instantiates from `templates` (the scan's templates by file).
 */
export function instantiateTemplate(model: Model, templates: ReadonlyMap<string, PreparedTemplate>, template: PreparedTemplate, instance?: TemplateInstance): void {
  const at = instance ?? { prefix: '', stack: [template.file], budget: { left: MAX_NESTED_INSTANCES } };
  modelInstance(model, templates, template, scopedInstance(templates, template, at));
}

/** A template instance with its scope, and its nested stacks planned on first use. */
interface ScopedInstance {
  template: PreparedTemplate;
  at: TemplateInstance;
  resources: Value & { kind: 'object' };
  scope: TemplateScope;
  plan: (nested: NestedStack) => NestedPlan;
}

/** What becomes of one nested stack of an instance: decided once, by the first to need it (an output the parent reads, or modelling it). */
interface NestedPlan {
  child?: PreparedTemplate;
  /** Why it is not analysed (a cycle, too deep, out of budget): reported where its `TemplateURL` stands. */
  refusal?: string;
  /** The parameters passed, once per variant (`Fn::If` branches, mapping entries, allowed values). */
  variants: Array<Value | undefined>;
  /** The first variant's instance: the one modelled fully, and the one whose outputs the parent reads. */
  first?: ScopedInstance;
}

function modelInstance(model: Model, templates: ReadonlyMap<string, PreparedTemplate>, template: PreparedTemplate, instance: ScopedInstance | undefined): void {
  for (const error of template.errors) model.errors.push(error);
  if (!instance) return;
  const { at, resources, scope } = instance;
  const globals = get(get(template.template, 'Globals'), 'Function');
  for (const entry of resources.entries) {
    noteIncludes(model, entry);
    if (mayDeploy(scope, entry.value)) addResource(model, scope, entry, globals, template.instances.get(entry.key) ?? (at.prefix !== '' ? entry.key : undefined));
  }
  for (const nested of template.children) if (mayDeploy(scope, nested.entry.value)) addNestedStack(model, templates, instance, nested);
  addOutputs(model, scope, get(template.template, 'Outputs'));
}

/** The template's outputs, each with the resources it reads. */
function addOutputs(model: Model, scope: TemplateScope, outputs: Value | undefined): void {
  if (outputs?.kind !== 'object') return;
  for (const entry of outputs.entries) {
    const references = cloudFormationValueReferences(entry.value, scope.resourceTypes, scope.prefix);
    if (references.length === 0) continue;
    const output: ResourceBase = { address: `${scope.prefix ?? ''}Outputs.${entry.key}`, sourceType: 'AWS::CloudFormation::Output', range: entrySpan(entry), references };
    if (scope.rootTemplate !== undefined) output.rootTemplate = scope.rootTemplate;
    (model.outputs ??= []).push(output);
  }
}

/**
 * `Fn::Transform` `AWS::Include` splices a snippet in at deploy time (resources, or a resource's properties): the scan
 * does not read it, so it says so rather than pass the resources or values it holds as checked. Looked for where
 * templates write it: among the resources, as the Properties, or as one property's value.
 */
function noteIncludes(model: Model, entry: ObjectEntry): void {
  const properties = get(entry.value, 'Properties');
  const places = [entry.key === 'Fn::Transform' ? entry.value : undefined, get(properties, 'Fn::Transform'), ...(properties?.kind === 'object' ? properties.entries.map((p) => get(p.value, 'Fn::Transform')) : [])];
  for (const transform of places) {
    if (!transform || knownString(get(transform, 'Name')) !== 'AWS::Include') continue;
    const location = displayString(get(get(transform, 'Parameters'), 'Location')) ?? 'its Location';
    const where = `${transform.range.file}:${transform.range.line}`;
    (model.notices ??= []).push({ path: transform.range.file, message: `AWS::Include of ${location} (${where}) is not read: what it adds is not analysed` });
  }
}

/** False for a resource whose `Condition` is statically false: CloudFormation never creates it. */
function mayDeploy(scope: TemplateScope, resource: Value): boolean {
  const condition = knownString(get(resource, 'Condition'));
  return condition === undefined || knownCondition(scope, condition) !== false;
}

/** The instance's scope, reading its nested stacks' outputs; undefined for a template without resources. */
function scopedInstance(templates: ReadonlyMap<string, PreparedTemplate>, template: PreparedTemplate, at: TemplateInstance): ScopedInstance | undefined {
  const resources = get(template.template, 'Resources');
  if (!resources || resources.kind !== 'object') return undefined;
  const scope = templateScope(template.template, resources, at);
  const plans = new Map<NestedStack, NestedPlan | 'planning'>();
  const plan = (nested: NestedStack): NestedPlan => {
    const known = plans.get(nested);
    // 'planning': the stack's own parameters read its outputs (directly or through a sibling's); CloudFormation rejects that.
    if (known === 'planning') return { variants: [] };
    if (known) return known;
    plans.set(nested, 'planning');
    const planned = planNestedStack(templates, scope, nested, at);
    plans.set(nested, planned);
    return planned;
  };
  if (template.children.length > 0) {
    let byKey: Map<string, NestedStack> | undefined;
    scope.outputs = (stack, name) => {
      byKey ??= new Map(template.children.map((c) => [c.entry.key, c]));
      const nested = byKey.get(stack);
      const child = nested && plan(nested).first;
      const value = child && get(get(get(child.template.template, 'Outputs'), name), 'Value');
      return child && value ? { value, scope: child.scope } : undefined;
    };
  }
  return { template, at, resources, scope, plan };
}

/** The child a nested stack instantiates, the parameters passed (evaluated in the parent's scope), and its first instance, or why it is not analysed. */
function planNestedStack(templates: ReadonlyMap<string, PreparedTemplate>, scope: TemplateScope, nested: NestedStack, parent: TemplateInstance): NestedPlan {
  const child = templates.get(nested.target);
  if (!child) return { variants: [] };
  const chain = [...parent.stack, child.file];
  if (parent.stack.includes(child.file) || parent.stack.length > MAX_NESTING) {
    const why = parent.stack.includes(child.file) ? 'includes itself' : `nests more than ${MAX_NESTING} levels deep`;
    return { child, variants: [], refusal: `Nested stack ${nested.entry.key} is not analysed: the template ${why} (${chain.join(' -> ')}).` };
  }
  const parameters = get(get(nested.entry.value, 'Properties'), 'Parameters');
  const variants: Array<Value | undefined> = parameters ? variantsOf(scope, parameters).values : [undefined];
  if (parent.budget.left <= 0) return { child, variants, refusal: `Nested stack ${nested.entry.key} is not analysed: its root template ${parent.stack[0]} already instantiates ${MAX_NESTED_INSTANCES} nested stacks.` };
  parent.budget.left--;
  const first = scopedInstance(templates, child, childInstance(parent, nested, child, variants[0]));
  return { child, variants, ...(first ? { first } : {}) };
}

/**
 * The child template instantiated with the parameters the parent passes: once per variant
 * of them, the first fully, the others for their grants only (as a resource's variants are).
 */
function addNestedStack(model: Model, templates: ReadonlyMap<string, PreparedTemplate>, parent: ScopedInstance, nested: NestedStack): void {
  const { child, refusal, variants, first } = parent.plan(nested);
  if (!child) return;
  if (refusal) {
    model.errors.push({ message: refusal, range: nested.range });
    return;
  }
  modelInstance(model, templates, child, first);
  for (let i = 1; i < variants.length && parent.at.budget.left > 0; i++) {
    parent.at.budget.left--;
    const into = emptyModel();
    modelInstance(into, templates, child, scopedInstance(templates, child, childInstance(parent.at, nested, child, variants[i])));
    for (const p of into.permissions) model.permissions.push(p);
    for (const u of into.functionUrls) model.functionUrls.push(u);
    for (const d of into.identityPolicies) model.identityPolicies.push(d);
  }
}

/** The child's instance for one variant of the parameters passed: its templates' chain is the parent's and its own file. */
function childInstance(parent: TemplateInstance, nested: NestedStack, child: PreparedTemplate, passed: Value | undefined): TemplateInstance {
  const given = passed ? givenParameters(passed, nested.range.file) : undefined;
  return { prefix: `${parent.prefix}${nested.entry.key}/`, ...(given ? { given } : {}), stack: [...parent.stack, child.file], budget: parent.budget };
}

/**
 * The parent's `Parameters`, evaluated. A scalar the parent writes (or takes from its own
 * defaults) stands where the parent passes it, key through value: a finding, and a fix, go there.
 */
function givenParameters(passed: Value, parentFile: string): Map<string, Value> {
  const given = new Map<string, Value>();
  if (passed.kind !== 'object') return given;
  for (const entry of passed.entries) {
    const value = entry.value;
    const local = value.kind !== 'list' && value.kind !== 'object' && value.range.file === parentFile;
    given.set(entry.key, local ? { ...value, range: entrySpan(entry) } : value);
  }
  return given;
}

function templateScope(template: Value, resources: Value & { kind: 'object' }, instance: TemplateInstance): TemplateScope {
  const parameters = new Map<string, Value>();
  const declared = get(template, 'Parameters');
  if (declared?.kind === 'object') for (const p of declared.entries) parameters.set(p.key, p.value);
  const resourceTypes = new Map<string, string>();
  for (const r of resources.entries) {
    const type = knownString(get(r.value, 'Type'));
    if (type) resourceTypes.set(r.key, type);
  }
  const mappings = get(template, 'Mappings');
  const conditions = get(template, 'Conditions');
  const scope: TemplateScope = { parameters, resourceTypes, ...(mappings ? { mappings } : {}), ...(conditions ? { conditions, conditionCache: new Map() } : {}) };
  if (instance.prefix !== '') {
    scope.prefix = instance.prefix;
    scope.rootTemplate = instance.stack[0];
  }
  if (instance.given) scope.given = instance.given;
  return scope;
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
  ['eventSourceToken', 'EventSourceToken'],
] as const;
const URL_ATTRIBUTES = [
  ['authorizationType', 'AuthType'],
  ['functionName', 'TargetFunctionArn'],
] as const;

const EMPTY_OBJECT = (range: Range): Value => ({ kind: 'object', entries: [], range });

/**
 * `instanceOf`: the key its code is written under when other resources share that code — the body of
 * a `Fn::ForEach` (which every iteration shares), or a nested stack's template (which every parent's instance shares).
 */
function addResource(model: Model, scope: TemplateScope, entry: ObjectEntry, globals: Value | undefined, instanceOf: string | undefined): void {
  const id = entry.key;
  const type = knownString(get(entry.value, 'Type'));
  if (!type) return;
  const address = scope.prefix === undefined ? id : scope.prefix + id;
  const base: ResourceBase = { address, sourceType: type, range: entrySpan(entry), arnExpression: `!GetAtt ${id}.Arn` };
  // AWS CDK synth output (cdk.out/*.template.json): the construct in the user's CDK code the resource came from.
  const constructPath = knownString(get(get(entry.value, 'Metadata'), 'aws:cdk:path'));
  if (constructPath !== undefined) base.constructPath = constructPath;
  if (instanceOf !== undefined) base.instanceOf = instanceOf;
  if (scope.rootTemplate !== undefined) base.rootTemplate = scope.rootTemplate;
  const references = cloudFormationReferences(entry.value, scope.resourceTypes, scope.prefix, instanceOf !== undefined ? { key: instanceOf, id } : undefined);
  model.resources.push(references.length > 0 ? { ...base, references } : base);
  const raw = get(entry.value, 'Properties') ?? EMPTY_OBJECT(entry.value.range);
  // Every combination of choices (Fn::If branches, mapping entries, allowed values): a grant too wide in any of them is reported (findings at one place are deduplicated).
  // Evaluated only for the types read below: most resources of a template (buckets, queues,
  // tables, ...) are only an address for the model.
  const evaluate = () => variantsOf(scope, raw).values;
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
    case 'AWS::Lambda::ResourcePolicy':
      // PutResourcePolicy: the whole policy (an object or its JSON text) of the function, version or alias ResourceArn names.
      for (const p of evaluate()) {
        const policy = attribute(p, 'PolicyDocument');
        const document = policy ? policyDocumentFromValue(policy.value, model.errors) : undefined;
        if (document) addResourcePolicy(model, base, document, attribute(p, 'ResourceArn'));
      }
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
      (model.memberships ??= []).push({ address, range: base.range, users: asList(get(properties, 'Users')), groups: group ? [group] : [], ...treeOf(base) });
      return;
    }
    case 'AWS::IAM::Role':
    case 'AWS::IAM::User':
    case 'AWS::IAM::Group':
    case 'AWS::SSO::PermissionSet': {
      const variants = evaluate();
      const identity = IDENTITY_TYPES[type];
      addIdentity(model, base, identity, variants, identity === 'group' || identity === 'permission-set' ? {} : boundaryOf(variants.map((p) => attribute(p, 'PermissionsBoundary'))));
      const self: IdentityRef[] = [{ kind: identity, value: selfRef(base) }];
      const kind: IdentityPolicyKind = `${identity}-inline`;
      for (const p of variants) {
        if (identity === 'permission-set') {
          // One inline policy (JSON, an object or its text) and AWS managed policies by ARN; customer managed ones are named without a document.
          addDocument(model, base, kind, attribute(p, 'InlinePolicy'), self, undefined, true);
          const managed = get(p, 'ManagedPolicies');
          for (const arn of managed?.kind === 'list' ? managed.items : []) attachManagedPolicy(model, base, arn, self, { partOfHolder: true });
          continue;
        }
        const inline = get(p, 'Policies');
        for (const item of inline?.kind === 'list' ? inline.items : []) addDocument(model, { ...base, range: item.range }, kind, attribute(item, 'PolicyDocument'), self, knownString(get(item, 'PolicyName')), true);
        const arns = get(p, 'ManagedPolicyArns');
        for (const arn of arns?.kind === 'list' ? arns.items : []) attachManagedPolicy(model, base, arn, self, { partOfHolder: true });
      }
      return;
    }
    case 'AWS::Serverless::Function': {
      const evaluatedGlobals = globals ? new CfnEvaluator(scope).evaluate(globals) : undefined;
      const variants = evaluate();
      variants.forEach((p, i) => addSamFunction(model, scope, base, p, evaluatedGlobals, i === 0, variants));
      return;
    }
    case 'AWS::Serverless::StateMachine': {
      const variants = evaluate();
      variants.forEach((p, i) => addSamStateMachine(model, scope, base, p, i === 0, variants));
      return;
    }
    default:
      if (isPostureType(type)) addCloudFormationPosture(model, type, base, evaluate()[0]);
      return;
  }
}

/** A nested stack's root template, for records that are not resources (memberships): `{}` for a root template's own. */
function treeOf(base: ResourceBase): { rootTemplate?: string } {
  return base.rootTemplate !== undefined ? { rootTemplate: base.rootTemplate } : {};
}

const IDENTITY_TYPES: Record<string, IdentityKind> = { 'AWS::IAM::Role': 'role', 'AWS::IAM::User': 'user', 'AWS::IAM::Group': 'group', 'AWS::SSO::PermissionSet': 'permission-set' };
const NAME_PROPERTIES: Record<IdentityKind, string> = { role: 'RoleName', user: 'UserName', group: 'GroupName', 'permission-set': 'Name' };

/**
 * A role, user or group, recorded from the first of its `variants` (see variantsOf): its name, a role's trust policy
 * (read from every variant, see trustOf), a user's `Groups`; `boundary`: roles' and users' (groups cannot have one).
 */
function addIdentity(model: Model, base: ResourceBase, kind: IdentityKind, variants: Value[], boundary: Pick<IamIdentity, 'boundary' | 'boundaryVariants'>): void {
  const properties = variants[0];
  const name = knownString(get(properties, NAME_PROPERTIES[kind]));
  const trust = kind === 'role' ? attribute(properties, 'AssumeRolePolicyDocument') : undefined;
  const trustDocument = trust ? policyDocumentFromValue(trust.value, model.errors) : undefined;
  const implicit = kind === 'role' && samGenerated(properties, trustDocument);
  (model.identities ??= []).push({
    ...base,
    kind,
    ...(name !== undefined ? { name } : {}),
    ...(trust ? { trust } : {}),
    ...(kind === 'role' ? trustOf([trustDocument, ...variantDocuments(variants.slice(1), 'AssumeRolePolicyDocument')]) : {}),
    ...(implicit ? { implicit } : {}),
    ...boundary,
  });
  const groups = asList(get(properties, 'Groups'));
  if (kind === 'user' && groups.length > 0) (model.memberships ??= []).push({ address: base.address, range: base.range, users: [selfRef(base)], groups, ...treeOf(base) });
}

/**
 * The document each variant writes in `property`, when it can be read; problems reading them are the first variant's
 * to report (the same problem in each would be reported once per variant).
 */
function variantDocuments(variants: readonly Value[], property: string): Array<PolicyDocument | undefined> {
  const unreported: Model['errors'] = [];
  return variants.map((p) => {
    const written = attribute(p, property);
    return written ? policyDocumentFromValue(written.value, unreported) : undefined;
  });
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
