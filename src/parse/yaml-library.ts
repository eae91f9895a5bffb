import { createRequire } from 'node:module';

type YamlLibrary = typeof import('yaml');

let library: YamlLibrary | undefined;

/**
 * The `yaml` library, loaded only when a scan needs it: the fast paths parse typical templates
 * without it, and loading it took a tenth of a one-file run's start-up. A dynamic import, so the
 * bundle keeps it in a chunk of its own. Callers that can wait (a declined template, a config
 * file, a Terraform file calling yamldecode) load it here before the synchronous code using it.
 */
export async function loadYamlLibrary(): Promise<YamlLibrary> {
  // The package is CommonJS: its exports object is the namespace's default (in the bundle, the only export).
  const loaded: YamlLibrary & { default?: YamlLibrary } = await import('yaml');
  return (library ??= loaded.default ?? loaded);
}

/**
 * The library for synchronous code. Loaded by loadYamlLibrary on every path the CLI takes; a caller
 * that did not (a test, an API user) still gets it, through require: slower, but never wrong.
 */
export function yamlLibrary(): YamlLibrary {
  return (library ??= createRequire(import.meta.url)('yaml') as YamlLibrary);
}
