import type { InvokeguardConfig } from '../config/config.js';
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
  description: string;
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
  /** One line a user can act on, naming real ARNs/references from the scan where it can. */
  suggestion: string;
  /** The statement or attribute text that grants too much. */
  evidence?: string;
}

export interface RuleContext {
  model: Model;
  catalog: ActionCatalog;
  /** The validated `.invokeguard.yml` (own accounts, orgId, cidrs), when there is one. */
  config?: InvokeguardConfig;
}

export interface Rule {
  meta: RuleMeta;
  check(context: RuleContext): Finding[];
}

export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}
