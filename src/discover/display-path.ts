import { relative, resolve, sep } from 'node:path';

/**
 * Paths as findings show them: relative to `cwd`, with forward slashes ('.' for `cwd` itself).
 * Relative paths are taken from `cwd`. Most paths lie under `cwd`: those are cut, not resolved.
 */
export function displayPath(cwd: string): (path: string) => string {
  const base = resolve(cwd);
  const prefix = base.endsWith(sep) ? base : base + sep;
  return (path) => {
    const relativePath = path.startsWith(prefix) && !path.includes(`${sep}.`) ? path.slice(prefix.length) : relative(base, resolve(base, path));
    return (sep === '/' ? relativePath : relativePath.split(sep).join('/')) || '.';
  };
}
