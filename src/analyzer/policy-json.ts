import type { Range } from '../model/range.js';
import type { Condition, PolicyDocument, Principal, Statement } from '../model/types.js';
import type { Value } from '../model/value.js';

/**
 * A policy as we send it to Access Analyzer, built from the model so every node remembers the
 * source range it came from. `placeholder` marks text we made up for a value we cannot know
 * (a reference resolved only at deploy time): Access Analyzer's remarks about it are not the user's.
 */
export type JsonNode =
  | { kind: 'string'; value: string; range?: Range; placeholder?: boolean }
  | { kind: 'raw'; value: number | boolean | null; range?: Range }
  | { kind: 'array'; items: JsonNode[]; range?: Range }
  | { kind: 'object'; entries: Array<[string, JsonNode]>; range?: Range };

/** Serialised policy text plus a map from character offsets back to source ranges. */
export interface RenderedPolicy {
  text: string;
  /** The range of the innermost node containing the offset; `placeholder` when that node is made up. */
  locate(offset: number): { range?: Range; placeholder: boolean };
  /** The same by Access Analyzer's JSON path (`[{key:'Statement'},{index:0},…]`). */
  locatePath(path: ReadonlyArray<{ key?: string; index?: number }>): Range | undefined;
}

/** The account id placeholders use; a real-looking id so Access Analyzer reads the grant as scoped to one account. */
export const PLACEHOLDER_ACCOUNT = '123456789012';

interface Span {
  start: number;
  end: number;
  node: JsonNode;
}

/** Pretty-prints (2 spaces, like JSON.stringify) while recording each node's offsets. */
export function renderPolicy(root: JsonNode): RenderedPolicy {
  let text = '';
  const spans: Span[] = [];
  const emit = (node: JsonNode, indent: string): void => {
    const start = text.length;
    const inner = `${indent}  `;
    switch (node.kind) {
      case 'string':
        text += JSON.stringify(node.value);
        break;
      case 'raw':
        text += JSON.stringify(node.value);
        break;
      case 'array':
        if (node.items.length === 0) text += '[]';
        else {
          text += '[\n';
          node.items.forEach((item, i) => {
            text += inner;
            emit(item, inner);
            text += i < node.items.length - 1 ? ',\n' : '\n';
          });
          text += `${indent}]`;
        }
        break;
      case 'object':
        if (node.entries.length === 0) text += '{}';
        else {
          text += '{\n';
          node.entries.forEach(([key, value], i) => {
            text += `${inner}${JSON.stringify(key)}: `;
            emit(value, inner);
            text += i < node.entries.length - 1 ? ',\n' : '\n';
          });
          text += `${indent}}`;
        }
        break;
    }
    spans.push({ start, end: text.length, node });
  };
  emit(root, '');
  return {
    text,
    locate(offset) {
      // Spans are pushed children first, so the first containing span with a range is the innermost.
      let placeholder = false;
      for (const span of spans) {
        if (offset < span.start || offset >= span.end) continue;
        if (span.node.kind === 'string' && span.node.placeholder) placeholder = true;
        if (span.node.range) return { range: span.node.range, placeholder };
      }
      return { placeholder };
    },
    locatePath(path) {
      let node: JsonNode | undefined = root;
      let range = root.range;
      for (const step of path) {
        if (step.key !== undefined && node?.kind === 'object') node = node.entries.find(([k]) => k === step.key)?.[1];
        else if (step.index !== undefined && node?.kind === 'array') node = node.items[step.index];
        else break;
        if (!node) break;
        range = node.range ?? range;
      }
      return range;
    },
  };
}

/** Which field a value stands in, so a placeholder for an unknown value is valid there. */
export type Field = 'arn' | 'principal' | 'account' | 'other';

/** Values CloudFormation pseudo parameters stand for in placeholders (the ARN pieces they fill). */
const PSEUDO: Record<string, string> = { 'AWS::Partition': 'aws', 'AWS::Region': 'us-east-1', 'AWS::AccountId': PLACEHOLDER_ACCOUNT, 'AWS::URLSuffix': 'amazonaws.com' };

/** A model value as JSON; unknown pieces become placeholders fit for the field. */
export function valueNode(value: Value, field: Field): JsonNode {
  switch (value.kind) {
    case 'string':
      return { kind: 'string', value: value.value, range: value.range };
    case 'number':
    case 'bool':
      return { kind: 'raw', value: value.value, range: value.range };
    case 'null':
      return { kind: 'raw', value: null, range: value.range };
    case 'list':
      return { kind: 'array', items: value.items.map((item) => valueNode(item, field)), range: value.range };
    case 'object':
      return { kind: 'object', entries: value.entries.map((e) => [e.key, valueNode(e.value, field)]), range: value.range };
    case 'template': {
      const text = value.parts
        .map((p, i) => (typeof p === 'string' ? p : ((p.ref !== undefined ? PSEUDO[p.ref] : undefined) ?? (i === 0 ? placeholderText(p.resourceType, field) : 'invokeguard-unknown'))))
        .join('');
      return { kind: 'string', value: text, range: value.range, placeholder: true };
    }
    case 'unknown':
      return { kind: 'string', value: (value.ref !== undefined ? PSEUDO[value.ref] : undefined) ?? placeholderText(value.resourceType, field), range: value.range, placeholder: true };
  }
}

function placeholderText(resourceType: string | undefined, field: Field): string {
  if (field === 'principal') return `arn:aws:iam::${PLACEHOLDER_ACCOUNT}:root`;
  if (field === 'account') return PLACEHOLDER_ACCOUNT;
  if (field === 'other') return 'invokeguard-unknown';
  const type = (resourceType ?? '').toLowerCase();
  if (/lambda/.test(type)) return `arn:aws:lambda:us-east-1:${PLACEHOLDER_ACCOUNT}:function:invokeguard-unknown`;
  // S3 ARNs carry no account: a placeholder with one would scope the grant more than the real ARN does.
  if (/^aws_s3_|^aws::s3::/.test(type)) return 'arn:aws:s3:::invokeguard-unknown';
  const service = /^aws_api_?gateway|^aws::apigateway/.test(type) ? 'execute-api' : (/^aws_([a-z0-9]+)_/.exec(type) ?? /^aws::([a-z0-9]+)::/.exec(type))?.[1] ?? 'iam';
  return `arn:aws:${service}:${service === 'iam' ? '' : 'us-east-1'}:${PLACEHOLDER_ACCOUNT}:invokeguard-unknown`;
}

/** A list field as IAM writes it: one value bare, several as an array (ranges kept per item). */
function listNode(values: Value[], field: Field): JsonNode {
  return values.length === 1 ? valueNode(values[0], field) : { kind: 'array', items: values.map((v) => valueNode(v, field)), range: values[0]?.range };
}

function principalNode(principals: Principal[]): JsonNode {
  const bare = principals.find((p) => p.type === '*');
  if (bare) return valueNode(bare.value, 'principal');
  const byType = new Map<string, Value[]>();
  for (const p of principals) byType.set(p.type, [...(byType.get(p.type) ?? []), p.value]);
  return { kind: 'object', entries: [...byType].map(([type, values]) => [type, listNode(values, type === 'AWS' ? 'principal' : 'other')]), range: principals[0].value.range };
}

export function conditionNode(conditions: Condition[]): JsonNode {
  const byOperator = new Map<string, Condition[]>();
  for (const c of conditions) byOperator.set(c.operator, [...(byOperator.get(c.operator) ?? []), c]);
  return {
    kind: 'object',
    entries: [...byOperator].map(([operator, cs]) => [
      operator,
      {
        kind: 'object',
        range: cs[0].range,
        entries: cs.map((c): [string, JsonNode] => {
          const field: Field = /arn/i.test(operator) || /sourcearn$/i.test(c.key) ? 'arn' : /sourceaccount$|principalaccount$/i.test(c.key) ? 'account' : 'other';
          return [c.key, c.values.length === 1 ? valueNode(c.values[0], field) : { kind: 'array', items: c.values.map((v) => valueNode(v, field)), range: c.range }];
        }),
      },
    ]),
    range: conditions[0].range,
  };
}

/** A modelled statement as IAM JSON, in the usual key order. Keys the model does not keep are not sent. */
export function statementNode(statement: Statement): JsonNode {
  const entries: Array<[string, JsonNode]> = [];
  if (statement.sid !== undefined) entries.push(['Sid', { kind: 'string', value: statement.sid, range: statement.range }]);
  if (statement.effect) entries.push(['Effect', valueNode(statement.effect, 'other')]);
  if (statement.principal.length) entries.push(['Principal', principalNode(statement.principal)]);
  if (statement.notPrincipal.length) entries.push(['NotPrincipal', principalNode(statement.notPrincipal)]);
  if (statement.action.length) entries.push(['Action', listNode(statement.action, 'other')]);
  if (statement.notAction.length) entries.push(['NotAction', listNode(statement.notAction, 'other')]);
  if (statement.resource.length) entries.push(['Resource', listNode(statement.resource, 'arn')]);
  if (statement.notResource.length) entries.push(['NotResource', listNode(statement.notResource, 'arn')]);
  if (statement.condition.length) entries.push(['Condition', conditionNode(statement.condition)]);
  return { kind: 'object', entries, range: statement.range };
}

/** A whole policy document; the model does not keep `Version`, so the current one is stated. */
export function documentNode(document: PolicyDocument): JsonNode {
  return policyNode(document.statements.map(statementNode), document.range);
}

export function policyNode(statements: JsonNode[], range: Range): JsonNode {
  return {
    kind: 'object',
    entries: [
      ['Version', { kind: 'string', value: '2012-10-17', range }],
      ['Statement', { kind: 'array', items: statements, range }],
    ],
    range,
  };
}
