import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
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
    // Outside cwd: each folder is resolved once and remembered, so ask twice.
    [resolve('/work/other/y/z.tf')],
    [resolve('/work/other/y/z.tf')],
    [resolve('/work/other/y/w.tf')],
    [resolve('/work')],
    [resolve('/x.tf')],
    [`${resolve('/work/other')}${sep}`],
    [`${resolve('/work/other')}${sep}a${sep}..${sep}b.tf`],
    [`${resolve('/work/other')}${sep}${sep}b.tf`],
    [`${resolve('/work/other')}${sep}.hidden${sep}b.tf`],
    [`${cwd}${sep}work${sep}`],
  ])('%s: as path.relative shows it', (path) => {
    expect(display(path)).toBe(reference(path));
  });

  it('agrees with path.relative on generated paths, in any order of asking', () => {
    const segment = fc.constantFrom('work', 'repo', 'repo-sibling', 'other', 'a', 'a b', 'ü', '.', '..', '', '.hidden', 'main.tf');
    const path = fc.tuple(fc.boolean(), fc.array(segment, { maxLength: 6 })).map(([absolute, parts]) => (absolute ? sep : '') + parts.join(sep));
    fc.assert(
      fc.property(fc.array(path, { minLength: 1, maxLength: 20 }), (paths) => {
        const fresh = displayPath(cwd);
        for (const p of paths) expect(fresh(p)).toBe(reference(p));
      }),
      { numRuns: 1000 },
    );
  });
});
