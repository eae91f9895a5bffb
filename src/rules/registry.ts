import { IG101 } from './IG101-public-invoke-permission.js';
import { IG102 } from './IG102-service-principal-unpinned.js';
import { IG103 } from './IG103-cross-account-invoke.js';
import { IG104 } from './IG104-function-url-auth-none.js';
import { IG105 } from './IG105-permission-broader-than-invoke.js';
import { IG201 } from './IG201-identity-invoke-any-function.js';
import { IG202 } from './IG202-identity-full-lambda-control.js';
import { IG203 } from './IG203-not-action-implies-invoke.js';
import { IG204 } from './IG204-privilege-escalation.js';
import { IG205 } from './IG205-permission-tampering.js';
import { IG401 } from './IG401-no-scp-public-function-url.js';
import { IG402 } from './IG402-no-scp-public-permission.js';
import { IG403 } from './IG403-no-scp-credential-perimeter.js';
import { IG404 } from './IG404-scp-defect.js';
import { IG405 } from './IG405-no-scp-outside-org-permission.js';
import { IG501 } from './IG501-no-lambda-data-events.js';
import { IG502 } from './IG502-guardduty-no-lambda-protection.js';
import { IG503 } from './IG503-no-access-analyzer.js';
import { IG504 } from './IG504-no-lambda-persistence-alarm.js';
import { IG505 } from './IG505-no-security-hub-fsbp.js';
import { IG301 } from './IG301-execution-role-admin.js';
import { IG302 } from './IG302-execution-role-trusts-others.js';
import { IG303 } from './IG303-execution-role-trust-unscoped.js';
import { IG902 } from './IG902-unknown-action.js';
import { IG905 } from './IG905-scp-content-unknown.js';
import type { Rule, RuleMeta } from './types.js';

/** Every rule, in id order. Nothing else lists rules. */
export const RULES: readonly Rule[] = [
  IG101, IG102, IG103, IG104, IG105, IG201, IG202, IG203, IG204, IG205, IG301, IG302, IG303,
  IG401, IG402, IG403, IG404, IG405, IG501, IG502, IG503, IG504, IG505, IG902, IG905,
];

/** Problems with the input itself; produced by the pipeline, not by a rule's check. */
export const INPUT_ERROR_RULE: RuleMeta = {
  id: 'IG901',
  title: 'File could not be read or parsed',
  severity: 'medium',
  attack: 'T1648',
  remediation: 'Fix the syntax or encoding the message points at, or exclude the file in `.invokeguard.yml` if it is not infrastructure code.',
  description:
    'A file that cannot be parsed is not analysed, so an invoke grant in it would go unseen. Fix the syntax, or exclude the file. A CloudFormation `Fn::ForEach` loop that CloudFormation would reject (not `[identifier, collection, fragment]`, a key generated twice) or that generates more than 1,000 entries in one template is reported at the loop, and what it would generate is not analysed. A nested stack whose local template nests itself (directly or through others), or that nests more than 8 levels deep or past 64 nested stacks under one root template, is reported at its `TemplateURL`/`Location`, and is not analysed again there.',
  fixable: false,
};

/** Access Analyzer's ERROR and SECURITY_WARNING policy-validation findings (`--access-analyzer`); produced by the cross-check. */
export const ACCESS_ANALYZER_RULE: RuleMeta = {
  id: 'IG601',
  title: 'AWS IAM Access Analyzer reports a policy error or security warning',
  severity: 'high',
  attack: 'T1648',
  description:
    'With --access-analyzer, every policy the scan extracted is sent to ValidatePolicy; its errors (a policy AWS would reject or misread) and security warnings (grants broader than they look) are reported at the source line, with Access Analyzer\'s issue code.',
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

/** A key given twice in one mapping of a CloudFormation template (or IAM policy file); produced by the parsers. */
export const DUPLICATE_KEY_RULE: RuleMeta = {
  id: 'IG904',
  title: 'Duplicate key: CloudFormation uses only the last value',
  severity: 'medium',
  attack: 'T1648',
  remediation: 'Delete the ignored entry, or move the value you mean into the last one: a mapping should name each key once.',
  description:
    'CloudFormation accepts a key written twice in one mapping, in YAML and JSON alike, and deploys the last value, for a property as for a logical id under Resources; a JSON parser reading an IAM policy file does the same. A reviewer reading top-down sees the first value, so an earlier `AuthType: AWS_IAM` can hide a later `AuthType: NONE`. The file is analysed as it deploys, with the last values; each ignored entry is reported at its key, with the line of the value that takes effect. A file with a syntax error (IG901) is not checked for repeats, which may be the parser\'s recovery. (Terraform rejects an argument set twice: that is IG901.)',
  fixable: false,
};

/** Rules the pipeline itself reports (not a rule's check), in id order; config and reports know them like the others. */
export const PIPELINE_RULES: readonly RuleMeta[] = [ACCESS_ANALYZER_RULE, INPUT_ERROR_RULE, SUPPRESSION_RULE, DUPLICATE_KEY_RULE];
