import type { Range } from '../model/range.js';

/**
 * A value a fix writes, independent of the file's syntax: the fix stage renders it as HCL,
 * Terraform JSON, CloudFormation YAML or JSON, whichever the edited place is written in.
 */
export type FixValue =
  | { kind: 'string'; value: string }
  /** A Terraform expression such as `aws_s3_bucket.uploads.arn` (bare in HCL, `"${…}"` in JSON), optionally followed by literal text. */
  | { kind: 'terraform'; expression: string; suffix?: string }
  /**
   * A CloudFormation intrinsic: `Ref` of a logical id or pseudo parameter, `Fn::GetAtt` of [id, attribute],
   * `Fn::Sub` of a string (`${Fn.Arn}:*`: an attribute followed by literal text, which GetAtt cannot write).
   */
  | { kind: 'intrinsic'; name: 'Ref'; argument: string }
  | { kind: 'intrinsic'; name: 'Fn::GetAtt'; argument: [string, string] }
  | { kind: 'intrinsic'; name: 'Fn::Sub'; argument: string }
  | { kind: 'list'; items: FixValue[] }
  | { kind: 'object'; entries: Array<[string, FixValue]> };

/** Whether `test` holds for any scalar of a value (an item of a list, an entry of an object, at any depth). */
export function someScalar(value: FixValue, test: (scalar: Exclude<FixValue, { kind: 'list' | 'object' }>) => boolean): boolean {
  switch (value.kind) {
    case 'list':
      return value.items.some((item) => someScalar(item, test));
    case 'object':
      return value.entries.some(([, item]) => someScalar(item, test));
    default:
      return test(value);
  }
}

/**
 * What a rule asks to change, located by the model's ranges. Rules stay format-neutral and
 * never read files; the fix stage (src/fix/) turns changes into text edits on the file.
 */
export type Change =
  /** Replace the value of the attribute/property standing at `attribute` (its key through its value). */
  | { kind: 'set'; attribute: Range; value: FixValue }
  /**
   * Replace the value written at `range` (a string, or one item of a list), which must read
   * `expect` there: a value evaluated from elsewhere (a variable, a managed policy) is not edited.
   */
  | { kind: 'replace'; range: Range; expect: string; value: FixValue }
  /** Remove the list item written at `range`, which must read `expect` there, with the separator that goes with it; the list keeps other items. */
  | { kind: 'remove'; range: Range; expect: string }
  /** Add `key` with `value` to the object or block that holds the attribute standing at `after`, right after it. */
  | { kind: 'add'; after: Range; key: string; value: FixValue }
  /** Add a nested block `type { name = value … }` as the last thing inside the HCL block written at `block` (an aws_iam_policy_document `condition`). */
  | { kind: 'add-block'; block: Range; type: string; attributes: Array<[string, FixValue]> };

/** One replacement on a file's original text: `start`/`end` are offsets (UTF-16 code units, after any BOM). */
export interface TextEdit {
  /** The file as findings show it (relative to the working folder). */
  file: string;
  start: number;
  end: number;
  text: string;
}

/**
 * How to fix a finding: a sentence, and (once the fix stage has resolved the rule's
 * `changes`) the edits and the code they write. No edits: fix by hand, `description` says why.
 */
export interface FixSnippets {
  scp: string;
  terraform: string;
  cloudformation: string;
}

export interface Fix {
  description: string;
  /** The code the edits write, in the file's syntax (joined when there are several). */
  replacement?: string;
  edits: TextEdit[];
  /** Fixes applied by hand elsewhere (guardrail SCPs): the same fix as SCP JSON, Terraform and CloudFormation. */
  snippets?: FixSnippets;
  /** Set by rules, consumed by the fix stage; not part of any report. */
  changes?: Change[];
}
