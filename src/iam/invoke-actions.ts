import { wildcardMatches } from './wildcard.js';

/**
 * The actions that run a function's code. Not lambda:InvokeAsync: the Service Authorization Reference still lists it
 * ("invoke a function asynchronously (Deprecated)"), but the deprecated InvokeAsync API it is named for is authorised
 * with lambda:InvokeFunction. AWS's API reference was corrected to say so ("This operation requires permission for the
 * 'lambda:InvokeFunction' action", as carried by https://hackage.haskell.org/package/amazonka-lambda-0.3.5/docs/Network-AWS-Lambda-InvokeAsync.html,
 * where 0.3.3 still named lambda:InvokeAsync), after callers granted only lambda:InvokeAsync were refused with
 * "not authorized to perform: lambda:InvokeFunction" (https://github.com/aws/aws-sdk-ruby/pull/706,
 * https://github.com/MitocGroup/deep-framework/issues/118). So lambda:InvokeAsync alone runs nothing.
 */
export const INVOKE_ACTIONS = ['lambda:InvokeFunction', 'lambda:InvokeFunctionUrl'];

/** Listed as an action but authorising nothing of its own (see INVOKE_ACTIONS): a grant of it is a stale name, not a wider one. */
export const DEPRECATED_INVOKE_ACTION = 'lambda:InvokeAsync';

/**
 * Whether a resource permission's action can let the grantee invoke: it covers an invoke action (a bare "*" is every
 * Lambda action), or is not known here (never guessed away). lambda:InvokeAsync alone runs nothing (see INVOKE_ACTIONS),
 * but a grant of it is still read as an invoke grant: conservative, and the grant is one AWS documents as invoke.
 */
export function mayGrantInvoke(action: string | undefined): boolean {
  if (action === undefined) return true;
  return INVOKE_OR_DEPRECATED.some((invoke) => wildcardMatches(action, invoke));
}

const INVOKE_OR_DEPRECATED = [...INVOKE_ACTIONS, DEPRECATED_INVOKE_ACTION];
