import type { Range } from '../model/range.js';
import type { FunctionUrl, ResourceBase } from '../model/types.js';
import { knownString } from '../model/value.js';
import { urlConsumers } from './support/url-consumers.js';
import { fix, propertyName } from './support/fix.js';
import { invokeGrant } from './support/grant.js';
import { namedFunction } from './support/suggest.js';
import { rootsOf } from './support/roots.js';
import type { Finding, Rule } from './types.js';

export const IG104: Rule = {
  meta: {
    id: 'IG104',
    title: 'Function URL accepts unauthenticated requests',
    severity: 'high',
    attack: 'T1648',
    tactics: ['TA0002', 'TA0003'],
    remediation:
      'Use `AWS_IAM` and grant `lambda:InvokeFunctionUrl` to the roles that call the URL. A URL that must be public belongs behind CloudFront with origin access control, not on the function itself. `--fix` sets `AWS_IAM` only when nothing in the scan reads the URL: a CloudFront origin, a webhook registration or an output naming it has callers that do not sign their requests, which would then get 403.',
    description:
      'A Lambda function URL with authorization type NONE can be called by anyone on the internet, with no AWS signature: a public execution path and an easy persistence backdoor.',
    fixable: true,
  },
  check({ model }) {
    const findings: Finding[] = [];
    for (const url of model.functionUrls) {
      const auth = url.authorizationType;
      if (!auth || knownString(auth.value)?.toUpperCase() !== 'NONE') continue;
      findings.push({
        ruleId: 'IG104',
        severity: 'high',
        message: `${url.address} makes its function callable by anyone on the internet: authorization type is NONE.`,
        range: auth.range,
        resource: url.address,
        ...rootsOf(url),
        ...invokeGrant({ kind: 'internet' }, namedFunction(model, url)),
        evidence: 'authorization type NONE',
        suggestion: 'Set the authorization type to AWS_IAM and grant lambda:InvokeFunctionUrl only to the roles that call it; put CloudFront with origin access control in front if it must be public.',
        fix: authTypeFix(url, auth.range, urlConsumers(model, url)),
      });
    }
    return findings;
  },
};

/**
 * AuthType AWS_IAM, unless something in the scan reads the URL: a CloudFront origin without origin access control,
 * a webhook registration, an output handing it to clients. Those callers send no SigV4 signature, so every request
 * would get 403 after the fix: it is left to a human, with what the change needs.
 */
function authTypeFix(url: FunctionUrl, at: Range, consumers: ResourceBase[]) {
  const key = propertyName(url, 'authorization_type', 'AuthType');
  const fixed = `Set ${key} to AWS_IAM: callers then need a SigV4 signature and lambda:InvokeFunctionUrl.`;
  if (consumers.length === 0) return fix(fixed, [{ kind: 'set', attribute: at, value: { kind: 'string', value: 'AWS_IAM' } }]);
  const names = consumers.map((c) => c.address).join(', ');
  return fix(
    `${fixed} Not applied by --fix: ${names} ${consumers.length > 1 ? 'read' : 'reads'} the URL, and ${consumers.length > 1 ? 'their' : 'its'} callers send unsigned requests, which AWS_IAM answers with 403. In front of CloudFront, first give the distribution an origin access control for Lambda (${propertyName(url, 'aws_cloudfront_origin_access_control', 'AWS::CloudFront::OriginAccessControl')}, origin type lambda, signing always) and grant lambda:InvokeFunctionUrl to cloudfront.amazonaws.com with the distribution's ARN as source ARN; a webhook sender or client that cannot sign needs the URL public, with each request verified in the function (a signature or shared secret).`,
  );
}
