import { knownString } from '../model/value.js';
import { fix, propertyName } from './support/fix.js';
import { invokeGrant } from './support/grant.js';
import { namedFunction } from './support/suggest.js';
import { rootsOf } from './support/roots.js';
import { valueOrigin } from './support/value-origin.js';
import type { Finding, Rule } from './types.js';

export const IG104: Rule = {
  meta: {
    id: 'IG104',
    title: 'Function URL accepts unauthenticated requests',
    severity: 'high',
    attack: 'T1648',
    tactics: ['TA0002', 'TA0003'],
    remediation:
      'Use `AWS_IAM` and grant `lambda:InvokeFunctionUrl` to the roles that call the URL. A URL that must be public belongs behind CloudFront with origin access control, not on the function itself.',
    description:
      'A Lambda function URL with authorization type NONE can be called by anyone on the internet, with no AWS signature: a public execution path and an easy persistence backdoor.',
    fixable: true,
  },
  check({ model }) {
    const findings: Finding[] = [];
    for (const url of model.functionUrls) {
      const auth = url.authorizationType;
      if (!auth || knownString(auth.value)?.toUpperCase() !== 'NONE') continue;
      const origin = valueOrigin(auth);
      findings.push({
        ruleId: 'IG104',
        severity: 'high',
        message: `${url.address} makes its function callable by anyone on the internet: authorization type is NONE${origin ? ` (${origin})` : ''}.`,
        range: auth.range,
        resource: url.address,
        ...rootsOf(url),
        ...invokeGrant({ kind: 'internet' }, namedFunction(model, url)),
        evidence: 'authorization type NONE',
        suggestion: 'Set the authorization type to AWS_IAM and grant lambda:InvokeFunctionUrl only to the roles that call it; put CloudFront with origin access control in front if it must be public.',
        fix: fix(`Set ${propertyName(url, 'authorization_type', 'AuthType')} to AWS_IAM: callers then need a SigV4 signature and lambda:InvokeFunctionUrl.`, [
          { kind: 'set', attribute: auth.range, value: { kind: 'string', value: 'AWS_IAM' } },
        ]),
      });
    }
    return findings;
  },
};
