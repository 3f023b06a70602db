/**
 * The RAM policy language ("Policy structure and syntax"): a document `{"Version": "1",
 * "Statement": [...]}` whose statements have an Effect (Allow | Deny), an Action or NotAction
 * (`ecs:Describe*`, `*`; the service prefix and the action name compare case-insensitively),
 * a Resource or NotResource (ARNs with `*` and `?` wildcards: `acs:ecs:*:*:instance/i-*`) and an
 * optional Condition (policy-conditions.ts). Pure: parsing, validating and evaluating.
 *
 * Evaluation, as RAM documents it: an explicit Deny in any applicable policy wins; otherwise an
 * Allow allows; otherwise the request is denied implicitly. The account (root) is not evaluated:
 * the dispatcher does not call this for it.
 */
import { allConditionsHold, compileConditions, conditionBlockError, type Condition, type ConditionContext, wildcardRegExp } from '../domain/ram/policy-conditions.js';

/** RAM's limit on a custom policy document (CreatePolicy / CreatePolicyVersion). */
export const MAX_POLICY_DOCUMENT_LENGTH = 6144;

export class PolicyDocumentError extends Error {}

interface RawStatement {
  Effect?: unknown;
  Action?: unknown;
  NotAction?: unknown;
  Resource?: unknown;
  NotResource?: unknown;
  Condition?: unknown;
  Principal?: unknown;
  Sid?: unknown;
}

export interface CompiledStatement {
  /** The statement's position in the document's Statement list, from 0. */
  index: number;
  effect: 'Allow' | 'Deny';
  actions: RegExp[];
  notAction: boolean;
  resources: RegExp[];
  notResource: boolean;
  conditions: Condition[];
  /** The statement as written, for the access explainer. */
  source: unknown;
}

export interface CompiledPolicy {
  /** Where the document comes from: the policy's name and type, or the STS session's policy. */
  source: string;
  version: string;
  statements: CompiledStatement[];
}

const ALLOWED_FIELDS = new Set(['Effect', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition', 'Principal', 'Sid']);

function stringList(v: unknown, field: string, at: string): string[] {
  const list = typeof v === 'string' ? [v] : v;
  if (!Array.isArray(list) || list.length === 0 || !list.every((x) => typeof x === 'string' && x.length > 0)) {
    throw new PolicyDocumentError(`${at}: ${field} must be a non-empty string or a non-empty list of strings.`);
  }
  return list as string[];
}

function checkAction(a: string, at: string) {
  if (a === '*') return;
  // The service part may hold wildcards too: the system policy ReadOnlyAccess allows `*:Describe*`.
  if (!/^[A-Za-z0-9*?-]+:[A-Za-z0-9*?]+$/.test(a)) {
    throw new PolicyDocumentError(`${at}: the action "${a}" is not "*" or "<service>:<ActionName>" (wildcards * and ? allowed).`);
  }
}

function checkResource(r: string, at: string) {
  if (r === '*') return;
  // acs:<service>:<region>:<account>:<relative id>; the region of a global service (RAM) is empty.
  if (!/^acs:[A-Za-z0-9*?-]+:[^:]*:[^:]*:.+$/.test(r)) {
    throw new PolicyDocumentError(`${at}: the resource "${r}" is not "*" or an ARN "acs:<service>:<region>:<account>:<resource>".`);
  }
}

/**
 * Parses and checks a document; throws PolicyDocumentError naming the first problem (CreatePolicy
 * answers it as MalformedPolicyDocument). `trust` documents (a role's AssumeRolePolicyDocument)
 * name a Principal and need no Resource; identity documents must not name one.
 */
export function parsePolicyDocument(text: string, kind: 'identity' | 'trust' = 'identity'): { Version: string; Statement: RawStatement[] } {
  if (typeof text !== 'string' || text.trim() === '') throw new PolicyDocumentError('The policy document is empty.');
  if (text.length > MAX_POLICY_DOCUMENT_LENGTH) {
    throw new PolicyDocumentError(`The policy document is ${text.length} characters long; the limit is ${MAX_POLICY_DOCUMENT_LENGTH}.`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new PolicyDocumentError(`The policy document is not valid JSON: ${(e as Error).message}`);
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new PolicyDocumentError('The policy document must be a JSON object.');
  const d = doc as Record<string, unknown>;
  for (const k of Object.keys(d)) {
    if (k !== 'Version' && k !== 'Statement') throw new PolicyDocumentError(`The policy document has an unknown element "${k}" (only Version and Statement).`);
  }
  if (d.Version !== '1') throw new PolicyDocumentError(`The policy document's Version must be "1"${d.Version === undefined ? '' : `, not ${JSON.stringify(d.Version)}`}.`);
  const statements = Array.isArray(d.Statement) ? d.Statement : d.Statement && typeof d.Statement === 'object' ? [d.Statement] : undefined;
  if (!statements || statements.length === 0) throw new PolicyDocumentError('The policy document must have a non-empty Statement list.');
  statements.forEach((s, i) => checkStatement(s, `Statement ${i + 1}`, kind));
  return { Version: '1', Statement: statements as RawStatement[] };
}

function checkStatement(s: unknown, at: string, kind: 'identity' | 'trust') {
  if (!s || typeof s !== 'object' || Array.isArray(s)) throw new PolicyDocumentError(`${at} must be a JSON object.`);
  const st = s as RawStatement;
  for (const k of Object.keys(st)) if (!ALLOWED_FIELDS.has(k)) throw new PolicyDocumentError(`${at} has an unknown element "${k}".`);
  if (st.Effect !== 'Allow' && st.Effect !== 'Deny') throw new PolicyDocumentError(`${at}: Effect must be "Allow" or "Deny".`);
  if ((st.Action === undefined) === (st.NotAction === undefined)) throw new PolicyDocumentError(`${at} must have exactly one of Action and NotAction.`);
  for (const a of stringList(st.Action ?? st.NotAction, st.Action !== undefined ? 'Action' : 'NotAction', at)) checkAction(a, at);
  if (kind === 'identity') {
    if (st.Principal !== undefined) throw new PolicyDocumentError(`${at}: a permission policy cannot name a Principal.`);
    if ((st.Resource === undefined) === (st.NotResource === undefined)) throw new PolicyDocumentError(`${at} must have exactly one of Resource and NotResource.`);
  } else if (st.Principal === undefined || typeof st.Principal !== 'object' || Array.isArray(st.Principal)) {
    throw new PolicyDocumentError(`${at}: a trust policy statement must name a Principal object (RAM, Service or Federated).`);
  }
  if (st.Resource !== undefined || st.NotResource !== undefined) {
    for (const r of stringList(st.Resource ?? st.NotResource, st.Resource !== undefined ? 'Resource' : 'NotResource', at)) checkResource(r, at);
  }
  if (st.Condition !== undefined) {
    const err = conditionBlockError(st.Condition);
    if (err) throw new PolicyDocumentError(`${at}: ${err}`);
  }
}

/** The first problem of a document, or undefined when it is valid. */
export function policyDocumentError(text: string, kind: 'identity' | 'trust' = 'identity'): string | undefined {
  try {
    parsePolicyDocument(text, kind);
    return undefined;
  } catch (e) {
    if (e instanceof PolicyDocumentError) return e.message;
    throw e;
  }
}

/**
 * A stored document, compiled once for evaluation. A stored document was validated when it was
 * written; one that no longer reads (written by hand into the store, or by a validator that let a
 * mistake through) fails closed, statement by statement: an Allow it cannot read grants nothing,
 * and a Deny whose Condition it cannot read denies unconditionally, so a broken document never
 * widens access.
 */
export function compilePolicy(source: string, version: string, text: string): CompiledPolicy {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return { source, version, statements: [] };
  }
  const raw = doc && typeof doc === 'object' ? (doc as { Statement?: unknown }).Statement : undefined;
  const list = Array.isArray(raw) ? raw : raw && typeof raw === 'object' ? [raw] : [];
  const statements: CompiledStatement[] = [];
  list.forEach((st, index) => {
    const compiled = compileStatement(st, index);
    if (compiled) statements.push(compiled);
  });
  return { source, version, statements };
}

function compileStatement(st: unknown, index: number): CompiledStatement | undefined {
  const build = (s: RawStatement, withConditions: boolean): CompiledStatement => ({
    index,
    effect: s.Effect as 'Allow' | 'Deny',
    actions: stringList(s.Action ?? s.NotAction, 'Action', '').map((a) => wildcardRegExp(a, true)),
    notAction: s.Action === undefined,
    resources: stringList(s.Resource ?? s.NotResource, 'Resource', '').map((r) => wildcardRegExp(r)),
    notResource: s.Resource === undefined,
    conditions: withConditions ? compileConditions(s.Condition as Record<string, Record<string, unknown>> | undefined) : [],
    source: s,
  });
  try {
    checkStatement(st, '', 'identity');
    return build(st as RawStatement, true);
  } catch {
    const s = st as RawStatement | undefined;
    if (s?.Effect !== 'Deny') return undefined;
    try {
      return build(s, false);
    } catch {
      return undefined;
    }
  }
}

/** One authorization question: may the principal do `action` (`ecs:StopInstance`) on `resource` (an ARN or `*`)? */
export interface AccessRequest {
  action: string;
  resource: string;
  context: ConditionContext;
}

export interface Decision {
  decision: 'Allow' | 'ExplicitDeny' | 'ImplicitDeny';
  /** The statement that decided (none for an implicit deny). */
  policy?: CompiledPolicy;
  statement?: CompiledStatement;
}

function anyMatch(patterns: readonly RegExp[], value: string): boolean {
  for (const p of patterns) if (p.test(value)) return true;
  return false;
}

export function actionMatches(st: CompiledStatement, action: string): boolean {
  return anyMatch(st.actions, action) !== st.notAction;
}

export function resourceMatches(st: CompiledStatement, resource: string): boolean {
  return anyMatch(st.resources, resource) !== st.notResource;
}

/** A statement with the policy it belongs to. */
export interface PolicyStatement {
  policy: CompiledPolicy;
  statement: CompiledStatement;
}

/** Explicit Deny first, then Allow, else the implicit deny; the first deciding statement is reported. */
export function evaluate(policies: readonly CompiledPolicy[], req: AccessRequest): Decision {
  return evaluateStatements(statementsFor(policies, req.action), req);
}

/** `evaluate` over statements already known to match the action (statementsFor), in document order. */
export function evaluateStatements(candidates: readonly PolicyStatement[], req: AccessRequest): Decision {
  let allow: Decision | undefined;
  for (const { policy, statement: st } of candidates) {
    if (st.effect === 'Allow' && allow) continue;
    if (!resourceMatches(st, req.resource) || !allConditionsHold(st.conditions, req.context)) continue;
    if (st.effect === 'Deny') return { decision: 'ExplicitDeny', policy, statement: st };
    allow = { decision: 'Allow', policy, statement: st };
  }
  return allow ?? { decision: 'ImplicitDeny' };
}

/** Statements whose action part matches, whatever their resource and condition: what a listing must look at. */
export function statementsFor(policies: readonly CompiledPolicy[], action: string): PolicyStatement[] {
  const out: PolicyStatement[] = [];
  for (const policy of policies) for (const statement of policy.statements) if (actionMatches(statement, action)) out.push({ policy, statement });
  return out;
}
