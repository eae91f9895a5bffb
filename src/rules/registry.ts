import { IG101 } from './IG101-public-invoke-permission.js';
import { IG102 } from './IG102-service-principal-unpinned.js';
import { IG103 } from './IG103-cross-account-invoke.js';
import { IG104 } from './IG104-function-url-auth-none.js';
import { IG105 } from './IG105-permission-broader-than-invoke.js';
import { IG201 } from './IG201-identity-invoke-any-function.js';
import { IG202 } from './IG202-identity-full-lambda-control.js';
import { IG203 } from './IG203-not-action-implies-invoke.js';
import { IG205 } from './IG205-permission-tampering.js';
import { IG902 } from './IG902-unknown-action.js';
import type { Rule, RuleMeta } from './types.js';

/** Every rule, in id order. Nothing else lists rules. */
export const RULES: readonly Rule[] = [IG101, IG102, IG103, IG104, IG105, IG201, IG202, IG203, IG205, IG902];

/** Problems with the input itself; produced by the pipeline, not by a rule's check. */
export const INPUT_ERROR_RULE: RuleMeta = {
  id: 'IG901',
  title: 'File could not be read or parsed',
  severity: 'medium',
  attack: 'T1648',
  description: 'A file that cannot be parsed is not analysed, so an invoke grant in it would go unseen. Fix the syntax, or exclude the file.',
  fixable: false,
};

/** An `invokeguard:ignore` that cannot take effect as written; produced by the suppression stage. */
export const SUPPRESSION_RULE: RuleMeta = {
  id: 'IG903',
  title: 'Suppression without a reason or with an unknown rule id',
  severity: 'medium',
  attack: 'T1648',
  description:
    'An invokeguard:ignore comment (or CloudFormation Metadata invokeguard.ignore entry) must name known rule ids and give the reason the risk is accepted, so reviewers can judge it. An ignore without a reason suppresses nothing; an unknown id is reported so a typo does not pass for a suppression.',
  fixable: false,
};

/** Rules the pipeline itself reports (not a rule's check), in id order. */
export const PIPELINE_RULES: readonly RuleMeta[] = [INPUT_ERROR_RULE, SUPPRESSION_RULE];
