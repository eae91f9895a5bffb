import type { SourceDocument } from '../parse/types.js';
import { addCloudFormationModel } from './cloudformation/build-model.js';
import { addTerraformModel } from './terraform/build-model.js';
import { emptyModel, type Model } from './types.js';

/** Builds the format-neutral model from every parsed document. */
export function buildModel(documents: SourceDocument[]): Model {
  const model = emptyModel();
  const terraform = documents.flatMap((d) => (d.format === 'terraform-hcl' ? [d.hcl] : []));
  const tfvars = documents.flatMap((d) => (d.format === 'terraform-vars' ? [d.hcl] : []));
  addTerraformModel(model, terraform, tfvars);
  addCloudFormationModel(model, documents.flatMap((d) => (d.format === 'cloudformation' ? [{ file: d.file, template: d.template }] : [])));
  return model;
}
