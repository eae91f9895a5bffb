import { effectOf, grantsOnAllFunctions, LAYER_PROBES, type Grant } from '../../iam/statement.js';
import { wildcardMatches } from '../../iam/wildcard.js';
import type { PolicyDocument } from '../../model/types.js';
import { knownString } from '../../model/value.js';

/**
 * What lets the caller supply a layer: lambda:GetLayerVersion on every layer, which adding a layer to a function needs
 * on it. Every layer includes other accounts': the caller's own account elsewhere publishes one and shares it with
 * everyone, so PublishLayerVersion here is not needed; when granted too it is named (evidence as before it was optional).
 */
const USE_LAYER = 'lambda:GetLayerVersion';
const PUBLISH_LAYER = 'lambda:PublishLayerVersion';

/** The layer grants on every layer (a boundary must allow each too): GetLayerVersion's, and PublishLayerVersion's when granted; undefined without GetLayerVersion. */
export function ownLayerGrants(documents: PolicyDocument[], boundary: PolicyDocument | undefined): { actions: string[]; grants: Grant[][]; clause: string } | undefined {
  const onEveryLayer = (action: string) => (boundary && grantsOnAllFunctions([boundary], action, LAYER_PROBES).length === 0 ? [] : grantsOnAllFunctions(documents, action, LAYER_PROBES));
  const use = onEveryLayer(USE_LAYER);
  if (use.length === 0) return undefined;
  const publish = onEveryLayer(PUBLISH_LAYER);
  if (publish.length > 0) return { actions: [PUBLISH_LAYER, USE_LAYER], grants: [publish, use], clause: `${PUBLISH_LAYER} and ${USE_LAYER} on every layer` };
  const anyAccount = use.filter(reachesOtherAccounts);
  return anyAccount.length === 0 ? undefined : { actions: [USE_LAYER], grants: [anyAccount], clause: `${USE_LAYER} on every layer (a layer another account shares with everyone)` };
}

/**
 * Whether a grant on every layer reaches other accounts' layers as written (`*`, `arn:aws:lambda:*:*:layer:*`), not only
 * this account's (a literal or symbolic account: `${AWS::AccountId}` is unknown here, so not counted). NotResource and
 * NotAction grants leave every layer but those listed.
 */
function reachesOtherAccounts(grant: Grant): boolean {
  if (!grant.resource) return true;
  const written = knownString(grant.resource);
  return written !== undefined && LAYER_PROBES.every((probe) => wildcardMatches(written, probe));
}

/** The policies less every Allow with a lambda:Layer condition: it may admit only particular layers (which only takes findings away). */
export function anyLayer(documents: PolicyDocument[]): PolicyDocument[] {
  return documents.map((d) => ({ ...d, statements: d.statements.filter((s) => !(effectOf(s) === 'Allow' && s.condition.some((c) => /^lambda:layer$/i.test(c.key)))) }));
}
