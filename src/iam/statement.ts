import type { Statement } from '../model/types.js';
import { displayString, knownString, type Value } from '../model/value.js';
import { wildcardMatches } from './wildcard.js';

export function effectOf(statement: Statement): 'Allow' | 'Deny' | undefined {
  const effect = knownString(statement.effect);
  if (effect === 'Allow' || effect === 'Deny') return effect;
  return undefined;
}

/** The Action entries (as written) that match a concrete action, e.g. `lambda:Inv*` for lambda:InvokeFunction. */
export function actionEntriesMatching(statement: Statement, action: string): Value[] {
  return statement.action.filter((entry) => {
    const pattern = knownString(entry);
    return pattern !== undefined && wildcardMatches(pattern, action);
  });
}

/** Probes that differ in region, account and name: a pattern matching all of them covers every function. */
const FUNCTION_PROBES = ['arn:aws:lambda:us-east-1:111111111111:function:probe-a', 'arn:aws:lambda:eu-west-3:222222222222:function:zz-99:prod'];

/** The Resource entries that cover every Lambda function (`*`, `arn:aws:lambda:*:*:function:*`, ...). */
export function resourceEntriesCoveringAllFunctions(statement: Statement): Value[] {
  return statement.resource.filter((entry) => {
    const pattern = displayString(entry);
    return pattern !== undefined && entry.kind !== 'unknown' && FUNCTION_PROBES.every((probe) => wildcardMatches(pattern, probe));
  });
}

export function hasConditions(statement: Statement): boolean {
  return statement.condition.length > 0;
}
