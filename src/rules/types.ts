import type { ConditionKeyCatalog } from '../guardrails/condition-keys.js';
import type { Fix } from '../fix/types.js';
import type { ActionCatalog } from '../iam/action-catalog.js';
import type { Range } from '../model/range.js';
import type { Model } from '../model/types.js';

export const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export interface RuleMeta {
  id: string;
  title: string;
  severity: Severity;
  /** MITRE ATT&CK technique the rule defends against. */
  attack: string;
  /** ATT&CK tactics (TA…) when they differ from the technique's own (e.g. TA0006 for stolen execution-role tokens). */
  tactics?: string[];
  description: string;
  /** How to fix, in general terms, for the rule's documentation (findings carry their own, concrete suggestion). */
  remediation?: string;
  fixable: boolean;
}

/** A finding as rules produce it: plain data, located by range; formatters render it. */
export interface Finding {
  ruleId: string;
  severity: Severity;
  message: string;
  range: Range;
  /** Terraform address or CloudFormation logical id. */
  resource: string;
  /**
   * Terraform roots a finding on a module instance's resource was reached through (sorted when
   * several): roots calling one module under one name share its addresses. Never in `message`:
   * formatters render it as a note after the resource's first mention (see `report/message.ts`).
   */
  roots?: string[];
  /**
   * A resource-based invoke grant (IG1xx): whom it opens a function to, and which function, as data.
   * Reports that draw or group grants (the HTML report's invoke graph) read this, never the message.
   * Not in JSON or SARIF output, nor in fingerprints.
   */
  grant?: InvokeGrant;
  /** One line a user can act on, naming real ARNs/references from the scan where it can. */
  suggestion: string;
  /** The statement or attribute text that grants too much. */
  evidence?: string;
  /** CDK-for-Terraform: the construct path of the resource, so users find it in their CDK code. Set by scan, not by rules. */
  constructPath?: string;
  /** AWS IAM Access Analyzer's view of the finding (`--access-analyzer`). Set by the cross-check, not by rules. */
  crossCheck?: CrossCheck;
  /** Machine-applicable fix: rules set `description` and `changes`; the fix stage resolves them into `edits`. Without edits (a guardrail's SCP in `replacement`): applied by hand. */
  fix?: Fix;
}

/** What a resource-based grant a finding reports opens: who may call, and the function when the rule names it. */
export interface InvokeGrant {
  grantee: Grantee;
  /** The function as the rule resolved it (the scan's function's address, else its name as written); absent when the rule does not name it. */
  function?: string;
}

/** Whom a grant lets in, as far as the rule judged it. */
export type Grantee =
  /** `*` with nothing pinning an account or organisation. */
  | { kind: 'any-principal' }
  /** A service principal (`any AWS service` for `*` limited to services) acting for a resource in any account. */
  | { kind: 'service'; service: string }
  /** An account outside the configured estate, granted itself or through a role or user in it. */
  | { kind: 'account'; account: string }
  /** Every principal of an organisation other than the configured one (`*` with another organisation id). */
  | { kind: 'organisation'; organisation: string }
  /** A function URL with authorization type NONE: no AWS signature needed. */
  | { kind: 'internet' }
  /** The principal as written (absent when the grant writes none), its reach not judged. */
  | { kind: 'principal'; principal?: string };

/** Whether Access Analyzer agrees with a finding; `unavailable` when it could not be asked or could not tell. */
export interface CrossCheck {
  verdict: 'confirmed' | 'disputed' | 'unavailable';
  reason: string;
}

/** What the user tells us about their estate (config file); rules that need it stay silent without it. */
export interface RuleConfig {
  /** The AWS accounts that belong to the user (12-digit ids). */
  accounts?: string[];
  /** The user's AWS Organizations id (o-…). */
  orgId?: string;
  /** The user's own network ranges (CIDR), for network-perimeter guardrails. */
  cidrs?: string[];
}

export interface RuleContext {
  model: Model;
  catalog: ActionCatalog;
  config?: RuleConfig;
  /** `--guardrails`: organisation guardrail rules run even when the scan holds no organisation code. */
  guardrails?: boolean;
  /** The scan's SCP condition keys, looked up in the AWS catalog (IG404). */
  conditionKeys?: ConditionKeyCatalog;
}

export interface Rule {
  meta: RuleMeta;
  check(context: RuleContext): Finding[];
}

export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}
