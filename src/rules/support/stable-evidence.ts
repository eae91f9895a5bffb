/**
 * lambda:PutResourcePolicy (August 2026) replaces a function's resource policy: it opens a function as
 * lambda:AddPermission does, and rules now report it beside AddPermission. A finding's evidence is what its
 * fingerprint hashes (report/fingerprint.ts), so where AddPermission is already in it, PutResourcePolicy is left
 * out of the evidence: baselines written before it was known keep holding the finding. Messages name both.
 */
const ADD_PERMISSION = 'lambda:addpermission';
const PUT_RESOURCE_POLICY = 'lambda:putresourcepolicy';

/** The items whose action (as `actionOf` names it, possibly with a note after it) is kept in evidence. */
export function stableEvidence<T>(items: readonly T[], actionOf: (item: T) => string): T[] {
  const is = (item: T, action: string) => actionOf(item).toLowerCase().split(' ')[0] === action;
  if (!items.some((item) => is(item, ADD_PERMISSION))) return [...items];
  return items.filter((item) => !is(item, PUT_RESOURCE_POLICY));
}
