/**
 * The grammar of RAM policy documents (Version "1", Statement[] of Effect, Action, Resource,
 * optional Condition) and of role trust policies (Principal instead of Resource), checked when a
 * document is stored so that what the evaluator later reads is well formed. Limits: 6,144
 * characters (CreatePolicy's PolicyDocument, RAM 2015-05-01 metadata), and what the documents
 * of RAM describe as the policy structure. Refusals answer MalformedPolicyDocument with the
 * detail, as RAM does.
 */
import { ramError } from './errors.js';
import { allConditionsHold, compileConditions, conditionBlockError, wildcardRegExp, type Condition, type ConditionContext } from './policy-conditions.js';

export const POLICY_DOCUMENT_MAX = 6144;

export type DocumentKind = 'policy' | 'trust';

const malformed = (detail: string) => ramError('MalformedPolicyDocument', detail);

const isStringOrList = (v: unknown) =>
  typeof v === 'string' || (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string'));

const ACTION = /^(\*|[A-Za-z0-9*?-]+:[A-Za-z0-9*?]+)$/;

/** Parses and checks a document; answers the parsed JSON. `param` names the parameter in the length error. */
export function checkPolicyDocument(text: string, kind: DocumentKind = 'policy', param = 'PolicyDocument'): Record<string, unknown> {
  if (text.length === 0 || text.length > POLICY_DOCUMENT_MAX) {
    throw ramError(`InvalidParameter.${param}.Length`, `The parameter - "${param}" beyond the length limit.`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw malformed(`The policy document is not valid JSON: ${(e as Error).message}`);
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw malformed('The policy document must be a JSON object.');
  const d = doc as Record<string, unknown>;
  for (const key of Object.keys(d)) if (key !== 'Version' && key !== 'Statement') throw malformed(`Unknown element "${key}" in the policy document.`);
  if (d.Version !== '1') throw malformed('The policy document must have "Version": "1".');
  const statements = Array.isArray(d.Statement) ? d.Statement : d.Statement !== undefined ? [d.Statement] : [];
  if (statements.length === 0) throw malformed('The policy document must have at least one Statement.');
  statements.forEach((s, i) => checkStatement(s, i, kind));
  return d;
}

function checkStatement(s: unknown, i: number, kind: DocumentKind): void {
  const at = `Statement[${i}]`;
  if (!s || typeof s !== 'object' || Array.isArray(s)) throw malformed(`${at} must be a JSON object.`);
  const st = s as Record<string, unknown>;
  const allowed = kind === 'policy' ? ['Effect', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition', 'Sid'] : ['Effect', 'Action', 'Principal', 'Condition', 'Sid'];
  for (const key of Object.keys(st)) if (!allowed.includes(key)) throw malformed(`Unknown element "${key}" in ${at}.`);
  if (st.Effect !== 'Allow' && st.Effect !== 'Deny') throw malformed(`${at}.Effect must be "Allow" or "Deny".`);
  const action = st.Action ?? st.NotAction;
  if (action === undefined || !isStringOrList(action)) throw malformed(`${at}.Action must be a string or a non-empty list of strings.`);
  for (const a of ([] as string[]).concat(action as string | string[])) {
    if (!ACTION.test(a)) throw malformed(`${at}.Action "${a}" is not of the form <service>:<action>.`);
  }
  if (kind === 'policy') {
    const resource = st.Resource ?? st.NotResource;
    if (resource === undefined || !isStringOrList(resource)) throw malformed(`${at}.Resource must be a string or a non-empty list of strings.`);
  } else {
    checkPrincipal(st.Principal, at);
  }
  if (st.Condition !== undefined) checkCondition(st.Condition, at);
}

function checkPrincipal(p: unknown, at: string): void {
  if (!p || typeof p !== 'object' || Array.isArray(p)) throw malformed(`${at}.Principal must be an object such as {"RAM": [...]} or {"Service": [...]}.`);
  const entries = Object.entries(p as Record<string, unknown>);
  if (entries.length === 0) throw malformed(`${at}.Principal is empty.`);
  for (const [k, v] of entries) {
    if (k !== 'RAM' && k !== 'Service' && k !== 'Federated') throw malformed(`${at}.Principal has an unknown type "${k}".`);
    if (!isStringOrList(v)) throw malformed(`${at}.Principal.${k} must be a string or a non-empty list of strings.`);
  }
}

/** The operators, keys and values the evaluator knows (an unknown operator would silently grant or deny nothing). */
function checkCondition(c: unknown, at: string): void {
  const why = conditionBlockError(c);
  if (why) throw malformed(`${at}: ${why}`);
}

export interface TrustStatement {
  effect: 'Allow' | 'Deny';
  actions: string[];
  ram: string[];
  service: string[];
  conditions: Condition[];
}

/** The trust policy's statements as lists (the document was checked when stored). */
export function trustStatements(text: string): TrustStatement[] {
  const d = JSON.parse(text) as { Statement: unknown };
  const list = (Array.isArray(d.Statement) ? d.Statement : [d.Statement]) as Record<string, any>[];
  const arr = (v: unknown) => (v === undefined ? [] : ([] as string[]).concat(v as string | string[]));
  return list.map((s) => ({
    effect: s.Effect, actions: arr(s.Action), ram: arr(s.Principal?.RAM), service: arr(s.Principal?.Service), conditions: compileConditions(s.Condition),
  }));
}

const actionMatches = (pattern: string, action: string) => wildcardRegExp(pattern, true).test(action);

/**
 * Whether a trust policy lets `callerArns` (the caller's own ARN and its account's
 * `acs:ram::<account>:root`) or a cloud service assume the role: an Allow of sts:AssumeRole
 * naming one of them whose conditions hold, and no Deny naming one of them whose conditions hold.
 * `context` holds the keys the assumption carries (`sts:ExternalId` when AssumeRole names one,
 * `acs:CurrentTime`). A condition on a key outside `context` is not decided here, so the reading
 * errs on the side of refusing: such an Allow grants nothing, such a Deny applies.
 */
export function trustAllows(text: string, who: { ram?: string[]; service?: string }, context: ConditionContext = new Map()): boolean {
  const matches = (s: TrustStatement) => s.actions.some((a) => actionMatches(a, 'sts:AssumeRole'))
    && ((who.ram ?? []).some((arn) => s.ram.some((p) => p === '*' || p.toLowerCase() === arn.toLowerCase()))
      || (who.service !== undefined && s.service.some((p) => p.toLowerCase() === who.service!.toLowerCase())));
  const decided = (s: TrustStatement) => s.conditions.every((c) => TRUST_CONTEXT_KEYS.has(c.key));
  const holds = (s: TrustStatement) => decided(s) && allConditionsHold(s.conditions, context);
  const st = trustStatements(text);
  if (st.some((s) => s.effect === 'Deny' && matches(s) && (!decided(s) || holds(s)))) return false;
  return st.some((s) => s.effect === 'Allow' && matches(s) && holds(s));
}

/**
 * The keys a trust policy's conditions are decided on: what AssumeRole carries and the clock. A
 * key the assumption did not carry (no ExternalId given) counts as absent, as in RAM: a positive
 * operator on it fails, a negated one holds.
 */
const TRUST_CONTEXT_KEYS = new Set(['sts:externalid', 'acs:currenttime']);
