import { dirname } from 'node:path';
import type { FunctionUrl, Model, ResourceBase } from '../../model/types.js';

/** The attribute that is a function URL's address: CloudFormation `FunctionUrl` (of AWS::Lambda::Url, or a SAM function's generated `<Id>Url`), Terraform `function_url`. */
const URL_ATTRIBUTES = new Set(['FunctionUrl', 'function_url']);

/** Per model: the resources and outputs reading some URL's address, keyed by folder and the address they reference (built once, not per URL). */
const readers = new WeakMap<Model, Map<string, ResourceBase[]>>();

function readerIndex(model: Model): Map<string, ResourceBase[]> {
  let index = readers.get(model);
  if (index) return index;
  index = new Map();
  for (const reader of [...model.resources, ...(model.outputs ?? [])]) {
    for (const ref of reader.references ?? []) {
      if (ref.attribute === undefined || !URL_ATTRIBUTES.has(ref.attribute)) continue;
      const key = `${dirname(reader.range.file)}|${ref.address}`;
      const list = index.get(key) ?? [];
      if (!list.includes(reader)) list.push(reader);
      index.set(key, list);
    }
  }
  readers.set(model, index);
  return index;
}

/**
 * What in the scan reads a function URL's address: a resource (a CloudFront origin, a webhook registration) or an
 * output handing it out. Each has callers that send the URL unsigned requests today; with AWS_IAM they get 403.
 */
export function urlConsumers(model: Model, url: FunctionUrl): ResourceBase[] {
  const own = url.sourceType.startsWith('AWS::') ? url.address : (url.instanceOf ?? url.address);
  const candidates = readerIndex(model).get(`${dirname(url.range.file)}|${own}`) ?? [];
  return candidates.filter((r) => sameScope(r, url) && r.address !== url.address);
}

function sameScope(a: ResourceBase, b: ResourceBase): boolean {
  if (a.sourceType.startsWith('AWS::') !== b.sourceType.startsWith('AWS::')) return false;
  return a.sourceType.startsWith('AWS::') ? a.range.file === b.range.file && a.rootTemplate === b.rootTemplate : a.root === b.root || a.root === undefined || b.root === undefined;
}
