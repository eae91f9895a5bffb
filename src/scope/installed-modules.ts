import type { Model, ModuleCallSite } from '../model/types.js';
import type { Finding } from '../rules/types.js';

/** A path inside what `terraform init` installs: code the user does not write, review or commit. */
const INSTALLED = /(^|\/)\.terraform\/modules\//;

/**
 * Findings in the code of a module `terraform init` installed are moved to the `module` block that
 * calls it, in the user's own code: that block is what the user reviews, commits, suppresses and can
 * change (its arguments, or the module version), and the installed files are not in the repository
 * for code scanning to annotate. The message keeps the place in the module's code; machine edits are
 * dropped, since `terraform init` would download the edited files again.
 */
export function relocateToModuleCalls(findings: Finding[], model: Model): void {
  const calls = model.moduleCalls;
  if (!calls) return;
  for (const finding of findings) {
    if (!INSTALLED.test(finding.range.file)) continue;
    const site = callerSite(finding.resource, finding.range.file, calls);
    if (!site) continue;
    const { file, line } = finding.range;
    const module = [site.source, site.version].filter(Boolean).join(' ');
    finding.message = `${finding.message} (in the code of module ${module ? `${module}, ` : ''}${file}:${line})`;
    finding.suggestion = `${finding.suggestion} Do it through this module block's arguments (or another module version): the module's installed code is not yours to edit.`;
    finding.range = site.range;
    delete finding.fix;
  }
}

/**
 * The module call of an address that is written outside installed code, the deepest one (the block
 * that passes what the installed code receives). Roots calling a module by the same name give the
 * same address: the call written in the root whose `.terraform` holds the finding's file is the one.
 */
function callerSite(address: string, file: string, calls: readonly ModuleCallSite[]) {
  const root = file.slice(0, INSTALLED.exec(file)!.index);
  const inRoot = (site: ModuleCallSite) => root === '' || site.range.file.startsWith(`${root}/`);
  let found: ModuleCallSite | undefined;
  // By the recorded prefixes, not by splitting the address: instance keys (`module.m["a.b"].`) may hold dots.
  for (const site of calls) {
    if (!address.startsWith(site.prefix) || INSTALLED.test(site.range.file)) continue;
    if (!found || site.prefix.length > found.prefix.length || (site.prefix.length === found.prefix.length && !inRoot(found) && inRoot(site))) found = site;
  }
  return found;
}
