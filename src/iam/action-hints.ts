import type { ActionCatalog } from './action-catalog.js';
import { wildcardMatches } from './wildcard.js';

/**
 * Names the action an author most likely meant when an Action entry matches nothing in the catalog.
 * Only runs for entries that already have a problem, so its work (one service's action list) is off the hot path.
 */

/**
 * API operations that IAM authorises under another action, as AWS documents them. Only operations that are not
 * themselves IAM actions belong here; an entry is used only while its target exists in the catalog.
 */
const AUTHORISED_BY = new Map<string, string>(Object.entries({
  // "You cannot set permissions explicitly for SendMessageBatch, DeleteMessageBatch, or ChangeMessageVisibilityBatch.
  // Instead, setting permissions for SendMessage, DeleteMessage, or ChangeMessageVisibility sets permissions for the
  // corresponding batch versions": https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-batch-api.html
  'sqs:sendmessagebatch': 'sqs:SendMessage',
  'sqs:deletemessagebatch': 'sqs:DeleteMessage',
  'sqs:changemessagevisibilitybatch': 'sqs:ChangeMessageVisibility',
  // "To use HEAD, you must have the s3:GetObject permission": HeadObject, Amazon S3 API Reference
  // (https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html, as rendered at
  // https://docs.aws.amazon.com/goto/SdkForKotlin/s3-2006-03-01/HeadObject).
  's3:headobject': 's3:GetObject',
  // "This operation requires permission for the bedrock:InvokeModel action":
  // https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html
  'bedrock:converse': 'bedrock:InvokeModel',
  // "This operation requires permission for the bedrock:InvokeModelWithResponseStream action":
  // https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ConverseStream.html
  'bedrock:conversestream': 'bedrock:InvokeModelWithResponseStream',
  // "This operation requires permission for the lambda:InvokeFunction action":
  // https://docs.aws.amazon.com/lambda/latest/dg/API_InvokeWithResponseStream.html
  'lambda:invokewithresponsestream': 'lambda:InvokeFunction',
}));

/** API endpoint prefixes that are not IAM service prefixes, with the prefix IAM uses for their actions. */
export const IAM_PREFIX_OF_ENDPOINT = new Map<string, { prefix: string; why: string }>(Object.entries({
  // Inference "via the bedrock-runtime endpoint (Converse and Invoke APIs)" is granted with bedrock:InvokeModel etc.:
  // https://docs.aws.amazon.com/bedrock/latest/userguide/inference.html; the Service Authorization Reference lists the
  // runtime operations under the prefix bedrock: https://docs.aws.amazon.com/service-authorization/latest/reference/list_bedrock.html
  'bedrock-runtime': { prefix: 'bedrock', why: 'IAM names Bedrock runtime actions with the prefix bedrock' },
  // "To specify an action, use the rds: prefix followed by the API operation name (for example, rds:CreateDBInstance)":
  // https://docs.aws.amazon.com/documentdb/latest/developerguide/UsingWithRDS.IAM.ResourcePermissions.html
  docdb: { prefix: 'rds', why: 'IAM names Amazon DocumentDB management actions with the prefix rds, shared with Amazon RDS' },
}));

export type HintKind = 'operation' | 'prefix' | 'spelling';

export interface ActionHint {
  /** The likely intended actions, as the catalog spells them (one, or a short list for the user to choose from). */
  actions: string[];
  kind: HintKind;
  /** Why these actions: the documented mapping, for `operation` and `prefix` hints. */
  why?: string;
}

/**
 * The likely intended action(s) for an action that matches nothing, or undefined when there is no good candidate.
 * `listed` holds the lower-cased entries of the same Action/NotAction list: a truncated name whose completion the
 * author also wrote was meant as something else, so it is not offered.
 */
export function actionHint(action: string, catalog: ActionCatalog, listed: ReadonlySet<string> = new Set()): ActionHint | undefined {
  const colon = action.indexOf(':');
  if (colon < 0) return undefined;
  const service = action.slice(0, colon).toLowerCase();
  const name = action.slice(colon + 1);
  const endpoint = IAM_PREFIX_OF_ENDPOINT.get(service);
  if (endpoint) {
    const mapped = `${endpoint.prefix}:${name}`;
    if (catalog.expand(mapped).length > 0) return { actions: [mapped], kind: 'prefix', why: endpoint.why };
    // The right prefix but still not a name IAM knows (bedrock-runtime:Converse): look again under the IAM prefix.
    const further = catalog.serviceExists(endpoint.prefix) ? nameHint(endpoint.prefix, name, actionsOf(catalog, endpoint.prefix), listed) : undefined;
    return further && { ...further, why: [endpoint.why, further.why].filter(Boolean).join('; ') };
  }
  if (catalog.serviceExists(service) === false) return prefixHint(service, name, catalog, listed);
  if (!catalog.serviceExists(service)) return undefined;
  return nameHint(service, name, actionsOf(catalog, service), listed);
}

/** A prefix no service has, a slip away from one that does (lamda): the same name under that prefix, if it names an action. */
function prefixHint(service: string, name: string, catalog: ActionCatalog, listed: ReadonlySet<string>): ActionHint | undefined {
  const near = catalog.nearService(service);
  if (!near || !name) return undefined;
  const pattern = `${near.prefix}:${name}`;
  // A wildcard is kept as written: it is right once its prefix is.
  if (/[*?]/.test(name)) return near.actions.some((a) => wildcardMatches(pattern, a)) ? { actions: [pattern], kind: 'spelling' } : undefined;
  const same = near.actions.find((a) => a.toLowerCase() === pattern.toLowerCase());
  if (same) return { actions: [same], kind: 'spelling' };
  // The name is off too (lamda:InvokeFuncton): look again under the real prefix, as for an endpoint prefix.
  return nameHint(near.prefix, name, near.actions, listed);
}

/**
 * Hints within one service, given its `service:Action` names. Wildcard patterns get none: a verb that a service lacks
 * has no single fix.
 */
function nameHint(service: string, name: string, all: string[], listed: ReadonlySet<string>): ActionHint | undefined {
  if (!name || /[*?]/.test(name)) return undefined;
  const target = AUTHORISED_BY.get(`${service}:${name.toLowerCase()}`);
  if (target && all.some((a) => a.toLowerCase() === target.toLowerCase())) return { actions: [target], kind: 'operation', why: `IAM authorises ${name} with ${target}` };
  const { names, byLower } = namesOf(all);
  const lower = name.toLowerCase();
  const spelled = (found: string[]) => ({ actions: found.map((n) => `${service}:${n}`), kind: 'spelling' as const });
  // A plural or singular slip (CheckpointDurableExecutions); where the service has a batch action of the singular
  // (firehose:PutRecordBatch), that is as likely to be what a plural meant.
  if (lower.endsWith('s') && byLower.has(lower.slice(0, -1))) {
    const singular = byLower.get(lower.slice(0, -1))!;
    const batch = byLower.get(`${lower.slice(0, -1)}batch`);
    return spelled(batch ? [singular, batch] : [singular]);
  }
  if (byLower.has(`${lower}s`)) return spelled([byLower.get(`${lower}s`)!]);
  const close = closest(lower, names);
  if (close) return spelled([close]);
  // A name cut short (GetModelInvocationLogging for GetModelInvocationLoggingConfiguration): one action, at a word boundary.
  const longer = names.filter((n) => n.length > name.length && n.toLowerCase().startsWith(lower) && /[A-Z]/.test(n[name.length]));
  if (longer.length === 1 && !listed.has(`${service}:${longer[0].toLowerCase()}`)) return spelled(longer);
  return undefined;
}

/** A service's `service:Action` names, expanded once per catalog (expand hands out a fresh copy each call). */
function actionsOf(catalog: ActionCatalog, service: string): string[] {
  let byService = catalogActions.get(catalog);
  if (!byService) catalogActions.set(catalog, (byService = new Map()));
  let all = byService.get(service);
  if (!all) byService.set(service, (all = catalog.expand(`${service}:*`)));
  return all;
}

const catalogActions = new WeakMap<ActionCatalog, Map<string, string[]>>();

/** A service's action names without the prefix, and by lower case: kept per action list (catalogs hand out the same lists). */
function namesOf(all: string[]): { names: string[]; byLower: Map<string, string> } {
  let found = serviceNames.get(all);
  if (!found) {
    const names = all.map((a) => a.slice(a.indexOf(':') + 1));
    serviceNames.set(all, (found = { names, byLower: new Map(names.map((n) => [n.toLowerCase(), n])) }));
  }
  return found;
}

const serviceNames = new WeakMap<string[], { names: string[]; byLower: Map<string, string> }>();

/** The one name within a small edit distance (2 for long names, 1 for shorter, none for very short), else undefined. */
export function closest(lower: string, names: string[]): string | undefined {
  const limit = lower.length >= 10 ? 2 : lower.length >= 5 ? 1 : 0;
  if (limit === 0) return undefined;
  let best: string | undefined;
  let bestDistance = limit + 1;
  let tie = false;
  for (const candidate of names) {
    if (Math.abs(candidate.length - lower.length) > limit) continue;
    const distance = editDistance(lower, candidate.toLowerCase(), limit);
    if (distance < bestDistance) [best, bestDistance, tie] = [candidate, distance, false];
    else if (distance === bestDistance) tie = true;
  }
  return best !== undefined && !tie ? best : undefined;
}

/** Levenshtein distance, giving up (returning limit + 1) once every path exceeds the limit. */
export function editDistance(a: string, b: string, limit: number): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      rowMin = Math.min(rowMin, current[j]);
    }
    if (rowMin > limit) return limit + 1;
    previous = current;
  }
  return previous[b.length];
}

export interface HintContext {
  /** Lower-cased entries of the same Action/NotAction list. */
  listed: ReadonlySet<string>;
  /**
   * How making the dead entry live would widen access, if it would: `grant` for an Allow's Action (the statement
   * allows more), `exempt` for a Deny's NotAction (the Deny stops covering the action). The dead entry does neither today.
   */
  widens?: 'grant' | 'exempt';
}

/** The suggestion sentence for a hint: names the action(s) to paste, and says when pasting it widens access. */
export function hintSuggestion(action: string, hint: ActionHint, context: HintContext): string {
  const quoted = hint.actions.map((a) => JSON.stringify(a));
  const names = quoted.length === 1 ? quoted[0] : `${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1]}`;
  const lead = hint.kind === 'spelling' ? `Did you mean ${names}?` : `Use ${names}: ${hint.why}.`;
  if (hint.actions.every((a) => context.listed.has(a.toLowerCase()))) {
    const removable = `so ${JSON.stringify(action)} can be removed`;
    // Pasting nothing new: say so rather than "Use", which reads as an edit to make.
    if (hint.kind === 'operation') return `${hint.why}, which this statement already lists, ${removable}.`;
    return `${lead} This statement already lists ${hint.actions.length === 1 ? 'it' : 'them'}, ${removable}.`;
  }
  if (context.widens === 'grant') return `${lead} Replacing ${JSON.stringify(action)} allows access this statement does not allow today; make sure that is intended.`;
  if (context.widens === 'exempt') return `${lead} Replacing ${JSON.stringify(action)} takes the replacement out of this Deny, which covers it today; make sure that is intended.`;
  return lead;
}
