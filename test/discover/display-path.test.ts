import { describe, expect, it } from '@jest/globals';
import { relative, resolve, sep } from 'node:path';
import { displayPath } from '../../src/discover/display-path.js';

describe('displayPath', () => {
  const cwd = resolve('/work/repo');
  const display = displayPath(cwd);
  /** The definition the shortcut must keep: path.relative from cwd, forward slashes, '.' for cwd. */
  const reference = (p: string) => relative(cwd, resolve(cwd, p)).split(sep).join('/') || '.';

  it.each([
    [`${cwd}${sep}main.tf`],
    [`${cwd}${sep}a${sep}b${sep}c.yaml`],
    [cwd],
    [`${cwd}${sep}`],
    [resolve('/work/other/x.tf')],
    [`${cwd}${sep}a${sep}..${sep}b.tf`],
    [`${cwd}${sep}.github${sep}w.yml`],
    [`${cwd}-sibling${sep}x.tf`],
    ['modules/x/main.tf'],
    ['.'],
  ])('%s: as path.relative shows it', (path) => {
    expect(display(path)).toBe(reference(path));
  });
});
