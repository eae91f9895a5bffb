import { basename } from 'node:path';
import type { FileFormat } from '../parse/types.js';

/** `structured`: a JSON/YAML file whose content decides what it is (see classifyByContent). */
export type NameClass = FileFormat | 'structured';

/**
 * Terraform configuration by name: `.tf` / `.tf.json`, and OpenTofu's `.tofu` / `.tofu.json`
 * (OpenTofu 1.8+; Terraform ignores them). Where `x.tofu` and `x.tf` stand side by side, OpenTofu
 * reads only `x.tofu` and Terraform only `x.tf`: both are scanned, as either tool may deploy the folder
 * (a resource both define is modelled from `x.tofu`, which sorts after `x.tf` and so replaces it).
 */
export const TERRAFORM_CONFIG = /\.(tf|tofu)$/;
export const TERRAFORM_JSON_CONFIG = /\.(tf|tofu)\.json$/;

/** The format of a file from its name alone; undefined for files we never read. */
export function classifyByName(path: string): NameClass | undefined {
  const name = basename(path).toLowerCase();
  if (TERRAFORM_CONFIG.test(name)) return 'terraform-hcl';
  if (TERRAFORM_JSON_CONFIG.test(name)) return 'terraform-json';
  if (name === 'terraform.tfvars' || name.endsWith('.auto.tfvars')) return 'terraform-vars';
  if (name === 'terraform.tfvars.json' || name.endsWith('.auto.tfvars.json')) return 'terraform-json';
  if (/\.(json|ya?ml|template)$/.test(name)) return 'structured';
  return undefined;
}

/**
 * What a JSON/YAML file holds, from a cheap look at its text (before a full parse):
 * a CloudFormation/SAM template, a `terraform show -json` plan, or a raw IAM policy.
 * Anything else (package.json, CI config, ...) is not ours: undefined.
 */
export function classifyByContent(text: string): FileFormat | undefined {
  const head = text.slice(0, 65536);
  if (/^\s*\{/.test(head)) {
    if (/"AWSTemplateFormatVersion"\s*:/.test(head) || /"Type"\s*:\s*"AWS::[A-Za-z0-9]+::/.test(head)) return 'cloudformation';
    if (/"format_version"\s*:/.test(head) && /"(planned_values|values|resource_changes)"\s*:/.test(text)) return 'terraform-plan';
    if (/"Statement"\s*:/.test(head)) return 'iam-json';
    return undefined;
  }
  if (/^\s*AWSTemplateFormatVersion\s*:/m.test(head) || /^\s+Type:\s*['"]?AWS::[A-Za-z0-9]+::/m.test(head)) return 'cloudformation';
  return undefined;
}
