import { classifyByContent } from '../discover/classify.js';
import type { DiscoveredFile } from '../discover/discover.js';
import { parseCloudFormationFastPath } from './cloudformation/parse-cloudformation.js';
import { createPositionMapper } from '../model/range.js';
import { excessiveNesting, MAX_NESTING } from './nesting.js';
import { readSource } from './read-source.js';
import { parseHclFastPath } from './terraform-hcl/parse-hcl.js';
import { cloudFormationDocument, hclDocument, referenceParse, type ReferenceParse } from './reference-parse.js';
import { isTfvarsJson, parseTfJson, parseTfvarsJson } from './terraform-json/tf-json.js';
import { lastValuesOf } from './duplicate-keys.js';
import { parseJsonFile } from './json-broken.js';
import { loadYamlLibrary } from './yaml-library.js';
import type { FileFormat, SourceDocument } from './types.js';

/**
 * Reads and parses one discovered file with the adapter for its format; `text` stands in for the file's content when given.
 * `reference` parses what the fast paths decline (the parse pool); by default the reference parsers run in this thread.
 */
export async function parseFile(file: DiscoveredFile, displayPath: string, maxBytes?: number, text?: string, reference?: ReferenceParse): Promise<SourceDocument> {
  const source = text !== undefined ? { text } : await readSource(file.path, displayPath, maxBytes);
  if ('error' in source) {
    // An unreadable JSON/YAML file may not be IaC at all: only report it when its name says it is ours.
    return file.format === 'structured' ? { format: 'ignored', file: displayPath, errors: [] } : { format: 'unreadable', file: displayPath, errors: [source.error] };
  }
  const format: FileFormat | undefined = file.format === 'structured' ? classifyByContent(source.text) : file.format;
  const tooDeep = format ? excessiveNesting(source.text) : undefined;
  if (tooDeep !== undefined) {
    const range = createPositionMapper(displayPath, source.text).range(tooDeep, tooDeep + 1);
    return { format: 'unreadable', file: displayPath, errors: [{ message: `nesting deeper than ${MAX_NESTING} levels; not analysed`, range }] };
  }
  try {
    return await parseText(format, displayPath, source.text, reference);
  } catch (error) {
    // A parser bug or exhausted stack on one file is that file's problem (IG901), not the scan's.
    const at = { file: displayPath, line: 1, column: 1, endLine: 1, endColumn: 1 };
    return { format: 'unreadable', file: displayPath, errors: [{ message: `cannot parse file (${error instanceof Error ? error.message : String(error)})`, range: at }] };
  }
}

/** Parses text already read, with the adapter for `format` (undefined: not ours, ignored); `reference` as for parseFile. */
export async function parseText(format: FileFormat | undefined, displayPath: string, text: string, reference: ReferenceParse = referenceParse): Promise<SourceDocument> {
  const source = { text };
  // The model evaluates yamldecode synchronously: a file that may call it loads the library now.
  if ((format === 'terraform-hcl' || format === 'terraform-json') && text.includes('yamldecode')) await loadYamlLibrary();
  switch (format) {
    case 'terraform-hcl':
    case 'terraform-vars': {
      const fast = parseHclFastPath(displayPath, source.text);
      return fast ? hclDocument(format, displayPath, fast, source.text) : reference(format, displayPath, source.text);
    }
    case 'cloudformation': {
      const fast = parseCloudFormationFastPath(displayPath, source.text);
      return fast ? cloudFormationDocument(displayPath, fast, source.text) : reference(format, displayPath, source.text);
    }
    case 'terraform-json': {
      if (isTfvarsJson(displayPath)) return { format: 'terraform-vars', file: displayPath, ...parseTfvarsJson(displayPath, source.text) };
      const { hcl, errors } = await parseTfJson(displayPath, source.text);
      return { format, file: displayPath, hcl, errors };
    }
    case 'terraform-plan':
      return { format, file: displayPath, ...parseJsonFile(displayPath, source.text) };
    case 'iam-json': {
      // Whoever sends the policy on (a JSON parser, IAM) keeps a repeated key's last value: model that one, report the others (IG904).
      const { value, errors } = parseJsonFile(displayPath, source.text);
      if (!value) return { format, file: displayPath, errors };
      return { format, file: displayPath, ...lastValuesOf(value, errors, 'json') };
    }
    default:
      // Formats whose adapters are not built yet are skipped, not guessed at.
      return { format: 'ignored', file: displayPath, errors: [] };
  }
}
