/**
 * RAM authorization of one API call: the policies of the calling RAM user or role (compiled once
 * per store version), the resources the action touches (action-resources.ts), the request's
 * condition keys, and the answer — go on, refuse with Forbidden.RAM (403, with ECS's
 * AccessDeniedDetail), or go on and filter the listing to what the policies allow.
 * The account root is never evaluated: it may do everything its account owns.
 */
import type { Principal } from './accounts.js';
import { actionRule, arn, SERVICE_OF, touchedResources, type ListingRule, type TouchedResource } from './action-resources.js';
import { compilePolicy, evaluateStatements, statementsFor, type CompiledPolicy, type Decision, type PolicyStatement } from './policy.js';
import { CONTEXT_KEYS, type ConditionContext } from '../domain/ram/policy-conditions.js';
import { EcsError } from '../domain/errors.js';
import { encodeDiagnostic } from './policy-diagnostics.js';
import type { Product } from '../api/spec.js';
import type { Db } from '../store/db.js';
import { accountSettings, policyDocumentsFor, type PolicyDocument } from '../store/ram.js';
import { readSecurityPreference, type SelfService } from '../domain/ram/security-preference.js';
import { regionsOf } from '../store/resource-regions.js';
import { tagsOf } from '../store/tags.js';

/** The policies that apply to a principal, compiled: its own (user, groups, role) and a session's narrowing ones. */
export interface PolicySet {
  identity: CompiledPolicy[];
  session: CompiledPolicy[];
  /** A condition reads the connection or the clock: a decision cannot be reused for another request. */
  readsContext: boolean;
  /** A condition reads tags: resources' tags must be looked up. */
  readsTags: boolean;
  /** A Resource names a region: a call without RegionId needs its resources' regions. */
  namesRegions: boolean;
  /** The statements that match an action, per policy group, found once per action. */
  byAction: Map<string, { identity: PolicyStatement[]; session: PolicyStatement[] }>;
}

const compiled = new WeakMap<readonly PolicyDocument[], PolicySet>();

/** policyDocumentsFor answers the same array while the store version holds, so compiling once per array is per version. */
export function compileSet(docs: readonly PolicyDocument[]): PolicySet {
  let set = compiled.get(docs);
  if (set) return set;
  const identity: CompiledPolicy[] = [];
  const session: CompiledPolicy[] = [];
  let readsContext = false;
  let readsTags = false;
  let namesRegions = false;
  for (const d of docs) {
    const p = compilePolicy(d.source, d.version, d.document);
    (d.source.startsWith('Session:') ? session : identity).push(p);
    for (const st of p.statements) {
      const raw = st.source as { Resource?: string | string[]; NotResource?: string | string[] };
      for (const r of ([] as string[]).concat(raw.Resource ?? raw.NotResource ?? [])) {
        const region = r.split(':')[2];
        if (region !== undefined && region !== '' && region !== '*') namesRegions = true;
      }
      for (const c of st.conditions) {
        if (CONTEXT_KEYS.has(c.key)) readsContext = true;
        if (c.key.includes('/')) readsTags = true;
      }
    }
  }
  set = { identity, session, readsContext, readsTags, namesRegions, byAction: new Map() };
  compiled.set(docs, set);
  return set;
}

/** The statements of a set whose action part matches `action` (a bounded memo: actions are a fixed vocabulary). */
export function candidates(set: PolicySet, action: string): { identity: PolicyStatement[]; session: PolicyStatement[] } {
  let c = set.byAction.get(action);
  if (!c) {
    c = { identity: statementsFor(set.identity, action), session: statementsFor(set.session, action) };
    if (set.byAction.size < 2048) set.byAction.set(action, c);
  }
  return c;
}

/** Explicit Deny anywhere wins; then the principal's policies must allow and, for a session with a policy, the session's too. */
export function decide(set: PolicySet, action: string, resource: string, context: ConditionContext): Decision {
  const c = candidates(set, action);
  const own = evaluateStatements(c.identity, { action, resource, context });
  if (set.session.length === 0 || own.decision === 'ExplicitDeny') return own;
  const narrowed = evaluateStatements(c.session, { action, resource, context });
  if (narrowed.decision !== 'Allow') return narrowed;
  return own;
}

/** What the connection and the clock say about a request. */
export interface RequestFacts {
  sourceIp?: string;
  secure?: boolean;
  now: number;
}

export function baseContext(facts: RequestFacts): Map<string, string[]> {
  const ctx = new Map<string, string[]>();
  if (facts.sourceIp) ctx.set('acs:sourceip', [facts.sourceIp.replace(/^::ffff:/, '')]);
  ctx.set('acs:currenttime', [new Date(facts.now).toISOString()]);
  ctx.set('acs:securetransport', [facts.secure ? 'true' : 'false']);
  // An AccessKey or STS token call is never an MFA sign-in.
  ctx.set('acs:mfapresent', ['false']);
  return ctx;
}

function requestTags(params: Record<string, unknown>): { Key: string; Value: string }[] {
  const t = params.Tag;
  if (!Array.isArray(t)) return [];
  return t.filter((x) => x && typeof x === 'object' && typeof (x as { Key?: unknown }).Key === 'string')
    .map((x) => ({ Key: String((x as { Key: string }).Key), Value: String((x as { Value?: unknown }).Value ?? '') }));
}

/** The context for one resource: its tags as `acs:ResourceTag/<k>` and `ecs:tag/<k>` (for a new resource, the request's). */
function withTags(base: ReadonlyMap<string, string[]>, tags: readonly { Key: string; Value: string }[] | undefined, requested: readonly { Key: string; Value: string }[]): ConditionContext {
  if (!tags?.length && !requested.length) return base;
  const ctx = new Map(base);
  for (const t of requested) ctx.set(`acs:requesttag/${t.Key}`, [t.Value]);
  for (const t of tags ?? requested) {
    if (tags) ctx.set(`acs:resourcetag/${t.Key}`, [t.Value]);
    ctx.set(`ecs:tag/${t.Key}`, [t.Value]);
  }
  return ctx;
}

export interface AccessDeniedDetail {
  AuthAction: string;
  AuthPrincipalType: string;
  AuthPrincipalOwnerId: string;
  AuthPrincipalDisplayName: string;
  NoPermissionType: 'ImplicitDeny' | 'ExplicitDeny';
  PolicyType: string;
  EncodedDiagnosticMessage: string;
}

/** Forbidden.RAM with the diagnostic ECS adds since its 2025 authentication change (AccessDeniedDetail). */
export class AccessDeniedError extends EcsError {
  constructor(readonly detail: AccessDeniedDetail, action: string, resource: string) {
    super('Forbidden.RAM', `User not authorized to operate on the specified resource, or this API doesn't support RAM. (Action: ${action}, Resource: ${resource})`, 403);
  }
}

/** The keys of the request (not of the resource) a refusal reports, as DecodeDiagnosticMessage's AuthConditions. */
const REPORTED_KEYS: Record<string, string> = {
  'acs:sourceip': 'acs:SourceIp', 'acs:currenttime': 'acs:CurrentTime', 'acs:securetransport': 'acs:SecureTransport', 'acs:mfapresent': 'acs:MFAPresent',
};

export function accessDenied(principal: Principal, action: string, resource: string, d: Decision, context?: ConditionContext): AccessDeniedError {
  const noPermission = d.decision === 'ExplicitDeny' ? 'ExplicitDeny' : 'ImplicitDeny';
  const policyType = d.policy?.source.startsWith('Session:') ? 'SessionPolicy' : 'AccountLevelIdentityBasedPolicy';
  const principalType = principal.type === 'role' ? 'AssumedRoleUser' : 'SubUser';
  const display = principal.type === 'role' ? `${principal.roleName ?? ''}:${principal.sessionName ?? ''}` : principal.userId ?? principal.accountId;
  const [type, name] = d.policy ? [d.policy.source.slice(0, d.policy.source.indexOf(':')), d.policy.source.slice(d.policy.source.indexOf(':') + 1)] : ['', ''];
  const encoded = encodeDiagnostic({
    ExplicitDeny: noPermission === 'ExplicitDeny',
    NoPermissionPolicyType: policyType,
    AuthAction: action,
    AuthResource: resource,
    AuthPrincipal: { AuthPrincipalType: principalType, AuthPrincipalOwnerId: principal.accountId, AuthPrincipalDisplayName: display },
    AuthConditions: [...(context ?? new Map()).entries()].filter(([k]) => REPORTED_KEYS[k]).map(([k, v]) => ({ ConditionKey: REPORTED_KEYS[k]!, ConditionValues: [...v] })),
    MatchedPolicies: d.policy && d.statement ? [{
      Effect: d.statement.effect, PolicyIdentifier: name, PolicyType: type, PolicyVersion: d.policy.version,
      AttachedEntityType: principal.type === 'role' ? 'Role' : 'User', AttachedScope: 'Account', StatementIndex: d.statement.index,
    }] : [],
  });
  return new AccessDeniedError({
    AuthAction: action,
    AuthPrincipalType: principalType,
    AuthPrincipalOwnerId: principal.accountId,
    AuthPrincipalDisplayName: display,
    NoPermissionType: noPermission,
    PolicyType: policyType,
    EncodedDiagnosticMessage: encoded,
  }, action, resource);
}

export interface CallToAuthorize {
  principal: Principal;
  product: Product;
  action: string;
  regionId: string;
  params: Record<string, unknown>;
  facts: RequestFacts;
}

export interface Authorization {
  /** The answer depends only on the store and the request: a read cache keyed by the store version may keep it. */
  cacheable: boolean;
  /** Keeps in a listing answer only the items the policies allow (ECS DescribeInstances & co.). */
  filter?: (body: Record<string, unknown>) => Promise<void>;
}

const ALLOWED: Authorization = { cacheable: true };

/**
 * Decides a call; throws AccessDeniedError when RAM refuses it. Cheap on the hot path: documents and
 * their compilation are cached per store version, and a tag lookup happens only when a condition
 * reads tags.
 */
export async function authorize(db: Db, call: CallToAuthorize): Promise<Authorization> {
  const { principal } = call;
  const rule = actionRule(call.product, call.action);
  if (principal.type === 'root' || rule?.public) return ALLOWED;
  if (rule?.selfService && await selfServiceAllowed(db, principal, call.params, rule.selfService)) return ALLOWED;
  const service = rule?.service ?? SERVICE_OF[call.product];
  const action = `${SERVICE_OF[call.product]}:${call.action}`;
  const scope = { service, regionId: call.regionId, accountId: principal.accountId, userName: principal.userName };
  if (!rule || rule.rootOnly) throw accessDenied(principal, action, '*', { decision: 'ImplicitDeny' }, baseContext(call.facts));
  const ramAction = rule.service ? `${rule.service}:${call.action}` : action;
  const set = compileSet(await policyDocumentsFor(db, principal));
  const base = baseContext(call.facts);
  const requested = requestTags(call.params);
  const cacheable = !set.readsContext;

  if (rule.list) return authorizeListing(db, call, set, rule.list, ramAction, scope, base, cacheable);

  const touched = touchedResources(rule, scope, call.params);
  if (!call.regionId && set.namesRegions) await placeInRegions(db, principal.accountId, touched);
  const tags = set.readsTags ? await tagsOf(db, touched.flatMap((t) => (t.id ? [t.id] : []))) : undefined;
  for (const t of touched) {
    const ctx = withTags(base, t.id ? tags?.get(t.id) ?? [] : undefined, requested);
    const d = decide(set, ramAction, t.arn, ctx);
    if (d.decision !== 'Allow') {
      // The refusal names the resource as ECS would, with its region, even when no policy needed it.
      if (!call.regionId && !set.namesRegions) await placeInRegions(db, principal.accountId, [t]);
      throw accessDenied(principal, ramAction, t.arn, d, ctx);
    }
  }
  const role = rule.passRole ? call.params[rule.passRole] : undefined;
  if (typeof role === 'string' && role !== '') {
    if (decide(set, 'ram:PassRole', arn('ram', '', principal.accountId, 'role', role), base).decision !== 'Allow') {
      throw new EcsError('InvalidUser.PassRoleForbidden', 'The RAM user does not have the privilege to pass a RAM role.', 403);
    }
  }
  return { cacheable };
}

/**
 * A RAM user acting on itself (no UserName, or its own) where the account's security preference
 * lets users do so without a policy (SetSecurityPreference). Role sessions are not users.
 */
async function selfServiceAllowed(db: Db, principal: Principal, params: Record<string, unknown>, field: SelfService): Promise<boolean> {
  if (principal.type !== 'user' || !principal.userName) return false;
  const named = params.UserName;
  if (named !== undefined && named !== '' && named !== principal.userName) return false;
  return readSecurityPreference((await accountSettings(db, principal.accountId)).security_preference)[field];
}

/** Rewrites the ARNs of resources named by id with the region they live in (calls that carry no RegionId). */
async function placeInRegions(db: Db, accountId: string, touched: TouchedResource[]): Promise<void> {
  const byType = new Map<string, TouchedResource[]>();
  for (const t of touched) if (t.id && t.type && t.service) byType.set(t.type, [...(byType.get(t.type) ?? []), t]);
  for (const [type, list] of byType) {
    const regions = await regionsOf(db, accountId, type, list.map((t) => t.id!));
    for (const t of list) {
      const region = regions.get(t.id!);
      if (region) t.arn = arn(t.service!, region, accountId, type, t.id!);
    }
  }
}

async function authorizeListing(
  db: Db, call: CallToAuthorize, set: PolicySet, list: ListingRule, ramAction: string,
  scope: { service: string; regionId: string; accountId: string }, base: Map<string, string[]>, cacheable: boolean,
): Promise<Authorization> {
  const all = touchedResources({ resources: [`${list.service ? list.service + '/' : ''}${list.type}:*`] }, scope, {})[0]!.arn;
  const whole = decide(set, ramAction, all, base);
  const c = candidates(set, ramAction);
  const matching = [...c.identity, ...c.session];
  const mayAllow = (list: PolicyStatement[]) => list.some((m) => m.statement.effect === 'Allow');
  // A listing is refused only when nothing could allow it (ECS answers 403 since 2025-12-20), or
  // when a Deny covers every resource of the type.
  if (whole.decision === 'ExplicitDeny' || !mayAllow(c.identity) || (set.session.length > 0 && !mayAllow(c.session))) {
    throw accessDenied(call.principal, ramAction, all, whole, base);
  }
  const needsFilter = whole.decision !== 'Allow'
    || matching.some((m) => m.statement.effect === 'Deny' || m.statement.conditions.some((k) => k.key.includes('/')));
  if (!needsFilter) return { cacheable };
  return {
    cacheable,
    filter: async (body) => {
      const [outer, inner] = list.path.split('.') as [string, string];
      const holder = body[outer] as Record<string, unknown> | undefined;
      let items = holder?.[inner];
      // A handler may hand its list over already serialized (render.ts RawJson): read it back.
      if (items && typeof items === 'object' && typeof (items as { toJSON?: unknown }).toJSON === 'function') items = (items as { toJSON(): unknown }).toJSON();
      if (!Array.isArray(items) || items.length === 0) return;
      const ids = items.map((it) => String((it as Record<string, unknown>)[list.idField] ?? ''));
      const tags = set.readsTags ? await tagsOf(db, ids.filter(Boolean)) : undefined;
      const kept = items.filter((_, i) => {
        const resource = touchedResources({ resources: [`${list.service ? list.service + '/' : ''}${list.type}:id`] }, scope, { id: ids[i] })[0]!.arn;
        return decide(set, ramAction, resource, withTags(base, tags?.get(ids[i]!) ?? [], [])).decision === 'Allow';
      });
      holder![inner] = kept;
      if (typeof body.TotalCount === 'number') body.TotalCount = Math.max(0, body.TotalCount - (items.length - kept.length));
    },
  };
}
