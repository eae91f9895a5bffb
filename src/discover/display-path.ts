import { isAbsolute, relative, resolve, sep } from 'node:path';

/**
 * Paths as findings show them: relative to `cwd`, with forward slashes ('.' for `cwd` itself).
 * Relative paths are taken from `cwd`. Most paths lie under `cwd`: those are cut, not resolved.
 * Other plain absolute paths (a scan of a folder beside `cwd`) resolve their folder once: a scan
 * asks for thousands of files in a few folders, and `relative` costs several microseconds a call.
 */
export function displayPath(cwd: string): (path: string) => string {
  const base = resolve(cwd);
  const prefix = base.endsWith(sep) ? base : base + sep;
  const folders = new Map<string, string>();
  const slashed = (path: string) => (sep === '/' ? path : path.split(sep).join('/'));
  const resolved = (path: string) => slashed(relative(base, resolve(base, path)));
  return (path) => {
    // Only paths without `.`/`..` segments, doubled or trailing separators can be cut or split as they are.
    const plain = !path.includes(`${sep}.`) && !path.includes(sep + sep) && !path.endsWith(sep);
    if (plain && path.startsWith(prefix)) return slashed(path.slice(prefix.length)) || '.';
    if (path === base) return '.';
    const cut = path.lastIndexOf(sep);
    if (!plain || !isAbsolute(path) || cut <= 0 || cut === path.length - 1) return resolved(path) || '.';
    const folder = path.slice(0, cut);
    let shown = folders.get(folder);
    if (shown === undefined) folders.set(folder, (shown = resolved(folder)));
    const name = path.slice(cut + 1);
    return shown === '' ? name : `${shown}/${name}`;
  };
}
