import type { ActionCatalog } from '../iam/action-catalog.js';
import { DEPRECATED_INVOKE_ACTION, INVOKE_ACTIONS } from '../iam/invoke-actions.js';
import { permissionGives, writtenActions } from '../iam/permission-actions.js';
import { coversAction } from '../iam/statement.js';
import { wildcardMatches } from '../iam/wildcard.js';
import type { Range } from '../model/range.js';
import { displayString, isNullish, knownString } from '../model/value.js';
import { fix, propertyName } from './support/fix.js';
import { invokeGrant } from './support/grant.js';
import { namedFunction } from './support/suggest.js';
import { rootsOf } from './support/roots.js';
import type { LambdaPermission } from '../model/types.js';
import type { Finding, Rule } from './types.js';

export const IG105: Rule = {
  meta: {
    id: 'IG105',
    title: 'Lambda permission grants more than invoke',
    severity: 'medium',
    attack: 'T1648',
    remediation:
      'Grant `lambda:InvokeFunction` (or `lambda:InvokeFunctionUrl` for a function URL) and nothing else: a resource permission never needs read, configuration or code actions.',
    description:
      'A resource permission whose action is a wildcard or another action (lambda:*, lambda:Get*, lambda:GetFunction) lets the grantee read the code and configuration, or more, not just invoke. Where the action covers invoke (lambda:*, *, lambda:Invoke*), --fix narrows it to lambda:InvokeFunction (lambda:InvokeFunctionUrl for a function URL grant); where it covers no invoke action (lambda:Get*, lambda:GetFunction), the fix is by hand: narrowing would give the grantee invoke it does not have today. A permission for lambda:InvokeAsync alone, a deprecated action named for the retired InvokeAsync API (authorised with lambda:InvokeFunction), is reported too: it is a stale grant, to replace with lambda:InvokeFunction or remove (by hand: the replacement would grant invoke). A statement of a whole resource policy is weighed whole: every entry of its Action (with or without an invoke action among them), or every Lambda action its NotAction leaves, less what an unconditional Deny of the same policy takes away; its fix is by hand.',
    fixable: true,
  },
  check({ model, catalog }) {
    const findings: Finding[] = [];
    for (const permission of model.permissions) {
      const granted = grantedActions(permission, catalog);
      if (!granted) continue;
      const { written: action, range, extra, wildcard, stray, coversInvoke } = granted;
      if (extra.length === 0 && !stray) continue;
      // A function URL grant (function_url_auth_type set; a plan writes null for unset) is for InvokeFunctionUrl; any other for InvokeFunction.
      const narrowed = !isNullish(permission.functionUrlAuthType?.value) ? 'lambda:InvokeFunctionUrl' : 'lambda:InvokeFunction';
      const deprecated = (a: string) => a.toLowerCase() === DEPRECATED_INVOKE_ACTION.toLowerCase();
      const sample = byConsequence(extra).slice(0, 4).map((a) => (deprecated(a) ? `${a} (deprecated)` : a)).join(', ') + (extra.length > 4 ? `, … (${extra.length} actions)` : '');
      // Only the deprecated action (written out, or the one a pattern like lambda:InvokeA* covers): nothing wider than
      // invoke is granted, and by the research in invoke-actions.ts nothing at all; replacing it would grant invoke.
      const stale = extra.length > 0 && extra.every(deprecated) && !coversInvoke;
      // Other actions only (lambda:Get*, lambda:GetFunction): the grantee cannot invoke today, and the narrowed action would let it.
      const noInvoke = !stale && !coversInvoke;
      const principal = displayString(permission.principal?.value);
      findings.push({
        ruleId: 'IG105',
        severity: 'medium',
        message: stale
          ? `${permission.address} grants ${action}${wildcard ? ` (only ${DEPRECATED_INVOKE_ACTION})` : ''}, a deprecated action named for the retired InvokeAsync API (which Lambda authorises with lambda:InvokeFunction), not ${narrowed}.`
          : noInvoke
            ? `${permission.address} grants ${action}, which covers ${sample ? `${sample} but ` : ''}no invoke action: access other than invoke, which a resource permission never needs.`
            : `${permission.address} grants ${action}, which covers ${sample || 'actions other than invoke'}, not just invoke.`,
        range,
        resource: permission.address,
        ...rootsOf(permission),
        ...invokeGrant({ kind: 'principal', ...(principal !== undefined ? { principal } : {}) }, namedFunction(model, permission)),
        evidence: `${permission.notAction ? 'notAction' : 'action'} = ${permission.notAction ? JSON.stringify(permission.notAction.map((a) => knownString(a.value))) : action}`,
        suggestion: noInvoke
          ? 'Remove the permission, or grant only "lambda:InvokeFunction" (or "lambda:InvokeFunctionUrl" for a function URL) if the grantee should invoke the function.'
          : 'Grant only "lambda:InvokeFunction" (or "lambda:InvokeFunctionUrl" for a function URL).',
        fix: stale
          ? fix(`${setTo(permission, narrowed)} if the grantee should invoke the function, or remove the permission. Not applied by --fix: ${DEPRECATED_INVOKE_ACTION} allows nothing on its own today, so the change would grant invoke.`)
          : noInvoke
            ? fix(`${setTo(permission, narrowed)} if the grantee should invoke the function, or remove the permission. Not applied by --fix: ${action} grants no invoke today, so the change would grant it.`)
            : permission.policyStatement
              ? fix(permission.notAction ? `${setTo(permission, narrowed)}.` : `Narrow ${actionProperty(permission)} to ${narrowed}.`)
              : fix(`Narrow ${propertyName(permission, 'action', 'Action')} to ${narrowed}.`, [{ kind: 'set', attribute: range, value: { kind: 'string', value: narrowed } }]),
      });
    }
    return findings;
  },
};

/** What a permission's action part gives beyond invoke (see grantedActions). */
interface Granted {
  /** As written, for messages: the one action (`"lambda:*"`), a statement's Action list, or `every action but "…"` for a NotAction. */
  written: string;
  /** Where to point: the (first) entry that gives more than invoke. */
  range: Range;
  /** The Lambda actions it gives besides invoke, less those a Deny of the same policy takes away. */
  extra: string[];
  /** The entry pointed at is a pattern. */
  wildcard: boolean;
  /** A pattern that covers no invoke action and no action the catalog knows: it still grants something other than invoke. */
  stray: boolean;
  /** It gives an invoke action (a Deny of the same policy may take it away). */
  coversInvoke: boolean;
}

/**
 * What a permission's action part gives beyond invoke: its one action, every entry of a policy statement's Action
 * (IG101 reads the one that invokes; the rest are this rule's), or every Lambda action a NotAction leaves.
 * Undefined when an entry is not known here.
 */
function grantedActions(permission: LambdaPermission, catalog: ActionCatalog): Granted | undefined {
  const { not, entries } = writtenActions(permission);
  const patterns = entries.map((entry) => knownString(entry.value));
  if (entries.length === 0 || patterns.some((p) => p === undefined)) return undefined;
  const written = patterns as string[];
  const denied = (action: string) => permission.denials?.some((denial) => coversAction(denial, action)) ?? false;
  const isInvoke = (action: string) => INVOKE_ACTIONS.some((i) => i.toLowerCase() === action.toLowerCase());
  const coversInvoke = INVOKE_ACTIONS.some((i) => permissionGives(permission, i) === true);
  if (not) {
    // Every Lambda action but those listed (other services' actions act on no function, so are not counted).
    const extra = catalog.expand('lambda:*').filter((a) => !isInvoke(a) && !denied(a) && !written.some((p) => wildcardMatches(p, a)));
    return { written: `every action but ${written.map((p) => JSON.stringify(p)).join(', ')}`, range: entries[0].range, extra, wildcard: true, stray: false, coversInvoke };
  }
  const each = written.map((action, i) => {
    // A bare "*" is valid here (CloudFormation's pattern `(lambda:[*]|lambda:[a-zA-Z]+|[*])`) and means every Lambda action.
    const pattern = action === '*' ? 'lambda:*' : action;
    const matched = pattern.includes(':') ? catalog.expand(pattern) : [];
    const wildcard = /[*?]/.test(action);
    const stray = wildcard && matched.length === 0 && !INVOKE_ACTIONS.some((a) => wildcardMatches(pattern, a));
    return { range: entries[i].range, extra: matched.filter((a) => !isInvoke(a) && !denied(a)), wildcard, stray };
  });
  const reported = each.find((e) => e.extra.length > 0 || e.stray) ?? each[0];
  return {
    written: written.length === 1 ? JSON.stringify(written[0]) : JSON.stringify(written),
    range: reported.range,
    extra: [...new Set(each.flatMap((e) => e.extra))],
    wildcard: reported.wildcard,
    stray: each.some((e) => e.stray),
    coversInvoke,
  };
}

/** Where the action is written: a permission's argument, or the Action of a resource policy statement (edited by hand: it may list several). */
function actionProperty(permission: LambdaPermission): string {
  if (permission.policyStatement) return permission.policyStatement === 'block' ? "the statement's actions" : "the statement's Action";
  return propertyName(permission, 'action', 'Action');
}

/** How to write the one invoke action in place of what the permission has: a NotAction becomes an Action of it. */
function setTo(permission: LambdaPermission, narrowed: string): string {
  if (!permission.notAction) return `Set ${actionProperty(permission)} to ${narrowed}`;
  return permission.policyStatement === 'block' ? `Replace the statement's not_actions with actions = ["${narrowed}"]` : `Replace the statement's NotAction with "Action": "${narrowed}"`;
}

/**
 * The actions an example list names first: those that put code in the function, open it to others or hand out its
 * code, before the catalog's alphabetical rest (`lambda:*` otherwise showed ConnectMicrovm and CreateAlias first).
 */
const CONSEQUENTIAL = ['lambda:UpdateFunctionCode', 'lambda:UpdateFunctionConfiguration', 'lambda:AddPermission', 'lambda:PutResourcePolicy', 'lambda:CreateFunctionUrlConfig', 'lambda:UpdateFunctionUrlConfig', 'lambda:GetFunction', 'lambda:DeleteFunction'].map((a) => a.toLowerCase());

function byConsequence(actions: readonly string[]): string[] {
  const rank = (action: string) => {
    const at = CONSEQUENTIAL.indexOf(action.toLowerCase());
    return at < 0 ? CONSEQUENTIAL.length : at;
  };
  return actions.map((action, i) => ({ action, i })).sort((a, b) => rank(a.action) - rank(b.action) || a.i - b.i).map((e) => e.action);
}
