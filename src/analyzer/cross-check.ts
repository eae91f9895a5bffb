import type { ValidatePolicyFinding } from '@aws-sdk/client-accessanalyzer';
import { mapLimit } from '../map-limit.js';
import type { Range } from '../model/range.js';
import type { Model } from '../model/types.js';
import { ACCESS_ANALYZER_RULE } from '../rules/registry.js';
import type { CrossCheck, Finding } from '../rules/types.js';
import { createAnalyzerApi, describeError, isRequestProblem, type AnalyzerApi, type AnalyzerOptions, type CheckAnswer } from './client.js';
import { policiesToCheck, type PolicyToCheck } from './policies.js';

export interface CrossCheckOptions extends AnalyzerOptions {
  /** Whether IG601 is enabled (ValidatePolicy is only called when it is). */
  validate: boolean;
  /** Only the policies this accepts are sent (`--changed-only`: those of the changed files, not of their context). */
  only?: (policy: PolicyToCheck) => boolean;
}

export interface CrossCheckResult {
  /** IG601 findings. */
  findings: Finding[];
  /** At most one line: why Access Analyzer could not be asked (some or all of it). */
  warning?: string;
}

/** The finding types Access Analyzer can judge, and which check of a policy judges them. */
const JUDGED: Record<string, 'public' | 'invoke'> = { IG101: 'public', IG201: 'invoke' };

type Outcome<T> = { ok: true; value: T } | { ok: false; error: string };

/**
 * Sends every policy of the scan (or those `only` accepts) to Access Analyzer, turns its validation errors and security
 * warnings into IG601 findings and sets `crossCheck` on each IG101/IG201 finding. Never throws:
 * whatever goes wrong leaves the offline findings as they are, with one warning.
 */
export async function crossCheck(model: Model, findings: Finding[], options: CrossCheckOptions, connect = createAnalyzerApi): Promise<CrossCheckResult> {
  const policies = options.only ? policiesToCheck(model).filter(options.only) : policiesToCheck(model);
  let api: AnalyzerApi | undefined;
  let outage: string | undefined;
  let rejected: string | undefined;
  try {
    api = await connect(options);
  } catch (error) {
    outage = describeError(error);
  }
  // After the service proved unreachable, the remaining calls are not made: one timeout, not one per policy.
  const ask = async <T>(call: (api: AnalyzerApi) => Promise<T>): Promise<Outcome<T>> => {
    if (!api || outage) return { ok: false, error: outage ?? 'not connected' };
    try {
      return { ok: true, value: await call(api) };
    } catch (error) {
      const reason = describeError(error);
      if (isRequestProblem(error)) rejected ??= reason;
      else outage ??= reason;
      return { ok: false, error: reason };
    }
  };
  const results = await mapLimit(policies, options.concurrency, async (policy) => ({
    validation: options.validate
      ? await ask((a) => a.validatePolicy({ policyDocument: policy.rendered.text, policyType: policy.policyType, ...(policy.validateResourceType ? { validatePolicyResourceType: policy.validateResourceType } : {}) }))
      : undefined,
    access:
      policy.access === 'public'
        ? await ask((a) => a.checkNoPublicAccess({ policyDocument: policy.rendered.text, resourceType: 'AWS::Lambda::Function' }))
        : policy.access === 'invoke'
          ? await ask((a) => a.checkAccessNotGranted({ policyDocument: policy.rendered.text, policyType: 'IDENTITY_POLICY', access: [{ actions: ['lambda:InvokeFunction'] }] }))
          : undefined,
  }));

  for (const finding of findings) {
    const kind = JUDGED[finding.ruleId];
    if (kind) finding.crossCheck = judge(finding, kind, policies, results.map((r) => r.access));
  }
  const issues: Finding[] = [];
  const seen = new Set<string>();
  policies.forEach((policy, i) => {
    const validation = results[i].validation;
    if (!validation?.ok) return;
    for (const f of validation.value) {
      const issue = validationFinding(policy, f);
      const key = issue && `${issue.resource}|${issue.range.file}|${issue.range.line}|${issue.range.column}|${issue.evidence}`;
      if (!issue || !key || seen.has(key)) continue;
      seen.add(key);
      issues.push(issue);
    }
  });
  const problem = outage ? `unreachable (${outage})` : rejected ? `rejected a request (${rejected})` : undefined;
  return { findings: issues, ...(problem ? { warning: `Access Analyzer cross-check ${problem}; findings are the offline results.` } : {}) };
}

/** Access Analyzer's verdict on one finding, from the check of the policy holding its statement. */
function judge(finding: Finding, kind: 'public' | 'invoke', policies: PolicyToCheck[], answers: Array<Outcome<CheckAnswer> | undefined>): CrossCheck {
  const at = policies.findIndex((p) => p.access === kind && p.statements.some((s) => s.address === finding.resource && contains(s.range, finding.range)));
  if (at < 0) return { verdict: 'unavailable', reason: 'the policy holding this grant could not be rendered for Access Analyzer' };
  const answer = answers[at];
  if (!answer?.ok) return { verdict: 'unavailable', reason: answer?.error ?? 'not checked' };
  const indices = new Set(policies[at].statements.flatMap((s, i) => (s.address === finding.resource && contains(s.range, finding.range) ? [i] : [])));
  return verdict(answer.value, indices, kind);
}

/**
 * FAIL means the policy grants what the check asked about: confirmed, unless Access Analyzer
 * names only other statements as the cause. PASS disputes the finding.
 */
export function verdict(answer: CheckAnswer, statements: ReadonlySet<number>, kind: 'public' | 'invoke'): CrossCheck {
  const asked = kind === 'public' ? 'public access to the function' : 'lambda:InvokeFunction';
  if (answer.result === 'PASS') return { verdict: 'disputed', reason: `Access Analyzer finds no ${asked}${answer.message ? `: ${answer.message}` : ''}` };
  if (answer.result !== 'FAIL') return { verdict: 'unavailable', reason: `Access Analyzer answered ${answer.result ?? 'nothing'}` };
  const located = answer.reasons.filter((r) => r.statementIndex !== undefined);
  const here = located.find((r) => statements.has(r.statementIndex as number));
  if (here || located.length === 0) return { verdict: 'confirmed', reason: `Access Analyzer confirms ${asked}: ${here?.description ?? answer.reasons[0]?.description ?? answer.message ?? 'FAIL'}` };
  const others = [...new Set(located.map((r) => r.statementIndex))].join(', ');
  return { verdict: 'disputed', reason: `Access Analyzer attributes ${asked} to statement ${others}, not this one` };
}

/** An ERROR or SECURITY_WARNING as an IG601 finding at the source of the element Access Analyzer points at. */
function validationFinding(policy: PolicyToCheck, finding: ValidatePolicyFinding): Finding | undefined {
  if (finding.findingType !== 'ERROR' && finding.findingType !== 'SECURITY_WARNING') return undefined;
  let range: Range | undefined;
  for (const location of finding.locations ?? []) {
    const offset = location.span?.start?.offset;
    if (offset !== undefined) {
      const found = policy.rendered.locate(offset);
      // About a value we made up for an unknown reference: not the user's policy.
      if (found.placeholder) return undefined;
      range = found.range;
    }
    range ??= policy.rendered.locatePath(location.path ?? []);
    if (range) break;
  }
  range ??= policy.range;
  const at = range;
  const resource = policy.statements.find((s) => contains(s.range, at))?.address ?? policy.address;
  const code = finding.issueCode ?? 'UNKNOWN';
  return {
    ruleId: ACCESS_ANALYZER_RULE.id,
    severity: finding.findingType === 'SECURITY_WARNING' ? 'high' : 'medium',
    message: `Access Analyzer ${finding.findingType === 'ERROR' ? 'error' : 'security warning'} ${code}: ${finding.findingDetails ?? ''}`.trim(),
    range,
    resource,
    evidence: code,
    suggestion: finding.learnMoreLink ? `Follow Access Analyzer's guidance: ${finding.learnMoreLink}` : 'Correct the policy element Access Analyzer points at.',
  };
}

function contains(outer: Range, inner: Range): boolean {
  if (outer.file !== inner.file) return false;
  const before = (l1: number, c1: number, l2: number, c2: number) => l1 < l2 || (l1 === l2 && c1 <= c2);
  return before(outer.line, outer.column, inner.line, inner.column) && before(inner.endLine, inner.endColumn, outer.endLine, outer.endColumn);
}
