import { knownString, type Value } from './value.js';

/** CloudTrail's data resource type for Lambda invokes (basic `DataResources.Type`, advanced `resources.type`). */
export const LAMBDA_DATA_RESOURCE = 'AWS::Lambda::Function';
/** GuardDuty's feature name for Lambda Protection. */
export const LAMBDA_PROTECTION = 'LAMBDA_NETWORK_LOGS';
/** The AWS Foundational Security Best Practices standard, as its ARN names it. */
export const FSBP_STANDARD = 'aws-foundational-security-best-practices';

/** True if any is true; undefined if none is but one cannot be known; false otherwise. */
export function anyOf(values: Array<boolean | undefined>): boolean | undefined {
  if (values.some((v) => v === true)) return true;
  return values.some((v) => v === undefined) ? undefined : false;
}

/** Whether a status/flag value is one of the "on" values (case-insensitive); undefined when not known. */
export function enabledFlag(value: Value | undefined, on: string[]): boolean | undefined {
  const text = knownString(value);
  if (text === undefined) return value === undefined ? false : undefined;
  return on.some((o) => o.toLowerCase() === text.toLowerCase());
}
