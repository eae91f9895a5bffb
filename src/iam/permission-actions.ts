import type { Attribute, LambdaPermission } from '../model/types.js';
import { knownString } from '../model/value.js';
import { DEPRECATED_INVOKE_ACTION, INVOKE_ACTIONS } from './invoke-actions.js';
import { coversAction } from './statement.js';
import { wildcardMatches } from './wildcard.js';

/**
 * The action part of a Lambda permission as written: its one action (AddPermission), every Action entry of a
 * resource policy statement, or the statement's NotAction entries (`not`). A bare "*" is every Lambda action.
 */
export function writtenActions(permission: LambdaPermission): { not: boolean; entries: Attribute[] } {
  if (permission.notAction) return { not: true, entries: permission.notAction };
  return { not: false, entries: permission.statementActions ?? (permission.action ? [permission.action] : []) };
}

/**
 * Whether the permission gives `action`: its action part covers it (undefined when an entry is not known here and
 * might), and no Deny of the same policy takes it away.
 */
export function permissionGives(permission: LambdaPermission, action: string): boolean | undefined {
  if (permission.denials?.some((denial) => coversAction(denial, action))) return false;
  const { not, entries } = writtenActions(permission);
  const patterns = entries.map((entry) => knownString(entry.value));
  if (not) return patterns.some((p) => p !== undefined && wildcardMatches(p, action)) ? false : patterns.includes(undefined) ? undefined : true;
  if (patterns.some((p) => p !== undefined && wildcardMatches(p, action))) return true;
  return patterns.includes(undefined) || patterns.length === 0 ? undefined : false;
}

/**
 * Whether a permission can let the grantee invoke (never guessed away: an action not known here may). A grant
 * written as lambda:InvokeAsync is read as an invoke grant (conservative, and AWS documents it as one); a
 * NotAction naming lambda:InvokeFunction and lambda:InvokeFunctionUrl names every action that runs code, so what it
 * leaves (lambda:InvokeAsync among the rest) runs nothing.
 */
export function mayInvoke(permission: LambdaPermission): boolean {
  const candidates = permission.notAction ? INVOKE_ACTIONS : [...INVOKE_ACTIONS, DEPRECATED_INVOKE_ACTION];
  return candidates.some((action) => permissionGives(permission, action) !== false);
}
