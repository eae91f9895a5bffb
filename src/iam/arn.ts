import { displayString, type UnknownValue, type Value } from '../model/value.js';

/** Resource types whose ARN carries no account id (a deleted bucket name can be re-created by anyone). */
const ACCOUNTLESS_ARN_TYPES = new Set(['aws_s3_bucket', 'aws_s3_directory_bucket', 'AWS::S3::Bucket']);

/** Pseudo references that stand for "this account". */
const THIS_ACCOUNT = [/^AWS::AccountId$/, /^data\.aws_caller_identity\.[^.]+\.account_id$/];
/** Pseudo references that stand for "this region" (the aws_region data source's `name`, `id` or newer `region`). */
const THIS_REGION = [/^AWS::Region$/, /^data\.aws_region\.[^.]+\.(name|id|region)$/];

export type ArnAccount =
  /** An account id, literal or symbolic (`${AWS::AccountId}`, a variable). */
  | { kind: 'account'; text: string }
  /** A reference to a resource's ARN; that resource lives in an account. */
  | { kind: 'resource'; ref: string }
  /** Wildcard, empty, an accountless ARN (S3), or not an ARN at all. */
  | { kind: 'none'; why: string }
  /** Cannot be known without running the IaC. */
  | { kind: 'unknown' };

/**
 * Whether an ARN value pins an account: the condition `source_arn` must meet for a grant
 * to a service or to `*` not to be usable by some other account's resource.
 */
export function arnAccount(value: Value): ArnAccount {
  if (value.kind === 'unknown') return unknownArn(value);
  if (value.kind === 'template') {
    const [first] = value.parts;
    // "${aws_api_gateway_rest_api.api.execution_arn}/*": built on a resource's own ARN.
    if (first && typeof first !== 'string') return unknownArn(first);
  }
  const text = displayString(value);
  if (text === undefined) return { kind: 'unknown' };
  const fields = arnFields(value) ?? text.split(':');
  if (fields.length < 6 || fields[0] !== 'arn') return { kind: 'none', why: `${JSON.stringify(text)} is not an ARN` };
  const account = fields[4];
  if (account === '') return { kind: 'none', why: `${fields[2]} ARNs carry no account id` };
  if (account.includes('*') || account.includes('?')) return { kind: 'none', why: `the account field of ${JSON.stringify(text)} is a wildcard` };
  return { kind: 'account', text: account };
}

/**
 * A template's ARN fields, splitting only its known text on ':' so a symbolic piece
 * whose name has colons (`${AWS::AccountId}`) stays one field.
 */
export function arnFields(value: Value): string[] | undefined {
  if (value.kind !== 'template') return undefined;
  const fields = [''];
  for (const part of value.parts) {
    if (typeof part !== 'string') fields[fields.length - 1] += `\${${part.ref ?? 'unknown'}}`;
    else {
      const [head, ...rest] = part.split(':');
      fields[fields.length - 1] += head;
      fields.push(...rest);
    }
  }
  return fields;
}

function unknownArn(value: UnknownValue): ArnAccount {
  const ref = value.ref ?? '';
  if (value.resourceType && ACCOUNTLESS_ARN_TYPES.has(value.resourceType)) return { kind: 'none', why: `${ref} is an S3 bucket ARN, which carries no account id` };
  if (/^aws_s3_(directory_)?bucket\./.test(ref)) return { kind: 'none', why: `${ref} is an S3 bucket ARN, which carries no account id` };
  if (value.resource || /^aws_[a-z0-9_]+\.[^.]+\./.test(ref) || /^[A-Za-z0-9]+\.Arn$/.test(ref)) return { kind: 'resource', ref };
  return { kind: 'unknown' };
}

export function isThisAccountRef(ref: string | undefined): boolean {
  return ref !== undefined && THIS_ACCOUNT.some((p) => p.test(ref));
}

export function isThisRegionRef(ref: string | undefined): boolean {
  return ref !== undefined && THIS_REGION.some((p) => p.test(ref));
}

/**
 * The function name in a Lambda `FunctionName` as the API accepts it: a name, `name:qualifier`,
 * a partial ARN (`123456789012:function:name`) or a full ARN (with or without qualifier).
 * Undefined for an ARN that names no function.
 */
export function lambdaFunctionName(text: string): string | undefined {
  if (text.startsWith('arn:')) return /:function:([^:]+)(?::[^:]*)?$/.exec(text)?.[1];
  const partial = /^\d{12}:function:([^:]+)/.exec(text);
  return partial ? partial[1] : text.split(':')[0];
}
