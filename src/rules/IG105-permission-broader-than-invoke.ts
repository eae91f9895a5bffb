import { wildcardMatches } from '../iam/wildcard.js';
import { displayString, isNullish, knownString } from '../model/value.js';
import { DEPRECATED_INVOKE_ACTION, INVOKE_ACTIONS } from '../iam/invoke-actions.js';
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
      'A resource permission whose action is a wildcard or another action (lambda:*, lambda:Get*, lambda:GetFunction) lets the grantee read the code and configuration, or more, not just invoke. Where the action covers invoke (lambda:*, *, lambda:Invoke*), --fix narrows it to lambda:InvokeFunction (lambda:InvokeFunctionUrl for a function URL grant); where it covers no invoke action (lambda:Get*, lambda:GetFunction), the fix is by hand: narrowing would give the grantee invoke it does not have today. A permission for lambda:InvokeAsync alone, a deprecated action named for the retired InvokeAsync API (authorised with lambda:InvokeFunction), is reported too: it is a stale grant, to replace with lambda:InvokeFunction or remove (by hand: the replacement would grant invoke).',
    fixable: true,
  },
  check({ model, catalog }) {
    const findings: Finding[] = [];
    for (const permission of model.permissions) {
      const action = knownString(permission.action?.value);
      if (!permission.action || action === undefined) continue;
      // A bare "*" is valid here (CloudFormation's pattern `(lambda:[*]|lambda:[a-zA-Z]+|[*])`) and means every Lambda action.
      const pattern = action === '*' ? 'lambda:*' : action;
      const matched = pattern.includes(':') ? catalog.expand(pattern) : [];
      const extra = matched.filter((a) => !INVOKE_ACTIONS.some((i) => i.toLowerCase() === a.toLowerCase()));
      const wildcard = /[*?]/.test(action);
      const coversInvoke = INVOKE_ACTIONS.some((i) => wildcardMatches(pattern, i));
      if (extra.length === 0 && !(wildcard && !coversInvoke)) continue;
      // A function URL grant (function_url_auth_type set; a plan writes null for unset) is for InvokeFunctionUrl; any other for InvokeFunction.
      const narrowed = !isNullish(permission.functionUrlAuthType?.value) ? 'lambda:InvokeFunctionUrl' : 'lambda:InvokeFunction';
      const deprecated = (a: string) => a.toLowerCase() === DEPRECATED_INVOKE_ACTION.toLowerCase();
      const sample = extra.slice(0, 4).map((a) => (deprecated(a) ? `${a} (deprecated)` : a)).join(', ') + (extra.length > 4 ? `, … (${extra.length} actions)` : '');
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
          ? `${permission.address} grants ${JSON.stringify(action)}${wildcard ? ` (only ${DEPRECATED_INVOKE_ACTION})` : ''}, a deprecated action named for the retired InvokeAsync API (which Lambda authorises with lambda:InvokeFunction), not ${narrowed}.`
          : noInvoke
            ? `${permission.address} grants ${JSON.stringify(action)}, which covers ${sample ? `${sample} but ` : ''}no invoke action: access other than invoke, which a resource permission never needs.`
            : `${permission.address} grants ${JSON.stringify(action)}, which covers ${sample || 'actions other than invoke'}, not just invoke.`,
        range: permission.action.range,
        resource: permission.address,
        ...rootsOf(permission),
        ...invokeGrant({ kind: 'principal', ...(principal !== undefined ? { principal } : {}) }, namedFunction(model, permission)),
        evidence: `action = ${JSON.stringify(action)}`,
        suggestion: noInvoke
          ? 'Remove the permission, or grant only "lambda:InvokeFunction" (or "lambda:InvokeFunctionUrl" for a function URL) if the grantee should invoke the function.'
          : 'Grant only "lambda:InvokeFunction" (or "lambda:InvokeFunctionUrl" for a function URL).',
        fix: stale
          ? fix(`Set ${actionProperty(permission)} to ${narrowed} if the grantee should invoke the function, or remove the permission. Not applied by --fix: ${DEPRECATED_INVOKE_ACTION} allows nothing on its own today, so the change would grant invoke.`)
          : noInvoke
            ? fix(`Set ${actionProperty(permission)} to ${narrowed} if the grantee should invoke the function, or remove the permission. Not applied by --fix: ${JSON.stringify(action)} grants no invoke today, so the change would grant it.`)
            : permission.policyStatement
              ? fix(`Narrow ${actionProperty(permission)} to ${narrowed}.`)
              : fix(`Narrow ${propertyName(permission, 'action', 'Action')} to ${narrowed}.`, [{ kind: 'set', attribute: permission.action.range, value: { kind: 'string', value: narrowed } }]),
      });
    }
    return findings;
  },
};

/** Where the action is written: a permission's argument, or the Action of a resource policy statement (edited by hand: it may list several). */
function actionProperty(permission: LambdaPermission): string {
  if (permission.policyStatement) return permission.policyStatement === 'block' ? "the statement's actions" : "the statement's Action";
  return propertyName(permission, 'action', 'Action');
}
