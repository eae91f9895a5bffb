import type { ScopedGrant } from '../../iam/shared-function.js';
import type { Model } from '../../model/types.js';
import { knownString } from '../../model/value.js';

/** The function names the scan deploys, where written as known text (a generated name cannot be matched). */
export function deployedFunctionNames(model: Model): ReadonlySet<string> {
  return new Set(model.functions.flatMap((f) => {
    const name = knownString(f.functionName?.value);
    return name ? [name] : [];
  }));
}

/** A function ARN naming exactly one function by a literal name: partition, region and account may be anything. */
const ONE_NAME = /^arn:.*:function:([A-Za-z0-9_-]+)$/;

/**
 * The deployed function a grant names alone (`arn:aws:lambda:*:*:function:orders`, with `orders` in the
 * scan), or undefined. Only the name is compared: the scan rarely knows the account and region it deploys to.
 */
export function deployedNameOf(grant: ScopedGrant, deployed: ReadonlySet<string>): string | undefined {
  if (grant.pattern === undefined || grant.except.length > 0) return undefined;
  const name = ONE_NAME.exec(grant.pattern)?.[1];
  return name !== undefined && deployed.has(name) ? name : undefined;
}
