/**
 * ExplainRamAccess (OpenECS extension, issue 13 point 4): would RAM let this user or role of the
 * caller's account do `AuthAction` on `AuthResource` in this context (SourceIp, CurrentTime,
 * SecureTransport, the resource's tags)? Answers Allow or Deny, the kind of deny, and the deciding
 * policy, its version and the statement's index, by the same evaluation the dispatcher runs on
 * every call (src/auth/policy-enforcer.ts).
 */
import type { Principal } from '../auth/accounts.js';
import { baseContext, compileSet, decide } from '../auth/policy-enforcer.js';
import { normalizeConditionKey } from '../domain/ram/policy-conditions.js';
import { EcsError } from '../domain/errors.js';
import { findRole, findUser, policyDocumentsFor } from '../store/ram.js';
import { openEcsHandlers, type OpenEcsRequest } from './typed-handlers.js';
import type { ActionContext } from './types.js';

function splitSource(source: string) {
  const colon = source.indexOf(':');
  return { PolicyType: source.slice(0, colon), PolicyName: source.slice(colon + 1) };
}

async function principalNamed(ctx: ActionContext, p: OpenEcsRequest<'ExplainRamAccess'>): Promise<Principal> {
  const base = { accountId: ctx.principal.accountId, accountName: ctx.principal.accountName, isAdmin: false, accessKeyId: '' };
  if (p.UserName && p.RoleName) throw new EcsError('InvalidParameter', 'Specify one of UserName and RoleName, not both.', 400);
  if (p.UserName) {
    const user = await findUser(ctx.db, ctx.principal.accountId, p.UserName);
    if (!user) throw new EcsError('EntityNotExist.User', `The user does not exist: ${p.UserName}.`, 404);
    return { ...base, type: 'user', userId: user.id, userName: user.name };
  }
  if (p.RoleName) {
    const role = await findRole(ctx.db, ctx.principal.accountId, p.RoleName);
    if (!role) throw new EcsError('EntityNotExist.Role', `The role does not exist: ${p.RoleName}.`, 404);
    return { ...base, type: 'role', roleId: role.id, roleName: role.name };
  }
  throw new EcsError('MissingParameter', 'One of UserName and RoleName must be specified.', 400);
}

export const explainRamAccessActions = openEcsHandlers({
  async ExplainRamAccess(ctx, p) {
    const principal = await principalNamed(ctx, p);
    const action = p.AuthAction.trim();
    if (!/^[A-Za-z0-9-]+:[A-Za-z0-9]+$/.test(action)) {
      throw new EcsError('InvalidParameter.AuthAction', `The specified AuthAction "${action}" is not of the form <service>:<ActionName> (ecs:StopInstance).`, 400);
    }
    const resource = p.AuthResource?.trim() || '*';
    let now = ctx.now();
    if (p.CurrentTime) {
      now = Date.parse(p.CurrentTime);
      if (Number.isNaN(now)) throw new EcsError('InvalidParameter.CurrentTime', `The specified CurrentTime "${p.CurrentTime}" is not an ISO 8601 time.`, 400);
    }
    const context = baseContext({ sourceIp: p.SourceIp, secure: p.SecureTransport === true, now });
    for (const t of p.ResourceTag ?? []) {
      context.set(normalizeConditionKey(`acs:ResourceTag/${t.Key}`), [t.Value ?? '']);
      context.set(normalizeConditionKey(`ecs:tag/${t.Key}`), [t.Value ?? '']);
    }
    const docs = await policyDocumentsFor(ctx.db, principal);
    const d = decide(compileSet(docs), action, resource, context);
    const who = principal.type === 'user' ? `user/${principal.userName}` : `role/${principal.roleName}`;
    const deciding = d.policy && d.statement ? {
      ...splitSource(d.policy.source),
      VersionId: d.policy.version,
      StatementIndex: d.statement.index,
      Effect: d.statement.effect,
      Statement: JSON.stringify(d.statement.source),
    } : undefined;
    const reason = d.decision === 'Allow'
      ? `Allowed by statement ${d.statement!.index} of ${d.policy!.source} (${d.policy!.version || 'session'}).`
      : d.decision === 'ExplicitDeny'
        ? `Denied explicitly by statement ${d.statement!.index} of ${d.policy!.source} (${d.policy!.version || 'session'}); an explicit Deny wins over every Allow.`
        : docs.length === 0 ? `No policy is attached to ${who}: RAM denies by default.` : `No statement of the ${docs.length} policies of ${who} allows ${action} on ${resource}: RAM denies by default.`;
    return {
      Decision: d.decision === 'Allow' ? 'Allow' : 'Deny',
      DenyType: d.decision === 'Allow' ? '' : d.decision,
      Reason: reason,
      Principal: `acs:ram::${principal.accountId}:${who}`,
      AuthAction: action,
      AuthResource: resource,
      ...(deciding ? { DecidingPolicy: deciding } : {}),
      EvaluatedPolicies: { Policy: docs.map((doc) => ({ ...splitSource(doc.source), VersionId: doc.version })) },
    };
  },
});
