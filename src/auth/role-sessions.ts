/**
 * Issuing temporary credentials for a role: who may assume it (its trust policy), for how long
 * (900 s up to the role's MaxSessionDuration), and the session row every replica checks.
 * STS AssumeRole uses it for RAM identities; instance RAM roles use it with the service
 * principal `ecs.aliyuncs.com`.
 */
import { trustAllows } from '../domain/ram/documents.js';
import type { ConditionContext } from '../domain/ram/policy-conditions.js';
import type { Principal } from './accounts.js';
import type { RamRoleTable } from '../store/schema.js';
import { createRoleSession, type SecretBox, type TemporaryCredentials } from '../store/sts-sessions.js';
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';

export const SESSION_MIN_SECONDS = 900;
/** A role session assuming another role (role chaining) gets at most an hour, as STS allows. */
export const CHAINED_MAX_SECONDS = 3600;

/** The ARNs a caller is known by in trust policies: itself and its account. */
export function callerArns(p: Principal): string[] {
  const root = `acs:ram::${p.accountId}:root`;
  if (p.type === 'user') return [`acs:ram::${p.accountId}:user/${p.userName}`, root];
  if (p.type === 'role') return [`acs:ram::${p.accountId}:role/${p.roleName}`, root];
  return [root];
}

export function maxDurationFor(role: RamRoleTable, caller: Principal | undefined): number {
  return caller?.type === 'role' ? Math.min(role.max_session_duration, CHAINED_MAX_SECONDS) : role.max_session_duration;
}

/**
 * `context`: the condition keys of the assumption (AssumeRole's `sts:ExternalId`, the time) that
 * the trust policy's conditions are decided on.
 */
export function trusts(role: RamRoleTable, who: { caller?: Principal; service?: string }, context?: ConditionContext): boolean {
  return trustAllows(role.trust_policy, { ram: who.caller ? callerArns(who.caller) : [], service: who.service }, context);
}

export function issueRoleSession(
  db: Kysely<Database>, box: SecretBox, role: RamRoleTable, session: { sessionName: string; policy?: string; durationSeconds: number }, now: number,
): Promise<TemporaryCredentials> {
  return createRoleSession(db, box, {
    accountId: role.account_id, roleId: role.id, roleName: role.name, sessionName: session.sessionName,
    policy: session.policy ?? '', durationSeconds: session.durationSeconds,
  }, now);
}
