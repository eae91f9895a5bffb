import type { FunctionInvokers, Invoker } from '../graph/invokers.js';
import { severityRank, type Finding, type Grantee, type Severity } from '../rules/types.js';

/**
 * Who can invoke what, as the HTML report draws it: principals on one side, functions on the
 * other, an edge per grant. Plain data, so the drawing does not care where it came from (today
 * the findings; a full invoker graph of the model can feed the same shape).
 */
export interface InvokeGraph {
  principals: GraphNode[];
  functions: GraphNode[];
  edges: GraphEdge[];
}

export interface GraphNode {
  id: string;
  label: string;
}

export interface GraphEdge {
  from: string;
  to: string;
  severity: Severity;
  /** The grants behind the edge: resource addresses and rule ids, for the tooltip. */
  via: string[];
}

/** Every function: what identity-policy rules (IG2xx) are about. */
export const EVERY_FUNCTION = 'every function';

/** The principal side of a finding about an invoke grant, or undefined when it is not one. Read from the finding's data: messages are for people and change. */
function principalOf(f: Finding): string | undefined {
  if (f.grant) return granteeLabel(f.grant.grantee);
  return f.ruleId.startsWith('IG2') ? `holders of ${f.resource}` : undefined;
}

function granteeLabel(grantee: Grantee): string {
  switch (grantee.kind) {
    case 'any-principal':
      return 'any AWS principal (*)';
    case 'service':
      return `${grantee.service} (any account)`;
    case 'account':
      return `account ${grantee.account}`;
    case 'organisation':
      return `organisation ${grantee.organisation}`;
    case 'internet':
      return 'anyone on the internet (function URL)';
    case 'principal':
      return grantee.principal ?? 'the grant’s principal';
  }
}

/** The function side: the function a grant names, or what a finding is about (an identity policy's reach, a role, guardrails). */
export function functionOf(f: Finding): string {
  if (f.ruleId.startsWith('IG2')) return EVERY_FUNCTION;
  if (f.ruleId.startsWith('IG3')) return `execution role ${f.resource}`;
  if (f.ruleId.startsWith('IG4') || f.ruleId.startsWith('IG5')) return 'organisation guardrails';
  if (f.ruleId.startsWith('IG6') || f.ruleId.startsWith('IG9')) return `policies and input (${f.range.file})`;
  return f.grant?.function ?? `function of ${f.resource}`;
}

/** The graph the findings show: an edge from each principal class to each function a finding opens to it. */
export function graphFromFindings(findings: readonly Finding[]): InvokeGraph {
  const principals = new Map<string, GraphNode>();
  const functions = new Map<string, GraphNode>();
  const edges = new Map<string, GraphEdge>();
  for (const f of findings) {
    const principal = principalOf(f);
    if (principal === undefined) continue;
    const target = functionOf(f);
    if (!principals.has(principal)) principals.set(principal, { id: `p${principals.size}`, label: principal });
    if (!functions.has(target)) functions.set(target, { id: `f${functions.size}`, label: target });
    const from = principals.get(principal)!.id;
    const to = functions.get(target)!.id;
    const key = `${from}>${to}`;
    const grant = `${f.resource} (${f.ruleId})`;
    const edge = edges.get(key);
    if (!edge) edges.set(key, { from, to, severity: f.severity, via: [grant] });
    else {
      if (severityRank(f.severity) > severityRank(edge.severity)) edge.severity = f.severity;
      if (!edge.via.includes(grant)) edge.via.push(grant);
    }
  }
  return { principals: [...principals.values()], functions: [...functions.values()], edges: [...edges.values()] };
}

/** How far a grant reaches, as an edge colour: public critical, unscoped high, anything pinned info. */
function invokerSeverity(invoker: Invoker): Severity {
  if (invoker.kind !== 'identity-policy' && invoker.public) return 'critical';
  return invoker.unscoped ? 'high' : 'info';
}

function invokerLabel(invoker: Invoker): string {
  if (invoker.kind !== 'identity-policy') {
    if (invoker.kind === 'function-url') return 'anyone on the internet (function URL)';
    return invoker.public ? 'any AWS principal (*)' : invoker.principal;
  }
  if (invoker.principal === null) return `holders of ${invoker.policy}`;
  return invoker.viaGroup ? `${invoker.principal} (via ${invoker.viaGroup})` : invoker.principal;
}

/** The full who-can-invoke graph of the model (`invokeguard graph`), drawn the same way: every grant, safe ones too. */
export function graphFromInvokers(graph: readonly FunctionInvokers[]): InvokeGraph {
  const principals = new Map<string, GraphNode>();
  const functions: GraphNode[] = [];
  const edges = new Map<string, GraphEdge>();
  for (const fn of graph) {
    const to = `f${functions.length}`;
    functions.push({ id: to, label: `${fn.function} (${fn.location.file}:${fn.location.line})` });
    for (const invoker of fn.invokers) {
      const label = invokerLabel(invoker);
      if (!principals.has(label)) principals.set(label, { id: `p${principals.size}`, label });
      const from = principals.get(label)!.id;
      const severity = invokerSeverity(invoker);
      const grant = invoker.kind === 'identity-policy' ? `${invoker.policy} (identity policy)` : invoker.via;
      const key = `${from}>${to}`;
      const edge = edges.get(key);
      if (!edge) edges.set(key, { from, to, severity, via: [grant] });
      else {
        if (severityRank(severity) > severityRank(edge.severity)) edge.severity = severity;
        if (!edge.via.includes(grant)) edge.via.push(grant);
      }
    }
  }
  return { principals: [...principals.values()], functions, edges: [...edges.values()] };
}
