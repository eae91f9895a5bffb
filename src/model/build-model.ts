import type { SourceDocument } from '../parse/types.js';
import { addCloudFormationModel } from './cloudformation/build-model.js';
import { addTerraformModel } from './terraform/build-model.js';
import type { TerraformContext } from './terraform/module-tree.js';
import { addTerraformPlan } from './terraform/plan.js';
import { addIamPolicyFile } from './iam-policy-file.js';
import { emptyModel, type Model } from './types.js';

/**
 * Builds the format-neutral model from every parsed document at once; `scpFiles`: policy files the
 * user named as SCPs. Scans stream instead (modelAssembler, which must build exactly this model):
 * this one-shot form is the reference its tests compare against, and serves callers holding documents.
 */
export function buildModel(documents: SourceDocument[], scpFiles: ReadonlySet<string> = new Set(), terraform: TerraformContext = {}): Model {
  const model = emptyModel();
  const configuration = documents.flatMap((d) => (d.format === 'terraform-hcl' || d.format === 'terraform-json' ? [d.hcl] : []));
  const tfvars = documents.flatMap((d) => (d.format === 'terraform-vars' ? [d.hcl] : []));
  addTerraformModel(model, configuration, tfvars, terraform);
  addCloudFormationModel(model, documents.flatMap((d) => (d.format === 'cloudformation' ? [{ file: d.file, template: d.template }] : [])));
  for (const d of documents) if (d.format === 'terraform-plan' && d.value) addTerraformPlan(model, d.value);
  for (const d of documents) if (d.format === 'iam-json' && d.value) addIamPolicyFile(model, d.file, d.value, scpFiles.has(d.file));
  return model;
}
