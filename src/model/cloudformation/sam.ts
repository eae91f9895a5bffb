import { policyData } from '../../policy-data.js';
import { attachManagedPolicy, dataValue } from '../aws-managed.js';
import type { Range } from '../range.js';
import { policyDocumentFromValue } from '../policy-document.js';
import type { Attribute, IamIdentity, IdentityRef, LambdaPermission, Model, ResourceBase } from '../types.js';
import { get, getEntry, knownString, type ObjectEntry, type UnknownValue, type Value } from '../value.js';
import { addDocument, attribute, attributeSpan, boundaryOf, entrySpan, pseudo, trustOf } from './support.js';
import { CfnEvaluator, type TemplateScope } from './evaluate.js';

interface SamPolicyTemplate {
  Parameters: string[];
  Definition: unknown;
}

/**
 * An `AWS::Serverless::Function` as the resources SAM generates from it: the function,
 * its URL (`FunctionUrlConfig`), the Lambda permissions its push `Events` create (scoped
 * as SAM scopes them) and the execution role's policies (`Policies`).
 * `first`: the first variant (see `variantsOf`), the one the function itself is recorded from; `variants`: all of them
 * (the generated role's boundary is read from each).
 */
export function addSamFunction(model: Model, scope: TemplateScope, base: ResourceBase, properties: Value, globals: Value | undefined, first: boolean, variants: readonly Value[] = [properties]): void {
  const property = (name: string) => samProperty(properties, globals, name);
  const roleEntry = property('Role');
  // Without Role, SAM generates `<Function>Role`, trusted by lambda.amazonaws.com, holding `Policies`.
  const { implicitRole, implicitRef } = generatedRole(base);
  if (first) {
    const functionName = attribute(properties, 'FunctionName');
    const role: Attribute = roleEntry ? { value: roleEntry.value, range: attributeSpan(roleEntry) } : { value: implicitRef, range: base.range };
    model.functions.push({ ...base, ...(functionName ? { functionName } : {}), role });
    // SAM gives the role it generates the function's (or Globals') PermissionsBoundary; with an explicit Role it ignores it.
    const boundaries = variants.map((p) => {
      const boundary = samProperty(p, globals, 'PermissionsBoundary');
      return boundary ? { value: boundary.value, range: attributeSpan(boundary) } : undefined;
    });
    if (!roleEntry)
      (model.identities ??= []).push({
        ...implicitRole,
        kind: 'role',
        implicit: true,
        ...samTrust(model, variants.map((p) => samProperty(p, globals, 'AssumeRolePolicyDocument'))),
        ...boundaryOf(boundaries),
      });
  }
  const self: UnknownValue = { kind: 'unknown', ref: base.address, resource: base.address, resourceType: base.sourceType, range: base.range };

  // SAM also adds a public InvokeFunctionUrl permission for AuthType NONE; it is the same
  // exposure as the URL itself and is reported once, as the URL (IG104), at AuthType.
  const url = property('FunctionUrlConfig');
  const auth = url ? getEntry(url.value, 'AuthType') : undefined;
  if (url && auth) model.functionUrls.push({ ...base, range: entrySpan(url), authorizationType: { value: auth.value, range: attributeSpan(auth) }, functionName: { value: self, range: base.range } });

  const events = property('Events');
  if (events?.value.kind === 'object')
    for (const event of events.value.entries) {
      const permission = eventPermission(scope, base, event, self);
      if (permission) model.permissions.push(permission);
    }

  // With an explicit Role, SAM creates no role and ignores Policies.
  if (!roleEntry) addSamPolicies(model, scope, base, property('Policies'), implicitRef);
}

/**
 * An `AWS::Serverless::StateMachine`'s `Policies`, held by the role SAM generates for it
 * (`<StateMachine>Role`, trusted by states.amazonaws.com); with an explicit `Role` SAM ignores them.
 * `first`: the first variant, the one the role itself is recorded from; `variants`: all of them (its boundary is read from each).
 */
export function addSamStateMachine(model: Model, scope: TemplateScope, base: ResourceBase, properties: Value, first: boolean, variants: readonly Value[] = [properties]): void {
  const present = (name: string, from = properties): ObjectEntry | undefined => {
    const entry = getEntry(from, name);
    return entry && entry.value.kind !== 'null' ? entry : undefined;
  };
  const policies = present('Policies');
  if (present('Role') || !policies) return;
  const { implicitRole, implicitRef } = generatedRole(base);
  // Not a function's execution role (its trust is Step Functions'), so not `implicit`; the holder of the policies and their boundary.
  if (first) {
    // An `Fn::If` boundary is any of its branches (one may be none): each variant's, as for a function's role.
    const boundaries = variants.map((p) => {
      const boundary = present('PermissionsBoundary', p);
      return boundary ? { value: boundary.value, range: attributeSpan(boundary) } : undefined;
    });
    (model.identities ??= []).push({ ...implicitRole, kind: 'role', ...boundaryOf(boundaries) });
  }
  addSamPolicies(model, scope, base, policies, implicitRef);
}

/** The role SAM generates for a function or state machine without `Role`: `<LogicalId>Role`, and a reference to its ARN. */
function generatedRole(base: ResourceBase): { implicitRole: ResourceBase; implicitRef: UnknownValue } {
  const implicitRole: ResourceBase = { address: `${base.address}Role`, sourceType: 'AWS::IAM::Role', range: base.range, arnExpression: `!GetAtt ${base.address}Role.Arn` };
  if (base.rootTemplate !== undefined) implicitRole.rootTemplate = base.rootTemplate;
  const implicitRef: UnknownValue = { kind: 'unknown', ref: `${implicitRole.address}.Arn`, resource: implicitRole.address, resourceType: implicitRole.sourceType, range: base.range };
  return { implicitRole, implicitRef };
}

/** `Policies` (one or a list: managed policy names or ARNs, inline statements, SAM policy templates) on the generated role. */
function addSamPolicies(model: Model, scope: TemplateScope, base: ResourceBase, policies: ObjectEntry | undefined, role: UnknownValue): void {
  if (!policies) return;
  const holders: IdentityRef[] = [{ kind: 'role', value: role }];
  for (const item of policies.value.kind === 'list' ? policies.value.items : [policies.value]) addSamPolicy(model, scope, base, item, holders);
}

/** A function property, Globals merged in (see withGlobal); null (AWS::NoValue, on the function or in Globals) is no property at all. */
function samProperty(properties: Value, globals: Value | undefined, name: string): ObjectEntry | undefined {
  const entry = withGlobal(getEntry(properties, name), getEntry(globals, name));
  return entry && entry.value.kind !== 'null' ? entry : undefined;
}

/**
 * A function property after SAM merges Globals into it (samtranslator's GlobalProperties): the function's own
 * value wins whatever it is, `!Ref AWS::NoValue` (null here) and other intrinsics included, since SAM merges before
 * CloudFormation resolves them: `PermissionsBoundary: !Ref AWS::NoValue` leaves the role without the Globals
 * boundary. Only two plain objects merge, key by key (a Globals `FunctionUrlConfig.AuthType` reaches a function
 * whose own FunctionUrlConfig sets only `Cors`), and two lists concatenate, Globals' items first.
 */
function withGlobal(own: ObjectEntry | undefined, global: ObjectEntry | undefined): ObjectEntry | undefined {
  if (!own || !global) return own ?? global;
  const merged = mergedValue(global.value, own.value);
  return merged === own.value ? own : { ...own, value: merged };
}

function mergedValue(global: Value, own: Value): Value {
  if (global.kind === 'list' && own.kind === 'list') return { ...own, items: [...global.items, ...own.items] };
  if (global.kind !== 'object' || own.kind !== 'object') return own;
  const entries = [...global.entries];
  for (const entry of own.entries) {
    const at = entries.findIndex((e) => e.key === entry.key);
    if (at < 0) entries.push(entry);
    else entries[at] = { ...entry, value: mergedValue(entries[at].value, entry.value) };
  }
  return { ...own, entries };
}

/**
 * The generated role's trust when the template writes it (`AssumeRolePolicyDocument`, in each variant of the function:
 * see trustOf): the user's, judged as any role's. Problems reading it are reported from the first variant's.
 */
function samTrust(model: Model, entries: Array<ObjectEntry | undefined>): Pick<IamIdentity, 'trust' | 'trustDocument' | 'trustVariants' | 'userTrust'> {
  const [entry] = entries;
  if (!entry || entry.value.kind === 'null') return {};
  const trust: Attribute = { value: entry.value, range: entrySpan(entry) };
  const unreported: Model['errors'] = [];
  const documents = entries.map((e, i) => (e && e.value.kind !== 'null' ? policyDocumentFromValue(e.value, i === 0 ? model.errors : unreported) : undefined));
  return documents[0] ? { trust, ...trustOf(documents), userTrust: true } : { trust };
}

function addSamPolicy(model: Model, scope: TemplateScope, base: ResourceBase, item: Value, holders: IdentityRef[]): void {
  if (item.kind === 'string' || item.kind === 'template' || item.kind === 'unknown') {
    // Policy names we do not hold stay unknown; SAM accepts bare AWS managed policy names.
    attachManagedPolicy(model, base, item, holders, { bareNames: true, partOfHolder: true });
    return;
  }
  if (item.kind !== 'object') return;
  if (get(item, 'Statement')) {
    addDocument(model, { ...base, range: item.range }, 'role-inline', { value: item, range: item.range }, holders, undefined, true);
    return;
  }
  const [only] = item.entries;
  if (item.entries.length !== 1) return;
  const templates = policyData<Record<string, SamPolicyTemplate | string>>('sam-policy-templates.json');
  const template = templates[only.key];
  if (!template || typeof template === 'string') return;
  const definition = dataValue(template.Definition, entrySpan(only));
  if (!definition) return;
  const substitutions = new Map<string, Value>();
  for (const name of template.Parameters) {
    const given = get(only.value, name);
    if (given) substitutions.set(name, given);
  }
  const expanded = new CfnEvaluator({ ...scope, substitutions }).evaluate(definition);
  addDocument(model, { ...base, range: entrySpan(only) }, 'role-inline', { value: expanded, range: entrySpan(only) }, holders, undefined, true);
}

/**
 * The Lambda permission SAM generates for a push event source (samtranslator
 * model/eventsources/push.py), or undefined for sources SAM wires without one
 * (SQS, Kinesis, DynamoDB, MSK, MQ: event source mappings that use the role).
 */
function eventPermission(scope: TemplateScope, base: ResourceBase, event: ObjectEntry, self: UnknownValue): LambdaPermission | undefined {
  const typeEntry = getEntry(event.value, 'Type');
  const type = knownString(typeEntry?.value);
  if (!typeEntry || !type) return undefined;
  const props = get(event.value, 'Properties');
  const at = entrySpan(typeEntry);
  const range = entrySpan(event);
  const text = (s: string): Value => ({ kind: 'string', value: s, range: at });
  const arn = (service: string, resource: Array<string | UnknownValue>): Value => ({
    kind: 'template',
    range: at,
    parts: ['arn:', pseudo('AWS::Partition', at), `:${service}:`, pseudo('AWS::Region', at), ':', pseudo('AWS::AccountId', at), ':', ...resource],
  });
  const permission = (principal: string, scoping: { sourceArn?: Attribute; sourceAccount?: Attribute; eventSourceToken?: Attribute }): LambdaPermission => ({
    ...base,
    range,
    action: { value: text('lambda:InvokeFunction'), range: at },
    principal: { value: text(principal), range: at },
    functionName: { value: self, range: base.range },
    ...scoping,
  });
  const thisAccount: Attribute = { value: pseudo('AWS::AccountId', at), range: at };
  switch (type) {
    case 'Api':
    case 'HttpApi': {
      const [idProperty, implicit, implicitType] =
        type === 'Api' ? ['RestApiId', 'ServerlessRestApi', 'AWS::Serverless::Api'] : ['ApiId', 'ServerlessHttpApi', 'AWS::Serverless::HttpApi'];
      const api = get(props, idProperty) ?? { kind: 'unknown', ref: implicit, resource: (scope.prefix ?? '') + implicit, resourceType: implicitType, range: at };
      const method = knownString(get(props, 'Method'));
      const path = knownString(get(props, 'Path'));
      const route = method && path ? `/*/${method.toLowerCase() === 'any' ? '*' : method.toUpperCase()}${path}` : '/*';
      return permission('apigateway.amazonaws.com', { sourceArn: { value: arn('execute-api', [...parts(api, at), route]), range: at } });
    }
    case 'S3':
      // SAM pins S3 by SourceAccount = AWS::AccountId (a bucket ARN carries no account).
      return permission('s3.amazonaws.com', { sourceAccount: thisAccount });
    case 'SNS': {
      if (get(props, 'SqsSubscription') && knownString(get(props, 'SqsSubscription')) !== 'false') return undefined;
      const topic = attribute(props, 'Topic');
      return permission('sns.amazonaws.com', topic ? { sourceArn: topic } : {});
    }
    case 'Schedule':
    case 'CloudWatchEvent':
    case 'EventBridgeRule': {
      const rule = `${base.address}${event.key}`;
      return permission('events.amazonaws.com', { sourceArn: { value: { kind: 'unknown', ref: `${rule}.Arn`, resource: rule, resourceType: 'AWS::Events::Rule', range: at }, range: at } });
    }
    case 'CloudWatchLogs':
      return permission('logs.amazonaws.com', { sourceArn: { value: arn('logs', ['log-group:', ...parts(get(props, 'LogGroupName'), at), ':*']), range: at } });
    case 'IoTRule':
      return permission('iot.amazonaws.com', { sourceAccount: thisAccount, sourceArn: { value: arn('iot', [`rule/${base.address}${event.key}`]), range: at } });
    case 'Cognito': {
      const pool = get(props, 'UserPool');
      const resource = pool?.kind === 'unknown' ? pool.resource : undefined;
      const value: Value = resource ? { kind: 'unknown', ref: `${resource}.Arn`, resource, resourceType: 'AWS::Cognito::UserPool', range: at } : { kind: 'unknown', range: at };
      return permission('cognito-idp.amazonaws.com', { sourceArn: { value, range: at } });
    }
    case 'AlexaSkill': {
      // SAM writes SkillId as EventSourceToken; without it any skill may invoke.
      const skill = attribute(props, 'SkillId');
      return permission('alexa-appkit.amazon.com', skill ? { eventSourceToken: skill } : {});
    }
    default:
      return undefined;
  }
}

function parts(value: Value | undefined, at: Range): Array<string | UnknownValue> {
  if (!value) return [{ kind: 'unknown', range: at }];
  const known = knownString(value);
  if (known !== undefined) return [known];
  if (value.kind === 'template') return value.parts;
  if (value.kind === 'unknown') return [value];
  return [{ kind: 'unknown', range: at }];
}
