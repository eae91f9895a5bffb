import { createTwoFilesPatch, FILE_HEADERS_ONLY } from 'diff';
import type { FileFix } from './apply.js';

/** The fixes as one unified diff with `a/`/`b/` paths relative to the working folder: `git apply` takes it there. */
export function unifiedDiff(fixes: readonly FileFix[]): string {
  return fixes
    .filter((f) => !f.refused && f.before !== f.after)
    .map((f) => `diff --git a/${f.file} b/${f.file}\n${createTwoFilesPatch(`a/${f.file}`, `b/${f.file}`, f.before, f.after, undefined, undefined, { headerOptions: FILE_HEADERS_ONLY })}`)
    .join('');
}
