import { parseYamlTemplate, type ParsedTemplate } from './cloudformation/parse-cloudformation.js';
import { loadYamlLibrary } from './yaml-library.js';
import { hclNoEditSpans, templateNoEditSpans } from './no-edit-spans.js';
import type { HclFile } from './terraform-hcl/hcl-ast.js';
import { parseHclWithTreeSitter } from './terraform-hcl/parse-hcl.js';
import type { SourceDocument } from './types.js';

/** The formats whose fast parser may decline a file to a reference parser. */
export type ReferenceFormat = 'terraform-hcl' | 'terraform-vars' | 'cloudformation';

/** Parses a file the fast paths declined; parseText awaits it in-process, or the parse pool runs it in a worker. */
export type ReferenceParse = (format: ReferenceFormat, displayPath: string, text: string) => Promise<SourceDocument>;

/**
 * The reference parsers alone: tree-sitter for HCL, the yaml library for CloudFormation YAML.
 * Exactly what parseText returns for a file the fast paths decline. This module is all a parse
 * worker loads (with the parsers), so it imports nothing else of the scan.
 */
export async function referenceParse(format: ReferenceFormat, displayPath: string, text: string): Promise<SourceDocument> {
  if (format === 'cloudformation') {
    await loadYamlLibrary();
    return cloudFormationDocument(displayPath, parseYamlTemplate(displayPath, text), text);
  }
  return hclDocument(format, displayPath, await parseHclWithTreeSitter(displayPath, text), text);
}

/** A parsed HCL file as a document; a configuration file keeps the spans --fix must not edit. */
export function hclDocument(format: 'terraform-hcl' | 'terraform-vars', displayPath: string, parsed: { hcl: HclFile; errors: SourceDocument['errors'] }, text: string): SourceDocument {
  // Variable files are never edited: no spans to keep.
  const noEdit = format === 'terraform-hcl' ? hclNoEditSpans(parsed.hcl, text) : undefined;
  return noEdit ? { format, file: displayPath, hcl: parsed.hcl, errors: parsed.errors, noEdit } : { format, file: displayPath, hcl: parsed.hcl, errors: parsed.errors };
}

/** A parsed template as a document; a template with no content (an empty file) is a located null. */
export function cloudFormationDocument(displayPath: string, parsed: ParsedTemplate, text: string): SourceDocument {
  const { template, errors, comments } = parsed;
  const document = { format: 'cloudformation', file: displayPath, template: template ?? { kind: 'null', range: { file: displayPath, line: 1, column: 1, endLine: 1, endColumn: 1 } }, errors } as const;
  // The parser says whether any string holds JSON text: most templates need no walk for spans.
  const noEdit = template && parsed.jsonStrings ? templateNoEditSpans(template, text) : undefined;
  if (!comments && !noEdit) return document;
  return { ...document, ...(comments ? { comments } : {}), ...(noEdit ? { noEdit } : {}) };
}
