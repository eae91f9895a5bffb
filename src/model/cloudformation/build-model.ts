import type { Range } from '../range.js';
import type { Attribute, IdentityPolicyKind, Model, ResourceBase } from '../types.js';
import { get, knownString, type ObjectEntry, type Value } from '../value.js';
import { CfnEvaluator, ifVariants, type TemplateScope } from './evaluate.js';
import { addCloudFormationPosture } from './posture.js';
import { addSamFunction } from './sam.js';
import { addAwsManagedPolicy, addDocument, attribute, entrySpan } from './support.js';

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

function optional<K extends string>(key: K, properties: Value, name: string): Partial<Record<K, Attribute>> {
  const found = attribute(properties, name);
  return (found ? { [key]: found } : {}) as Partial<Record<K, Attribute>>;
}

const EMPTY_OBJECT = (range: Range): Value => ({ kind: 'object', entries: [], range });

function addResource(model: Model, scope: TemplateScope, entry: ObjectEntry, globals: Value | undefined): void {
  const id = entry.key;
  const type = knownString(get(entry.value, 'Type'));
  if (!type) return;
  const base: ResourceBase = { address: id, sourceType: type, range: entrySpan(entry), arnExpression: `!GetAtt ${id}.Arn` };
  model.resources.set(id, base);
  const raw = get(entry.value, 'Properties') ?? EMPTY_OBJECT(entry.value.range);
  // Every Fn::If branch combination: a grant too wide in any of them is reported (findings at one place are deduplicated).
  const variants = ifVariants(scope, raw);
  switch (type) {
    case 'AWS::Lambda::Function':
      model.functions.push({ ...base, ...optional('functionName', variants[0], 'FunctionName') });
      return;
    case 'AWS::Lambda::Permission':
      for (const p of variants)
        model.permissions.push({
          ...base,
          ...optional('action', p, 'Action'),
          ...optional('principal', p, 'Principal'),
          ...optional('functionName', p, 'FunctionName'),
          ...optional('sourceArn', p, 'SourceArn'),
          ...optional('sourceAccount', p, 'SourceAccount'),
          ...optional('principalOrgId', p, 'PrincipalOrgID'),
          ...optional('functionUrlAuthType', p, 'FunctionUrlAuthType'),
        });
      return;
    case 'AWS::Lambda::Url':
      for (const p of variants) model.functionUrls.push({ ...base, ...optional('authorizationType', p, 'AuthType'), ...optional('functionName', p, 'TargetFunctionArn') });
      return;
    case 'AWS::IAM::ManagedPolicy':
      for (const p of variants) addDocument(model, base, 'managed', attribute(p, 'PolicyDocument'));
      return;
    case 'AWS::IAM::Policy':
      for (const p of variants) addDocument(model, base, attribute(p, 'Roles') ? 'role-inline' : attribute(p, 'Users') ? 'user-inline' : 'group-inline', attribute(p, 'PolicyDocument'));
      return;
    case 'AWS::IAM::Role':
    case 'AWS::IAM::User':
    case 'AWS::IAM::Group': {
      const kind: IdentityPolicyKind = type === 'AWS::IAM::Role' ? 'role-inline' : type === 'AWS::IAM::User' ? 'user-inline' : 'group-inline';
      for (const p of variants) {
        const inline = get(p, 'Policies');
        for (const item of inline?.kind === 'list' ? inline.items : []) addDocument(model, { ...base, range: item.range }, kind, attribute(item, 'PolicyDocument'));
        const arns = get(p, 'ManagedPolicyArns');
        for (const arn of arns?.kind === 'list' ? arns.items : []) addAwsManagedPolicy(model, base, arn);
      }
      return;
    }
    case 'AWS::Serverless::Function': {
      const evaluatedGlobals = globals ? new CfnEvaluator(scope).evaluate(globals) : undefined;
      variants.forEach((p, i) => addSamFunction(model, scope, base, p, evaluatedGlobals, i === 0));
      return;
    }
    default:
      addCloudFormationPosture(model, type, base, variants[0]);
      return;
  }
}
