import { posix } from 'node:path';
import type { InputError } from '../../parse/types.js';
import type { Range } from '../range.js';
import { get, getEntry, knownString, type ObjectEntry, type Value } from '../value.js';
import { expandLanguageExtensions } from './language-extensions.js';
import { entrySpan } from './support.js';

/**
 * Nested stacks: a parent template instantiates a child with `AWS::CloudFormation::Stack`
 * (`TemplateURL`) or `AWS::Serverless::Application` (`Location`). Before `sam package` /
 * `aws cloudformation package` that is a path relative to the parent; a child found among the
 * scanned files is modelled through each parent that uses it, with the parameters it passes.
 */
const NESTING_PROPERTY: Readonly<Record<string, string>> = { 'AWS::CloudFormation::Stack': 'TemplateURL', 'AWS::Serverless::Application': 'Location' };

/** A template as read once (language extensions expanded), shared by every instance of it. */
export interface PreparedTemplate {
  file: string;
  template: Value;
  errors: InputError[];
  /** Logical id → its key in a `Fn::ForEach` body, for the resources a loop generated. */
  instances: ReadonlyMap<string, string>;
  /** Its nested stacks whose template is a local file of the scan. */
  children: NestedStack[];
}

export interface NestedStack {
  /** The `AWS::CloudFormation::Stack` / `AWS::Serverless::Application` resource. */
  entry: ObjectEntry;
  /** Where `TemplateURL` / `Location` stands (a cycle is reported there). */
  range: Range;
  /** The child template's file, as the scan names it. */
  target: string;
}

/** `scanned`: the file the scan names a normalised path by, if the scan holds it (nothing outside it is ever read). */
export function prepareTemplate(file: string, written: Value, scanned: (path: string) => string | undefined): PreparedTemplate {
  const { template, errors, instances } = expandLanguageExtensions(written);
  const children: NestedStack[] = [];
  const resources = get(template, 'Resources');
  if (resources?.kind === 'object')
    for (const entry of resources.entries) {
      const property = NESTING_PROPERTY[knownString(get(entry.value, 'Type')) ?? ''];
      if (!property) continue;
      const location = getEntry(get(entry.value, 'Properties'), property);
      const path = location && localPath(file, knownString(location.value));
      const target = path !== undefined ? scanned(path) : undefined;
      if (location && target !== undefined) children.push({ entry, range: entrySpan(location), target });
    }
  return { file, template, errors, instances, children };
}

/** A lookup from a normalised path to the scan's name for it; indexed on first use (most scans nest no local template). */
export function scannedPaths(files: Iterable<string>): (path: string) => string | undefined {
  let byPath: Map<string, string> | undefined;
  return (path) => {
    if (!byPath) {
      byPath = new Map();
      for (const file of files) byPath.set(posix.normalize(file), file);
    }
    return byPath.get(path);
  };
}

/** The normalised path a local `TemplateURL`/`Location` names; undefined for URLs (`https://`, `s3://`), absolute paths and SAR references. */
function localPath(parent: string, location: string | undefined): string | undefined {
  if (location === undefined || location === '' || /^[A-Za-z][A-Za-z0-9+.-]*:/.test(location) || location.startsWith('/')) return undefined;
  return posix.normalize(posix.join(posix.dirname(parent), location));
}

/**
 * The templates modelled as roots, in file order: those no other template nests, then (for
 * templates that only nest each other in a cycle) the first of each cycle nothing else reaches.
 */
export function templateRoots(files: readonly string[], childrenOf: (file: string) => readonly string[]): Set<string> {
  const templates = new Set(files);
  const nested = new Set<string>();
  for (const file of files) for (const child of childrenOf(file)) if (child !== file && templates.has(child)) nested.add(child);
  const roots = new Set<string>();
  const reached = new Set<string>();
  const reach = (file: string) => {
    const stack = [file];
    while (stack.length > 0) {
      const next = stack.pop()!;
      if (reached.has(next) || !templates.has(next)) continue;
      reached.add(next);
      stack.push(...childrenOf(next));
    }
  };
  for (const file of files)
    if (!nested.has(file)) {
      roots.add(file);
      reach(file);
    }
  for (const file of files)
    if (!reached.has(file)) {
      roots.add(file);
      reach(file);
    }
  return new Set(files.filter((file) => roots.has(file)));
}
