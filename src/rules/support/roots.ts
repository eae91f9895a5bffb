import type { ResourceBase } from '../../model/types.js';
import { moduleInstance } from './suggest.js';

/**
 * The Terraform root a finding on a module resource was reached through, as the finding's `roots`
 * (spread into it): roots calling one module under one name give their instances the same address
 * and place, so only the root tells `envs/dev`'s finding from `envs/prod`'s. Nothing for a root
 * module's own resources, CloudFormation and plans (no root recorded). Formatters render it as a
 * note after the resource's name in the message; rules never write it into the message, so dedupe
 * and fingerprints need not parse it back out.
 */
export function rootsOf(resource: Pick<ResourceBase, 'address' | 'root'>): { roots?: string[] } {
  return resource.root !== undefined && moduleInstance(resource.address) !== '' ? { roots: [resource.root] } : {};
}
