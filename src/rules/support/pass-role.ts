import { conditionsHold } from '../../guardrails/evaluate.js';
import { parseOperator } from '../../iam/condition-operators.js';
import { lambdaServiceOf } from '../../iam/service-principal.js';
import { coversAction, effectOf } from '../../iam/statement.js';
import type { Condition, PolicyDocument, Statement } from '../../model/types.js';
import { knownString, type Value } from '../../model/value.js';

/**
 * Policies as they judge an iam:PassRole to Lambda. CreateFunction and UpdateFunctionConfiguration
 * pass the role to lambda.amazonaws.com, and IAM checks the PassRole with
 * `iam:PassedToService = lambda.amazonaws.com` in the request (IAM User Guide, "IAM and AWS STS
 * condition context keys", iam:PassedToService; "Grant a user permissions to pass a role to an AWS
 * service"). So here that one key is known, and its conditions are decided, not read as "some condition":
 * - an Allow whose PassedToService conditions hold for Lambda grants as if they were not written (its
 *   other conditions are judged as on any grant); one whose conditions do not hold (`ec2.amazonaws.com`,
 *   `StringNotEquals lambda.amazonaws.com`), or cannot be decided (an unknown value), grants nothing here;
 * - a Deny whose only conditions are on PassedToService and hold for Lambda is unconditional here; one
 *   whose values cannot be decided is read as holding (what the scan cannot know only takes a finding away).
 * The key is always present in a PassRole request, so `…IfExists` and `ForAllValues:`/`ForAnyValue:` (a
 * single value) decide exactly as their base operator; negated operators hold when Lambda is not listed.
 * Statements not about PassRole, or without the key, are the originals; `original` maps a rewritten one back.
 */
export interface PassRoleView {
  documents: PolicyDocument[];
  original: (statement: Statement) => Statement;
}

const PASS_ROLE = 'iam:PassRole';
const KEY = 'iam:passedtoservice';
const TO_LAMBDA = { 'iam:PassedToService': 'lambda.amazonaws.com' };

/** Per document: its PassRole-to-Lambda reading (the document itself when nothing changes), and the rewritten statements' originals. */
const views = new WeakMap<PolicyDocument, { document: PolicyDocument; originals: Map<Statement, Statement> }>();

export function passRoleToLambda(documents: readonly PolicyDocument[]): PassRoleView {
  const originals: Array<Map<Statement, Statement>> = [];
  const viewed = documents.map((document) => {
    let view = views.get(document);
    if (!view) views.set(document, (view = viewOf(document)));
    if (view.originals.size > 0) originals.push(view.originals);
    return view.document;
  });
  return {
    documents: viewed,
    original: (statement) => {
      for (const map of originals) {
        const found = map.get(statement);
        if (found) return found;
      }
      return statement;
    },
  };
}

function viewOf(document: PolicyDocument): { document: PolicyDocument; originals: Map<Statement, Statement> } {
  const originals = new Map<Statement, Statement>();
  // Most policies never mention the key: keep them, and their statements' cached answers, as they are.
  if (!document.statements.some((s) => s.condition.some((c) => c.key.toLowerCase() === KEY))) return { document, originals };
  const statements = document.statements.flatMap((statement) => {
    const passed = statement.condition.filter((c) => c.key.toLowerCase() === KEY);
    if (passed.length === 0 || !coversAction(statement, PASS_ROLE)) return [statement];
    const holds = passedToLambda(passed);
    const rest = statement.condition.filter((c) => c.key.toLowerCase() !== KEY);
    const effect = effectOf(statement);
    const applies = effect === 'Allow' ? holds === true : effect === 'Deny' ? holds !== false : false;
    if (!applies) return [];
    const rewritten: Statement = { ...statement, condition: rest };
    originals.set(rewritten, statement);
    return [rewritten];
  });
  return { document: { ...document, statements }, originals };
}

/**
 * Whether the PassedToService conditions hold for a pass to Lambda. A template written for Lambda with its
 * partition left open reads as Lambda's principal. A value the scan cannot read leaves a condition undecided,
 * unless the values it can read decide it: one match makes a positive operator (an OR over its
 * values) hold, and a negated one fail.
 */
function passedToLambda(conditions: Condition[]): boolean | undefined {
  const decided = conditions.map((condition): boolean | undefined => {
    const read = condition.values.map(lambdaSpelled);
    const known = read.filter((v): v is Value => v !== undefined);
    if (known.length === read.length) return conditionsHold([{ ...condition, values: known }], TO_LAMBDA);
    if (known.length === 0) return undefined;
    const matches = conditionsHold([{ ...condition, values: known }], TO_LAMBDA);
    const negated = /Not/.test(parseOperator(condition.operator)?.base ?? '');
    return negated ? (matches === false ? false : undefined) : matches === true ? true : undefined;
  });
  if (decided.includes(false)) return false;
  return decided.every((d) => d === true) ? true : undefined;
}

/**
 * A condition value as known text (compared as written: StringEquals is case-sensitive), Lambda's principal for a
 * partition-aware template of it (`lambda.${AWS::URLSuffix}`, see lambdaServiceOf), or undefined.
 */
function lambdaSpelled(value: Value): Value | undefined {
  if (knownString(value) !== undefined) return value;
  return lambdaServiceOf(value) === 'lambda' ? { kind: 'string', value: 'lambda.amazonaws.com', range: value.range } : undefined;
}
