/**
 * The `security-policy` operation: "bring the security groups on the wire in step with the store".
 *
 * Every write that changes what the enforcer compiles (a group's rules or inner-access policy, an
 * instance's groups, an instance created, moved to another address or released, a route entry
 * created or deleted, an ENI deleted: the route entries ride on the same apply) requests it in
 * its own transaction, and the engine runs `reconcileSecurityPolicy` (src/network/enforcer.ts),
 * which compiles the whole policy and applies it idempotently. The compute driver keeps one
 * ruleset per data dir, so there is one such operation per server store, not one per group or
 * VPC: `enqueue` keeps a single pending row per (kind, resource), so a storm of rule changes
 * costs one apply, and a change committed while an apply runs bumps the row's generation and
 * makes it run again (operations.ts), so no change is missed.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../store/schema.js';
import { enqueue } from './operations.js';

export const SECURITY_POLICY = 'security-policy';
/** The resource the operation converges: this server's ruleset. */
export const SECURITY_POLICY_RESOURCE = 'ruleset';

/**
 * Due at 0, that is at once whatever the service clock says (tests move it by hand, and some
 * writers, deep in the store, are not handed the time); `now` only stamps the row.
 */
export async function requestSecurityPolicy(db: Kysely<Database> | Transaction<Database>, now = Date.now()): Promise<void> {
  await enqueue(db, { kind: SECURITY_POLICY, resourceId: SECURITY_POLICY_RESOURCE, dueAt: 0 }, now);
}
