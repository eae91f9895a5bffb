import type { Statement } from '../model/types.js';
import { displayString, knownString } from '../model/value.js';
import type { ActionCatalog } from './action-catalog.js';

/** Resource types a Resource naming functions (`ARN`, `ARN:*`) still matches: the function, its versions and aliases. */
const FUNCTION_TYPES = new Set(['function', 'function alias', 'function version']);

/**
 * The statement's actions that act on no function (lambda:ListFunctions, lambda:GetAccountSettings, a durable
 * execution's, a layer's), each as the catalog names it, or as written when the catalog cannot say. Narrowing
 * the statement's Resource to functions would deny them: a fix must leave such a statement to a human (or split it).
 * An action the catalog knows to be no Lambda action grants nothing, and is not listed.
 */
export function actionsOnNoFunction(statement: Statement, catalog: ActionCatalog): string[] {
  const found: string[] = [];
  for (const written of statement.action) {
    const action = knownString(written);
    if (action === undefined || !action.toLowerCase().startsWith('lambda:')) {
      found.push(displayString(written) ?? 'an action the scan cannot read');
      continue;
    }
    const names = catalog.expand(action);
    if (names.length === 0 && catalog.serviceExists('lambda') !== true) found.push(action);
    for (const name of names) {
      const types = catalog.resourceTypes(name);
      if (types === undefined || !types.some((t) => FUNCTION_TYPES.has(t))) found.push(name);
    }
  }
  return [...new Set(found)];
}
