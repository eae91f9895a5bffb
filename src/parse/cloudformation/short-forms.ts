import type { Value } from '../../model/value.js';

/** Short-form intrinsic tags and the long-form key each stands for. */
export const SHORT_FORMS: Record<string, string> = {
  '!Ref': 'Ref',
  '!Condition': 'Condition',
  '!Sub': 'Fn::Sub',
  '!GetAtt': 'Fn::GetAtt',
  '!Join': 'Fn::Join',
  '!Select': 'Fn::Select',
  '!Split': 'Fn::Split',
  '!If': 'Fn::If',
  '!Equals': 'Fn::Equals',
  '!FindInMap': 'Fn::FindInMap',
  '!ImportValue': 'Fn::ImportValue',
  '!Base64': 'Fn::Base64',
  '!Cidr': 'Fn::Cidr',
  '!GetAZs': 'Fn::GetAZs',
  '!And': 'Fn::And',
  '!Or': 'Fn::Or',
  '!Not': 'Fn::Not',
};


/** `!GetAtt Logical.Attr.Sub` → ["Logical", "Attr.Sub"], as CloudFormation splits it. */
export function getAttList(value: Value & { kind: 'string' }): Value {
  const dot = value.value.indexOf('.');
  if (dot < 0) return { kind: 'list', items: [value], range: value.range };
  return {
    kind: 'list',
    range: value.range,
    items: [
      { kind: 'string', value: value.value.slice(0, dot), range: value.range },
      { kind: 'string', value: value.value.slice(dot + 1), range: value.range },
    ],
  };
}
