import { displayString, knownString, type Value } from '../model/value.js';
import { arnFields } from './arn.js';
import { servicePrincipalOf } from './service-principal.js';

export type PrincipalClass =
  | { kind: 'public' }
  /** `written`: how a templated principal reads (`s3.${AWS::URLSuffix}`), when `service` is not the text itself (see ServicePrincipal). */
  | { kind: 'service'; service: string; written?: string }
  | { kind: 'account'; account: string }
  | { kind: 'arn'; arn: string }
  | { kind: 'unknown' };

/**
 * Alexa's principals (custom skills, smart home skills) end in `.amazon.com`, not `.amazonaws.com`. They send no
 * source account or ARN: only the event source token, the skill id, says which skill may invoke.
 */
const SKILL_SERVICES = /^alexa-(appkit|connectedhome)\.amazon\.com$/i;

/** Whether a service principal is pinned by an event source token (the Alexa skill id), not a source account or ARN. */
export function pinnedBySkillId(service: string): boolean {
  return SKILL_SERVICES.test(service);
}

/** Classifies a principal as written in a Lambda permission or a policy's Principal element. */
export function classifyPrincipal(value: Value | undefined): PrincipalClass {
  const text = knownString(value);
  if (text === undefined) return displayString(value) === undefined ? { kind: 'unknown' } : classifyTemplate(value!, displayString(value)!);
  const trimmed = text.trim();
  if (trimmed === '*') return { kind: 'public' };
  const service = servicePrincipalOf(value);
  if (service) return { kind: 'service', ...service };
  if (SKILL_SERVICES.test(trimmed)) return { kind: 'service', service: trimmed };
  if (/^\d{12}$/.test(trimmed)) return { kind: 'account', account: trimmed };
  const root = /^arn:[^:]+:iam::(\d{12}):root$/.exec(trimmed);
  if (root) return { kind: 'account', account: root[1] };
  if (trimmed.startsWith('arn:')) return { kind: 'arn', arn: trimmed };
  return { kind: 'unknown' };
}

/**
 * `!Sub "arn:${AWS::Partition}:iam::111122223333:root"` is that account: fields are split as ARNs are, keeping `${…}` whole.
 * Other ARNs stay ARNs; a service named with its partition or region left open (`!Sub "s3.${AWS::URLSuffix}"`) is that service.
 */
function classifyTemplate(value: Value, text: string): PrincipalClass {
  const fields = arnFields(value);
  if (fields && fields.length === 6 && fields[0] === 'arn' && fields[2] === 'iam' && /^\d{12}$/.test(fields[4]) && fields[5] === 'root') return { kind: 'account', account: fields[4] };
  if (text.startsWith('arn:')) return { kind: 'arn', arn: text };
  const service = servicePrincipalOf(value);
  return service ? { kind: 'service', ...service } : { kind: 'unknown' };
}
