import { functionReach, sharedFunction, type GlobCompiler, type ScopedGrant } from '../../iam/shared-function.js';
import { coversAction, effectOf, hasScopingCondition, isUnconditionalDeny } from '../../iam/statement.js';
import { isTagGated, settableTags, withoutResourceTags } from '../../iam/tag-conditions.js';
import type { PolicyDocument, Statement } from '../../model/types.js';

/** The ways to run a function that an aws:ResourceTag condition can gate (an event source mapping's tags are its own). */
const RUN_BY_TAG = ['lambda:InvokeFunction', 'lambda:AddPermission', 'lambda:PutResourcePolicy'];
const CREATE = 'lambda:CreateFunction';
const TAG = 'lambda:TagResource';
/** Gated, create and tag statements compared (each a few searches): past this many, none is reported. */
const MAX_TRIPLES = 64;

export interface TaggedPath {
  actions: string[];
  clause: string;
  statements: Statement[];
  /** The grant that runs the function. */
  run: ScopedGrant;
}

/**
 * CreateFunction, TagResource and a run action gated by aws:ResourceTag, on one function name they share,
 * when the tags the caller may send on create meet the gate (see settableTags): it creates the function
 * with any role it can pass, tagged to match, and runs it. A TagResource or CreateFunction grant with a
 * scoping condition of its own, or a boundary whose grant is tag-gated, counts for nothing here.
 * `keep`: the run grants that may be used.
 */
export function taggedDeployment(documents: readonly PolicyDocument[], boundary: PolicyDocument | undefined, compiler: GlobCompiler, keep: (grant: ScopedGrant) => boolean): TaggedPath | undefined {
  const statements = documents.flatMap((d) => d.statements);
  const allowing = (action: string, accept: (s: Statement) => boolean) => statements.filter((s) => effectOf(s) === 'Allow' && coversAction(s, action) && accept(s));
  const creates = allowing(CREATE, (s) => !hasScopingCondition(s));
  const taggers = allowing(TAG, (s) => !hasScopingCondition(s));
  if (creates.length === 0 || taggers.length === 0) return undefined;
  const denies = statements.filter(isUnconditionalDeny);
  // One statement and every unconditional Deny: the reach of that statement alone.
  const alone = (statement: Statement, action: string) => functionReach([{ range: documents[0].range, statements: [statement, ...denies] }], action, compiler);
  const cap = (action: string) => (boundary ? [functionReach([boundary], action, compiler)] : []);
  let triples = 0;
  for (const action of RUN_BY_TAG) {
    for (const gate of allowing(action, isTagGated)) {
      const open = withoutResourceTags(gate);
      for (const create of creates)
        for (const tagger of taggers) {
          if (++triples > MAX_TRIPLES) return undefined;
          const tags = settableTags(create === tagger ? [create] : [create, tagger], gate, compiler.table);
          if (!tags) continue;
          const run = alone(open, action);
          run.grants = run.grants.filter(keep);
          const shared = sharedFunction(alone(create, CREATE), run, compiler, [...cap(CREATE), ...cap(TAG), ...cap(action)], [alone(tagger, TAG)]);
          if (!shared?.second) continue;
          const allowedBy = create === tagger ? label(create) : `${label(create)} and ${label(tagger)}`;
          const tagged = tags.map((t) => `${t.key} = \`${t.value}\``).join(', ');
          const keys = tags.map((t) => `aws:ResourceTag/${t.key}`).join(', ');
          return {
            actions: [CREATE, TAG, action],
            clause: `${CREATE}, ${TAG} and ${action} on ${shared.scope}, tagging the function it creates ${tagged} (allowed by ${allowedBy}) to meet the ${keys} condition of ${label(gate)}`,
            statements: [create, tagger, gate],
            run: shared.second,
          };
        }
    }
  }
  return undefined;
}

/** How a message names a statement: its Sid, and where it is. */
function label(statement: Statement): string {
  const where = `${statement.range.file}:${statement.range.line}`;
  return statement.sid ? `statement "${statement.sid}" (${where})` : `the statement at ${where}`;
}
