import type { DiscoveredFile } from '../discover/discover.js';
import { readSource } from './read-source.js';
import { parseHcl } from './terraform-hcl/parse-hcl.js';
import type { SourceDocument } from './types.js';

/** Reads and parses one discovered file with the adapter for its format. */
export async function parseFile(file: DiscoveredFile, displayPath: string, maxBytes?: number): Promise<SourceDocument> {
  const source = await readSource(file.path, displayPath, maxBytes);
  if ('error' in source) return { format: 'unreadable', file: displayPath, errors: [source.error] };
  switch (file.format) {
    case 'terraform-hcl':
    case 'terraform-vars': {
      const { hcl, errors } = await parseHcl(displayPath, source.text);
      return { format: file.format, file: displayPath, hcl, errors };
    }
  }
}
