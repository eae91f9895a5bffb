import { parseOperator } from '../iam/condition-operators.js';
import type { Condition, Statement } from '../model/types.js';
import { knownString } from '../model/value.js';
import type { ConcreteRequest } from './choices.js';
import { actionMatches, concreteDocumentDenies, conditionHolds, lookup, resourceMatches, statementDenies, type RequestContext } from './evaluate.js';
import { targetChoicesTried, type GuardrailTarget, type Scp } from './organization.js';
import type { Scenario } from './scenarios.js';

/**
 * Why SCPs that do address an attack still let it through: the SCPs that deny some of its
 * requests, one request none of them denies, and what in each SCP spares it. Without this a
 * finding would say "no SCP stops…" next to an SCP written for exactly that attack.
 */
export interface GapReason {
  scenario: Scenario;
  /** The request that gets through, as the attacker made it. */
  example: ConcreteRequest;
  scps: Array<{ scp: Scp; reasons: string[]; fixes: string[]; dedicated: boolean }>;
}

/** At most this many reasons per SCP: the first few say enough, the rest make the message unreadable. */
const MAX_REASONS = 2;

/**
 * The first scenario passing on `target` that some SCP reaching it denies for other requests,
 * explained; undefined when no SCP addresses any of them (then "no SCP stops it" is the truth).
 */
export function gapReason(target: GuardrailTarget, passing: Array<{ scenario: Scenario; request: RequestContext }>): GapReason | undefined {
  for (const { scenario, request } of passing) {
    const { tried, through } = targetChoicesTried(target, request);
    if (!through) continue;
    const addressing = target.scps.filter((s) => s.document && tried.some((c) => concreteDocumentDenies(s.document, c) === 'denied'));
    if (addressing.length === 0) continue;
    const scps = addressing.map((scp) => {
      // The statements that deny some of the attack's requests: one written for another attack (Principal "*" when the
      // attack grants an outside account) spares this request too, but loosening it would not help.
      const statements = (scp.document?.statements ?? []).filter((s) => actionMatches(s, through.action) === true && tried.some((c) => statementDenies(s, c) === true));
      const spared = statements.map((s) => sparedBy(s, through));
      return {
        scp,
        reasons: [...new Set(spared.flatMap((s) => s.reasons))].slice(0, MAX_REASONS),
        fixes: [...new Set(spared.flatMap((s) => s.fixes))],
        // Written for Lambda's actions (not `*` or a NotAction list that happens to include them): the SCP to fix.
        dedicated: statements.some((s) => s.action.some((a) => knownString(a) !== undefined && knownString(a) !== '*')),
      };
    });
    // The SCPs written for the attack first.
    scps.sort((a, b) => Number(b.dedicated) - Number(a.dedicated));
    return { scenario, example: through, scps };
  }
  return undefined;
}

/** What in one Deny statement (whose Action matches) leaves the request out, and how to take it in. */
function sparedBy(statement: Statement, request: ConcreteRequest): { reasons: string[]; fixes: string[] } {
  const reasons: string[] = [];
  const fixes: string[] = [];
  if (resourceMatches(statement, request.resource) === false) {
    const listed = (statement.resource.length > 0 ? statement.resource : statement.notResource).map((v) => knownString(v) ?? '?').join(', ');
    reasons.push(statement.resource.length > 0 ? `Resource covers only ${listed}` : `NotResource ${listed} leaves it out`);
    fixes.push('widen its Resource to "*"');
  }
  for (const condition of statement.condition) {
    if (conditionHolds(condition, request.keys, request.unreadable) !== false) continue;
    reasons.push(`${conditionText(condition)} spares ${valueText(request, condition.key)}`);
    const fix = conditionFix(condition, request);
    if (fix) fixes.push(fix);
  }
  return { reasons, fixes };
}

/** A negated operator lists exemptions to drop; a positive one scopes the Deny, to widen. */
function conditionFix(condition: Condition, request: ConcreteRequest): string | undefined {
  const base = parseOperator(condition.operator)?.base;
  const value = keyValue(request, condition.key);
  if (!base || base === 'Null' || value === undefined) return undefined;
  const named = `${condition.operator} ${condition.key}`;
  if (!/Not/.test(base)) return `widen its ${named} to cover ${value}`;
  const listed = condition.values.some((v) => knownString(v) === value);
  return listed ? `drop ${value} from its ${named} exemption` : `narrow its ${named} exemption to leave out ${value}`;
}

function conditionText(condition: Condition): string {
  return `${condition.operator} ${condition.key} [${condition.values.map((v) => knownString(v) ?? '?').join(', ')}]`;
}

function keyValue(request: ConcreteRequest, key: string): string | undefined {
  return lookup(request.keys, key)?.join(', ');
}

function valueText(request: ConcreteRequest, key: string): string {
  const value = keyValue(request, key);
  return value === undefined ? `a request without ${key}` : `${key} = ${value}`;
}

/** The attacked function of a request, as "function NAME in REGION, account ACCOUNT" (from its ARN). */
export function exampleText(request: ConcreteRequest): string {
  const arns = [request.resource, ...Object.values(request.keys).flat()];
  const arn = arns.find((a) => /^arn:aws[\w-]*:lambda:[^:]*:[^:]*:(function|layer):/.test(a));
  if (!arn) return `on ${request.resource}`;
  const [, , , region, account, kind, name] = arn.split(':');
  return `on ${kind} ${name} in ${region}, account ${account}`;
}
