import { dirname } from 'node:path';
import { groupedBy } from '../../model/grouped-by.js';
import type { Model, ResourceBase } from '../../model/types.js';
import { inModuleInstance, moduleInstance } from './suggest.js';

/** Looked up per resource: the folders' `aws_caller_identity` data sources, grouped once (a module-level key, so groupedBy's cache holds). */
const callerIdentityFolder = (d: ResourceBase) => (d.sourceType === 'aws_caller_identity' ? dirname(d.range.file) : undefined);

/**
 * `data.aws_caller_identity.X.account_id` of the resource's own Terraform module, when it declares one: the account
 * it deploys to. A data source is only in scope in its own module: the resource's folder, and the same instance
 * (address prefix `module.a.`). The first by name when there are several.
 */
export function callerIdentityAccount(model: Model, resource: ResourceBase): string | undefined {
  const prefix = moduleInstance(resource.address);
  const caller = (groupedBy(model.dataSources ?? [], callerIdentityFolder).get(dirname(resource.range.file)) ?? [])
    .filter((d) => inModuleInstance(d.address, prefix))
    .map((d) => d.address.slice(prefix.length))
    .sort()[0];
  return caller && `${caller}.account_id`;
}
