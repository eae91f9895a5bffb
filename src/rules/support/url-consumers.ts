import { dirname } from 'node:path';
import type { FunctionUrl, Model, ResourceBase } from '../../model/types.js';
import { byFolder } from './suggest.js';

/** The attribute that is a function URL's address: CloudFormation `FunctionUrl` (of AWS::Lambda::Url, or a SAM function's generated `<Id>Url`), Terraform `function_url`. */
const URL_ATTRIBUTES = new Set(['FunctionUrl', 'function_url']);

/**
 * What in the scan reads a function URL's address: a resource (a CloudFront origin, a webhook registration) or an
 * output handing it out. Each has callers that send the URL unsigned requests today; with AWS_IAM they get 403.
 */
export function urlConsumers(model: Model, url: FunctionUrl): ResourceBase[] {
  const own = url.sourceType.startsWith('AWS::') ? url.address : (url.instanceOf ?? url.address);
  const candidates = [...(byFolder(model.resources).get(dirname(url.range.file)) ?? []), ...(model.outputs ?? []).filter((o) => dirname(o.range.file) === dirname(url.range.file))];
  return candidates.filter(
    (r) => sameScope(r, url) && r.address !== url.address && (r.references ?? []).some((ref) => ref.address === own && ref.attribute !== undefined && URL_ATTRIBUTES.has(ref.attribute)),
  );
}

function sameScope(a: ResourceBase, b: ResourceBase): boolean {
  if (a.sourceType.startsWith('AWS::') !== b.sourceType.startsWith('AWS::')) return false;
  return a.sourceType.startsWith('AWS::') ? a.range.file === b.range.file && a.rootTemplate === b.rootTemplate : a.root === b.root || a.root === undefined || b.root === undefined;
}
