import { guardrailsActive } from '../guardrails/activation.js';
import { guardrailTargets, targetVerdict } from '../guardrails/organization.js';
import { GUARDRAIL_RULES, guardrailSpec } from '../guardrails/scenarios.js';
import { effectOf } from '../iam/statement.js';
import type { Range } from '../model/range.js';
import type { PolicyDocument } from '../model/types.js';
import { displayString } from '../model/value.js';
import type { Finding, Rule, RuleMeta } from './types.js';

const meta: RuleMeta = {
  id: 'IG905',
  title: 'SCP content not known to the scan: guardrail checks skipped',
  severity: 'low',
  attack: 'T1648',
  remediation:
    'Write the SCP so the scan can read it: `jsonencode(...)`, an `aws_iam_policy_document`, a heredoc, or `file()` of a JSON file inside the scanned folder (a template with `%{}` directives, a variable without a value or a file outside the scan cannot be read). Or scan the SCP JSON itself with `--scp`.',
  description:
    'An SCP whose content the scan cannot know (a function it does not interpret, a variable without a default, a file outside the scanned folder, a module output it cannot follow) might deny anything, and so might a Deny whose condition the scan cannot read (an operator or key from a variable, a `Condition` that is a variable, a dynamic `condition` block over unknown items), so IG401–IG405 cannot decide whether the roots, OUs and accounts it reaches are protected, and stay silent there. This notice says so, once per such SCP at its content, naming the guardrail rules left undecided and where. It is reported only when one is: an unreadable SCP beside others that already deny every attack changes nothing.',
  fixable: false,
};

export const IG905: Rule = {
  meta,
  check(context) {
    if (!guardrailsActive(context)) return [];
    const unreadable = (context.model.posture?.orgPolicies ?? []).filter(
      (p) => p.content && (!p.document || unreadDenyCondition(p.document)) && (p.policyType === undefined || p.policyType === 'SERVICE_CONTROL_POLICY'),
    );
    if (unreadable.length === 0) return [];
    const specs = GUARDRAIL_RULES.map((rule) => ({ rule, scenarios: guardrailSpec(rule).scenarios }));
    /** Per unreadable SCP: the rules left undecided and the targets where. */
    const undecided = new Map(unreadable.map((p) => [p.address, { rules: new Set<string>(), targets: [] as string[] }]));
    for (const target of guardrailTargets(context.model)) {
      const reaching = [...target.scps, ...target.maybe].filter((s) => !s.file && (!s.document || unreadDenyCondition(s.document)) && undecided.has(s.address));
      if (reaching.length === 0) continue;
      const rules = specs.filter((spec) => spec.scenarios.some((s) => targetVerdict(target, s) === 'unknown')).map((spec) => spec.rule);
      if (rules.length === 0) continue;
      for (const scp of new Set(reaching)) {
        const entry = undecided.get(scp.address)!;
        for (const rule of rules) entry.rules.add(rule);
        entry.targets.push(target.label);
      }
    }
    const findings: Finding[] = [];
    for (const policy of unreadable) {
      const { rules, targets } = undecided.get(policy.address)!;
      if (rules.size === 0) continue;
      const { value } = policy.content!;
      const condition = policy.document ? unreadDenyCondition(policy.document) : undefined;
      const written = condition ? 'a Deny condition it cannot read' : ((value.kind === 'unknown' ? value.ref : displayString(value)) ?? 'its content');
      const what = condition ? `A Deny condition of SCP ${policy.address} is not known to the scan (an operator or key from a variable, or a dynamic block over items it cannot know)` : `The content of SCP ${policy.address} (${written}) is not known to the scan`;
      const where = targets.length > 3 ? `${targets.slice(0, 3).join(', ')} and ${targets.length - 3} more` : targets.join(', ');
      findings.push({
        ruleId: meta.id,
        severity: meta.severity,
        message: `${what}, so ${[...rules].join(', ')} cannot tell whether it protects ${where}, and report nothing there.`,
        range: condition ?? policy.content!.range,
        resource: policy.address,
        evidence: written,
        suggestion: meta.remediation!,
      });
    }
    return findings;
  },
};

/** Where a Deny statement's condition cannot be read: such a Deny may or may not apply, so the guardrail verdicts it decides are unknown. */
function unreadDenyCondition(document: PolicyDocument): Range | undefined {
  return document.statements.find((s) => effectOf(s) === 'Deny' && s.unknownCondition)?.unknownCondition;
}
