import type { Range } from '../model/range.js';
import type { FunctionUrl, ResourceBase } from '../model/types.js';
import { knownString } from '../model/value.js';
import { urlConsumers } from './support/url-consumers.js';
import { fix, propertyName } from './support/fix.js';
import { invokeGrant } from './support/grant.js';
import { namedFunction } from './support/suggest.js';
import { at, callName, moduleValueOrigin, originText, type ModuleValueOrigin } from './support/module-value.js';
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
      'Use `AWS_IAM` and grant `lambda:InvokeFunctionUrl` to the roles that call the URL. A URL that must be public belongs behind CloudFront with origin access control, not on the function itself. `--fix` sets `AWS_IAM` only when nothing in the scan reads the URL: a CloudFront origin, a webhook registration or an output naming it has callers that do not sign their requests, which would then get 403.',
    description:
      'A Lambda function URL with authorization type NONE can be called by anyone on the internet, with no AWS signature: a public execution path and an easy persistence backdoor.',
    fixable: true,
  },
  check({ model }) {
    const findings: Finding[] = [];
    for (const url of model.functionUrls) {
      const auth = url.authorizationType;
      const written = knownString(auth?.value);
      if (!auth || written?.toUpperCase() !== 'NONE') continue;
      // In a module's code, the unsafe value is a default its call leaves, or what its call passes: say which, and
      // report a passed value where it is written, since that is what to change (the module's code is shared).
      const origin = moduleValueOrigin(model, url, auth.range, auth.value.range);
      const passed = origin?.kind === 'passed';
      const attribute = propertyName(url, 'authorization_type', 'AuthType');
      const consumers = urlConsumers(model, url);
      // Outside a module instance's origin, where the value was written when not in the attribute (a variable default, a local).
      const from = origin ? undefined : valueOrigin(auth);
      const why = `Set ${attribute} to AWS_IAM: callers then need a SigV4 signature and lambda:InvokeFunctionUrl.`;
      findings.push({
        ruleId: 'IG104',
        severity: 'high',
        message: `${url.address} makes its function callable by anyone on the internet: authorization type is NONE${origin ? originText(origin, auth.range, url) : from ? ` (${from})` : ''}.`,
        range: passed ? origin.written : auth.range,
        resource: url.address,
        ...rootsOf(url),
        ...invokeGrant({ kind: 'internet' }, namedFunction(model, url)),
        evidence: 'authorization type NONE',
        suggestion: `Set the authorization type to AWS_IAM${origin ? ` ${forTheCall(origin)}` : ''} and grant lambda:InvokeFunctionUrl only to the roles that call it; put CloudFront with origin access control in front if it must be public.`,
        fix: consumers.length > 0
          ? authTypeFix(url, auth.range, consumers)
          : !passed
          ? fix(why, [{ kind: 'set', attribute: auth.range, value: { kind: 'string', value: 'AWS_IAM' } }])
          : origin.argument
          ? fix(why, [{ kind: 'replace', range: origin.written, expect: written, value: { kind: 'string', value: 'AWS_IAM' } }])
          : fix(`${why} Not applied by --fix: the value is written at ${at(origin.written)}, which may serve more than ${callName(origin.call)}; change what it passes there.`),
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

/** Where to set AWS_IAM for a module instance: in its call's block, or where the call's value is written. */
function forTheCall(origin: ModuleValueOrigin): string {
  if (origin.kind === 'default') return `for ${callName(origin.call)} (${origin.variable} = "AWS_IAM" in its module block, or as the variable's default)`;
  return origin.argument ? `in the module block of ${callName(origin.call)}` : `where ${callName(origin.call)}'s value is written (${at(origin.written)})`;
}
