import type { Range } from '../model/range.js';
import type { Value } from '../model/value.js';
import type { SourceComment } from './comments.js';
import type { NoEditSpans } from './no-edit-spans.js';
import type { HclFile } from './terraform-hcl/hcl-ast.js';

/** The formats discover can classify. Each has one adapter under src/parse/. */
export type FileFormat = 'terraform-hcl' | 'terraform-vars' | 'terraform-json' | 'terraform-plan' | 'cloudformation' | 'iam-json';

/** A problem with the input itself (IG901): a parse error, an unreadable or oversized file. */
export interface InputError {
  message: string;
  range: Range;
  /**
   * `duplicate-key`: an earlier entry of a key its reader (CloudFormation, a JSON parser) ignores for the last one (IG904); the file is analysed as read.
   * `redefined-argument`: a Terraform argument set twice in one body, which Terraform rejects (IG901); the rest of the file is analysed.
   */
  kind?: 'duplicate-key' | 'redefined-argument';
}

/** What a format adapter hands to the model stage: plain data with ranges, no parser objects. */
export type SourceDocument =
  /** `noEdit`: what the fix stage must not edit (heredocs, `variable` blocks), kept when the tree is released. */
  | { format: 'terraform-hcl' | 'terraform-vars'; file: string; hcl: HclFile; errors: InputError[]; noEdit?: NoEditSpans }
  /** A CloudFormation/SAM template (YAML or JSON): short-form intrinsics already in long form. `noEdit`: its strings holding JSON text. */
  | { format: 'cloudformation'; file: string; template: Value; errors: InputError[]; comments?: SourceComment[]; noEdit?: NoEditSpans }
  /** `*.tf.json` (and CDKTF synth output), converted to the HCL AST so it joins its folder's module. */
  | { format: 'terraform-json'; file: string; hcl: HclFile; errors: InputError[] }
  /** `terraform show -json` output and raw IAM policy files: parsed JSON with positions. */
  | { format: 'terraform-plan' | 'iam-json'; file: string; value?: Value; errors: InputError[] }
  | { format: 'unreadable'; file: string; errors: InputError[] }
  /** A JSON/YAML file that turned out not to be IaC we read (package.json, CI config, ...). */
  | { format: 'ignored'; file: string; errors: InputError[] };
