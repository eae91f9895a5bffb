import { knownString } from '../model/value.js';
import { fix, propertyName } from './support/fix.js';
import { invokeGrant } from './support/grant.js';
import { namedFunction } from './support/suggest.js';
import { at, callName, moduleValueOrigin, originText, type ModuleValueOrigin } from './support/module-value.js';
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
      'Use `AWS_IAM` and grant `lambda:InvokeFunctionUrl` to the roles that call the URL. A URL that must be public belongs behind CloudFront with origin access control, not on the function itself.',
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
      const why = `Set ${attribute} to AWS_IAM: callers then need a SigV4 signature and lambda:InvokeFunctionUrl.`;
      findings.push({
        ruleId: 'IG104',
        severity: 'high',
        message: `${url.address} makes its function callable by anyone on the internet: authorization type is NONE${origin ? originText(origin, auth.range, url) : ''}.`,
        range: passed ? origin.written : auth.range,
        resource: url.address,
        ...rootsOf(url),
        ...invokeGrant({ kind: 'internet' }, namedFunction(model, url)),
        evidence: 'authorization type NONE',
        suggestion: `Set the authorization type to AWS_IAM${origin ? ` ${forTheCall(origin)}` : ''} and grant lambda:InvokeFunctionUrl only to the roles that call it; put CloudFront with origin access control in front if it must be public.`,
        fix: !passed
          ? fix(why, [{ kind: 'set', attribute: auth.range, value: { kind: 'string', value: 'AWS_IAM' } }])
          : origin.argument
          ? fix(why, [{ kind: 'replace', range: origin.written, expect: written, value: { kind: 'string', value: 'AWS_IAM' } }])
          : fix(`${why} Not applied by --fix: the value is written at ${at(origin.written)}, which may serve more than ${callName(origin.call)}; change what it passes there.`),
      });
    }
    return findings;
  },
};

/** Where to set AWS_IAM for a module instance: in its call's block, or where the call's value is written. */
function forTheCall(origin: ModuleValueOrigin): string {
  if (origin.kind === 'default') return `for ${callName(origin.call)} (${origin.variable} = "AWS_IAM" in its module block, or as the variable's default)`;
  return origin.argument ? `in the module block of ${callName(origin.call)}` : `where ${callName(origin.call)}'s value is written (${at(origin.written)})`;
}
