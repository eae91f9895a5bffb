import { isThisAccountRef, isThisRegionRef } from '../../iam/arn.js';
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

/** A function ARN naming exactly one function by a literal name; region and account are checked by fixedPlace. */
const ONE_NAME = /^arn:[^:]+:lambda:(\$\{[^}]*\}|[^:]*):(\$\{[^}]*\}|[^:]*):function:([A-Za-z0-9_-]+)$/;

/** A field naming one place: literal text without wildcards, or a reference to the deployment's own (`${AWS::Region}`). */
function fixedPlace(field: string, literal: RegExp, own: (ref: string) => boolean): boolean {
  const ref = /^\$\{([^}]*)\}$/.exec(field)?.[1];
  return ref === undefined ? literal.test(field) : own(ref);
}

/**
 * The deployed function a grant names alone (`arn:aws:lambda:us-east-1:123456789012:function:orders`, with
 * `orders` in the scan), or undefined. A name is unique only within one region and account, so the ARN must
 * fix both, literally or as the deployment's own (`${AWS::Region}`, `data.aws_caller_identity…account_id`):
 * `arn:aws:lambda:*:*:function:orders` reaches an `orders` the caller creates wherever none is deployed.
 */
export function deployedNameOf(grant: ScopedGrant, deployed: ReadonlySet<string>): string | undefined {
  if (grant.pattern === undefined || grant.except.length > 0) return undefined;
  const [, region, account, name] = ONE_NAME.exec(grant.pattern) ?? [];
  if (name === undefined || !deployed.has(name)) return undefined;
  return fixedPlace(region, /^[a-z]{2}(-[a-z]+)+-\d+$/, isThisRegionRef) && fixedPlace(account, /^\d{12}$/, isThisAccountRef) ? name : undefined;
}
