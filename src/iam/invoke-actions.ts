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
