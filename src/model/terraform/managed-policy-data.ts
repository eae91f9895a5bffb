import type { HclBlock } from '../../parse/terraform-hcl/hcl-ast.js';
import { policyData } from '../../policy-data.js';
import { managedPolicyData } from '../aws-managed.js';
import type { Range } from '../range.js';
import { displayString, knownString, type Value } from '../value.js';
import type { Evaluator } from './evaluate.js';

/** The IAM path of each AWS managed policy we keep (`/service-role/` for AWSLambdaRole). */
function managedPolicyPath(name: string): string | undefined {
  const paths = policyData<Record<string, string>>('aws-managed-paths.json');
  return Object.hasOwn(paths, name) ? paths[name] : undefined;
}

/**
 * `data "aws_iam_policy"` naming an AWS managed policy we keep, by `arn` or by `name` (with `path_prefix`,
 * if set, matching its path): the attribute `arn`, `name`, `path` or `policy` (the document as JSON text),
 * located at the reference (`at`), as the literal ARN would be. The provider looks a name up among every
 * policy the account can see and fails on two matches, so a name it resolves to one of AWS's is AWS's.
 * Anything else (a customer policy, one we do not keep, a value not known) is undefined: unknown to the caller.
 */
export function awsManagedPolicyDataValue(block: HclBlock, evaluator: Evaluator, attribute: string, at: Range): Value | undefined {
  const named = awsManagedPolicyNamed(block, evaluator);
  if (!named) return undefined;
  const { arn, name, path } = named;
  switch (attribute) {
    case 'arn':
      // Located at the reference; a template keeps its parts (an unknown partition), not its own text's positions.
      return typeof arn === 'string' ? { kind: 'string', value: arn, range: at } : arn.kind === 'template' ? { kind: 'template', parts: arn.parts, range: at } : { kind: 'string', value: knownString(arn)!, range: at };
    case 'name':
      return { kind: 'string', value: name, range: at };
    case 'path':
      return { kind: 'string', value: path, range: at };
    case 'policy': {
      const data = managedPolicyData(name);
      return data === undefined ? undefined : { kind: 'string', value: JSON.stringify(data), range: at };
    }
    default:
      return undefined;
  }
}

/** The AWS managed policy a `data "aws_iam_policy"` block names, when one we keep and its arguments are known. */
function awsManagedPolicyNamed(block: HclBlock, evaluator: Evaluator): { arn: string | Value; name: string; path: string } | undefined {
  const argument = (key: string) => {
    const value = evaluator.attribute(block.body, key);
    return value === undefined || value.kind === 'null' ? undefined : value;
  };
  const arnValue = argument('arn');
  if (arnValue) {
    // `arn:${data.aws_partition.current.partition}:iam::aws:policy/…` names the policy in any partition, as a literal ARN does.
    const arn = displayString(arnValue);
    const match = arn === undefined ? null : /^arn:[^:/]+:iam::aws:policy(\/(?:[^/]+\/)*)([^/]+)$/.exec(arn);
    // An ARN names its path too: one that is not the policy's names no policy of AWS's.
    if (!match || managedPolicyPath(match[2]) !== match[1]) return undefined;
    return { arn: arnValue, name: match[2], path: match[1] };
  }
  const name = knownString(argument('name'));
  const path = name === undefined ? undefined : managedPolicyPath(name);
  if (name === undefined || path === undefined) return undefined;
  const prefixValue = argument('path_prefix');
  if (prefixValue) {
    const prefix = knownString(prefixValue);
    if (prefix === undefined || !path.startsWith(prefix)) return undefined;
  }
  return { arn: `arn:aws:iam::aws:policy${path}${name}`, name, path };
}
