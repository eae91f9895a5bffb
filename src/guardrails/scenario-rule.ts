import { TERRAFORM_CONFIG, TERRAFORM_JSON_CONFIG } from '../discover/classify.js';
import type { Fix, FixSnippets } from '../fix/types.js';
import { stableEvidence } from '../rules/support/stable-evidence.js';
import type { Finding, RuleContext, RuleMeta } from '../rules/types.js';
import { guardrailsActive } from './activation.js';
import { guardrailSnippets } from './emit.js';
import { exampleText, gapReason, type GapReason } from './gap-reason.js';
import { guardrailTargets, targetVerdict, type GuardrailTarget, type Scp } from './organization.js';
import { guardrailSpec, scenarioRequest, type Scenario } from './scenarios.js';

/**
 * A preventive guardrail rule: every attack scenario of `policies/guardrails/<id>.json` must be
 * denied by the SCPs reaching every target. One finding names the scenarios that get through and
 * the targets they get through on; it stands on the first such target (the root comes first).
 */
export function scenarioFindings(context: RuleContext, meta: RuleMeta, advice: string): Finding[] {
  if (!guardrailsActive(context)) return [];
  const spec = guardrailSpec(meta.id);
  const facts = { ...(context.config?.orgId ? { orgId: context.config.orgId } : {}), accounts: context.config?.accounts ?? [], cidrs: context.config?.cidrs ?? [] };
  const requests = spec.scenarios.map((s) => ({ scenario: s, request: scenarioRequest(s, facts) }));
  // Targets reached by the same SCPs (every account under a root, typically) get the same answer, unless one is a known account.
  const answers = new Map<string, Scenario[]>();
  const ids = new Map<Scp, number>();
  const id = (scp: Scp) => ids.get(scp) ?? (ids.set(scp, ids.size), ids.size - 1);
  const through = (target: GuardrailTarget): Scenario[] => {
    const reach = `${target.scps.map(id).join(',')}|${target.maybe.map(id).join(',')}|${target.unknownAncestry}|${target.account ?? ''}`;
    let found = answers.get(reach);
    if (!found) answers.set(reach, (found = requests.filter((r) => targetVerdict(target, r.request) === 'not-denied').map((r) => r.scenario)));
    return found;
  };
  const gaps = guardrailTargets(context.model)
    .map((target) => ({ target, through: through(target) }))
    .filter((g) => g.through.length > 0);
  if (gaps.length === 0) return [];
  const [first] = gaps;
  const passing = [...new Set(gaps.flatMap((g) => g.through))];
  const scenarios = passing.map((s) => s.name);
  const labels = gaps.map((g) => g.target.label);
  const targets = labels.length > 3 ? `${labels.slice(0, 3).join(', ')} and ${labels.length - 3} more` : labels.join(', ');
  const notDenied = `${scenarios.map((s) => `"${s}"`).join(', ')} ${scenarios.length > 1 ? 'are' : 'is'} not denied on ${targets}`;
  const attach = `the SCP in policies/guardrails/${meta.id}.json to the root (\`invokeguard guardrails --emit terraform|cloudformation|json\` prints the full set)`;
  const reason = gapReason(first.target, requests.filter((r) => first.through.includes(r.scenario)));
  return [
    {
      ruleId: meta.id,
      severity: meta.severity,
      message: reason ? `SCPs stop ${spec.title} only in part: ${notDenied}. ${partialText(reason)}.` : `No SCP stops ${spec.title}: ${notDenied}.`,
      range: first.target.range,
      resource: first.target.address,
      suggestion: reason ? `${advice} ${widenText(reason)}, or attach ${attach}.` : `${advice} Attach ${attach}.`,
      evidence: stableEvidence(passing, (s) => s.action).map((s) => s.name).join('; '),
      fix: scpFix(guardrailSnippets(meta.id, facts), targets, first.target.range.file),
    },
  ];
}

/**
 * A fix applied by hand: the SCP is created and attached where the organisation is managed, not
 * in the scanned file. The replacement is in the language of the file the gap was found in.
 */
function scpFix(snippets: FixSnippets, targets: string, file: string): Fix {
  const placeholders = [...new Set(snippets.scp.match(/<[A-Z_]+>/g) ?? [])];
  const replacement = TERRAFORM_CONFIG.test(file) || TERRAFORM_JSON_CONFIG.test(file) ? snippets.terraform : /\.(ya?ml|template)$|\.cfn\.json$/.test(file) ? snippets.cloudformation : snippets.scp;
  return {
    description: [
      'Create the recommended SCP and attach it to the root where your AWS Organization is managed (this fix\'s replacement;',
      `\`--format json\` shows it as SCP JSON, Terraform and CloudFormation). The gap is on ${targets}.`,
      ...(placeholders.length > 0 ? [`Replace ${placeholders.join(', ')} first (AWS rejects placeholders).`] : []),
      '`invokeguard guardrails --emit terraform|cloudformation|json` prints the full set with attachments and detective controls.',
      'Not applied by --fix: an SCP is not an edit of the scanned file.',
    ].join(' '),
    replacement,
    edits: [],
    snippets,
  };
}

/** The SCPs that deny some of the attack's requests, the one they let through and what spares it. */
function partialText(reason: GapReason): string {
  const names = reason.scps.map((s) => s.scp.address);
  const why = reason.scps.filter((s) => s.reasons.length > 0).map((s) => `${s.scp.address}'s ${s.reasons.join(' and ')}`);
  return `${names.join(' and ')} ${names.length > 1 ? 'deny' : 'denies'} "${reason.scenario.name}" only for some requests: ${exampleText(reason.example)} it is not denied${why.length > 0 ? ` (${why.join('; ')})` : ''}`;
}

/** How to make the SCPs written for the attack cover it: widen their Resource, drop the exemption. */
function widenText(reason: GapReason): string {
  const dedicated = reason.scps.filter((s) => s.dedicated && s.fixes.length > 0);
  const fixing = dedicated.length > 0 ? dedicated : reason.scps.filter((s) => s.fixes.length > 0);
  if (fixing.length === 0) return `Make ${reason.scps.map((s) => s.scp.address).join(' and ')} deny every such request`;
  return fixing.map((s, i) => `${i === 0 ? 'In' : 'in'} ${s.scp.address}, ${s.fixes.join(' and ')}`).join('; ');
}
