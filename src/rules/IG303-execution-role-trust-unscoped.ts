import { identityGraph } from '../model/identity-graph.js';
import { hasSourceCondition, lambdaTrustStatements } from '../iam/trust.js';
import { identityLabel } from './support/identity.js';
import type { Finding, Rule } from './types.js';

export const IG303: Rule = {
  meta: {
    id: 'IG303',
    title: 'Lambda execution role trust is not scoped to your account or function',
    severity: 'low',
    attack: 'T1648',
    description:
      'A trust statement for lambda.amazonaws.com without an aws:SourceAccount or aws:SourceArn condition lets Lambda assume the role on behalf of any function that names it, in any account that can pass it (the confused-deputy pattern AWS recommends closing with these keys). Either key is enough; SAM-generated roles are not reported.',
    fixable: true,
  },
  check({ model }) {
    const findings: Finding[] = [];
    for (const node of identityGraph(model).nodes) {
      const trust = node.identity.trustDocument;
      if (!node.executionRole || node.identity.implicit || !trust) continue;
      const unscoped = lambdaTrustStatements(trust).find((s) => !hasSourceCondition(s));
      if (!unscoped) continue;
      const terraform = !node.identity.sourceType.startsWith('AWS::');
      findings.push({
        ruleId: 'IG303',
        severity: 'low',
        message: `Execution role ${identityLabel(node)} lets lambda.amazonaws.com assume it with no aws:SourceAccount or aws:SourceArn condition.`,
        range: unscoped.range,
        resource: node.identity.address,
        evidence: 'Principal lambda.amazonaws.com, no aws:SourceAccount / aws:SourceArn',
        suggestion: terraform
          ? 'Add a condition to the Lambda trust statement: StringEquals aws:SourceAccount = data.aws_caller_identity.current.account_id (or ArnLike aws:SourceArn = the function ARN pattern).'
          : 'Add Condition: { StringEquals: { "aws:SourceAccount": !Ref AWS::AccountId } } to the Lambda trust statement (or ArnLike aws:SourceArn on the function ARN).',
      });
    }
    return findings;
  },
};
