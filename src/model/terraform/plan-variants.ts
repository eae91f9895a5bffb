import { boundaryOf, enumerateChoices, itemKey, trustOf, type Choices } from '../choices.js';
import { emptyModel, type Attribute, type Model, type PolicyDocument } from '../types.js';
import type { Evaluator } from './evaluate.js';

/** The model's lists a resource's variants add to; `resources` and `identities` hold one entry per resource, whatever its variants. */
const VARIANT_LISTS = ['permissions', 'functionUrls', 'identityPolicies', 'standalonePolicies', 'attachments', 'errors'] as const;
type VariantList = (typeof VARIANT_LISTS)[number];

/**
 * Models a resource (`add`: the mapping of its view onto a model) under every combination of the plan-time
 * choices its attributes meet (see PlanChoices): a grant public in one of the plans Terraform can make is
 * seen. Without a choice met (nearly every resource) it is modelled once, as before, at no extra cost. The
 * first variant is the resource's own entry; each other adds what it models differently (entries the same
 * but for their places are kept once), and an identity's boundaries and trust documents become its variants.
 */
export function addPlanVariants(model: Model, evaluator: Evaluator, add: (into: Model) => void): void {
  const marks = lengths(model);
  const identitiesBefore = model.identities?.length ?? 0;
  let seen: Set<string> | undefined;
  const boundaries: Array<Attribute | undefined> = [];
  const trusts: Array<PolicyDocument | undefined> = [];
  enumerateChoices((pick) => {
    const choices: Choices = { pick, met: [] };
    if (!seen) {
      seen = new Set();
      evaluator.inVariant(choices, () => add(model));
      if (choices.met.length === 0) return choices;
      for (const list of VARIANT_LISTS) for (const item of model[list]?.slice(marks[list]) ?? []) seen.add(itemKey(item));
      boundaries.push(model.identities?.[identitiesBefore]?.boundary);
      trusts.push(model.identities?.[identitiesBefore]?.trustDocument);
      return choices;
    }
    const variant = emptyModel();
    evaluator.inVariant(choices, () => add(variant));
    for (const list of VARIANT_LISTS) {
      for (const item of variant[list] ?? []) {
        const key = itemKey(item);
        if (seen.has(key)) continue;
        seen.add(key);
        ((model[list] ??= []) as object[]).push(item);
      }
    }
    if (variant.identities?.length) {
      boundaries.push(variant.identities[0].boundary);
      trusts.push(variant.identities[0].trustDocument);
    }
    return choices;
  });
  const identity = model.identities?.[identitiesBefore];
  if (identity && boundaries.length > 1) {
    const { boundary, boundaryVariants } = boundaryOf(boundaries);
    if (boundary) identity.boundary = boundary;
    if (boundaryVariants) identity.boundaryVariants = boundaryVariants;
    const { trustDocument, trustVariants } = trustOf(trusts);
    if (trustDocument) identity.trustDocument = trustDocument;
    if (trustVariants) identity.trustVariants = trustVariants;
  }
}

function lengths(model: Model): Record<VariantList, number> {
  const marks = {} as Record<VariantList, number>;
  for (const list of VARIANT_LISTS) marks[list] = model[list]?.length ?? 0;
  return marks;
}
