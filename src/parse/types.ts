import type { Range } from '../model/range.js';
import type { HclFile } from './terraform-hcl/hcl-ast.js';

/** The formats discover can classify. Later adapters add their own kinds here. */
export type FileFormat = 'terraform-hcl' | 'terraform-vars';

/** A problem with the input itself (IG901): a parse error, an unreadable or oversized file. */
export interface InputError {
  message: string;
  range: Range;
}

/** What a format adapter hands to the model stage: plain data with ranges, no parser objects. */
export type SourceDocument =
  | { format: 'terraform-hcl' | 'terraform-vars'; file: string; hcl: HclFile; errors: InputError[] }
  | { format: 'unreadable'; file: string; errors: InputError[] };
