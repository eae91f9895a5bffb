import { basename } from 'node:path';
import type { FileFormat } from '../parse/types.js';

/**
 * The format of a file, from its name. Formats that need a look at the content
 * (CloudFormation, IAM JSON) plug in here; unknown files are skipped.
 */
export function classifyByName(path: string): FileFormat | undefined {
  const name = basename(path);
  if (name.endsWith('.tf')) return 'terraform-hcl';
  if (name === 'terraform.tfvars' || name.endsWith('.auto.tfvars')) return 'terraform-vars';
  return undefined;
}
