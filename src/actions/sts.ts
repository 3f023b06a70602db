/**
 * STS (2015-04-01). GetCallerIdentity: who signed — the account root (Terraform's provider calls
 * it first to learn the account id), a RAM user, or an assumed role's session. AssumeRole: a RAM
 * user (or a role session) whose account a role's trust policy names gets temporary credentials
 * for it, optionally narrowed by a Policy; the account root may not assume roles, as in STS. A
 * trust policy's conditions on `sts:ExternalId` are decided on AssumeRole's ExternalId.
 */
import { issueRoleSession, maxDurationFor, SESSION_MIN_SECONDS, trusts } from '../auth/role-sessions.js';
import { checkPolicyDocument } from '../domain/ram/documents.js';
import { EcsError } from '../domain/errors.js';
import { isoSecond } from '../domain/time.js';
import { findRoleByArnName } from '../store/ram.js';
import { required } from './ram/common.js';
import { stsHandlers } from './typed-handlers.js';

const invalid = (name: string, why: string) => new EcsError(`InvalidParameter.${name}`, `The parameter ${name} is invalid: ${why}`, 400);
const STS_POLICY_MAX = 2048;

export const stsActions = stsHandlers({
  async GetCallerIdentity(ctx) {
    const p = ctx.principal;
    const id = p.accountId;
    if (p.type === 'user') {
      return { IdentityType: 'RAMUser', AccountId: id, PrincipalId: p.userId, UserId: p.userId, Arn: `acs:ram::${id}:user/${p.userName}` };
    }
    if (p.type === 'role') {
      return {
        IdentityType: 'AssumedRoleUser', AccountId: id, PrincipalId: `${p.roleId}:${p.sessionName}`, RoleId: p.roleId,
        Arn: `acs:ram::${id}:assumed-role/${p.roleName}/${p.sessionName}`,
      };
    }
    return { IdentityType: 'Account', AccountId: id, PrincipalId: id, UserId: id, Arn: `acs:ram::${id}:root` };
  },

  async AssumeRole(ctx, p) {
    const arn = required(p.RoleArn, 'RoleArn');
    const m = /^acs:ram::(\d+):role\/([A-Za-z0-9.-]{1,64})$/i.exec(arn);
    if (!m) throw invalid('RoleArn', `"${arn}" is not of the form acs:ram::<account>:role/<name>.`);
    const sessionName = required(p.RoleSessionName, 'RoleSessionName');
    if (!/^[A-Za-z0-9.@_-]{2,64}$/.test(sessionName)) {
      throw invalid('RoleSessionName', '2 to 64 letters, digits, periods (.), at signs (@), hyphens (-) and underscores (_).');
    }
    if (p.Policy !== undefined) {
      if (p.Policy.length > STS_POLICY_MAX) throw invalid('PolicyGrammar', `the Policy is longer than ${STS_POLICY_MAX} characters.`);
      try {
        checkPolicyDocument(p.Policy);
      } catch (e) {
        throw new EcsError('InvalidParameter.PolicyGrammar', `The parameter Policy has not passed grammar check: ${(e as Error).message}`, 400);
      }
    }
    const externalId = p.ExternalId;
    if (externalId !== undefined && (externalId.length < 2 || externalId.length > 1224 || !/^[\w+=,.@:\/-]+$/.test(externalId))) {
      throw invalid('ExternalId', '2 to 1224 letters, digits, underscores and the characters = , . @ : / - + only.');
    }
    const caller = ctx.principal;
    if (caller.type === 'root') throw new EcsError('NoPermission', 'Roles may not be assumed by root accounts.', 403);
    const role = await findRoleByArnName(ctx.db, m[1]!, m[2]!);
    const notTrusted = () => new EcsError('NoPermission', `You are not authorized to assume the role ${arn}: it does not exist or its trust policy does not name the caller.`, 403);
    // Another account's role that does not exist answers as one that does not trust the caller,
    // so the answer never tells which role names another account has (tenant isolation).
    if (!role) throw m[1] === caller.accountId ? new EcsError('EntityNotExist.Role', `The specified Role not exists: ${arn}.`, 404) : notTrusted();
    // The trust policy's conditions read what this assumption carries: `sts:ExternalId` (StringEquals
    // on it is how a role guards against the confused deputy) and the time.
    const assumption = new Map<string, string[]>([['acs:currenttime', [new Date(ctx.now()).toISOString()]]]);
    if (externalId !== undefined) assumption.set('sts:externalid', [externalId]);
    if (!trusts(role, { caller }, assumption)) throw notTrusted();
    const max = maxDurationFor(role, caller);
    const duration = p.DurationSeconds ?? Math.min(3600, max);
    if (!Number.isInteger(duration) || duration < SESSION_MIN_SECONDS || duration > max) {
      throw invalid('DurationSeconds', `it must be between ${SESSION_MIN_SECONDS} and the role's MaxSessionDuration ${max}.`);
    }
    const now = ctx.now();
    const creds = await ctx.mutate((trx) => issueRoleSession(trx, ctx.sealer, role, { sessionName, policy: p.Policy, durationSeconds: duration }, now)
      .then((c) => ({ c })));
    return {
      Credentials: {
        AccessKeyId: creds.c.accessKeyId, AccessKeySecret: creds.c.accessKeySecret, SecurityToken: creds.c.securityToken,
        Expiration: isoSecond(creds.c.expiresAt),
      },
      AssumedRoleUser: { AssumedRoleId: `${role.id}:${sessionName}`, Arn: `acs:ram::${role.account_id}:role/${role.name.toLowerCase()}/${sessionName}` },
    };
  },
});
