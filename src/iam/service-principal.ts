import { displayString, knownString, type Value } from '../model/value.js';

/**
 * An AWS service principal, as a resource or trust policy names it. Templates count when their known text
 * makes them one: the service name is written out and only the partition or region is left to the
 * deployment, as partition-aware code writes them (`lambda.${AWS::URLSuffix}`,
 * `lambda.${data.aws_partition.current.dns_suffix}`, `logs.${AWS::Region}.amazonaws.com`).
 */
export interface ServicePrincipal {
  /**
   * The principal as IAM reads it: the text when known; `<service>.amazonaws.com` for a template that leaves
   * only the suffix open (`s3.${AWS::URLSuffix}`), the commercial partition's name, which lookups keyed by
   * service use; otherwise (a region left open) the template as written, as a known regional name stays itself.
   */
  service: string;
  /** Set for a template: how it reads, with its unknown pieces as `${ref}` (`s3.${AWS::URLSuffix}`). */
  written?: string;
}

const KNOWN_SERVICE = /^[a-z0-9.-]+\.amazonaws\.com(\.cn)?$/i;
/** `<service>.${suffix}`: the service name, then one interpolation for the partition's DNS suffix. */
const SUFFIX_LEFT_OPEN = /^([a-z][a-z0-9-]*)\.\$\{[^}]+\}$/i;
/**
 * `<service>.<region…>.amazonaws.com` (or `.amazonaws.com.cn`, or a suffix interpolation): the service name
 * written first, with no path, port or space anywhere that would make the text a URL rather than a principal.
 */
const REGION_LEFT_OPEN = /^[a-z][a-z0-9-]*\.[^/\s]+\.(amazonaws\.com(\.cn)?|\$\{[^}]+\})$/i;

/** The service principal a value names, known or templated (see ServicePrincipal); undefined for anything else. */
export function servicePrincipalOf(value: Value | undefined): ServicePrincipal | undefined {
  const text = knownString(value);
  if (text !== undefined) return KNOWN_SERVICE.test(text.trim()) ? { service: text.trim() } : undefined;
  const written = displayString(value);
  if (written === undefined || value?.kind !== 'template') return undefined;
  const suffixOpen = SUFFIX_LEFT_OPEN.exec(written);
  if (suffixOpen) return { service: `${suffixOpen[1]}.amazonaws.com`, written };
  return REGION_LEFT_OPEN.test(written) ? { service: written, written } : undefined;
}

/**
 * Lambda (and Lambda@Edge, which AWS requires next to it for edge functions) in any partition: the commercial
 * `lambda.amazonaws.com`, China's `lambda.amazonaws.com.cn`, or a partition-aware template of either.
 */
const LAMBDA_SERVICE = /^(edge)?lambda\.amazonaws\.com(\.cn)?$/i;

/** Which of Lambda's service principals a value names: `lambda`, `edgelambda` (Lambda@Edge), or undefined for neither. */
export function lambdaServiceOf(value: Value | undefined): 'lambda' | 'edgelambda' | undefined {
  const match = LAMBDA_SERVICE.exec(servicePrincipalOf(value)?.service ?? '');
  if (!match) return undefined;
  return match[1] ? 'edgelambda' : 'lambda';
}
