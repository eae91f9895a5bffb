import type { HclBlock, HclBody } from '../../parse/terraform-hcl/hcl-ast.js';
import { policyObject } from '../policy-document.js';
import type { Range } from '../range.js';
import { asList, get, knownString, type ObjectEntry, type Value } from '../value.js';
import type { Evaluator } from './evaluate.js';

/**
 * `data "aws_iam_policy_document"` rendered as the JSON document Terraform would produce,
 * as a Value whose nodes point at the HCL blocks and attributes they came from.
 * `source_policy_documents` come first; this document's statements replace those with the
 * same Sid; `override_policy_documents` replace this document's statements by Sid.
 */
export function policyDocumentDataValue(block: HclBlock, evaluator: Evaluator): Value | undefined {
  // `dynamic "statement"` blocks count as the statements they expand to, each seen with its iterator.
  const own = evaluator.blocks(block.body, 'statement').map((s) => statementValue(s.block, s.evaluator));
  const documents = (name: string) => asList(evaluator.attribute(block.body, name)).flatMap((doc) => statementsOf(doc));
  let statements = mergeBySid(documents('source_policy_documents'), own);
  statements = mergeBySid(statements, documents('override_policy_documents'));
  const range = block.range;
  const entries: ObjectEntry[] = [entry('Version', evaluator.attribute(block.body, 'version') ?? str('2012-10-17', range), range)];
  entries.push(entry('Statement', { kind: 'list', items: statements, range }, range));
  return { kind: 'object', entries, range };
}

function statementsOf(document: Value): Value[] {
  return asList(get(policyObject(document), 'Statement', true));
}

function mergeBySid(base: Value[], overrides: Value[]): Value[] {
  const result = [...base];
  for (const statement of overrides) {
    const sid = knownString(get(statement, 'Sid', true));
    const at = sid ? result.findIndex((s) => knownString(get(s, 'Sid', true)) === sid) : -1;
    if (at >= 0) result[at] = statement;
    else result.push(statement);
  }
  return result;
}

function statementValue(block: HclBlock, evaluator: Evaluator): Value {
  const body = block.body;
  const range = block.range;
  const entries: ObjectEntry[] = [];
  const copy = (hclName: string, jsonName: string) => {
    const attr = body.attributes.find((a) => a.name === hclName);
    if (attr) entries.push(entry(jsonName, evaluator.evaluate(attr.expr), attr.range));
  };
  copy('sid', 'Sid');
  const effect = body.attributes.find((a) => a.name === 'effect');
  entries.push(effect ? entry('Effect', evaluator.evaluate(effect.expr), effect.range) : entry('Effect', str('Allow', range), range));
  copy('actions', 'Action');
  copy('not_actions', 'NotAction');
  copy('resources', 'Resource');
  copy('not_resources', 'NotResource');
  const principals = principalsValue(body, 'principals', evaluator);
  if (principals) entries.push(entry('Principal', principals, principals.range));
  const notPrincipals = principalsValue(body, 'not_principals', evaluator);
  if (notPrincipals) entries.push(entry('NotPrincipal', notPrincipals, notPrincipals.range));
  const conditions = evaluator.blocks(body, 'condition');
  // A condition whose test or variable is not known, or a dynamic block over items not known: the Condition is open (see unreadableCondition).
  let open = evaluator.unknownDynamic(body, 'condition');
  if (conditions.length || open) {
    const byOperator = new Map<string, ObjectEntry[]>();
    for (const { block: condition, evaluator: scoped } of conditions) {
      const test = knownString(scoped.attribute(condition.body, 'test'));
      const variable = knownString(scoped.attribute(condition.body, 'variable'));
      if (!test || !variable) {
        open = true;
        continue;
      }
      const list = byOperator.get(test) ?? [];
      list.push(entry(variable, scoped.attribute(condition.body, 'values') ?? { kind: 'list', items: [], range: condition.range }, condition.range));
      byOperator.set(test, list);
    }
    const operators: Value = { kind: 'object', range, entries: [...byOperator].map(([op, es]) => entry(op, { kind: 'object', entries: es, range }, range)) };
    if (open) operators.open = true;
    entries.push(entry('Condition', operators, range));
  }
  return { kind: 'object', entries, range, block: true };
}

/** `principals { type = "AWS" identifiers = [...] }` → {"AWS": [...]}; type "*" → "*". */
function principalsValue(body: HclBody, blockType: string, evaluator: Evaluator): Value | undefined {
  const blocks = evaluator.blocks(body, blockType);
  if (blocks.length === 0) return undefined;
  const entries: ObjectEntry[] = [];
  for (const { block, evaluator: scoped } of blocks) {
    const type = knownString(scoped.attribute(block.body, 'type'));
    const identifiers = scoped.attribute(block.body, 'identifiers') ?? { kind: 'list', items: [], range: block.range };
    if (type === '*') return str('*', block.range);
    if (type) entries.push(entry(type, identifiers, block.range));
  }
  return { kind: 'object', entries, range: blocks[0].block.range };
}

function entry(key: string, value: Value, keyRange: Range): ObjectEntry {
  return { key, keyRange, value };
}

function str(value: string, range: Range): Value {
  return { kind: 'string', value, range };
}
